import pg from 'pg';
import type { ContactQueries } from './contact-read-model.js';
import type { ContactOutcomeRow } from './contact-row.js';
import { CONTACT_FACTS_CHANNEL } from './contact.projection.js';

/** Between two looks at the read model when no notice came (a lost LISTEN connection). */
const POLL_INTERVAL_MS = 250;

export interface ContactConfirmationLogger {
  warn(obj: object, msg?: string): void;
}

/** Waits for what messaging decided of a contact request. */
export interface ContactConfirmations {
  waitFor(
    tenantId: string,
    requestId: string,
    timeoutMs: number,
  ): Promise<ContactOutcomeRow | null>;
}

/**
 * Messaging owns contacts, so a PUT or DELETE waits for its outcome to come back through the
 * gateway's contact projection, as the consent API does: the projection NOTIFYs at commit with
 * the request id; this LISTENs and reads the outcome row. A short poll backs the notice up.
 */
export class ListeningContactConfirmations implements ContactConfirmations {
  private readonly waiters = new Map<string, Set<() => void>>();
  private client: pg.Client | undefined;
  private closing = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly queries: Pick<ContactQueries, 'outcome'>,
    private readonly logger: ContactConfirmationLogger,
  ) {}

  async start(): Promise<void> {
    this.closing = false;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel !== CONTACT_FACTS_CHANNEL || !message.payload) return;
      for (const wake of this.waiters.get(message.payload) ?? []) wake();
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'contact confirmation connection failed; reconnecting');
      this.client = undefined;
      if (!this.closing) setTimeout(() => void this.start().catch(() => undefined), 1_000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CONTACT_FACTS_CHANNEL}`);
    this.client = client;
  }

  async stop(): Promise<void> {
    this.closing = true;
    await this.client?.end();
    this.client = undefined;
    for (const wakers of this.waiters.values()) for (const wake of wakers) wake();
    this.waiters.clear();
  }

  async waitFor(
    tenantId: string,
    requestId: string,
    timeoutMs: number,
  ): Promise<ContactOutcomeRow | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Listen before looking, so an outcome committed in between still wakes us.
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const set = this.waiters.get(requestId) ?? new Set<() => void>();
      set.add(wake);
      this.waiters.set(requestId, set);
      try {
        const outcome = await this.queries.outcome(tenantId, requestId);
        const remaining = deadline - Date.now();
        if (outcome || remaining <= 0 || this.closing) return outcome;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          woken,
          new Promise<void>((resolve) => {
            timer = setTimeout(resolve, Math.min(remaining, POLL_INTERVAL_MS));
          }),
        ]);
        clearTimeout(timer);
      } finally {
        set.delete(wake);
        if (set.size === 0) this.waiters.delete(requestId);
      }
    }
  }
}
