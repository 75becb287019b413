import type { LimitKey, ThroughputDecision } from '@textplane/trust-rules';

/**
 * The throughput gate's answer in the dispatcher's terms (DESIGN.md's status model), from the
 * ledger's decision. Pure. The gate never blocks: a message over a limit waits.
 * - `pass`: the message was counted; it may go to the carrier now.
 * - `throughput`: `queued` with `waitingFor: "throughput"`, released at `at` (a window has room).
 * - `daily_cap`: `scheduled` with `reason: "daily_cap"` and `sendAt` = `at`, the T-Mobile reset
 *   (midnight America/Los_Angeles).
 */
export type ThroughputGateAnswer =
  | { answer: 'pass' }
  | {
      answer: 'wait';
      until: {
        kind: 'time';
        at: Date;
        reason: 'throughput' | 'daily_cap';
        /** The limit that held it (the table's key), for the message's history and metrics. */
        limit: LimitKey;
      };
    };

export const THROUGHPUT_GATE_NAME = 'throughput';

export function throughputGateAnswer(decision: ThroughputDecision): ThroughputGateAnswer {
  switch (decision.kind) {
    case 'pass':
      return { answer: 'pass' };
    case 'wait':
      return {
        answer: 'wait',
        until: { kind: 'time', at: decision.until, reason: 'throughput', limit: decision.limit },
      };
    case 'daily_cap':
      return {
        answer: 'wait',
        until: { kind: 'time', at: decision.sendAt, reason: 'daily_cap', limit: decision.limit },
      };
  }
}
