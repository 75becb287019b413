import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventStore, GroupAppender } from '@textplane/event-store';
import {
  createTestDatabase,
  PostgresProxy,
  type TestDatabase,
  testPostgresConfig,
} from '@textplane/event-store/testing';
import { createLogger } from '@textplane/observability';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '@textplane/service-runtime';
import { gatewayMigrations } from '../migrations/index.js';
import { PROBLEM_CONTENT_TYPE, problemHeaders, problemOf } from '../problems/problem-details.js';
import { TelnyxWebhookReceiver } from '../webhooks/telnyx-webhook-receiver.js';
import { WebhooksController } from '../webhooks/webhooks.controller.js';
import { frameworkErrorOptions } from './framework-errors.js';
import { ProblemFilter } from './problem.filter.js';
import { acceptOnlyDeclaredBodies } from './request-bodies.js';

const keys = generateKeyPairSync('ed25519');
const publicKey = keys.publicKey
  .export({ format: 'der', type: 'spki' })
  .subarray(-32)
  .toString('base64');
const clock: Clock = { now: () => new Date() };

/** Signs as Telnyx does: Ed25519 over `timestamp|raw body`. */
function signed(body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'telnyx-timestamp': timestamp,
    'telnyx-signature-ed25519': sign(
      null,
      Buffer.from(`${timestamp}|${body}`),
      keys.privateKey,
    ).toString('base64'),
  };
}

function deliveryReceipt(carrierMessageId: string): string {
  return JSON.stringify({
    data: {
      event_type: 'message.finalized',
      id: randomUUID(),
      occurred_at: new Date().toISOString(),
      record_type: 'event',
      payload: {
        id: carrierMessageId,
        to: [{ phone_number: '+15557765001', status: 'delivered' }],
      },
    },
  });
}

describe('the gateway edge while its database is unavailable (real Postgres behind a proxy)', () => {
  let database: TestDatabase;
  let proxy: PostgresProxy;
  let throughProxy: DataSource;
  let store: EventStore;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrations: gatewayMigrations });
    const config = testPostgresConfig();
    proxy = new PostgresProxy(config);
    await proxy.up();
    throughProxy = await new DataSource({
      type: 'postgres',
      host: '127.0.0.1',
      port: proxy.port,
      username: config.user,
      password: config.password,
      database: database.name,
      poolSize: 2,
      connectTimeoutMS: 2_000,
      logging: false,
    }).initialize();
    store = new EventStore(throughProxy);
    const receiver = new TelnyxWebhookReceiver(publicKey, new GroupAppender(store), clock);

    @Module({
      controllers: [WebhooksController],
      providers: [{ provide: TelnyxWebhookReceiver, useValue: receiver }],
    })
    class WebhookEdgeModule {}

    // The gateway's edge as GatewayService assembles it, around its webhook route.
    const adapter = new FastifyAdapter({ ...frameworkErrorOptions });
    adapter.getInstance().setErrorHandler((error, request, reply) => {
      const problem = problemOf(error, request.url.split('?')[0]);
      void reply.status(problem.status).headers(problemHeaders(problem)).send(problem);
    });
    acceptOnlyDeclaredBodies(adapter.getInstance());
    app = await NestFactory.create<NestFastifyApplication>(WebhookEdgeModule, adapter, {
      logger: false,
      bodyParser: false,
    });
    app.useGlobalFilters(new ProblemFilter(createLogger('gateway-test', 'silent')));
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await app.close();
    await proxy.up().catch(() => undefined);
    await throughProxy.destroy();
    await proxy.down();
    await database.drop();
  });

  async function deliver(body: string, headers: Record<string, string>) {
    const response = await fetch(`${base}/webhooks/telnyx`, { method: 'POST', body, headers });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown>,
    };
  }

  it('answers a carrier webhook 503 with Retry-After while the database is down, and records the retry once it is back', async () => {
    const before = deliveryReceipt(randomUUID());
    expect(await deliver(before, signed(before))).toMatchObject({
      status: 200,
      body: { received: true, duplicate: false },
    });

    const carrierMessageId = randomUUID();
    const receipt = deliveryReceipt(carrierMessageId);
    const headers = signed(receipt);
    await proxy.down();
    expect(await deliver(receipt, headers)).toEqual({
      status: 503,
      type: `${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
      retryAfter: '5',
      body: {
        type: 'https://docs.textplane.dev/problems/service_unavailable',
        title: 'Service Unavailable',
        status: 503,
        code: 'service_unavailable',
        detail:
          'The service cannot reach its database right now. Retry in 5 seconds; a retry with the same Idempotency-Key is safe.',
        instance: '/webhooks/telnyx',
      },
    });

    // The carrier retries the same webhook once the database is back: it is recorded, once.
    await proxy.up();
    expect(await deliver(receipt, headers)).toMatchObject({
      status: 200,
      retryAfter: null,
      body: { received: true, duplicate: false },
    });
    expect(await deliver(receipt, headers)).toMatchObject({
      status: 200,
      body: { received: true, duplicate: true },
    });
    expect(await store.readStream(`carrier-message-${carrierMessageId}`)).toHaveLength(1);
  });
});
