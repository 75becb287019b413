/** Exponential backoff bounds, in milliseconds. */
export interface Backoff {
  initial: number;
  max: number;
}

/**
 * Delay before retry number `attempt` (1 = after the first failure): `initial` doubling per
 * attempt, capped at `max`, then drawn uniformly from its upper half so that consumers failing
 * together (a database outage) do not retry in lockstep.
 */
export function retryDelayMs(
  attempt: number,
  backoff: Backoff,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(backoff.max, backoff.initial * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
