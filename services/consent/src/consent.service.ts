import { classifyReply } from '@textplane/compliance';
import { ConsumerGroups, Topics } from '@textplane/contracts';
import { createLogger, type Logger } from '@textplane/observability';
import {
  type Clock,
  EventSourcedRuntime,
  runtimeSettingsOf,
  systemClock,
} from '@textplane/service-runtime';
import type { ConsentConfig } from './config.js';
import { ConsentRequestHandler } from './consents/consent-requests/consent-request.handler.js';
import {
  InboundReplyHandler,
  type ReplyClassifier,
} from './consents/inbound-replies/inbound-reply.handler.js';
import { ConsentStore } from './infrastructure/consent-store.js';
import { consentMigrations } from './migrations/index.js';
import { TenantProfiles } from './tenants/tenant-profiles.js';

export interface ConsentOverrides {
  classify?: ReplyClassifier;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The consent service, assembled by hand from its parts: three consumers feed the ledgers
 * (tenant profiles, API requests, inbound replies); the runtime's outbox relay publishes the
 * ledger facts on consent.consents.events.v1.
 */
export class ConsentService {
  private constructor(
    private readonly config: ConsentConfig,
    private readonly runtime: EventSourcedRuntime,
    private readonly logger: Logger,
    private readonly overrides: ConsentOverrides,
  ) {}

  static create(config: ConsentConfig, overrides: ConsentOverrides = {}): ConsentService {
    const logger = overrides.logger ?? createLogger('consent', config.LOG_LEVEL);
    const runtime = new EventSourcedRuntime({
      serviceName: 'consent',
      databaseUrl: config.CONSENT_DATABASE_URL,
      databasePoolSize: config.CONSENT_DB_POOL_SIZE,
      migrations: consentMigrations,
      ...runtimeSettingsOf(config),
      logger,
    });
    return new ConsentService(config, runtime, logger, overrides);
  }

  async start(): Promise<{ httpPort: number }> {
    const { config, logger, runtime } = this;
    await runtime.open();

    const consents = new ConsentStore(runtime.store);
    const tenants = new TenantProfiles();
    const clock = this.overrides.clock ?? systemClock;
    const requests = new ConsentRequestHandler(consents, tenants, clock, logger);
    const replies = new InboundReplyHandler(
      consents,
      tenants,
      this.overrides.classify ?? classifyReply,
      clock,
      logger,
    );

    await runtime.consume([
      {
        groupId: ConsumerGroups.consentTenants,
        topic: Topics.gatewayTenants,
        // Tenant events are rare: one at a time, in order.
        handle: runtime.onceThroughInbox(ConsumerGroups.consentTenants, (e, m) =>
          tenants.apply(e, m),
        ).handle,
        concurrency: 1,
        keyConcurrency: 1,
        eventTypes: [
          'gateway.TenantCreated.v1',
          'gateway.SenderNumberAdded.v1',
          'gateway.SenderNumberRemoved.v1',
          'gateway.TenantComplianceProfileSet.v1',
        ],
      },
      {
        groupId: ConsumerGroups.consentRequests,
        topic: Topics.gatewayConsentRequests,
        ...runtime.onceThroughInbox(ConsumerGroups.consentRequests, (e, m) => requests.apply(e, m)),
        eventTypes: [
          'gateway.ConsentGrantRequested.v1',
          'gateway.ConsentRevocationRequested.v1',
          'gateway.DndChangeRequested.v1',
          'gateway.RevocationReviewResolutionRequested.v1',
        ],
      },
      {
        groupId: ConsumerGroups.consentInboundReplies,
        topic: Topics.messagingMessages,
        ...runtime.onceThroughInbox(ConsumerGroups.consentInboundReplies, (e, m) =>
          replies.apply(e, m),
        ),
        eventTypes: ['messaging.InboundMessageReceived.v1'],
      },
    ]);

    const httpPort = await runtime.serveOps(config.CONSENT_HTTP_PORT, config.CONSENT_HOST);
    logger.info({ httpPort }, 'consent started');
    return { httpPort };
  }

  async stop(): Promise<void> {
    await this.runtime.close();
  }
}
