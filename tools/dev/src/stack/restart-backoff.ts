/**
 * How long a supervisor waits before starting a service that exited on its own again. A service
 * that crashes at once (bad config, a dependency still down) is retried ever more slowly, so it
 * does not spin a core; one that ran stably for a while before it died is retried promptly again.
 */
export interface RestartBackoff {
  /** Delay before the first restart, and after a run that lasted `stableAfterMs`. */
  readonly initialMs: number;
  /** The delay doubles per quick crash up to this. */
  readonly maxMs: number;
  /** A run at least this long resets the delay to `initialMs`. */
  readonly stableAfterMs: number;
}

export const defaultRestartBackoff: RestartBackoff = Object.freeze({
  initialMs: 1_000,
  maxMs: 30_000,
  stableAfterMs: 60_000,
});

/**
 * The delay before the next restart, given the delay used before the run that just ended
 * (undefined when there was no restart yet) and how long that run lasted.
 */
export function nextRestartDelay(
  policy: RestartBackoff,
  previousDelayMs: number | undefined,
  ranForMs: number,
): number {
  if (previousDelayMs === undefined || ranForMs >= policy.stableAfterMs) return policy.initialMs;
  return Math.min(previousDelayMs * 2, policy.maxMs);
}

/** Time as the supervisor sees it, so tests can compress or drive it. */
export interface SupervisionClock {
  now(): number;
  /** Runs `run` after `ms`; the returned function cancels it. */
  schedule(ms: number, run: () => void): () => void;
}

export const systemSupervisionClock: SupervisionClock = {
  now: () => Date.now(),
  schedule: (ms, run) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};
