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
  outboxContractCheck,
  outboxPublisher,
} from '@textplane/kafka';
import {
  HealthRegistry,
  initTelemetry,
  type Logger,
  MetricsRegistry,
  type Telemetry,
} from '@textplane/observability';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kafka } from 'kafkajs';
import type { DataSource, EntityManager, MigrationInterface } from 'typeorm';
import { consumerReadiness, dependencyUnavailable } from './dependency-unavailable.js';
import { NestLoggerBridge } from './nest-logger.js';
import {
  type EventHandlers,
  onceThroughInbox,
  type OnceThroughInboxOptions,
} from './once-through-inbox.js';
import { OpsModule } from './ops.module.js';

export interface EventSourcedRuntimeOptions {
  serviceName: string;
  databaseUrl: string;
  databasePoolSize: number;
  /** The service's own migrations (the event store's run first). */
  migrations: Array<new () => MigrationInterface>;
  kafkaBrokers: readonly string[];
  consumerMaxAttempts: number;
  /** The longest wait between calls while a consumer waits on an unavailable dependency. */
  consumerOutageRetryMaxMs: number;
  otlpEndpoint?: string;
  logger: Logger;
}

export interface ConsumerSpec {
  groupId: string;
  topic: string;
  handle: (event: ConsumedEvent) => Promise<void>;
  /** Partitions worked on at once, each in order. Handlers mostly wait on I/O: default 6. */
  concurrency?: number;
  /**
   * Events of different streams handled at once within a partition (each stream stays in
   * order): default 8, so a partition is not held up by one slow handler (a carrier call).
   */
  keyConcurrency?: number;
  /** The event types the handler acts on; the rest are passed over undecoded. */
  eventTypes?: readonly string[];
  /** Handles a fetched batch in one call (see EventConsumerOptions.handleBatch). */
  handleBatch?: (events: ConsumedEvent[]) => Promise<void>;
}

/** The first wait of a consumer on an unavailable dependency, doubling from there. */
const OUTAGE_RETRY_INITIAL_MS = 500;

/**
 * What every event-sourced service runs on: its database (migrated under a lock), event store,
 * inbox, the outbox relay publishing what it records, its consumers, health and metrics.
 * Services build their use cases on top and start and stop it as one piece.
 */
export class EventSourcedRuntime {
  readonly dataSource: DataSource;
  readonly store: EventStore;
  readonly inbox: Inbox;
  readonly health = new HealthRegistry();
  readonly metrics: MetricsRegistry;
  readonly kafka: Kafka;
  private readonly consumers: EventConsumer[] = [];
  private readonly producer: EventProducer;
  private relay: OutboxRelay | undefined;
  private telemetry: Telemetry | undefined;
  private opsServer: NestFastifyApplication | undefined;

