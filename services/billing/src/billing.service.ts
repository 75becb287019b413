import { ConsumerGroups, Topics } from '@textplane/contracts';
import { createLogger, type Logger } from '@textplane/observability';
import {
  type Clock,
  EventSourcedRuntime,
  runtimeSettingsOf,
  systemClock,
} from '@textplane/service-runtime';
import { BillingRequestHandler } from './billing-requests/billing-request.handler.js';
import type { BillingConfig } from './config.js';
import { BillingStore } from './infrastructure/billing-store.js';
import {
  BILLING_MESSAGE_EVENT_TYPES,
  MessageEventHandler,
  messageEventHandlers,
} from './message-events/message-event.handler.js';
import { billingMigrations } from './migrations/index.js';

export interface BillingOverrides {
  clock?: Clock;
  logger?: Logger;
  /**
   * Prefixed to the consumer groups: a test runs the service beside a stack's own billing on
   * the same broker without taking its partitions.
   */
  consumerGroupPrefix?: string;
}

/**
 * The billing service, assembled by hand: the gateway's billing requests (one transaction
 * each) and messaging's funds-gate events (a fetched batch in one), applied once through the
 * inbox; its outbox relay publishes on billing.wallets.events.v1 and
 * billing.rate-cards.events.v1.
 */
export class BillingService {
  private constructor(
    private readonly config: BillingConfig,
    private readonly runtime: EventSourcedRuntime,
    private readonly logger: Logger,
    private readonly overrides: BillingOverrides,
  ) {}

  static create(config: BillingConfig, overrides: BillingOverrides = {}): BillingService {
    const logger = overrides.logger ?? createLogger('billing', config.LOG_LEVEL);
    const runtime = new EventSourcedRuntime({
      serviceName: 'billing',
      databaseUrl: config.BILLING_DATABASE_URL,
      databasePoolSize: config.BILLING_DB_POOL_SIZE,
      migrations: billingMigrations,
      ...runtimeSettingsOf(config),
      logger,
    });
    return new BillingService(config, runtime, logger, overrides);
  }

  async start(): Promise<{ httpPort: number }> {
    const { config, logger, runtime } = this;
    await runtime.open();
    const clock = this.overrides.clock ?? systemClock;
    const billing = new BillingStore(runtime.store);
    const prefix = this.overrides.consumerGroupPrefix ?? '';
    const requestsGroup = `${prefix}${ConsumerGroups.billingRequests}`;
    const messagesGroup = `${prefix}${ConsumerGroups.billingMessages}`;
    const requests = new BillingRequestHandler(billing, clock);
    // A fetched batch of messaging's events in one transaction (MessageEventHandler.applyBatch).
    const messages = messageEventHandlers(
      runtime.inbox,
      messagesGroup,
      new MessageEventHandler(billing, clock, logger),
    );

    await runtime.consume([
      {
        groupId: requestsGroup,
        topic: Topics.gatewayBillingRequests,
        handle: runtime.onceThroughInbox(requestsGroup, (e, m) => requests.apply(e, m)).handle,
        eventTypes: [
          'gateway.WalletCreditRequested.v1',
          'gateway.WalletSettingsChangeRequested.v1',
          'gateway.RateCardPublishRequested.v1',
        ],
      },
      {
        groupId: messagesGroup,
        topic: Topics.messagingMessages,
        handle: messages.handle,
        handleBatch: messages.handleBatch,
        eventTypes: BILLING_MESSAGE_EVENT_TYPES,
      },
    ]);

    const httpPort = await runtime.serveOps(config.BILLING_HTTP_PORT, config.BILLING_HOST);
    logger.info({ httpPort }, 'billing started');
    return { httpPort };
  }

  async stop(): Promise<void> {
    await this.runtime.close();
  }
}
