import { randomInt, randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConsumerGroups, Topics, validateEventData } from '@textplane/contracts';
import { Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { createLogger } from '@textplane/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { frameworkErrorOptions } from '../http/framework-errors.js';
import { ApiKeyGuard } from '../http/guards.js';
import { ProblemFilter } from '../http/problem.filter.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { gatewayMigrations } from '../migrations/index.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../problems/problem-details.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { NumberLookupProjection } from './number-lookup.projection.js';
import { NumberLookupQueries } from './number-lookups.application.js';
import { NumberLookupsController } from './number-lookups.controller.js';
import { rebuildGatewayReadModels } from '../rebuild/gateway-read-models.rebuild.js';

/**
 * `GET /v1/numbers/{phone}/lookup` over HTTP on the real gateway database: messaging's lookup
 * facts projected from their topic (through the inbox, as the consumer does), shown to a tenant
 * that texts the number, 404 to one that does not or when nothing is known, 400 problem+json for
 * a number that is not E.164.
 */

let database: TestDatabase;
let projection: NumberLookupProjection;
let app: NestFastifyApplication;
let base: string;
const keys = new Map<string, AuthenticatedTenant>();
let offset = 0;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  projection = new NumberLookupProjection(
    new Inbox(database.dataSource),
    ConsumerGroups.gatewayNumberLookupReadModels,
  );
  @Module({
    controllers: [NumberLookupsController],
    providers: [
      { provide: NumberLookupQueries, useValue: new NumberLookupQueries(database.dataSource) },
      {
        provide: TenantDirectory,
        useValue: { authenticate: (key: string) => Promise.resolve(keys.get(key) ?? null) },
      },
      ApiKeyGuard,
    ],
  })
  class NumberLookupsTestModule {}
  const adapter = new FastifyAdapter({ ...frameworkErrorOptions });
  adapter.getInstance().setErrorHandler((error, request, reply) => {
    const problem = problemOf(error, request.url.split('?')[0]);
    void reply.status(problem.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(problem);
  });
  app = await NestFactory.create<NestFastifyApplication>(NumberLookupsTestModule, adapter, {
    logger: false,
  });
  app.useGlobalFilters(new ProblemFilter(createLogger('gateway-test', 'silent')));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

function newNumber(): string {
  return `+1206${String(randomInt(1_000_000, 10_000_000))}`;
}

async function newTenant(): Promise<{ key: string; tenantId: string; sender: string }> {
  const { tenant, sender } = await createTestTenant(database.dataSource);
  keys.set(tenant.tenantId, tenant);
  return { key: tenant.tenantId, tenantId: tenant.tenantId, sender };
}

/** The tenant has texted the number: its conversation row, as the conversation projection keeps. */
async function converses(tenant: { tenantId: string; sender: string }, phone: string) {
  await database.dataSource.query(
    `INSERT INTO conversations (tenant_id, phone, sender_number, last_message, last_message_id,
       last_activity_at, unread, unread_count)
     VALUES ($1, $2, $3, '{}'::jsonb, $4, now(), '[]'::jsonb, 0)`,
    [tenant.tenantId, phone, tenant.sender, randomUUID()],
  );
}

/** Every fact this file projected, in order (the rebuild reads them again). */
const projected: ConsumedEvent[] = [];

function fromMessaging(type: string, data: Record<string, unknown>): ConsumedEvent {
  expect(validateEventData(type, data)).toEqual({ valid: true });
  const event: ConsumedEvent = {
    id: randomUUID(),
    type,
    source: '/textplane/messaging',
    subject: `number-lookup-${String(data['phoneNumber'])}`,
    time: new Date().toISOString(),
    correlationId: randomUUID(),
    data,
    topic: Topics.messagingNumberLookups,
    partition: 0,
    offset: String(offset++),
  };
  projected.push(event);
  return event;
}

async function call(key: string, path: string) {
  const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('GET /v1/numbers/{phone}/lookup', () => {
  it('shows the lookup: textplane carrier and line type, the raw values, when', async () => {
    const tenant = await newTenant();
    const phone = newNumber();
    await converses(tenant, phone);
    const lookedUp = fromMessaging('messaging.NumberLookedUp.v1', {
      phoneNumber: phone,
      lineType: 'landline',
      carrier: 'att',
      carrierName: 'AT&T Southwest',
      carrierLineType: 'fixed line',
      lookedUpAt: '2026-12-03T10:00:00.000Z',
    });
    await projection.handleBatch([lookedUp]);
    // A redelivery changes nothing (the inbox).
    await projection.handle(lookedUp);

    const answer = await call(tenant.key, `/v1/numbers/${encodeURIComponent(phone)}/lookup`);
    expect(answer).toEqual({
      status: 200,
      type: expect.stringContaining('application/json') as unknown,
      body: {
        phoneNumber: phone,
        lineType: 'landline',
        carrier: 'att',
        carrierName: 'AT&T Southwest',
        carrierLineType: 'fixed line',
        lookedUpAt: '2026-12-03T10:00:00.000Z',
        lastFailure: null,
      },
    });
    // The + as sent, unencoded, names the same number.
    expect((await call(tenant.key, `/v1/numbers/${phone}/lookup`)).body['lineType']).toBe(
      'landline',
    );
  });

  it('a failed lookup is shown beside the last one; a later success clears it', async () => {
    const tenant = await newTenant();
    const phone = newNumber();
    await converses(tenant, phone);
    await projection.handleBatch([
      fromMessaging('messaging.NumberLookedUp.v1', {
        phoneNumber: phone,
        lineType: 'mobile',
        carrier: 'tmobile',
        lookedUpAt: '2026-10-01T10:00:00.000Z',
      }),
      fromMessaging('messaging.NumberLookupFailed.v1', {
        phoneNumber: phone,
        reason: 'carrier_unavailable',
        detail: 'An unexpected error occured.',
        carrierErrorCode: '10007',
        failedAt: '2026-12-03T10:00:00.000Z',
      }),
    ]);
    expect((await call(tenant.key, `/v1/numbers/${phone}/lookup`)).body).toMatchObject({
      lineType: 'mobile',
      carrier: 'tmobile',
      carrierName: null,
      lookedUpAt: '2026-10-01T10:00:00.000Z',
      lastFailure: {
        reason: 'carrier_unavailable',
        detail: 'An unexpected error occured.',
        failedAt: '2026-12-03T10:00:00.000Z',
      },
    });
    await projection.handle(
      fromMessaging('messaging.NumberLookedUp.v1', {
        phoneNumber: phone,
        lineType: 'voip',
        carrier: 'other',
        lookedUpAt: '2026-12-03T11:00:00.000Z',
      }),
    );
    expect((await call(tenant.key, `/v1/numbers/${phone}/lookup`)).body).toMatchObject({
      lineType: 'voip',
      lookedUpAt: '2026-12-03T11:00:00.000Z',
      lastFailure: null,
    });
  });

  it('404 when nothing is known, or for a tenant that does not text the number', async () => {
    const tenant = await newTenant();
    const stranger = await newTenant();
    const phone = newNumber();
    await converses(tenant, phone);
    const unknown = await call(tenant.key, `/v1/numbers/${phone}/lookup`);
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    await projection.handle(
      fromMessaging('messaging.NumberLookedUp.v1', {
        phoneNumber: phone,
        lineType: 'mobile',
        carrier: 'verizon',
        lookedUpAt: '2026-12-03T10:00:00.000Z',
      }),
    );
    expect((await call(tenant.key, `/v1/numbers/${phone}/lookup`)).status).toBe(200);
    const hidden = await call(stranger.key, `/v1/numbers/${phone}/lookup`);
    expect([hidden.status, hidden.body['detail']]).toEqual([
      404,
      `Nothing is known of the number ${phone}`,
    ]);
  });

  it.each(['2065550173', '+1-206-555-0173', 'abc', '+0123'])(
    '400 problem+json naming the phone for %j',
    async (phone) => {
      const tenant = await newTenant();
      const answer = await call(tenant.key, `/v1/numbers/${encodeURIComponent(phone)}/lookup`);
      expect(answer.status).toBe(400);
      expect(answer.type).toContain('application/problem+json');
      expect(answer.body['errors']).toEqual([
        { field: 'phone', message: 'must be an E.164 phone number such as +15555550123' },
      ]);
    },
  );

  it('401 without a valid key', async () => {
    const answer = await call('no-such-key', `/v1/numbers/${newNumber()}/lookup`);
    expect(answer.status).toBe(401);
  });

  it("number_lookups is rebuilt from messaging's topic, row for row", async () => {
    const phone = newNumber();
    await projection.handle(
      fromMessaging('messaging.NumberLookupFailed.v1', {
        phoneNumber: phone,
        reason: 'answer_unreadable',
        detail: 'carrier answered the lookup without data',
        failedAt: '2026-12-03T12:00:00.000Z',
      }),
    );
    const rebuilt = await createTestDatabase({ migrations: gatewayMigrations });
    try {
      await rebuildGatewayReadModels(rebuilt.dataSource, {
        store: [],
        topics: { [Topics.messagingNumberLookups]: projected },
      });
      const rows = (dataSource: typeof database.dataSource) =>
        dataSource.query<unknown[]>(`SELECT * FROM number_lookups ORDER BY phone_number`);
      const live = await rows(database.dataSource);
      expect(live.length).toBeGreaterThan(0);
      expect(await rows(rebuilt.dataSource)).toEqual(live);
    } finally {
      await rebuilt.drop();
    }
  });
});
