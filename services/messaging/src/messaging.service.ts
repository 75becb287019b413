import { ConsumerGroups, Topics } from '@textplane/contracts';
import { createLogger, type Logger } from '@textplane/observability';
import {
  type Clock,
  EventSourcedRuntime,
  runtimeSettingsOf,
  systemClock,
} from '@textplane/service-runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessagingConfig } from './config.js';
import { BulkSendCancelSweeper } from './bulk-sends/bulk-send-cancel-sweeper.js';
import { BulkSendRequestHandler } from './bulk-sends/bulk-send-requests.handler.js';
import { BulkSendRunner } from './bulk-sends/bulk-send-runner.js';
import { BulkSendStore } from './bulk-sends/bulk-send-store.js';
import { ContactRequestHandler } from './contacts/contact-requests.handler.js';
import { ContactImportChunkHandler } from './contact-imports/contact-import-chunks.handler.js';
import { CustomValueRequestHandler } from './custom-values/custom-value-requests.handler.js';
import { TemplateRequestHandler } from './templates/template-requests.handler.js';
import { ConsentView } from './consents/consent-view.js';
import { QueueAutoReplyHandler } from './consents/queue-auto-reply.handler.js';
import { CarrierMessageIndex } from './infrastructure/carrier-message-index.js';
import type { Carrier } from './infrastructure/carriers/carrier.js';
import { TelnyxCarrier } from './infrastructure/carriers/telnyx/telnyx-carrier.js';
import { MessageStore } from './infrastructure/message-store.js';
import { QueueMessageHandler } from './messages/queue-message/queue-message.handler.js';
import { ReceiptReconciler } from './messages/reconcile-receipts/receipt-reconciler.js';
import { RecordCarrierReportHandler } from './messages/record-carrier-report/record-carrier-report.handler.js';
import { ChangeScheduleHandler } from './messages/change-schedule/change-schedule.handler.js';
import { DispatchGates } from './messages/dispatch/dispatch-gates.js';
import { ThroughputLedger } from './throughput/index.js';
import { NumberLookups } from './number-lookups/number-lookups.js';
import { TelnyxNumberLookup } from './infrastructure/carriers/telnyx/telnyx-number-lookup.js';
import { DispatchQueue } from './messages/dispatch/dispatch-queue.js';
import { Dispatcher } from './messages/dispatch/dispatcher.js';
import { dispatchGates } from './messages/dispatch/gates.js';
import { SubmitToCarrierHandler } from './messages/submit-to-carrier/submit-to-carrier.handler.js';
import { messagingMigrations } from './migrations/index.js';
import {
  MESSAGING_REGISTRATIONS_GROUP,
  SENDER_REGISTRATION_FACTS,
  SenderRegistrationProjection,
} from './sender-registrations/sender-registration.projection.js';
import { TenantNumbers } from './tenants/tenant-numbers.js';
import { FUNDS_FACTS, FundsProjection } from './funds/funds.projection.js';
import { BulkSendFundsPause } from './bulk-sends/bulk-send-funds-pause.js';
import { TenantProfiles } from './tenants/tenant-profiles.js';

/** Due messages released from the dispatch queue per tick of the release timer. */
const HELD_RELEASE_BATCH = 100;

export interface MessagingOverrides {
  carrier?: Carrier;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The messaging service, assembled by hand from its parts (no container needed to test it):
 * four consumers feed the message streams, the runtime's outbox relay publishes what they record.
 */
export class MessagingService {
  private releaseTimer: NodeJS.Timeout | undefined;
  private releasing: Promise<unknown> | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private reconciling: Promise<unknown> | undefined;
  private bulkTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private numberLookups: NumberLookups | undefined;
  private pruning: Promise<void> | undefined;
  private bulkReleasing: Promise<unknown> | undefined;

  private constructor(
    private readonly config: MessagingConfig,
    private readonly runtime: EventSourcedRuntime,
    private readonly logger: Logger,
    private readonly overrides: MessagingOverrides,
  ) {}

  static create(config: MessagingConfig, overrides: MessagingOverrides = {}): MessagingService {
    const logger = overrides.logger ?? createLogger('messaging', config.LOG_LEVEL);
    const runtime = new EventSourcedRuntime({
      serviceName: 'messaging',
      databaseUrl: config.MESSAGING_DATABASE_URL,
      databasePoolSize: config.MESSAGING_DB_POOL_SIZE,
      migrations: messagingMigrations,
      ...runtimeSettingsOf(config),
      logger,
    });
    return new MessagingService(config, runtime, logger, overrides);
  }

