import pg from 'pg';
import {
  CONVERSATION_CHANGES_CHANNEL,
  type ConversationChangeNotice,
  type ConversationReadModel,
} from './conversation-read-model.js';
import type { ConversationChange } from './conversation.resource.js';

type Listener = (change: ConversationChange) => void;

export interface ConversationWatchHubLogger {
  warn(obj: object, msg?: string): void;
}

/**
 * Fans committed conversation changes out to the watchers of each tenant (gRPC
 * WatchConversations), as MessageWatchHub does for messages: by LISTEN on the read-model
 * database, so every gateway instance hears every change; a conversation is read only for a
 * tenant someone watches.
 */
export class ConversationWatchHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private client: pg.Client | undefined;
  private closing = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly readModel: ConversationReadModel,
    private readonly logger: ConversationWatchHubLogger,
  ) {}

  async start(): Promise<void> {
    this.closing = false;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel !== CONVERSATION_CHANGES_CHANNEL || !message.payload) return;
      this.dispatch(JSON.parse(message.payload) as ConversationChangeNotice);
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'conversation watch hub connection failed; reconnecting');
      this.client = undefined;
      if (!this.closing) setTimeout(() => void this.start().catch(() => undefined), 1_000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CONVERSATION_CHANGES_CHANNEL}`);
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

  private dispatch(notice: ConversationChangeNotice): void {
    const set = this.listeners.get(notice.tenantId);
    if (!set || set.size === 0) return;
    this.readModel.get(notice.tenantId, notice.phone).then(
      (conversation) => {
        if (!conversation) return;
        const change: ConversationChange = {
          conversation,
          eventType: notice.eventType,
          occurredAt: notice.occurredAt,
        };
        for (const listener of set) listener(change);
      },
      (error: unknown) =>
        this.logger.warn({ err: error, notice }, 'could not read a changed conversation'),
    );
  }
}
