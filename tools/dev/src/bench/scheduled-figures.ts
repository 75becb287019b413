import { ratePerSecond, summariseLatencies } from './percentiles.js';

/**
 * The sendAt instants (epoch ms) of `count` messages spread evenly over `spanMs`: the first at
 * `firstMs`, the last at `firstMs + spanMs`, whole milliseconds (sendAt is sent as an ISO instant).
 */
export function evenSchedule(count: number, firstMs: number, spanMs: number): number[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`count must be a positive integer, got ${count}`);
  }
  if (!(spanMs >= 0)) throw new RangeError(`spanMs must be at least 0, got ${spanMs}`);
  const first = Math.ceil(firstMs);
  if (count === 1) return [first];
  return Array.from({ length: count }, (_, i) => first + Math.round((i * spanMs) / (count - 1)));
}

/**
 * How far ahead of now the first sendAt goes so that every accept is done before it: the time
 * `count` accepts take at the measured `acceptPerS`, times `safety`, plus `marginMs`.
 */
export function scheduleLeadMs(
  count: number,
  acceptPerS: number,
  options: { readonly safety: number; readonly marginMs: number },
): number {
  if (!(acceptPerS > 0)) throw new RangeError(`acceptPerS must be positive, got ${acceptPerS}`);
  if (!(options.safety >= 1))
    throw new RangeError(`safety must be at least 1, got ${options.safety}`);
  return Math.ceil(((count * 1_000) / acceptPerS) * options.safety + options.marginMs);
}

/** One send in the carrier simulator's log (`GET /sim/messages`), the fields read here. */
export interface CarrierSend {
  readonly to: string;
  readonly idempotency_key: string | null;
  readonly received_at: string;
}

export interface ScheduledMessage {
  readonly id: string;
  readonly to: string;
  /** The sendAt the message was accepted with, epoch ms. */
  readonly sendAtMs: number;
}

export interface Arrivals {
  /** Earliest carrier receive time (epoch ms) of each message the carrier got, by message id. */
  readonly firstReceivedAt: ReadonlyMap<string, number>;
  /** Messages the carrier never got. */
  readonly never: number;
  /** Sends beyond the first, over all messages: the carrier got a message twice or more. */
  readonly duplicates: number;
}

/**
 * Matches the carrier's log to `messages`. A send belongs to a message when it carries the
 * message id as its idempotency key (messaging's carrier call does), or goes to the message's
 * recipient under another key (each message has a recipient of its own), so a second send under
 * a new key is a duplicate too. Only sends received at or after `sinceMs` count: a running stack's
 * log still holds earlier runs to the same recipients.
 */
export function carrierArrivals(
  messages: readonly ScheduledMessage[],
  log: readonly CarrierSend[],
  sinceMs: number,
): Arrivals {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const byRecipient = new Map(messages.map((m) => [m.to, m]));
  const sends = new Map<string, number[]>();
  for (const send of log) {
    const at = Date.parse(send.received_at);
    if (!Number.isFinite(at)) throw new Error(`the carrier logged a send at "${send.received_at}"`);
    if (at < sinceMs) continue;
    const message =
      (send.idempotency_key === null ? undefined : byId.get(send.idempotency_key)) ??
      byRecipient.get(send.to);
    if (message === undefined) continue;
    const times = sends.get(message.id);
    if (times === undefined) sends.set(message.id, [at]);
    else times.push(at);
  }
  const firstReceivedAt = new Map<string, number>();
  let duplicates = 0;
  for (const [id, times] of sends) {
    firstReceivedAt.set(id, Math.min(...times));
    duplicates += times.length - 1;
  }
  return { firstReceivedAt, never: messages.length - firstReceivedAt.size, duplicates };
}

export interface ReleaseLag {
  readonly messages: number;
  readonly received: number;
  readonly never: number;
  readonly duplicates: number;
  /** Messages the carrier got before their sendAt: must be none. */
  readonly early: number;
  /** Carrier receive time minus sendAt, over the messages received (ms). */
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly maxMs: number | undefined;
  readonly minMs: number | undefined;
}

/** Carrier receive time minus sendAt of each message received. */
export function releaseLag(messages: readonly ScheduledMessage[], arrivals: Arrivals): ReleaseLag {
  const lags: number[] = [];
  for (const message of messages) {
    const at = arrivals.firstReceivedAt.get(message.id);
    if (at !== undefined) lags.push(at - message.sendAtMs);
  }
  const summary = summariseLatencies(lags);
  return {
    messages: messages.length,
    received: lags.length,
    never: arrivals.never,
    duplicates: arrivals.duplicates,
    early: lags.filter((lag) => lag < 0).length,
    p50Ms: summary.p50Ms,
    p99Ms: summary.p99Ms,
    maxMs: summary.maxMs,
    minMs: lags.length === 0 ? undefined : Math.min(...lags),
  };
}

export interface BurstFigures {
  readonly messages: number;
  readonly received: number;
  readonly never: number;
  readonly duplicates: number;
  readonly early: number;
  /** When the first and the last message reached the carrier, after the shared sendAt (ms). */
  readonly firstAfterMs: number | undefined;
  readonly lastAfterMs: number | undefined;
  /** Sends per second the carrier took between the burst's first and last receive. */
  readonly carrierPerS: number | undefined;
  /** The goal: messages ÷ the single-send run's delivered/s, plus 2 s (ms after sendAt). */
  readonly goalMs: number | undefined;
  /** Every message reached the carrier, none early, none twice, the last within the goal. */
  readonly goalMet: boolean;
}

/** The allowance beyond what single-send throughput takes for the burst. */
export const BURST_ALLOWANCE_MS = 2_000;

export function burstFigures(
  messages: readonly ScheduledMessage[],
  arrivals: Arrivals,
  singleDeliveredPerS: number | undefined,
): BurstFigures {
  const sendAtMs = messages[0]?.sendAtMs;
  if (sendAtMs === undefined) throw new RangeError('a burst has at least one message');
  if (messages.some((m) => m.sendAtMs !== sendAtMs)) {
    throw new RangeError('every message of a burst has the same sendAt');
  }
  const times = messages.flatMap((m) => arrivals.firstReceivedAt.get(m.id) ?? []);
  const first = times.length === 0 ? undefined : Math.min(...times);
  const last = times.length === 0 ? undefined : Math.max(...times);
  const goalMs =
    singleDeliveredPerS === undefined || !(singleDeliveredPerS > 0)
      ? undefined
      : Math.round((messages.length * 1_000) / singleDeliveredPerS) + BURST_ALLOWANCE_MS;
  const early = times.filter((at) => at < sendAtMs).length;
  const lastAfterMs = last === undefined ? undefined : last - sendAtMs;
  return {
    messages: messages.length,
    received: times.length,
    never: arrivals.never,
    duplicates: arrivals.duplicates,
    early,
    firstAfterMs: first === undefined ? undefined : first - sendAtMs,
    lastAfterMs,
    carrierPerS:
      first === undefined || last === undefined
        ? undefined
        : ratePerSecond(times.length, last - first),
    goalMs,
    goalMet:
      arrivals.never === 0 &&
      arrivals.duplicates === 0 &&
      early === 0 &&
      goalMs !== undefined &&
      lastAfterMs !== undefined &&
      lastAfterMs <= goalMs,
  };
}
