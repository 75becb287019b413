import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConsumerGroups, Topics } from '@textplane/contracts';
import {
  createServiceDataSource,
  EventStore,
  Inbox,
  migrateServiceDatabase,
  OutboxRelay,
} from '@textplane/event-store';
import {
  type ConsumedEvent,
  createKafka,
  EventConsumer,
  EventProducer,
  outboxPublisher,
} from '@textplane/kafka';
import {
  createLogger,
  HealthRegistry,
  initTelemetry,
  type Logger,
  MetricsRegistry,
  type Telemetry,
} from '@textplane/observability';
import { NestLoggerBridge } from '@textplane/service-runtime';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { MessagingHttpModule } from './app.module.js';
import type { MessagingConfig } from './config.js';
import { CarrierMessageIndex } from './infrastructure/carrier-message-index.js';
import type { Carrier } from './infrastructure/carriers/carrier.js';
import { TelnyxCarrier } from './infrastructure/carriers/telnyx/telnyx-carrier.js';
import { type Clock, systemClock } from './infrastructure/clock.js';
import { messagingMigrations } from './migrations/index.js';
import { MessageStore } from './infrastructure/message-store.js';
import { QueueMessageHandler } from './messages/queue-message/queue-message.handler.js';
import { RecordCarrierReportHandler } from './messages/record-carrier-report/record-carrier-report.handler.js';
import { SubmitToCarrierHandler } from './messages/submit-to-carrier/submit-to-carrier.handler.js';
import { TenantNumbers } from './tenants/tenant-numbers.js';

const SOURCE = '/textplane/messaging';

export interface MessagingOverrides {
  carrier?: Carrier;
  clock?: Clock;
  logger?: Logger;
}

/**
 * The messaging service, assembled by hand from its parts (no container needed to test it):
 * four consumers feed the message streams, the outbox relay publishes what they record.
 */
export class MessagingService {
  private readonly consumers: EventConsumer[] = [];
  private relay: OutboxRelay | undefined;
  private producer: EventProducer | undefined;
  private http: NestFastifyApplication | undefined;
  private telemetry: Telemetry | undefined;

  private constructor(
    private readonly config: MessagingConfig,
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly overrides: MessagingOverrides,
  ) {}

  static create(config: MessagingConfig, overrides: MessagingOverrides = {}): MessagingService {
    const logger = overrides.logger ?? createLogger('messaging', config.LOG_LEVEL);
    const dataSource = createServiceDataSource({
      url: config.MESSAGING_DATABASE_URL,
      poolSize: config.MESSAGING_DB_POOL_SIZE,
      migrations: messagingMigrations,
    });
    return new MessagingService(config, dataSource, logger, overrides);
  }

  async start(): Promise<{ httpPort: number }> {
    const { config, logger } = this;
    this.telemetry = initTelemetry({
      serviceName: 'messaging',
      ...(config.OTEL_EXPORTER_OTLP_ENDPOINT
        ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }
        : {}),
    });
    await this.dataSource.initialize();
    await migrateServiceDatabase(this.dataSource);

    const kafka = createKafka({
      clientId: 'messaging',
      brokers: [...config.KAFKA_BROKERS],
      logger,
    });
    const metrics = new MetricsRegistry('messaging');
    const health = new HealthRegistry();
    health.addReadinessCheck('postgres', async () => {
      await this.dataSource.query('SELECT 1');
    });

    const store = new EventStore(this.dataSource);
    const inbox = new Inbox(this.dataSource);
    const messages = new MessageStore(store);
    const index = new CarrierMessageIndex();
    const clock = this.overrides.clock ?? systemClock;
    const carrier =
      this.overrides.carrier ??
      new TelnyxCarrier({
        apiKey: config.TELNYX_API_KEY,
        baseUrl: config.TELNYX_BASE_URL,
        timeoutMs: config.CARRIER_TIMEOUT_MS,
        maxRetries: config.CARRIER_SDK_MAX_RETRIES,
        ...(config.TELNYX_MESSAGING_PROFILE_ID
          ? { messagingProfileId: config.TELNYX_MESSAGING_PROFILE_ID }
          : {}),
      });
    const tenants = new TenantNumbers(inbox, ConsumerGroups.messagingTenants);
    const queue = new QueueMessageHandler(
      inbox,
      messages,
      clock,
      ConsumerGroups.messagingSendRequests,
    );
    const submit = new SubmitToCarrierHandler(
      store,
      messages,
      index,
      carrier,
      clock,
      { attempts: config.CARRIER_SUBMISSION_ATTEMPTS, backoffMs: { initial: 500, max: 10_000 } },
      (ms) => sleep(ms),
    );
    const reports = new RecordCarrierReportHandler(
      inbox,
      messages,
      index,
      tenants,
      ConsumerGroups.messagingCarrierWebhooks,
      logger,
    );

    this.producer = new EventProducer(kafka);
    await this.producer.connect();
    this.relay = new OutboxRelay(this.dataSource, outboxPublisher(this.producer, SOURCE), {
      onError: (error) => logger.error({ err: error }, 'outbox relay failed; retrying'),
    });
    this.relay.start();

    const handled = metrics.counter(
      'messaging_events_handled_total',
      'Events handled by consumer group',
      ['group'],
    );
    const consume = (
      groupId: string,
      topic: string,
      handle: (e: ConsumedEvent) => Promise<void>,
      // Handlers mostly wait on Postgres and the carrier: every partition gets its own worker.
      concurrency = 6,
    ) =>
      new EventConsumer({
        kafka,
        groupId,
        topics: [topic],
        maxAttempts: config.CONSUMER_MAX_ATTEMPTS,
        partitionsConsumedConcurrently: concurrency,
        logger,
        handle: async (event) => {
          await handle(event);
          handled.inc({ group: groupId });
        },
      });
    this.consumers.push(
      consume(ConsumerGroups.messagingTenants, Topics.gatewayTenants, (e) => tenants.project(e), 1),
      consume(ConsumerGroups.messagingSendRequests, Topics.gatewaySendRequests, (e) =>
        queue.handle(e),
      ),
      consume(ConsumerGroups.messagingCarrierSubmission, Topics.messagingMessages, (e) =>
        submit.handle(e),
      ),
      consume(ConsumerGroups.messagingCarrierWebhooks, Topics.gatewayCarrierWebhooks, (e) =>
        reports.handle(e),
      ),
    );
    await Promise.all(this.consumers.map((consumer) => consumer.start()));

    this.http = await NestFactory.create<NestFastifyApplication>(
      MessagingHttpModule.forRoot({ health, metrics }),
      new FastifyAdapter(),
      { logger: new NestLoggerBridge(logger) },
    );
    await this.http.listen(config.MESSAGING_HTTP_PORT, config.MESSAGING_HOST);
    const address = this.http.getHttpServer().address();
    const httpPort =
      typeof address === 'object' && address ? address.port : config.MESSAGING_HTTP_PORT;
    logger.info({ httpPort }, 'messaging started');
    return { httpPort };
  }

  async stop(): Promise<void> {
    await this.http?.close();
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await this.relay?.stop();
    await this.producer?.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.telemetry?.shutdown();
  }
}
