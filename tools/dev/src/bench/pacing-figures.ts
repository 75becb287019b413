// The pure parts of `BENCH_SCENARIO=pacing make bench`: the busiest window over the carrier's
// receive times, the ratio to the cap, and the run's verdict.
import type { CarrierEntry } from './bulk-figures.js';

/** Issue 12 §6: the busiest window of the cap's length, over the cap. */
export const PACING_GOALS = Object.freeze({
  /** Never past the cap: the simulator would refuse the send (429 / 40318). */
  maxRatio: 1.0,
  /** Close to it: a pacer far below the cap wastes the carrier's throughput. */
  minRatio: 0.9,
  /** The preview's ETA within this share of the run (POST to the last text) of the finish. */
  etaError: 0.1,
});

export interface BusiestWindow {
  /** The most receive times in any window [start, start + windowMs). */
  readonly count: number;
  /** Epoch ms where that window starts (the earliest such); undefined without times. */
  readonly startMs: number | undefined;
}

/**
 * The most receive times in any window of `windowMs`, as a carrier counts: a send received at
 * `t` counts during [t, t + windowMs). The busiest such window starts at a receive time, so a
 * sliding window over the sorted times finds it. Non-finite times are ignored.
 */
export function busiestWindow(receivedAtMs: readonly number[], windowMs: number): BusiestWindow {
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  const times = receivedAtMs.filter((t) => Number.isFinite(t)).sort((a, b) => a - b);
  let best: BusiestWindow = { count: 0, startMs: undefined };
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    const from = times[start] ?? 0;
    while (end < times.length && (times[end] ?? 0) < from + windowMs) end++;
    if (end - start > best.count) best = { count: end - start, startMs: from };
  }
  return best;
}

/**
 * The receive times (epoch ms) of the carrier's accepted sends from `from` received at or after
 * `notBeforeMs`: one run's sends, apart from any earlier ones in the simulator's log.
 */
export function receiveTimes(
  log: readonly (CarrierEntry & { readonly from: string })[],
  from: string,
  notBeforeMs: number,
): number[] {
  return log
    .filter((entry) => entry.from === from)
    .map((entry) => Date.parse(entry.received_at))
    .filter((at) => Number.isFinite(at) && at >= notBeforeMs);
}

/** The busiest window over the cap; undefined for a cap that is not positive. */
export function capRatio(busiest: number, cap: number): number | undefined {
  return cap > 0 ? busiest / cap : undefined;
}

/**
 * The earliest the last of `messages` can reach the carrier after the first under a cap of
 * `cap` per `windowMs`: each full window's worth must wait one window more.
 */
export function fastestSpanMs(messages: number, cap: number, windowMs: number): number {
  if (messages <= 0 || cap <= 0) return 0;
  return (Math.ceil(messages / cap) - 1) * windowMs;
}

export interface PacingVerdict {
  /** ratio ≤ 1.0 and no send refused: the cap held. */
  readonly held: boolean;
  /** ratio ≥ 0.9: the pacer came close to the cap. */
  readonly close: boolean;
}

/** `refused` undefined: the simulator's count was not read, so the cap is not known to have held. */
export function pacingVerdict(
  ratio: number | undefined,
  refused: number | undefined,
): PacingVerdict {
  return {
    held: ratio !== undefined && ratio <= PACING_GOALS.maxRatio && refused === 0,
    close: ratio !== undefined && ratio >= PACING_GOALS.minRatio,
  };
}

/**
 * How far the preview's ETA was from the finish (the last text at the carrier), as a share of
 * the run from the POST to that text: negative when the ETA was early. Undefined without an ETA,
 * a finish, or a run of positive length.
 */
export function etaError(
  etaMs: number | undefined,
  postedMs: number,
  finishMs: number | undefined,
): number | undefined {
  if (etaMs === undefined || finishMs === undefined || !(finishMs > postedMs)) return undefined;
  return (etaMs - finishMs) / (finishMs - postedMs);
}