  constructor(private readonly options: EventSourcedRuntimeOptions) {
    this.dataSource = createServiceDataSource({
      url: options.databaseUrl,
      poolSize: options.databasePoolSize,
      migrations: options.migrations,
    });
    // The publisher's own contract check, at append: an event it would refuse is never recorded.
    this.store = new EventStore(this.dataSource, { check: outboxContractCheck });
    this.inbox = new Inbox(this.dataSource);
    this.metrics = new MetricsRegistry(options.serviceName);
    this.kafka = createKafka({
      clientId: options.serviceName,
      brokers: [...options.kafkaBrokers],
      logger: options.logger,
    });
    this.producer = new EventProducer(this.kafka);
    this.health.addReadinessCheck('postgres', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }

  /** Opens the database, migrates it and starts publishing the outbox. */
  async open(): Promise<void> {
    const { serviceName, otlpEndpoint, logger } = this.options;
    this.telemetry = initTelemetry({ serviceName, ...(otlpEndpoint ? { otlpEndpoint } : {}) });
    await this.dataSource.initialize();
    await migrateServiceDatabase(this.dataSource);
    await this.producer.connect();
    const quarantined = this.metrics.counter(
      `${serviceName.replaceAll('-', '_')}_outbox_quarantined_total`,
      'Recorded events the outbox relay set aside in outbox_quarantine because they fail their contract, by type',
      ['type'],
    );
    this.relay = new OutboxRelay(
      this.dataSource,
      outboxPublisher(this.producer, `/textplane/${serviceName}`),
      {
        onError: (error) => logger.error({ err: error }, 'outbox relay failed; retrying'),
        check: outboxContractCheck,
        onQuarantined: (event, reason) => {
          quarantined.inc({ type: event.type });
          logger.error(
            {
              eventId: event.eventId,
              type: event.type,
              streamId: event.streamId,
              globalPosition: event.globalPosition.toString(),
              reason,
            },
            'outbox relay quarantined an event that fails its contract (not published; see outbox_quarantine)',
          );
        },
      },
    );
    this.relay.start();
  }

  /**
   * Starts consuming; each handled event is counted per group, one by one or in a batch. A
   * handler failing because Postgres or Kafka is unavailable holds its event (no attempt, no
   * DLQ) and is retried until the dependency is back; meanwhile the readiness check
   * `consumer:<group>` fails with what it waits for and since when.
   */
  async consume(specs: readonly ConsumerSpec[]): Promise<void> {
    const handled = this.metrics.counter(
      `${this.options.serviceName.replaceAll('-', '_')}_events_handled_total`,
      'Events handled, by consumer group',
      ['group'],
    );
    const started = specs.map((spec) => {
      const consumer = new EventConsumer({
        kafka: this.kafka,
        groupId: spec.groupId,
        topics: [spec.topic],
        maxAttempts: this.options.consumerMaxAttempts,
        dependencyUnavailable,
        outageBackoffMs: {
          initial: Math.min(OUTAGE_RETRY_INITIAL_MS, this.options.consumerOutageRetryMaxMs),
          max: this.options.consumerOutageRetryMaxMs,
        },
        partitionsConsumedConcurrently: spec.concurrency ?? 6,
        keyConcurrency: spec.keyConcurrency ?? 8,
        ...(spec.eventTypes ? { eventTypes: spec.eventTypes } : {}),
        ...(spec.handleBatch
          ? {
              handleBatch: async (events: ConsumedEvent[]) => {
                await spec.handleBatch?.(events);
                handled.inc({ group: spec.groupId }, events.length);
              },
            }
          : {}),
        logger: this.options.logger,
        handle: async (event) => {
          await spec.handle(event);
          handled.inc({ group: spec.groupId });
        },
      });
      this.health.addReadinessCheck(`consumer:${spec.groupId}`, () =>
        consumerReadiness(consumer.status()),
      );
      return consumer;
    });
    this.consumers.push(...started);
    await Promise.all(started.map((consumer) => consumer.start()));
  }

  /** A consumer's handlers that apply each event once, through this runtime's inbox. */
  onceThroughInbox(
    groupId: string,
    apply: (event: ConsumedEvent, manager: EntityManager) => Promise<void>,
    options?: OnceThroughInboxOptions,
  ): EventHandlers {
    return onceThroughInbox(this.inbox, groupId, apply, options);
  }

  /**
   * Serves /healthz, /readyz and /metrics, all the HTTP a service needs when its work arrives
   * through Kafka; resolves to the port it listens on (0 picks a free one).
   */
  async serveOps(port: number, host: string): Promise<number> {
    this.opsServer = await NestFactory.create<NestFastifyApplication>(
      OpsModule.forRoot({ health: this.health, metrics: this.metrics }),
      new FastifyAdapter(),
      { logger: new NestLoggerBridge(this.options.logger) },
    );
    await this.opsServer.listen(port, host);
    const address = this.opsServer.getHttpServer().address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    await this.opsServer?.close();
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await this.relay?.stop();
    await this.producer.disconnect();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.telemetry?.shutdown();
  }
}
