import {
  type ConfirmationLogger,
  ListeningConfirmations,
} from '../confirmations/listening-confirmations.js';
import type { ConsentQueries } from './consent-read-model.js';
import type { ConsentLedgerEntry } from './consent.resource.js';
import { CONSENT_FACTS_CHANNEL, type ConsentFactNotice } from './consent.projection.js';

export type { ConfirmationLogger };

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
 * to come back through the gateway's projection (its notice names the request), then reads the
 * entry from the read model.
 */
export class ListeningConsentConfirmations implements ConsentConfirmations {
  private readonly listening: ListeningConfirmations;

  constructor(
    databaseUrl: string,
    private readonly queries: ConsentQueries,
    logger: ConfirmationLogger,
  ) {
    this.listening = new ListeningConfirmations(
      databaseUrl,
      [
        {
          name: CONSENT_FACTS_CHANNEL,
          keyOf: (payload) => (payload as ConsentFactNotice).requestId,
        },
      ],
      logger,
    );
  }

  start(): Promise<void> {
    return this.listening.start();
  }

  stop(): Promise<void> {
    return this.listening.stop();
  }

  waitFor(
    tenantId: string,
    requestId: string,
    types: readonly string[],
    timeoutMs: number,
  ): Promise<ConsentLedgerEntry | null> {
    return this.listening.waitFor(
      requestId,
      () => this.queries.entryForRequest(tenantId, requestId, types),
      timeoutMs,
    );
  }
}