  async start(): Promise<{ httpPort: number }> {
    const { config, logger, runtime } = this;
    await runtime.open();

    const messages = new MessageStore(runtime.store);
    const index = new CarrierMessageIndex();
    const clock = this.overrides.clock ?? systemClock;
    const carrier =
      this.overrides.carrier ??
      new TelnyxCarrier({
        apiKey: config.TELNYX_API_KEY,
        baseUrl: config.TELNYX_BASE_URL,
        timeoutMs: config.CARRIER_TIMEOUT_MS,
        maxRetries: config.CARRIER_SDK_MAX_RETRIES,
        // The SDK's own warnings (retries, bad answers) go to the service's log, not the console.
        logger,
        ...(config.TELNYX_MESSAGING_PROFILE_ID
          ? { messagingProfileId: config.TELNYX_MESSAGING_PROFILE_ID }
          : {}),
      });
    const tenants = new TenantNumbers();
    const profiles = new TenantProfiles();
    const consents = new ConsentView();
    const queue = new QueueMessageHandler(messages, profiles, clock);
    const autoReplies = new QueueAutoReplyHandler(messages, clock);
    const throughput = new ThroughputLedger({ windowMarginMs: config.THROUGHPUT_WINDOW_MARGIN_MS });
    const dispatchQueue = new DispatchQueue(runtime.dataSource);
    // Number validation: the recipients' lookups, made once per number, waking who waits on them.
    const numberLookups = new NumberLookups(
      runtime.dataSource,
      runtime.store,
      new TelnyxNumberLookup({
        apiKey: config.TELNYX_API_KEY,
        baseUrl: config.TELNYX_BASE_URL,
        timeoutMs: config.CARRIER_TIMEOUT_MS,
      }),
      { wake: (manager, event, key) => dispatchQueue.wake(manager, event, key, clock.now()) },
      clock,
      {
        concurrency: config.NUMBER_LOOKUP_CONCURRENCY,
        batch: config.NUMBER_LOOKUP_BATCH,
        claimMs: config.NUMBER_LOOKUP_CLAIM_MS,
        intervalMs: config.NUMBER_LOOKUP_INTERVAL_MS,
      },
      logger,
    );
    this.numberLookups = numberLookups;
    const gates = new DispatchGates(
      messages,
      consents,
      profiles,
      tenants,
      runtime.dataSource.manager,
      dispatchGates({
        enforceSenderRegistration: config.MESSAGING_ENFORCE_SENDER_REGISTRATION,
        enforceFunds: config.MESSAGING_ENFORCE_FUNDS,
        numberValidation: { failureReuseMs: config.NUMBER_LOOKUP_FAILURE_REUSE_MS },
      }),
      {
        throughput,
        platformLimits: {
          accountPerSecond: {
            sms: config.THROUGHPUT_ACCOUNT_SMS_PER_SECOND,
            mms: config.THROUGHPUT_ACCOUNT_MMS_PER_SECOND,
          },
        },
        lookups: numberLookups,
      },
    );
    const registrations = new SenderRegistrationProjection({
      wake: (manager, event, key) => dispatchQueue.wake(manager, event, key, clock.now()),
    });
    const funds = new FundsProjection(
      { wake: (manager, event, key) => dispatchQueue.wake(manager, event, key, clock.now()) },
      new BulkSendFundsPause(new BulkSendStore(runtime.store), dispatchQueue),
      () => clock.now(),
    );
    const submit = new Dispatcher(
      runtime.store,
      messages,
      gates,
      dispatchQueue,
      new SubmitToCarrierHandler(
        runtime.store,
        messages,
        index,
        carrier,
        gates,
        dispatchQueue,
        clock,
        { attempts: config.CARRIER_SUBMISSION_ATTEMPTS, backoffMs: { initial: 500, max: 10_000 } },
        (ms) => sleep(ms),
      ),
      clock,
    );
    const schedules = new ChangeScheduleHandler(messages, dispatchQueue, clock);
    const reports = new RecordCarrierReportHandler(messages, index, tenants, consents, logger);
    const contacts = new ContactRequestHandler(runtime.store, clock);
    const contactImports = new ContactImportChunkHandler(runtime.store, clock);
    const templates = new TemplateRequestHandler(runtime.store, clock);
    const customValues = new CustomValueRequestHandler(runtime.store, clock);
    const bulkSends = new BulkSendStore(runtime.store);
    const bulkRequests = new BulkSendRequestHandler(bulkSends, dispatchQueue, clock);
    const bulkCancels = new BulkSendCancelSweeper(runtime.store, messages, dispatchQueue, clock);
    const bulkRunner = new BulkSendRunner(
      runtime.store,
      bulkSends,
      messages,
      profiles,
      tenants,
      clock,
    );

    await runtime.consume([
      {
        groupId: ConsumerGroups.messagingTenants,
        topic: Topics.gatewayTenants,
        // Tenant events are rare: one at a time, in order.
        handle: runtime.onceThroughInbox(ConsumerGroups.messagingTenants, async (e, m) => {
          await tenants.apply(e, m);
          await profiles.apply(e, m);
        }).handle,
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
        groupId: ConsumerGroups.messagingSendRequests,
        topic: Topics.gatewaySendRequests,
        // A cancel or reschedule follows its send on the same partition (same stream key).
        ...runtime.onceThroughInbox(
          ConsumerGroups.messagingSendRequests,
          async (e, m) => {
            await queue.apply(e, m);
            await schedules.apply(e, m);
          },
          { prepare: (events, m) => queue.prepare(events, m) },
        ),
        eventTypes: [
          'gateway.SendRequested.v1',
          'gateway.MessageCancelRequested.v1',
          'gateway.MessageRescheduleRequested.v1',
        ],
      },
      {
        groupId: ConsumerGroups.messagingCarrierSubmission,
        topic: Topics.messagingMessages,
        handle: (e) => submit.handle(e),
        handleBatch: (events) => submit.handleBatch(events),
        eventTypes: ['messaging.MessageQueued.v1'],
      },
      {
        groupId: ConsumerGroups.messagingConsents,
        topic: Topics.consentConsents,
        // One number's facts stay in order (key = stream); each is applied with its reply.
        ...runtime.onceThroughInbox(ConsumerGroups.messagingConsents, async (e, m) => {
          await consents.apply(e, m);
          await autoReplies.apply(e, m);
        }),
      },
      {
        groupId: MESSAGING_REGISTRATIONS_GROUP,
        topic: Topics.registrationRegistrations,
        // One brand's, campaign's or number's facts share a stream key, so they stay in order.
        ...runtime.onceThroughInbox(MESSAGING_REGISTRATIONS_GROUP, (e, m) =>
          registrations.apply(e, m),
        ),
        eventTypes: SENDER_REGISTRATION_FACTS,
      },
      {
        groupId: ConsumerGroups.messagingFunds,
        topic: Topics.billingWallets,
        // One message's hold answers share its hold stream's key, so they come in order.
        ...runtime.onceThroughInbox(ConsumerGroups.messagingFunds, (e, m) => funds.apply(e, m), {
          prepare: (events, m) => funds.lockBatch(events, m),
        }),
        eventTypes: FUNDS_FACTS,
      },
      {
        groupId: ConsumerGroups.messagingContactRequests,
        topic: Topics.gatewayContactRequests,
        // One contact's requests share a stream key, so they are decided in the order made.
        ...runtime.onceThroughInbox(ConsumerGroups.messagingContactRequests, async (e, m) => {
          await contacts.apply(e, m);
        }),
        eventTypes: ['gateway.ContactUpsertRequested.v1', 'gateway.ContactDeletionRequested.v1'],
      },
      {
        groupId: ConsumerGroups.messagingContactImports,
        topic: Topics.gatewayContactImports,
        // One import's chunks share a stream key: upserted in row order, one chunk per transaction.
        handle: runtime.onceThroughInbox(ConsumerGroups.messagingContactImports, async (e, m) => {
          await contactImports.apply(e, m);
        }).handle,
        eventTypes: ['gateway.ContactImportChunkSubmitted.v1'],
      },
      {
        groupId: ConsumerGroups.messagingTemplateRequests,
        topic: Topics.gatewayTemplateRequests,
        // One template's requests share a stream key, so its versions are decided in order.
        ...runtime.onceThroughInbox(ConsumerGroups.messagingTemplateRequests, async (e, m) => {
          await templates.apply(e, m);
        }),
        eventTypes: [
          'gateway.TemplateCreationRequested.v1',
          'gateway.TemplateRevisionRequested.v1',
          'gateway.TemplateArchivalRequested.v1',
        ],
      },
      {
        groupId: ConsumerGroups.messagingCustomValueRequests,
        topic: Topics.gatewayCustomValueRequests,
        ...runtime.onceThroughInbox(ConsumerGroups.messagingCustomValueRequests, async (e, m) => {
          await customValues.apply(e, m);
        }),
        eventTypes: [
          'gateway.CustomValueSetRequested.v1',
          'gateway.CustomValueDeletionRequested.v1',
        ],
      },
      {
        groupId: ConsumerGroups.messagingBulkSendRequests,
        topic: Topics.gatewayBulkSendRequests,
        // One bulk send's requests share a stream key: created, its chunks, then its controls.
        handle: runtime.onceThroughInbox(ConsumerGroups.messagingBulkSendRequests, async (e, m) => {
          await bulkRequests.apply(e, m);
        }).handle,
        eventTypes: [
          'gateway.BulkSendRequested.v1',
          'gateway.BulkSendRecipientsSubmitted.v1',
          'gateway.BulkSendPauseRequested.v1',
          'gateway.BulkSendResumeRequested.v1',
          'gateway.BulkSendCancelRequested.v1',
        ],
      },
      {
        groupId: ConsumerGroups.messagingCarrierWebhooks,
        topic: Topics.gatewayCarrierWebhooks,
        ...runtime.onceThroughInbox(
          ConsumerGroups.messagingCarrierWebhooks,
          (e, m) => reports.apply(e, m),
          { prepare: (events, m) => reports.prepare(events, m) },
        ),
        eventTypes: ['gateway.CarrierWebhookReceived.v1'],
      },
    ]);

    this.releaseTimer = setInterval(() => {
      if (this.releasing) return;
      this.releasing = submit
        .releaseAllDue(HELD_RELEASE_BATCH)
        .catch((error: unknown) => logger.warn({ err: error }, 'releasing due messages failed'))
        .finally(() => (this.releasing = undefined));
    }, config.HELD_RELEASE_INTERVAL_MS);
    this.releaseTimer.unref();

    this.bulkTimer = setInterval(() => {
      if (this.bulkReleasing) return;
      this.bulkReleasing = bulkRunner
        .releaseDue(config.BULK_SEND_RELEASES_PER_TICK, (bulkSendId, error) =>
          logger.warn({ err: error, bulkSendId }, 'releasing a bulk-send batch failed'),
        )
        .then(async (released) => {
          for (const batch of released) logger.info(batch, 'bulk-send batch released');
          // A canceled bulk send's released messages, 1,000 per transaction.
          for (const sweep of await bulkCancels.sweepDue(
            1000,
            config.BULK_SEND_RELEASES_PER_TICK,
          )) {
            logger.info(sweep, 'canceled bulk-send messages swept');
          }
        })
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'releasing bulk-send batches failed'),
        )
        .finally(() => (this.bulkReleasing = undefined));
    }, config.BULK_SEND_RELEASE_INTERVAL_MS);
    this.bulkTimer.unref();

