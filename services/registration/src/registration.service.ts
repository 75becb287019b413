import { ConsumerGroups, Topics } from '@textplane/contracts';
import { createLogger, type Logger } from '@textplane/observability';
import {
  type Clock,
  EventSourcedRuntime,
  runtimeSettingsOf,
  systemClock,
} from '@textplane/service-runtime';
import { CarrierSubmissionHandler } from './carrier-submission/carrier-submission.handler.js';
import { CarrierUpdateHandler } from './carrier-updates/carrier-update.handler.js';
import { RegistrationPoller } from './carrier-updates/registration-poller.js';
import type { RegistrationConfig } from './config.js';
import type { RegistrationCarrier } from './infrastructure/carriers/registration-carrier.js';
import { TelnyxRegistrationCarrier } from './infrastructure/carriers/telnyx/telnyx-registration-carrier.js';
import { REGISTRATION_WEBHOOK_TYPES } from './infrastructure/carriers/telnyx/telnyx-registration-webhook.js';
import { RegistrationStore } from './infrastructure/registration-store.js';
import { registrationMigrations } from './migrations/index.js';
import { RegistrationRequestHandler } from './registration-requests/registration-request.handler.js';
import { TenantNumbers } from './tenants/tenant-numbers.js';

export interface RegistrationOverrides {
  carrier?: RegistrationCarrier;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The registration service, assembled by hand: the tenants' numbers, the gateway's requests
 * (decided through the inbox), the carrier calls the started facts ask for (from its own
 * topic, each once), the carrier's status webhooks (as the gateway recorded them) and the
 * polling fallback. The runtime's outbox relay publishes on registration.registrations.events.v1.
 */
export class RegistrationService {
  private pollTimer: NodeJS.Timeout | undefined;
  private poller: RegistrationPoller | undefined;

  private constructor(
    private readonly config: RegistrationConfig,
    private readonly runtime: EventSourcedRuntime,
    private readonly logger: Logger,
    private readonly overrides: RegistrationOverrides,
  ) {}

  static create(
    config: RegistrationConfig,
    overrides: RegistrationOverrides = {},
  ): RegistrationService {
    const logger = overrides.logger ?? createLogger('registration', config.LOG_LEVEL);
    const runtime = new EventSourcedRuntime({
      serviceName: 'registration',
      databaseUrl: config.REGISTRATION_DATABASE_URL,
      databasePoolSize: config.REGISTRATION_DB_POOL_SIZE,
      migrations: registrationMigrations,
      ...runtimeSettingsOf(config),
      logger,
    });
    return new RegistrationService(config, runtime, logger, overrides);
  }

  /** The polling fallback, once (tests; the service runs it on its interval). */
  pollOnce(): Promise<number> {
    if (!this.poller) throw new Error('registration is not started');
    return this.poller.pollOnce();
  }

  async start(): Promise<{ httpPort: number }> {
    const { config, logger, runtime } = this;
    await runtime.open();

    const clock = this.overrides.clock ?? systemClock;
    const carrier =
      this.overrides.carrier ??
      new TelnyxRegistrationCarrier({
        apiKey: config.TELNYX_API_KEY,
        baseUrl: config.TELNYX_BASE_URL,
        timeoutMs: config.CARRIER_TIMEOUT_MS,
        maxRetries: config.CARRIER_SDK_MAX_RETRIES,
        ...(config.REGISTRATION_WEBHOOK_URL ? { webhookUrl: config.REGISTRATION_WEBHOOK_URL } : {}),
        logger,
      });
    const registrations = new RegistrationStore(runtime.store);
    const tenants = new TenantNumbers();
    const requests = new RegistrationRequestHandler(registrations, tenants, clock);
    const updates = new CarrierUpdateHandler(
      registrations,
      carrier,
      runtime.dataSource,
      clock,
      logger,
    );
    const submissions = new CarrierSubmissionHandler(registrations, carrier, clock, updates);
    this.poller = new RegistrationPoller(
      registrations,
      updates,
      runtime.dataSource,
      clock,
      logger,
      {
        staleAfterMs: config.REGISTRATION_POLL_STALE_AFTER_MS,
        batch: config.REGISTRATION_POLL_BATCH,
      },
    );

    await runtime.consume([
      {
        groupId: ConsumerGroups.registrationTenants,
        topic: Topics.gatewayTenants,
        handle: runtime.onceThroughInbox(ConsumerGroups.registrationTenants, (e, m) =>
          tenants.apply(e, m),
        ).handle,
        concurrency: 1,
        keyConcurrency: 1,
        eventTypes: [
          'gateway.TenantCreated.v1',
          'gateway.SenderNumberAdded.v1',
          'gateway.SenderNumberRemoved.v1',
          'gateway.TenantComplianceProfileSet.v1',
          'gateway.TenantSettingsSet.v1',
        ],
      },
      {
        groupId: ConsumerGroups.registrationRequests,
        topic: Topics.gatewayRegistrationRequests,
        handle: runtime.onceThroughInbox(ConsumerGroups.registrationRequests, (e, m) =>
          requests.apply(e, m),
        ).handle,
        eventTypes: [
          'gateway.BrandRegistrationRequested.v1',
          'gateway.CampaignSubmissionRequested.v1',
          'gateway.NumberAssignmentRequested.v1',
          'gateway.NumberUnassignmentRequested.v1',
          'gateway.TollFreeVerificationRequested.v1',
          'gateway.BrandOtpRequested.v1',
          'gateway.BrandOtpVerificationRequested.v1',
          'gateway.BrandVettingRequested.v1',
        ],
      },
      {
        groupId: ConsumerGroups.registrationCarrierSubmission,
        topic: Topics.registrationRegistrations,
        // Idempotent by stream state and the carrier's idempotency keys: no inbox needed.
        handle: (e) => submissions.handle(e),
        eventTypes: [
          'registration.BrandRegistrationStarted.v1',
          'registration.CampaignSubmissionStarted.v1',
          'registration.NumberAssignmentStarted.v1',
          'registration.NumberAssigned.v1',
          'registration.NumberUnassignmentStarted.v1',
          'registration.TollFreeVerificationStarted.v1',
          'registration.BrandOtpSendStarted.v1',
          'registration.BrandOtpVerificationStarted.v1',
          'registration.BrandOtpVerified.v1',
          'registration.BrandVettingStarted.v1',
        ],
      },
      {
        groupId: ConsumerGroups.registrationCarrierWebhooks,
        topic: Topics.gatewayCarrierWebhooks,
        handle: async (e) => {
          const type = (e.data as { eventType?: unknown }).eventType;
          if ((REGISTRATION_WEBHOOK_TYPES as readonly unknown[]).includes(type)) {
            await updates.handle(e);
          }
        },
        eventTypes: ['gateway.CarrierWebhookReceived.v1'],
      },
    ]);

    this.pollTimer = setInterval(() => {
      this.poller?.pollOnce().catch((error: unknown) => {
        logger.error({ err: error }, 'registration poll failed');
      });
    }, config.REGISTRATION_POLL_INTERVAL_MS);
    this.pollTimer.unref();

    const httpPort = await runtime.serveOps(
      config.REGISTRATION_HTTP_PORT,
      config.REGISTRATION_HOST,
    );
    logger.info({ httpPort }, 'registration started');
    return { httpPort };
  }

  async stop(): Promise<void> {
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.runtime.close();
  }
}
