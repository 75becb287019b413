import type { LimitKey, RateLimit } from './throughput-limits.js';
import { tMobileDayOf } from './tmobile-day.js';

/**
 * The throughput gate's rule (issue 12 §3): may a message go now, given what has already been
 * counted against each of its limits?
 *
 * - A sliding window of `w` ms counts a send at `t` during `[t, t + w)`. A send of `cost` units
 *   passes when the units counted in the window ending now plus `cost` stay within the limit, so
 *   no window of length `w` ever holds more than the limit; otherwise it waits until the oldest
 *   counted units have left the window and enough room is free.
 * - The T-Mobile day is a calendar window: once the day's count would pass the cap, the message
 *   is scheduled for the reset (`daily_cap`), whatever the other windows say, since waiting a
 *   minute would not help.
 *
 * Counting sends (and making the check and the count atomic across instances) is the caller's;
 * this only decides from the counts given.
 */

/** What has been counted against one limit. */
export interface LimitUsage {
  /** Sliding windows: the sends counted, any order; those that left the window are ignored. */
  sends?: readonly CountedSend[];
  /** The T-Mobile day: units counted in the T-Mobile day of `now`. */
  dayCount?: number;
}

export interface CountedSend {
  at: Date;
  /** Units it counted (SMS segments; 1 for an MMS); default 1. */
  cost?: number;
}

export interface ThroughputInput {
  now: Date;
  /** The limits this message counts against (`limitsForRecipient(limitsFor(...), carrier)`). */
  limits: readonly RateLimit[];
  usage: Partial<Record<LimitKey, LimitUsage>>;
  /** Units this message will count (its SMS segments; 1 for an MMS); default 1. */
  cost?: number;
}

export type ThroughputDecision =
  | { kind: 'pass' }
  /** `queued` with `waitingFor: "throughput"` until `until`, when the window has room. */
  | { kind: 'wait'; until: Date; limit: LimitKey }
  /** `scheduled` with `reason: "daily_cap"` and `sendAt` at the T-Mobile reset. */
  | { kind: 'daily_cap'; sendAt: Date; limit: LimitKey };

const checkCost = (cost: number, what: string): number => {
  if (!Number.isInteger(cost) || cost < 1) {
    throw new RangeError(`${what} must be a positive integer (got ${cost})`);
  }
  return cost;
};

/**
 * The earliest instant ≥ now at which `cost` more units fit in the sliding window, or `null` when
 * they fit now. A message larger than the limit itself is let through alone, once the window is
 * empty: it can never fit, and holding it forever would be worse than one short burst.
 */
function slidingWindowFree(
  nowMs: number,
  windowMs: number,
  limit: number,
  sends: readonly CountedSend[],
  cost: number,
): number | null {
  const inWindow = sends
    .map((send) => ({ at: send.at.getTime(), cost: checkCost(send.cost ?? 1, 'a send cost') }))
    .filter((send) => send.at + windowMs > nowMs)
    .sort((a, b) => a.at - b.at);
  let used = inWindow.reduce((sum, send) => sum + send.cost, 0);
  const room = Math.min(cost, limit);
  if (used + room <= limit) return null;
  for (const send of inWindow) {
    used -= send.cost;
    if (used + room <= limit) return send.at + windowMs;
  }
  // Unreachable: once every send has left, used is 0 and room ≤ limit.
  return inWindow.length > 0 ? inWindow[inWindow.length - 1]!.at + windowMs : null;
}

export function decideThroughput(input: ThroughputInput): ThroughputDecision {
  const nowMs = input.now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('decideThroughput: now is an invalid Date');
  const cost = checkCost(input.cost ?? 1, 'cost');

  for (const limit of input.limits) {
    if (limit.window.kind !== 'tmobile_day') continue;
    const counted = input.usage[limit.key]?.dayCount ?? 0;
    if (counted + Math.min(cost, limit.limit) > limit.limit) {
      return { kind: 'daily_cap', sendAt: tMobileDayOf(input.now).end, limit: limit.key };
    }
  }

  let wait: { until: number; limit: LimitKey } | null = null;
  for (const limit of input.limits) {
    const { window } = limit;
    switch (window.kind) {
      case 'tmobile_day':
        break;
      case 'sliding': {
        const free = slidingWindowFree(
          nowMs,
          window.ms,
          limit.limit,
          input.usage[limit.key]?.sends ?? [],
          cost,
        );
        // Each window only empties as time passes, so the latest of the instants frees them all.
        if (free !== null && (wait === null || free > wait.until)) {
          wait = { until: free, limit: limit.key };
        }
        break;
      }
    }
  }
  return wait === null
    ? { kind: 'pass' }
    : { kind: 'wait', until: new Date(wait.until), limit: wait.limit };
}
