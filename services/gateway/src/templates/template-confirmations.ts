import {
  type ConfirmationLogger,
  ListeningConfirmations,
} from '../confirmations/listening-confirmations.js';
import {
  TEMPLATE_FACTS_CHANNEL,
  type TemplateFactNotice,
  type TemplateOutcomeRow,
} from './template-outcomes.js';

/** Waits for what messaging decided of a template or custom value request. */
export interface TemplateConfirmations {
  waitFor(
    tenantId: string,
    requestId: string,
    timeoutMs: number,
  ): Promise<TemplateOutcomeRow | null>;
}

/**
 * Messaging owns templates and custom values, so a write waits for its outcome to come back
 * through the gateway's projections (their notice names the request), then reads the outcome.
 */
export class ListeningTemplateConfirmations implements TemplateConfirmations {
  private readonly listening: ListeningConfirmations;

  constructor(
    databaseUrl: string,
    private readonly outcomes: {
      outcome(tenantId: string, requestId: string): Promise<TemplateOutcomeRow | null>;
    },
    logger: ConfirmationLogger,
  ) {
    this.listening = new ListeningConfirmations(
      databaseUrl,
      [
        {
          name: TEMPLATE_FACTS_CHANNEL,
          keyOf: (payload) => (payload as TemplateFactNotice).requestId,
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
  ): Promise<TemplateOutcomeRow | null> {
    return this.listening.waitFor(
      requestId,
      () => this.outcomes.outcome(tenantId, requestId),
      timeoutMs,
    );
  }
}
