import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { benchRecipient, forEachBounded } from '../bench/load-run.js';

export interface SendTally {
  /** Message id of each accepted (202) send, by send index. */
  readonly accepted: ReadonlyMap<number, string>;
  /** Every answer, by kind (`HTTP 202`, `HTTP 503`, a transport error...), with counts. */
  readonly answers: ReadonlyMap<string, number>;
  /** Sends refused for good (a 4xx) or still refused at the retry deadline. */
  readonly notAccepted: number;
  readonly durationMs: number;
}

/** Answers worth another try under the same Idempotency-Key: the platform said "not now". */
function retryable(status: number): boolean {
  return status === 503 || status === 502 || status === 504 || status === 500 || status === 429;
}

function idOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && 'id' in parsed
      ? typeof parsed.id === 'string'
        ? parsed.id
        : undefined
      : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, 2_000) : 250;
}

/**
 * Sends `messages` texts through REST at bounded concurrency, as a careful client would: a
 * request the platform refuses for now (503 with Retry-After, a 5xx, a dropped connection) is
 * sent again under the same Idempotency-Key until `retryDeadline`, so a send the platform had
 * recorded before the answer was lost is never made twice. `onAccepted` sees the running count.
 */
export async function sendThroughOutage(
  gatewayUrl: string,
  apiKey: string,
  options: {
    readonly messages: number;
    readonly concurrency: number;
    /** Recipient index of send 0 (scenarios use disjoint recipients). */
    readonly firstRecipient: number;
    readonly retryDeadline: number;
    readonly onAccepted?: (count: number) => void;
  },
): Promise<SendTally> {
  const accepted = new Map<number, string>();
  const answers = new Map<string, number>();
  const count = (kind: string): void => void answers.set(kind, (answers.get(kind) ?? 0) + 1);
  let notAccepted = 0;
  const started = performance.now();
  await forEachBounded(options.messages, options.concurrency, Infinity, async (index) => {
    const key = randomUUID();
    const body = JSON.stringify({
      to: benchRecipient(options.firstRecipient + index),
      body: `textplane resilience message ${index}`,
    });
    const headers = {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    };
    for (;;) {
      let wait = 250;
      try {
        const response = await fetch(`${gatewayUrl}/v1/messages`, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const answer = { status: response.status, body: await response.text() };
        count(`HTTP ${answer.status}`);
        const id = answer.status === 202 ? idOf(answer.body) : undefined;
        if (id !== undefined) {
          accepted.set(index, id);
          options.onAccepted?.(accepted.size);
          return;
        }
        if (!retryable(answer.status)) {
          notAccepted += 1;
          count(`HTTP ${answer.status} (given up): ${answer.body.slice(0, 160)}`);
          return;
        }
        wait = retryAfterMs(response.headers.get('retry-after'));
      } catch (error: unknown) {
        count(`transport: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (performance.now() + wait > options.retryDeadline) {
        notAccepted += 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  });
  return { accepted, answers, notAccepted, durationMs: performance.now() - started };
}