    const reconciler = new ReceiptReconciler(
      runtime.dataSource,
      runtime.store,
      messages,
      carrier,
      submit,
      clock,
      {
        afterMs: config.RECEIPT_RECONCILE_AFTER_S * 1000,
        batch: config.RECEIPT_RECONCILE_BATCH,
        maxChecks: config.RECEIPT_RECONCILE_MAX_CHECKS,
        backoffMs: { initial: config.RECEIPT_RECONCILE_BACKOFF_S * 1000, max: 3_600_000 },
      },
      logger,
    );
    this.reconcileTimer = setInterval(() => {
      if (this.reconciling) return;
      this.reconciling = reconciler
        .sweep()
        .then((swept) => {
          if (swept.claimed > 0) logger.info(swept, 'receipts reconciled');
        })
        .catch((error: unknown) => logger.warn({ err: error }, 'receipt reconciliation failed'))
        .finally(() => (this.reconciling = undefined));
    }, config.RECEIPT_RECONCILE_INTERVAL_MS);
    this.reconcileTimer.unref();

    this.numberLookups?.start();
    this.pruneTimer = setInterval(() => {
      if (this.pruning) return;
      this.pruning = throughput
        .prune(runtime.dataSource.manager, clock.now())
        .then(() => undefined)
        .catch((error: unknown) => logger.warn({ err: error }, 'pruning rate counters failed'))
        .finally(() => (this.pruning = undefined));
    }, config.THROUGHPUT_PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();

    const httpPort = await runtime.serveOps(config.MESSAGING_HTTP_PORT, config.MESSAGING_HOST);
    logger.info({ httpPort }, 'messaging started');
    return { httpPort };
  }

  async stop(): Promise<void> {
    clearInterval(this.releaseTimer);
    clearInterval(this.reconcileTimer);
    clearInterval(this.bulkTimer);
    clearInterval(this.pruneTimer);
    await this.numberLookups?.stop();
    await Promise.all([this.releasing, this.reconciling, this.bulkReleasing, this.pruning]);
    await this.runtime.close();
  }
}
