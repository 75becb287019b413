import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { LocalHttpClient } from './local-http.js';

/** The platform's final message statuses (the REST `status` field). */
const finalStatuses = new Set(['delivered', 'failed', 'undelivered']);

/** Recipients +1 555 7xx xxxx: distinct per message, valid E.164, owned by nobody. */
export function benchRecipient(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 1_000_000) {
    throw new RangeError(`recipient index must be an integer in [0, 1000000), got ${index}`);
  }
  return `+15557${String(index).padStart(6, '0')}`;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` running, stopping at `deadline`. */
export async function forEachBounded(
  count: number,
  concurrency: number,
  deadline: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && performance.now() < deadline) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export interface SendResult {
  /** Message ids of the accepted (202) sends, in send order. */
  readonly acceptedIds: readonly string[];
  /** The index (0 .. messages - 1) each accepted id was sent as, in the same order. */
  readonly acceptedIndexes: readonly number[];
  /** Accept latency of every 202, in ms. */
  readonly latenciesMs: readonly number[];
  /** Non-202 answers and transport errors, by description, with counts. */
  readonly rejections: ReadonlyMap<string, number>;
  /** performance.now() of the first request and of the last 202. */
  readonly firstSendAt: number;
  readonly lastAcceptAt: number;
}

function messageId(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'id' in parsed &&
      typeof parsed.id === 'string'
    ) {
      return parsed.id;
    }
  } catch {
    // not JSON: counted as a rejection by the caller
  }
  return undefined;
}

function statusOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'status' in parsed &&
      typeof parsed.status === 'string'
    ) {
      return parsed.status;
    }
  } catch {
    // not JSON: the message stays pending
  }
  return undefined;
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export interface SendOptions {
  readonly messages: number;
  readonly concurrency: number;
  readonly deadline: number;
  /** Message i goes to benchRecipient(firstRecipient + i) (default 0). */
  readonly firstRecipient?: number;
  /** The `sendAt` of message i (an ISO instant); absent: sent at once. */
  readonly sendAtOf?: (index: number) => string;
}

export async function sendMessages(
  client: LocalHttpClient,
  apiKey: string,
  options: SendOptions,
): Promise<SendResult> {
  const ids: Array<string | undefined> = new Array<string | undefined>(options.messages);
  const latenciesMs: number[] = [];
  const rejections = new Map<string, number>();
  const firstSendAt = performance.now();
  let lastAcceptAt = firstSendAt;
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  await forEachBounded(options.messages, options.concurrency, options.deadline, async (index) => {
    const sendAt = options.sendAtOf?.(index);
    const body = JSON.stringify({
      to: benchRecipient((options.firstRecipient ?? 0) + index),
      body: `textplane bench message ${index}`,
      ...(sendAt === undefined ? {} : { sendAt }),
    });
    const started = performance.now();
    try {
      const answer = await client.send(
        'POST',
        '/v1/messages',
        { ...headers, 'idempotency-key': randomUUID() },
        body,
      );
      const finished = performance.now();
      const id = answer.status === 202 ? messageId(answer.body) : undefined;
      if (id === undefined) {
        count(rejections, `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
        return;
      }
      ids[index] = id;
      latenciesMs.push(finished - started);
      lastAcceptAt = Math.max(lastAcceptAt, finished);
    } catch (error: unknown) {
      count(rejections, error instanceof Error ? error.message : String(error));
    }
  });
  const acceptedIndexes = ids.flatMap((id, index) => (id === undefined ? [] : [index]));
  return {
    acceptedIds: acceptedIndexes.map((index) => ids[index] ?? ''),
    acceptedIndexes,
    latenciesMs,
    rejections,
    firstSendAt,
    lastAcceptAt,
  };
}

export interface DeliveryResult {
  /** Final status counts (delivered, failed, undelivered) and `pending` for those never final. */
  readonly statuses: ReadonlyMap<string, number>;
  readonly delivered: number;
  /** performance.now() of the poll pass that first saw the last delivered message. */
  readonly lastDeliveredSeenAt: number | undefined;
  /** Duration of the pass that saw the last delivery: the timing's uncertainty. */
  readonly lastDeliveredPassMs: number | undefined;
  readonly passes: number;
}

/**
 * Polls GET /v1/messages/{id} for every message not yet final, in passes of bounded concurrency,
 * until all are final or the deadline passes. A delivery is timed when a pass first sees it, so
 * the time of the last delivery is late by at most that pass's duration.
 */
export async function awaitFinalStatuses(
  client: LocalHttpClient,
  apiKey: string,
  ids: readonly string[],
  options: { readonly concurrency: number; readonly deadline: number; readonly pauseMs: number },
): Promise<DeliveryResult> {
  const headers = { authorization: `Bearer ${apiKey}` };
  const statuses = new Map<string, number>();
  const finalIds = new Set<string>();
  let pending = [...ids];
  let delivered = 0;
  let lastDeliveredSeenAt: number | undefined;
  let lastDeliveredPassMs: number | undefined;
  let passes = 0;
  while (pending.length > 0 && performance.now() < options.deadline) {
    passes += 1;
    const passStarted = performance.now();
    let deliveredThisPass = false;
    const batch = pending;
    await forEachBounded(batch.length, options.concurrency, options.deadline, async (index) => {
      const id = batch[index];
      if (id === undefined) return;
      const answer = await client
        .send('GET', `/v1/messages/${encodeURIComponent(id)}`, headers)
        .catch(() => undefined);
      const status = answer?.status === 200 ? statusOf(answer.body) : undefined;
      if (status === undefined || !finalStatuses.has(status)) return;
      finalIds.add(id);
      count(statuses, status);
      if (status === 'delivered') {
        delivered += 1;
        deliveredThisPass = true;
      }
    });
    const passEnded = performance.now();
    if (deliveredThisPass) {
      lastDeliveredSeenAt = passEnded;
      lastDeliveredPassMs = passEnded - passStarted;
    }
    // Ids the deadline cut off before they were asked about stay pending too.
    pending = batch.filter((id) => !finalIds.has(id));
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
  if (pending.length > 0) statuses.set('pending', pending.length);
  return { statuses, delivered, lastDeliveredSeenAt, lastDeliveredPassMs, passes };
}
