import { randomUUID } from 'node:crypto';
import { Topics, topicSpec } from '@textplane/contracts';
import { queryRows } from '@textplane/event-store';
import {
  createTestDatabase,
  type TestDatabase,
  testPostgresConfig,
} from '@textplane/event-store/testing';
import {
  type ConsumedEvent,
  createKafka,
  type EventEnvelope,
  EventConsumer,
  EventProducer,
  ensureTopics,
} from '@textplane/kafka';
import { createLogger } from '@textplane/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditRequest, holdRequest, SEGMENT_WORST_CASE, submitted } from '../test/fixtures.js';
import { BillingService } from './billing.service.js';
import { loadBillingConfig } from './config.js';
import { billingMigrations } from './migrations/index.js';

/**
 * The service as it runs, on real Kafka and Postgres: the gateway's credit and messaging's hold
 * request and carrier acceptance go in on their topics, billing's facts come out on
 * billing.wallets.events.v1, keyed by their streams. Its consumer groups are prefixed, so a
 * stack's own billing on the same broker is not disturbed.
 */

const logger = createLogger('billing-int-test', 'silent');
let database: TestDatabase;
let service: BillingService;
let producer: EventProducer;
let watcher: EventConsumer;
const seen: ConsumedEvent[] = [];
const prefix = `test-${randomUUID().slice(0, 8)}.`;
const kafka = createKafka({ clientId: 'billing-int-test', brokers: ['127.0.0.1:9092'], logger });

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function envelope(type: string, subject: string, tenantId: string, data: object): EventEnvelope {
  return {
    id: randomUUID(),
    type,
    source: '/test',
    subject,
    time: new Date().toISOString(),
    tenantId,
    correlationId: randomUUID(),
    data,
  };
}

/**
 * A new group reads its topic from the beginning, and a long-lived broker holds every earlier
 * run's and the stack's events (over 100,000 on messaging's topic): this run's groups start at
 * the end, so the spec and its figures take this run's events alone.
 */
async function startAtTheEnd(groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })),
    });
  } finally {
    await admin.disconnect();
  }
}

const groups = [`${prefix}billing.requests`, `${prefix}billing.messages`, `${prefix}watcher`];
const dlqs = groups.map((group) => `${group}.dlq`);

beforeAll(async () => {
  // The platform's topics as the stack creates them (a fresh broker, as in CI, has none yet),
  // and this run's dead-letter topics.
  await ensureTopics(kafka, [
    ...[
      Topics.gatewayBillingRequests,
      Topics.messagingMessages,
      Topics.billingWallets,
      Topics.billingRateCards,
    ].map(topicSpec),
    ...dlqs.map((name) => ({ name, partitions: 1, retentionMs: 60 * 60 * 1000 })),
  ]);
  database = await createTestDatabase({ migrations: billingMigrations });
  const { user, password, host, port } = testPostgresConfig();
  const credentials = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
  const config = {
    ...loadBillingConfig({
      BILLING_DATABASE_URL: `postgres://${credentials}@${host}:${port}/${database.name}`,
      BILLING_HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    }),
    // Any free port: the stack's billing may hold 8087.
    BILLING_HTTP_PORT: 0,
  };
  await startAtTheEnd(`${prefix}billing.requests`, Topics.gatewayBillingRequests);
  await startAtTheEnd(`${prefix}billing.messages`, Topics.messagingMessages);
  service = BillingService.create(config, { logger, consumerGroupPrefix: prefix });
  await service.start();
  producer = new EventProducer(kafka);
  await producer.connect();
  watcher = new EventConsumer({
    kafka,
    groupId: `${prefix}watcher`,
    topics: [Topics.billingWallets],
    fromBeginning: false,
    logger,
    handle: (event) => {
      seen.push(event);
      return Promise.resolve();
    },
  });
  await watcher.start();
}, 120_000);

afterAll(async () => {
  await watcher?.stop();
  await producer?.disconnect();
  await service?.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteGroups(groups).catch(() => undefined);
  await admin.deleteTopics({ topics: dlqs }).catch(() => undefined);
  await admin.disconnect();
  await database?.drop();
});

