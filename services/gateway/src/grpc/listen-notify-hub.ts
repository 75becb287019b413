import pg from 'pg';

export interface WatchHubLogger {
  warn(obj: object, msg?: string): void;
}

/** What a hub does with one notice: the tenant it concerns and the change its watchers get. */
export interface HubChannel<Notice extends { tenantId: string }, Change> {
  /** The LISTEN channel (an SQL identifier). */
  channel: string;
  /** What the hub's logs call it ("message", "conversation", "bulk send"). */
  what: string;
  /** The change a notice stands for, read back when needed; null: nothing to tell. */
  changeOf(notice: Notice): Promise<Change | null> | null;
}

/**
 * Fans committed read-model changes out to the watchers of each tenant (the gRPC Watch* streams).
 * Changes arrive by LISTEN on the read-model database (each projection NOTIFYs in the transaction
 * that writes the row), so every gateway instance sees every change, whichever instance projected
 * it; rows are read only for tenants someone watches. One connection per hub; it reconnects.
 */
export class ListenNotifyHub<Notice extends { tenantId: string }, Change> {
  private readonly listeners = new Map<string, Set<(change: Change) => void>>();
  private client: pg.Client | undefined;
  private closing = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly hub: HubChannel<Notice, Change>,
    private readonly logger: WatchHubLogger,
  ) {}

  async start(): Promise<void> {
    this.closing = false;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel !== this.hub.channel || !message.payload) return;
      this.dispatch(JSON.parse(message.payload) as Notice);
    });
    client.on('error', (error) => {
      this.logger.warn(
        { err: error },
        `${this.hub.what} watch hub connection failed; reconnecting`,
      );
      this.client = undefined;
      if (!this.closing) setTimeout(() => void this.start().catch(() => undefined), 1_000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${this.hub.channel}`);
    this.client = client;
  }

  async stop(): Promise<void> {
    this.closing = true;
    await this.client?.end();
    this.client = undefined;
    this.listeners.clear();
  }

  watch(tenantId: string, listener: (change: Change) => void): () => void {
    const set = this.listeners.get(tenantId) ?? new Set<(change: Change) => void>();
    set.add(listener);
    this.listeners.set(tenantId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tenantId);
    };
  }

  /** One notice to the tenant's watchers (what a NOTIFY delivers; public for tests). */
  dispatch(notice: Notice): void {
    const set = this.listeners.get(notice.tenantId);
    if (!set || set.size === 0) return;
    const change = this.hub.changeOf(notice);
    if (change === null) return;
    change.then(
      (value) => {
        if (value === null) return;
        for (const listener of set) listener(value);
      },
      (error: unknown) =>
        this.logger.warn({ err: error, notice }, `could not read a changed ${this.hub.what}`),
    );
  }
}
