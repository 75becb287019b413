/**
 * At most `limit` lookups at the carrier at once (per process): each further one waits its turn,
 * first come first served. One number asked for again while its lookup runs shares that lookup
 * (`once`), so a burst of texts to one new recipient costs one lookup.
 */
export class LookupLimiter {
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`the lookup limit must be an integer >= 1, got ${limit}`);
    }
  }

  /** Lookups running now. */
  get active(): number {
    return this.running;
  }

  /** Lookups waiting for a turn. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Whether a run for `key` is under way (or waiting its turn). */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  /** `work` for `key`, run in turn; a call for a key already running gets that run's promise. */
  once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running as Promise<T>;
    const run = this.run(work).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, run);
    return run;
  }

  /** `work` once fewer than `limit` others are running. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // The turn passes straight to the next in line (running stays counted), else it is freed.
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }
}