describe('billing service on Kafka', () => {
  it('credit → hold placed → captured, published on billing.wallets keyed by stream', async () => {
    const tenantId = randomUUID();
    const messageId = randomUUID();
    await producer.publishByContract([
      envelope(
        'gateway.WalletCreditRequested.v1',
        `wallet-credit-${tenantId}`,
        tenantId,
        creditRequest({ tenantId, reference: `ch_${messageId}` }),
      ),
    ]);
    await until(
      () => seen.some((e) => e.type === 'billing.CreditPosted.v1' && e.tenantId === tenantId),
      'the credit on billing.wallets',
    );
    await producer.publishByContract([
      envelope(
        'messaging.FundsHoldRequested.v1',
        `message-${messageId}`,
        tenantId,
        holdRequest({ tenantId, messageId }),
      ),
    ]);
    await until(
      () =>
        seen.some((e) => e.type === 'billing.HoldPlaced.v1' && e.subject === `hold-${messageId}`),
      'the hold on billing.wallets',
    );
    await producer.publishByContract([
      envelope(
        'messaging.MessageSubmitted.v1',
        `message-${messageId}`,
        tenantId,
        submitted({ tenantId, messageId, recipientCarrier: 't-mobile' }),
      ),
    ]);
    await until(
      () =>
        seen.some(
          (e) => e.type === 'billing.ChargeCaptured.v1' && e.subject === `hold-${messageId}`,
        ),
      'the capture on billing.wallets',
    );
    const capture = seen.find(
      (e) => e.type === 'billing.ChargeCaptured.v1' && e.tenantId === tenantId,
    );
    expect(capture?.data).toMatchObject({
      amount: { micros: SEGMENT_WORST_CASE },
      wallet: { available: 1_000_000 - SEGMENT_WORST_CASE, held: 0, sequence: 3 },
    });
    expect(capture?.causationId).toBeDefined();
    // The relay deletes what it published once the broker acknowledged it: drained soon after.
    await until(async () => {
      const [outbox] = await queryRows<{ n: string }>(
        database.dataSource,
        `SELECT count(*) AS n FROM outbox`,
      );
      return Number(outbox?.n) === 0;
    }, 'the outbox drained');
  });

  it('consumes 1,000 hold requests of 50 tenants from the topic (throughput figure)', async () => {
    const tenants: string[] = Array.from({ length: 50 }, () => randomUUID());
    await producer.publishByContract(
      tenants.map((tenantId) =>
        envelope(
          'gateway.WalletCreditRequested.v1',
          `wallet-credit-${tenantId}`,
          tenantId,
          creditRequest({
            tenantId,
            reference: `ch_${tenantId}`,
            amount: { micros: 20 * SEGMENT_WORST_CASE, currency: 'USD' },
          }),
        ),
      ),
    );
    const credited = async () => {
      const [row] = await queryRows<{ n: string }>(
        database.dataSource,
        `SELECT count(*) AS n FROM events WHERE type = 'billing.CreditPosted.v1' AND data->>'tenantId' = ANY($1)`,
        [tenants],
      );
      return Number(row?.n) === tenants.length;
    };
    await until(credited, 'the credits');
    const requests = tenants.flatMap((tenantId) =>
      Array.from({ length: 20 }, () => {
        const messageId = randomUUID();
        return envelope(
          'messaging.FundsHoldRequested.v1',
          `message-${messageId}`,
          tenantId,
          holdRequest({ tenantId, messageId }),
        );
      }),
    );
    const started = performance.now();
    const cpu = process.cpuUsage();
    await producer.publishByContract(requests);
    const placed = async () => {
      const [row] = await queryRows<{ n: string }>(
        database.dataSource,
        `SELECT count(*) AS n FROM events WHERE type = 'billing.HoldPlaced.v1' AND data->>'tenantId' = ANY($1)`,
        [tenants],
      );
      return Number(row?.n) === requests.length;
    };
    await until(placed, 'every hold placed');
    const elapsedMs = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    // The test process's CPU: billing's, with the producer's and the polling's beside it.
    console.info(
      `billing on Kafka: 1,000 hold requests (50 tenants) placed in ${elapsedMs.toFixed(0)} ms (${((1_000 / elapsedMs) * 1_000).toFixed(0)}/s), ` +
        `CPU ${((user + system) / 1_000 / 1_000).toFixed(2)} ms per request`,
    );
    await until(
      () =>
        seen.filter((e) => e.type === 'billing.HoldPlaced.v1' && tenants.includes(e.tenantId ?? ''))
          .length === 1_000,
      'every hold on billing.wallets',
    );
  });
});
