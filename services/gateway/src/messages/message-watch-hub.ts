import pg from 'pg';
import { type MessageReadModel, resourceOfJson } from './message-read-model.js';
import { MESSAGE_CHANGES_CHANNEL, type MessageChangeNotice } from './message.projection.js';
import type { MessageStatusChange } from './message.resource.js';

type Listener = (change: MessageStatusChange) => void;

export interface WatchHubLogger {
  warn(obj: object, msg?: string): void;
}

/**
 * Fans committed message changes out to the watchers of each tenant (gRPC WatchMessages).
 * Changes arrive by LISTEN on the read-model database, so every gateway instance sees every
 * change, whichever instance projected it. Rows are read only for tenants someone watches.
 */
export class MessageWatchHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: pg.Client | undefined;
  private closing = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly readModel: MessageReadModel,
    private readonly logger: WatchHubLogger,
  ) {}

  async start(): Promise<void> {
    this.closing = false;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel !== MESSAGE_CHANGES_CHANNEL || !message.payload) return;
      this.dispatch(JSON.parse(message.payload) as MessageChangeNotice);
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'watch hub connection failed; reconnecting');
      this.client = undefined;
      if (!this.closing) setTimeout(() => void this.start().catch(() => undefined), 1_000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${MESSAGE_CHANGES_CHANNEL}`);
    this.client = client;
  }

  async stop(): Promise<void> {
    this.closing = true;
    await this.client?.end();
    this.client = undefined;
    this.listeners.clear();
  }

  watch(tenantId: string, listener: Listener): () => void {
    const set = this.listeners.get(tenantId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(tenantId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(tenantId);
    };
  }

  private dispatch(notice: MessageChangeNotice): void {
    const set = this.listeners.get(notice.tenantId);
    // A refusal of a client's change is no status change.
    if (!set || set.size === 0 || notice.refusal !== undefined) return;
    // Small rows travel in the notice itself; only large ones are read back.
    const message = notice.message
      ? Promise.resolve(resourceOfJson(notice.message))
      : this.readModel.get(notice.tenantId, notice.messageId);
    message.then(
      (message) => {
        if (!message) return;
        const change: MessageStatusChange = {
          message,
          eventType: notice.eventType,
          occurredAt: notice.occurredAt,
        };
        for (const listener of set) listener(change);
      },
      (error: unknown) =>
        this.logger.warn({ err: error, notice }, 'could not read a changed message'),
    );
  }
}
