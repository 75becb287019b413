import type { HoldReason, MessageWaitingFor } from '@textplane/contracts';
import { type LimitKey, TMOBILE_TIME_ZONE, type ThroughputDecision } from '@textplane/trust-rules';

/**
 * The throughput gate's answer in the dispatcher's terms (DESIGN.md's status model), from the
 * ledger's decision. Pure. The gate never blocks: a message over a limit waits.
 * - `pass`: the message was counted; it may go to the carrier now.
 * - a window is full: `queued` with `waitingFor: "throughput"`, its turn at `at` (when the window
 *   has room): `{kind: 'turn'}`, a wait for a time that is not a hold (no `scheduled` status).
 * - the T-Mobile day is spent: `scheduled` with `reason: "daily_cap"` and `sendAt` at the reset
 *   (midnight America/Los_Angeles): a time wait as the dispatcher's WaitCondition has it.
 * `limit` names the limit that held it (the table's key), for the history and metrics.
 */
export type ThroughputGateAnswer =
  | { answer: 'pass' }
  | {
      answer: 'wait';
      until: { kind: 'turn'; at: Date; waitingFor: Extract<MessageWaitingFor, 'throughput'> };
      limit: LimitKey;
    }
  | {
      answer: 'wait';
      until: {
        kind: 'time';
        at: Date;
        reason: Extract<HoldReason, 'daily_cap'>;
        timeZone: typeof TMOBILE_TIME_ZONE;
      };
      limit: LimitKey;
    };

export const THROUGHPUT_GATE_NAME = 'throughput';

export function throughputGateAnswer(decision: ThroughputDecision): ThroughputGateAnswer {
  switch (decision.kind) {
    case 'pass':
      return { answer: 'pass' };
    case 'wait':
      return {
        answer: 'wait',
        until: { kind: 'turn', at: decision.until, waitingFor: 'throughput' },
        limit: decision.limit,
      };
    case 'daily_cap':
      return {
        answer: 'wait',
        until: {
          kind: 'time',
          at: decision.sendAt,
          reason: 'daily_cap',
          timeZone: TMOBILE_TIME_ZONE,
        },
        limit: decision.limit,
      };
  }
}
