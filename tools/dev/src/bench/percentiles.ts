/**
 * The nearest-rank percentile of ascending `sorted` values: the smallest value with at least
 * p % of the values at or below it. Undefined for an empty list. Nearest-rank (not interpolated)
 * so the answer is always a latency that was actually measured.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(rank, sorted.length) - 1];
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly maxMs: number | undefined;
}

export function summariseLatencies(latenciesMs: readonly number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1),
  };
}

/** Events per second over a span; undefined when the span is empty (nothing to divide by). */
export function ratePerSecond(count: number, elapsedMs: number): number | undefined {
  return elapsedMs > 0 ? (count * 1_000) / elapsedMs : undefined;
}
