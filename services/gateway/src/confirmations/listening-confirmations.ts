import pg from 'pg';

/** Between two looks at the read model when no notice came (a lost LISTEN connection). */
const POLL_INTERVAL_MS = 250;

export interface ConfirmationLogger {
  warn(obj: object, msg?: string): void;
}

/** A NOTIFY channel a projection sends at commit, and which waiter a notice is for. */
export interface ConfirmationChannel {
  readonly name: string;
  /** The key of the waiters a notice concerns (a request id, a message id), or null. */
  keyOf(payload: unknown): string | null;
}

/**
 * Waits for what an API request caused to come back through a gateway projection (a request
 * recorded here is decided by another service, whose answer the projection applies). The
 * projection NOTIFYs at commit; this LISTENs (every replica hears every notice, whichever one
 * projected it) and looks at the read model again when a notice for the awaited key arrives. A
 * short poll backs the notice up, so a dropped connection only slows the answer.
 */
export class ListeningConfirmations {
  private readonly waiters = new Map<string, Set<(payload: unknown) => void>>();
  private client: pg.Client | undefined;
  private closing = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly channels: readonly ConfirmationChannel[],
    private readonly logger: ConfirmationLogger,
  ) {}

  async start(): Promise<void> {
    this.closing = false;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      const channel = this.channels.find((c) => c.name === message.channel);
      if (!channel || !message.payload) return;
      const payload = JSON.parse(message.payload) as unknown;
      const key = channel.keyOf(payload);
      if (key === null) return;
      for (const wake of this.waiters.get(key) ?? []) wake(payload);
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'confirmation connection failed; reconnecting');
      this.client = undefined;
      if (!this.closing) setTimeout(() => void this.start().catch(() => undefined), 1_000).unref();
    });
    await client.connect();
    for (const channel of this.channels) await client.query(`LISTEN ${channel.name}`);
    this.client = client;
  }

  async stop(): Promise<void> {
    this.closing = true;
    await this.client?.end();
    this.client = undefined;
    for (const wakers of this.waiters.values()) for (const wake of wakers) wake(null);
    this.waiters.clear();
  }

  /**
   * Looks until `look` finds the answer or `timeoutMs` have passed (then null). `look` is given
   * the notices heard for `key` since the wait began, oldest first: an answer that changes no
   * row (a refusal) may only be told by its notice.
   */
  async waitFor<T>(
    key: string,
    look: (heard: readonly unknown[]) => Promise<T | null>,
    timeoutMs: number,
  ): Promise<T | null> {
    const deadline = Date.now() + timeoutMs;
    const heard: unknown[] = [];
    let wake: () => void = () => undefined;
    // Listen before looking, so an answer committed in between still wakes us.
    const waiter = (payload: unknown): void => {
      if (payload !== null) heard.push(payload);
      wake();
    };
    const set = this.waiters.get(key) ?? new Set<(payload: unknown) => void>();
    set.add(waiter);
    this.waiters.set(key, set);
    try {
      for (;;) {
        const woken = new Promise<void>((resolve) => {
          wake = resolve;
        });
        const found = await look(heard);
        const remaining = deadline - Date.now();
        if (found !== null || remaining <= 0 || this.closing) return found;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          woken,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, Math.min(remaining, POLL_INTERVAL_MS));
          }),
        ]);
        clearTimeout(timer);
      }
    } finally {
      set.delete(waiter);
      if (set.size === 0) this.waiters.delete(key);
    }
  }
}
