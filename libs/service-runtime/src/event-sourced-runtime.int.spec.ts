import { randomUUID } from 'node:crypto';
import {
  createTestDatabase,
  PostgresProxy,
  type TestDatabase,
  testPostgresConfig,
} from '@textplane/event-store/testing';
import { type EventEnvelope, EventProducer, ensureTopics } from '@textplane/kafka';
import { createLogger } from '@textplane/observability';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventSourcedRuntime } from './event-sourced-runtime.js';

/** A valid `messaging.MessageSubmissionStarted.v1` event on a stream of its own. */
function submissionStarted(): EventEnvelope {
  const messageId = randomUUID();
  const tenantId = randomUUID();
  return {
    id: randomUUID(),
    type: 'messaging.MessageSubmissionStarted.v1',
    source: '/textplane/messaging',
    subject: `message-${messageId}`,
    time: '2026-12-01T20:00:00.000Z',
    tenantId,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    data: { messageId, tenantId, attempt: 1, startedAt: '2026-12-01T20:00:00.000Z' },
  };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('EventSourcedRuntime consumers (real Postgres and Kafka)', () => {
  let database: TestDatabase;
  let proxy: PostgresProxy;
  let runtime: EventSourcedRuntime;
  let topic: string;
  let groupId: string;
  let dlq: string;

  beforeEach(async () => {
    topic = `test.service-runtime.events.${randomUUID().slice(0, 8)}`;
    groupId = `test.service-runtime.group.${randomUUID().slice(0, 8)}`;
    // The DLQ naming rule of the contracts registry (`<group>.dlq`), which this lib does not import.
    dlq = `${groupId}.dlq`;
    database = await createTestDatabase();
    const config = testPostgresConfig();
    // The runtime reaches Postgres through a proxy a test can take down, as a restart would.
    proxy = new PostgresProxy(config);
    await proxy.up();
    const { user, password } = config;
    const credentials = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
    runtime = new EventSourcedRuntime({
      serviceName: 'service-runtime-int-test',
      databaseUrl: `postgres://${credentials}@127.0.0.1:${proxy.port}/${database.name}`,
      databasePoolSize: 4,
      migrations: [],
      kafkaBrokers: ['127.0.0.1:9092'],
      consumerMaxAttempts: 2,
      consumerOutageRetryMaxMs: 200,
      logger: createLogger('service-runtime-int-test', 'silent'),
    });
    await runtime.open();
    const retentionMs = 60 * 60 * 1000;
    await ensureTopics(runtime.kafka, [
      { name: topic, partitions: 1, retentionMs },
      { name: dlq, partitions: 1, retentionMs },
    ]);
  });

  afterEach(async () => {
    await proxy.up();
    await runtime.close();
    await proxy.down();
    const admin = runtime.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.deleteTopics({ topics: [topic, dlq] });
    } finally {
      await admin.disconnect();
    }
    await database.drop();
  });

  async function dlqRecords(): Promise<number> {
    const admin = runtime.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(dlq);
      return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  it('holds an event whose handler loses its Postgres connection, says so on /readyz, and handles it once Postgres answers', async () => {
    const event = submissionStarted();
    let databaseBack = false;
    let killedConnections = 0;
    const handled: string[] = [];
    const producer = new EventProducer(runtime.kafka);
    await producer.connect();
    await producer.publish(topic, [event]);
    await producer.disconnect();

    await runtime.consume([
      {
        groupId,
        topic,
        handle: async ({ id }) => {
          if (!databaseBack) {
            killedConnections += 1;
            // What a restart does to the connection under a handler: a real 57P01.
            await runtime.dataSource.query('SELECT pg_terminate_backend(pg_backend_pid())');
          }
          await runtime.dataSource.query('SELECT 1');
          handled.push(id);
        },
      },
    ]);

    // More failures than CONSUMER_MAX_ATTEMPTS (2), and still not dead-lettered.
    await until(() => killedConnections >= 4, 'the handler to fail during the outage');
    const waiting = await runtime.health.readiness();
    expect(waiting.status).toBe('unavailable');
    expect(waiting.checks[`consumer:${groupId}`]).toMatch(
      /^waiting for postgres since \d{4}-\d\d-\d\dT[\d:.]+Z: 57P01: terminating connection due to administrator command$/,
    );

    databaseBack = true;
    await until(() => handled.length === 1, 'the event once Postgres answers');
    expect(handled).toEqual([event.id]);
    await until(
      async () => (await runtime.health.readiness()).checks[`consumer:${groupId}`] === 'ok',
      'the consumer to be ready again',
    );
    expect(await dlqRecords()).toBe(0);
  });

  it('holds events while Postgres refuses connections, and handles them in order once it accepts again', async () => {
    const events = [submissionStarted(), submissionStarted()];
    const handled: string[] = [];
    let failures = 0;
    await proxy.down();
    const producer = new EventProducer(runtime.kafka);
    await producer.connect();
    await producer.publish(topic, events);
    await producer.disconnect();

    await runtime.consume([
      {
        groupId,
        topic,
        keyConcurrency: 1,
        handle: async ({ id }) => {
          try {
            await runtime.dataSource.query('SELECT 1');
          } catch (error) {
            failures += 1;
            throw error;
          }
          handled.push(id);
        },
      },
    ]);

    await until(() => failures >= 4, 'the handler to fail while Postgres is down');
    const waiting = await runtime.health.readiness();
    expect(waiting.checks[`consumer:${groupId}`]).toMatch(/^waiting for postgres since .+: /);
    expect(waiting.checks['postgres']).not.toBe('ok');
    expect(handled).toEqual([]);

    await proxy.up();
    await until(() => handled.length === 2, 'both events once Postgres accepts again');
    expect(handled).toEqual(events.map((event) => event.id));
    await until(
      async () => (await runtime.health.readiness()).status === 'ok',
      'the service to be ready again',
    );
    expect(await dlqRecords()).toBe(0);
  });

  it('still dead-letters an event that fails on its own after CONSUMER_MAX_ATTEMPTS', async () => {
    const poison = submissionStarted();
    let attempts = 0;
    const producer = new EventProducer(runtime.kafka);
    await producer.connect();
    await producer.publish(topic, [poison]);
    await producer.disconnect();

    await runtime.consume([
      {
        groupId,
        topic,
        handle: async () => {
          attempts += 1;
          // A statement that fails on its own, not an outage.
          await runtime.dataSource.query('SELECT 1/0');
        },
      },
    ]);

    await until(async () => (await dlqRecords()) === 1, 'the poison event on the DLQ');
    expect(attempts).toBe(2);
    expect((await runtime.health.readiness()).checks[`consumer:${groupId}`]).toBe('ok');
  });
});
