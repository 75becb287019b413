import pg from 'pg';
import type { ConsentQueries } from './consent-read-model.js';
import type { ConsentLedgerEntry } from './consent.resource.js';
import { CONSENT_FACTS_CHANNEL, type ConsentFactNotice } from './consent.projection.js';

/** Between two looks at the read model when no notice came (a lost LISTEN connection). */
const POLL_INTERVAL_MS = 250;

export interface ConfirmationLogger {
  warn(obj: object, msg?: string): void;
}

/** Waits for the ledger fact an API request caused. */
export interface ConsentConfirmations {
  waitFor(
    tenantId: string,
    requestId: string,
    types: readonly string[],
    timeoutMs: number,
  ): Promise<ConsentLedgerEntry | null>;
}

/**
 * Consent requests are recorded by the consent service, so the API waits a moment for the fact
 * to come back through the gateway's projection. The projection NOTIFYs at commit; this LISTENs
 * (every replica hears every fact, whichever projected it) and reads the entry from the read
 * model. A short poll backs the notice up, so a dropped connection only slows the answer.
 */
export class ListeningConsentConfirmations implements ConsentConfirmations {
  private readonly waiters = new Map<string, Set<() => void>>();
  private client: pg.Client | undefined;
  private closing = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly queries: ConsentQueries,
    private readonly logger: ConfirmationLogger,
  ) {}

  async start(): Promise<void> {
    this.closing = false;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel !== CONSENT_FACTS_CHANNEL || !message.payload) return;
      const notice = JSON.parse(message.payload) as ConsentFactNotice;
      for (const wake of this.waiters.get(notice.requestId) ?? []) wake();
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'consent confirmation connection failed; reconnecting');
      this.client = undefined;
      if (!this.closing) setTimeout(() => void this.start().catch(() => undefined), 1_000).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${CONSENT_FACTS_CHANNEL}`);
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
    types: readonly string[],
    timeoutMs: number,
  ): Promise<ConsentLedgerEntry | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Listen before looking, so a fact committed in between still wakes us.
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const set = this.waiters.get(requestId) ?? new Set<() => void>();
      set.add(wake);
      this.waiters.set(requestId, set);
      try {
        const entry = await this.queries.entryForRequest(tenantId, requestId, types);
        const remaining = deadline - Date.now();
        if (entry || remaining <= 0 || this.closing) return entry;
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
