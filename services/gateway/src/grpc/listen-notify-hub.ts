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
  /**
   * Notices of one key (e.g. one bulk send) told at most once per `intervalMs`: the first at
   * once, those arriving within the interval (or while its change is read) folded into the last
   * of them, told when the interval ends. Each change is read after the one before it is told.
   * Without it, every notice is told.
   */
  coalesce?: { keyOf(notice: Notice): string; intervalMs: number };
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
  /** Coalesced keys being told or cooling down, each with the latest notice still to tell. */
  private readonly coalescing = new Map<
    string,
    { pending: Notice | null; timer: NodeJS.Timeout | undefined }
  >();

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
    for (const state of this.coalescing.values()) clearTimeout(state.timer);
    this.coalescing.clear();
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
    const coalesce = this.hub.coalesce;
    if (coalesce === undefined) {
      void this.tell(notice);
      return;
    }
    if (!this.listeners.has(notice.tenantId)) return;
    const key = coalesce.keyOf(notice);
    const state = this.coalescing.get(key);
    if (state !== undefined) {
      state.pending = notice;
      return;
    }
    this.tellCoalesced(key, notice, coalesce.intervalMs);
  }

  private tellCoalesced(key: string, notice: Notice, intervalMs: number): void {
    const state: { pending: Notice | null; timer: NodeJS.Timeout | undefined } = {
      pending: null,
      timer: undefined,
    };
    this.coalescing.set(key, state);
    const cooldown = () => {
      if (this.coalescing.get(key) !== state) return; // stopped meanwhile
      state.timer = setTimeout(() => {
        this.coalescing.delete(key);
        if (state.pending !== null) this.tellCoalesced(key, state.pending, intervalMs);
      }, intervalMs);
      state.timer.unref();
    };
    // A listener that throws must not leave the key coalescing for ever.
    this.tell(notice).then(cooldown, cooldown);
  }

  /** The notice's change to the tenant's watchers; settles once told (or failed, logged). */
  private tell(notice: Notice): Promise<void> {
    const set = this.listeners.get(notice.tenantId);
    if (!set || set.size === 0) return Promise.resolve();
    const change = this.hub.changeOf(notice);
    if (change === null) return Promise.resolve();
    return change.then(
      (value) => {
        if (value === null) return;
        for (const listener of set) listener(value);
      },
      (error: unknown) =>
        this.logger.warn({ err: error, notice }, `could not read a changed ${this.hub.what}`),
    );
  }
}
