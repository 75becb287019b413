import {
  type ConfirmationLogger,
  ListeningConfirmations,
} from '../confirmations/listening-confirmations.js';
import type { ContactQueries } from './contact-read-model.js';
import type { ContactOutcomeRow } from './contact-row.js';
import { CONTACT_FACTS_CHANNEL, type ContactFactNotice } from './contact.projection.js';

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
 * gateway's contact projection, as the consent API does (its notice names the request), then
 * reads the outcome row.
 */
export class ListeningContactConfirmations implements ContactConfirmations {
  private readonly listening: ListeningConfirmations;

  constructor(
    databaseUrl: string,
    private readonly queries: Pick<ContactQueries, 'outcome'>,
    logger: ConfirmationLogger,
  ) {
    this.listening = new ListeningConfirmations(
      databaseUrl,
      [
        {
          name: CONTACT_FACTS_CHANNEL,
          keyOf: (payload) => (payload as ContactFactNotice).requestId,
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
    timeoutMs: number,
  ): Promise<ContactOutcomeRow | null> {
    return this.listening.waitFor(
      requestId,
      () => this.queries.outcome(tenantId, requestId),
      timeoutMs,
    );
  }
}
