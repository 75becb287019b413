import { randomInt, randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { type ConsumedEvent, outboxContractCheck } from '@textplane/kafka';
import { createLogger } from '@textplane/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameworkErrorOptions } from '../http/framework-errors.js';
import { ApiKeyGuard } from '../http/guards.js';
import { ProblemFilter } from '../http/problem.filter.js';
import { acceptOnlyDeclaredBodies } from '../http/request-bodies.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { gatewayMigrations } from '../migrations/index.js';
import { PROBLEM_CONTENT_TYPE, problemOf } from '../problems/problem-details.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { TrustCenter } from './trust-center.application.js';
import { TrustController } from './trust.controller.js';
import { TrustProjection } from './trust.projection.js';
import { TrustReadModel } from './trust-read-model.js';

/**
 * The Trust Center's REST over the real gateway database (issue 12 §1 "REST", §5 "Bad input"):
 * each route through HTTP (the controller, the API-key guard, problem+json), every bad input
 * refused naming its field with nothing recorded (no event, no read-model row, no
 * Idempotency-Key), one tenant never seeing another's, and registration's facts shown on the
 * resources they are about.
 */

const NOW = new Date('2026-12-03T10:00:00.000Z');
let database: TestDatabase;
let projection: TrustProjection;
let app: NestFastifyApplication;
let base: string;
/** API keys of the test tenants: the key is the tenant id. */
const keys = new Map<string, AuthenticatedTenant>();

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  projection = new TrustProjection(new Inbox(database.dataSource), 'gateway.trust-read-models');
  const trust = new TrustCenter(
    new EventStore(database.dataSource, { check: outboxContractCheck }),
    projection,
    new TrustReadModel(database.dataSource),
    new TenantDirectory(database.dataSource),
    new IdempotencyStore(database.dataSource),
    { now: () => NOW },
  );
  @Module({
    controllers: [TrustController],
    providers: [
      { provide: TrustCenter, useValue: trust },
      {
        provide: TenantDirectory,
        useValue: { authenticate: (key: string) => Promise.resolve(keys.get(key) ?? null) },
      },
      ApiKeyGuard,
    ],
  })
  class TrustTestModule {}
  const adapter = new FastifyAdapter({ bodyLimit: 64 * 1024, ...frameworkErrorOptions });
  adapter.getInstance().setErrorHandler((error, request, reply) => {
    const problem = problemOf(error, request.url.split('?')[0]);
    void reply.status(problem.status).header('Content-Type', PROBLEM_CONTENT_TYPE).send(problem);
  });
  acceptOnlyDeclaredBodies(adapter.getInstance());
  app = await NestFactory.create<NestFastifyApplication>(TrustTestModule, adapter, {
    logger: false,
    bodyParser: false,
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

/** A 10DLC-looking long code no other test tenant is likely to own. */
function longCode(): string {
  return `+1312${String(randomInt(2_000_000, 10_000_000))}`;
}

async function newTenant(
  sender = longCode(),
): Promise<{ key: string; tenantId: string; sender: string }> {
  const { tenant } = await createTestTenant(database.dataSource, { sender });
  keys.set(tenant.tenantId, tenant);
  return { key: tenant.tenantId, tenantId: tenant.tenantId, sender };
}

interface Answer {
  status: number;
  type: string;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  key: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** What the tenant has recorded: events, read-model rows, Idempotency-Keys. */
async function recorded(tenantId: string) {
  const [row] = await database.dataSource.query<
    Array<{ events: number; brands: number; campaigns: number; numbers: number; keys: number }>
  >(
    `SELECT
       (SELECT count(*)::int FROM events WHERE stream_type IN ('trust-brand', 'trust-campaign',
          'trust-toll-free-verification')
          AND data->>'tenantId' = $1) AS events,
       (SELECT count(*)::int FROM trust_brands WHERE tenant_id = $1::uuid) AS brands,
       (SELECT count(*)::int FROM trust_campaigns WHERE tenant_id = $1::uuid) AS campaigns,
       (SELECT count(*)::int FROM trust_campaign_numbers WHERE tenant_id = $1::uuid) AS numbers,
       (SELECT count(*)::int FROM idempotency_records WHERE scope = $2) AS keys`,
    [tenantId, `tenant:${tenantId}`],
  );
  return row;
}

function expectProblem(answer: Answer, status: number, code: string, fields: string[] = []): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.type).toContain('application/problem+json');
  expect(answer.body['code']).toBe(code);
  const named = ((answer.body['errors'] as Array<{ field: string }> | undefined) ?? []).map(
    (e) => e.field,
  );
  expect(named).toEqual(expect.arrayContaining(fields));
}

const brandBody = {
  entityType: 'PRIVATE_PROFIT',
  displayName: 'Harbor Books',
  companyName: 'Harbor Books LLC',
  ein: '123456789',
  phone: '+13125550100',
  street: '1 Wacker Dr',
  city: 'Chicago',
  state: 'IL',
  postalCode: '60601',
  country: 'US',
  email: 'support@harborbooks.com',
  website: 'https://harborbooks.com',
  vertical: 'RETAIL',
};

const soleProprietorBody = {
  entityType: 'SOLE_PROPRIETOR',
  displayName: 'Ann Lee Tutoring',
  phone: '+13125550101',
  street: '2 State St',
  city: 'Chicago',
  state: 'IL',
  postalCode: '60602',
  country: 'US',
  email: 'ann@annlee.com',
  vertical: 'EDUCATION',
  firstName: 'Ann',
  lastName: 'Lee',
  mobilePhone: '+13125550102',
};

const campaignBody = (brandId: string) => ({
  brandId,
  usecase: 'ACCOUNT_NOTIFICATION',
  description: 'Order updates and pickup notices for customers of Harbor Books.',
  messageFlow:
    'Customers check an SMS consent box on the checkout form at https://harborbooks.com/checkout to receive order updates.',
  sampleMessages: [
    'Harbor Books: your order 1042 is ready for pickup. Reply STOP to opt out.',
    'Harbor Books: your order 1043 has shipped. Reply STOP to opt out.',
  ],
  helpMessage: 'Harbor Books: for help email support@harborbooks.com. Reply STOP to opt out.',
  optoutMessage: 'Harbor Books: you are unsubscribed and will receive no more messages.',
});

let offset = 0;
function fromRegistration(type: string, data: Record<string, unknown>): ConsumedEvent {
  return {
    id: randomUUID(),
    type,
    source: '/textplane/registration',
    subject: 'registration',
    time: NOW.toISOString(),
    tenantId: String(data['tenantId']),
    correlationId: randomUUID(),
    data,
    topic: 'registration.registrations.events.v1',
    partition: 0,
    offset: String(offset++),
  };
}

/** Registration registers the brand and the carrier verifies it (score 75). */
async function approveBrand(tenantId: string, brandId: string): Promise<void> {
  await projection.handle(
    fromRegistration('registration.BrandRegistered.v1', {
      brandId,
      tenantId,
      carrierBrandId: `B${brandId.slice(0, 6)}`,
      status: 'pending',
      carrierStatus: 'REGISTRATION_PENDING',
      registeredAt: '2026-12-03T10:01:00.000Z',
    }),
  );
  await projection.handle(
    fromRegistration('registration.BrandStatusChanged.v1', {
      brandId,
      tenantId,
      status: 'approved',
      previousStatus: 'pending',
      carrierStatus: 'VERIFIED',
      reasons: [],
      changedAt: '2026-12-03T10:02:00.000Z',
    }),
  );
}

async function approvedBrand(key: string, tenantId: string, body: object = brandBody) {
  const created = await call(key, 'POST', '/v1/trust/brands', body);
  expect(created.status).toBe(202);
  const brandId = String(created.body['id']);
  await approveBrand(tenantId, brandId);
  return brandId;
}

async function submittedCampaign(key: string, tenantId: string, brandId: string) {
  const created = await call(key, 'POST', '/v1/trust/campaigns', campaignBody(brandId));
  expect(created.status, JSON.stringify(created.body)).toBe(202);
  const campaignId = String(created.body['id']);
  await projection.handle(
    fromRegistration('registration.CampaignSubmitted.v1', {
      campaignId,
      tenantId,
      brandId,
      carrierCampaignId: `C${campaignId.slice(0, 6)}`,
      status: 'pending',
      carrierStatus: 'TCR_PENDING',
      submittedAt: '2026-12-03T10:05:00.000Z',
    }),
  );
  return campaignId;
}

describe('POST /v1/trust/brands', () => {
  it('records BrandRegistrationRequested and answers 202 with the brand pending', async () => {
    const { key, tenantId } = await newTenant();
    const answer = await call(key, 'POST', '/v1/trust/brands', brandBody, {
      'idempotency-key': 'brand-1',
    });
    expect(answer.status).toBe(202);
    const id = String(answer.body['id']);
    expect(answer.headers.get('location')).toBe(`/v1/trust/brands/${id}`);
    expect(answer.headers.get('idempotent-replayed')).toBe('false');
    expect(answer.body).toMatchObject({
      ...brandBody,
      ein: '12-3456789',
      status: 'pending',
      carrierStatus: null,
      vettingScore: null,
      reasons: [],
      errors: [],
      history: [
        { at: NOW.toISOString(), status: 'pending', carrierStatus: null, reasons: [], errors: [] },
      ],
      createdAt: NOW.toISOString(),
    });
    const events = await database.dataSource.query<Array<{ type: string; stream_id: string }>>(
      `SELECT type, stream_id FROM events WHERE data->>'tenantId' = $1`,
      [tenantId],
    );
    expect(events).toEqual([
      { type: 'gateway.BrandRegistrationRequested.v1', stream_id: `trust-brand-${id}` },
    ]);

    // The same key and body: the first answer again, nothing more recorded.
    const again = await call(key, 'POST', '/v1/trust/brands', brandBody, {
      'idempotency-key': 'brand-1',
    });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body['id']).toBe(id);
    expect(await recorded(tenantId)).toMatchObject({ events: 1, brands: 1, keys: 1 });
  });

  it.each([
    [
      'a missing field for the entity type (companyName, ein)',
      { companyName: undefined, ein: undefined },
      ['companyName', 'ein'],
    ],
    ['a malformed EIN', { ein: '12-34567' }, ['ein']],
    ['an EIN for a sole proprietor', { ...soleProprietorBody, ein: '12-3456789' }, ['ein']],
    ['an unknown entity type', { entityType: 'PARTNERSHIP' }, ['entityType']],
    ['a missing displayName', { displayName: undefined }, ['displayName']],
  ])(
    'refuses %s with 422 invalid_brand naming the field, nothing recorded',
    async (_, change, fields) => {
      const { key, tenantId } = await newTenant();
      const body = { ...brandBody, ...change };
      const answer = await call(key, 'POST', '/v1/trust/brands', body, {
        'idempotency-key': randomUUID(),
      });
      expectProblem(answer, 422, 'invalid_brand', fields);
      expect(await recorded(tenantId)).toEqual({
        events: 0,
        brands: 0,
        campaigns: 0,
        numbers: 0,
        keys: 0,
      });
    },
  );

  it('refuses a sole proprietor without first name, last name and mobile phone', async () => {
    const { key, tenantId } = await newTenant();
    const answer = await call(key, 'POST', '/v1/trust/brands', {
      ...soleProprietorBody,
      firstName: undefined,
      lastName: undefined,
      mobilePhone: undefined,
    });
    expectProblem(answer, 422, 'invalid_brand', ['firstName', 'lastName', 'mobilePhone']);
    expect((await recorded(tenantId))?.events).toBe(0);
  });

  it('refuses a wrong JSON type or an unknown field with 400 naming it, nothing recorded', async () => {
    const { key, tenantId } = await newTenant();
    expectProblem(
      await call(key, 'POST', '/v1/trust/brands', { ...brandBody, displayName: 7 }),
      400,
      'invalid_request',
      ['displayName'],
    );
    expectProblem(
      await call(key, 'POST', '/v1/trust/brands', { ...brandBody, nickname: 'HB' }),
      400,
      'invalid_request',
      ['nickname'],
    );
    expect((await recorded(tenantId))?.events).toBe(0);
  });

  it('needs an API key', async () => {
    const response = await fetch(`${base}/v1/trust/brands`);
    expect(response.status).toBe(401);
  });
});

describe('GET /v1/trust/brands', () => {
  it('lists the tenant’s brands newest first, by cursor, and never another tenant’s', async () => {
    const { key } = await newTenant();
    const other = await newTenant();
    const ids: string[] = [];
    for (const displayName of ['One', 'Two', 'Three']) {
      const created = await call(key, 'POST', '/v1/trust/brands', { ...brandBody, displayName });
      ids.push(String(created.body['id']));
    }
    const foreign = await call(other.key, 'POST', '/v1/trust/brands', brandBody);
    const first = await call(key, 'GET', '/v1/trust/brands?limit=2');
    expect(first.status).toBe(200);
    const firstIds = (first.body['data'] as Array<{ id: string }>).map((b) => b.id);
    expect(firstIds).toEqual([ids[2], ids[1]]);
    expect(first.body['nextCursor']).toEqual(expect.any(String));
    const second = await call(
      key,
      'GET',
      `/v1/trust/brands?limit=2&cursor=${String(first.body['nextCursor'])}`,
    );
    expect((second.body['data'] as Array<{ id: string }>).map((b) => b.id)).toEqual([ids[0]]);
    expect(second.body['nextCursor']).toBeNull();

    expectProblem(
      await call(key, 'GET', `/v1/trust/brands/${String(foreign.body['id'])}`),
      404,
      'not_found',
    );
    expect((await call(key, 'GET', `/v1/trust/brands/${ids[0]}`)).body['displayName']).toBe('One');
    expect((await call(key, 'GET', '/v1/trust/brands?status=approved')).body['data']).toEqual([]);
    expectProblem(await call(key, 'GET', '/v1/trust/brands?status=done'), 400, 'invalid_request', [
      'status',
    ]);
    expectProblem(await call(key, 'GET', '/v1/trust/brands?cursor=nope'), 400, 'invalid_cursor', [
      'cursor',
    ]);
    expectProblem(await call(key, 'GET', '/v1/trust/brands/not-a-uuid'), 400, 'invalid_request', [
      'id',
    ]);
  });
});

describe('POST /v1/trust/campaigns', () => {
  it('records CampaignSubmissionRequested for an approved brand, defaults filled in', async () => {
    const { key, tenantId } = await newTenant();
    const brandId = await approvedBrand(key, tenantId);
    const answer = await call(key, 'POST', '/v1/trust/campaigns', campaignBody(brandId), {
      'idempotency-key': 'campaign-1',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const id = String(answer.body['id']);
    expect(answer.headers.get('location')).toBe(`/v1/trust/campaigns/${id}`);
    expect(answer.body).toMatchObject({
      ...campaignBody(brandId),
      helpKeywords: ['HELP'],
      optinKeywords: [],
      optoutKeywords: ['STOP'],
      embeddedLink: false,
      status: 'pending',
      carrierStatus: null,
      carrierAccepted: false,
      numbers: [],
    });
    const [event] = await database.dataSource.query<Array<{ data: { campaign: unknown } }>>(
      `SELECT data FROM events WHERE stream_id = $1 AND type = 'gateway.CampaignSubmissionRequested.v1'`,
      [`trust-campaign-${id}`],
    );
    expect(event?.data.campaign).toMatchObject({ brandId, usecase: 'ACCOUNT_NOTIFICATION' });
    const again = await call(key, 'POST', '/v1/trust/campaigns', campaignBody(brandId), {
      'idempotency-key': 'campaign-1',
    });
    expect(again.body['id']).toBe(id);
    expect((await recorded(tenantId))?.campaigns).toBe(1);
  });

  it.each([
    ['no sample', { sampleMessages: [] }, ['sampleMessages']],
    [
      'six samples',
      {
        sampleMessages: Array.from(
          { length: 6 },
          (_, i) => `Harbor Books ${i}. Reply STOP to opt out.`,
        ),
      },
      ['sampleMessages'],
    ],
    [
      'a sample over 1,024 characters',
      { sampleMessages: ['Harbor Books: ' + 'x'.repeat(1020)] },
      ['sampleMessages.0'],
    ],
    ['an unknown use case', { usecase: 'NEWSLETTER' }, ['usecase']],
    [
      'missing fields for the use case',
      { description: undefined, messageFlow: undefined, helpMessage: undefined },
      ['description', 'messageFlow', 'helpMessage'],
    ],
    ['a SOLE_PROPRIETOR use case for a company brand', { usecase: 'SOLE_PROPRIETOR' }, ['usecase']],
  ])(
    'refuses %s with 422 invalid_campaign naming the field, nothing recorded',
    async (_, change, fields) => {
      const { key, tenantId } = await newTenant();
      const brandId = await approvedBrand(key, tenantId);
      const before = await recorded(tenantId);
      const answer = await call(
        key,
        'POST',
        '/v1/trust/campaigns',
        { ...campaignBody(brandId), ...change },
        {
          'idempotency-key': randomUUID(),
        },
      );
      expectProblem(answer, 422, 'invalid_campaign', fields);
      expect(await recorded(tenantId)).toEqual(before);
    },
  );

  it('refuses a brand this tenant does not have (another tenant’s, or none) with 422 brand_not_found', async () => {
    const { key, tenantId } = await newTenant();
    const other = await newTenant();
    const foreignBrand = await approvedBrand(other.key, other.tenantId);
    for (const brandId of [foreignBrand, randomUUID()]) {
      const answer = await call(key, 'POST', '/v1/trust/campaigns', campaignBody(brandId), {
        'idempotency-key': randomUUID(),
      });
      expectProblem(answer, 422, 'brand_not_found', ['brandId']);
    }
    expect(await recorded(tenantId)).toEqual({
      events: 0,
      brands: 0,
      campaigns: 0,
      numbers: 0,
      keys: 0,
    });
  });

  it('refuses a brand not yet approved with 409 brand_not_approved', async () => {
    const { key, tenantId } = await newTenant();
    const created = await call(key, 'POST', '/v1/trust/brands', brandBody);
    const before = await recorded(tenantId);
    const answer = await call(
      key,
      'POST',
      '/v1/trust/campaigns',
      campaignBody(String(created.body['id'])),
    );
    expectProblem(answer, 409, 'brand_not_approved', ['brandId']);
    expect(await recorded(tenantId)).toEqual(before);
  });

  it('takes one campaign of a SOLE_PROPRIETOR brand and refuses a second with 409', async () => {
    const { key, tenantId } = await newTenant();
    const brandId = await approvedBrand(key, tenantId, soleProprietorBody);
    const body = {
      ...campaignBody(brandId),
      usecase: 'SOLE_PROPRIETOR',
      description: 'Lesson reminders and schedule changes for students of Ann Lee Tutoring.',
      sampleMessages: ['Ann Lee Tutoring: your lesson is at 4 PM today. Reply STOP to opt out.'],
      helpMessage: 'Ann Lee Tutoring: for help email ann@annlee.com. Reply STOP to opt out.',
      optoutMessage: 'Ann Lee Tutoring: you are unsubscribed and will receive no more messages.',
    };
    // A company use case is not a sole proprietor's.
    expectProblem(
      await call(key, 'POST', '/v1/trust/campaigns', { ...body, usecase: 'MARKETING' }),
      422,
      'invalid_campaign',
      ['usecase'],
    );
    expect((await call(key, 'POST', '/v1/trust/campaigns', body)).status).toBe(202);
    const before = await recorded(tenantId);
    const second = await call(key, 'POST', '/v1/trust/campaigns', body, {
      'idempotency-key': randomUUID(),
    });
    expectProblem(second, 409, 'sole_proprietor_campaign_exists', ['brandId']);
    expect(await recorded(tenantId)).toEqual(before);
  });
});

describe('GET /v1/trust/campaigns', () => {
  it('lists by cursor, filters by brand, and never shows another tenant’s', async () => {
    const { key, tenantId } = await newTenant();
    const other = await newTenant();
    const brandA = await approvedBrand(key, tenantId);
    const brandB = await approvedBrand(key, tenantId, { ...brandBody, displayName: 'Harbor Cafe' });
    const first = await submittedCampaign(key, tenantId, brandA);
    const second = await submittedCampaign(key, tenantId, brandB);
    const foreign = await submittedCampaign(
      other.key,
      other.tenantId,
      await approvedBrand(other.key, other.tenantId),
    );

    const page = await call(key, 'GET', '/v1/trust/campaigns?limit=1');
    expect((page.body['data'] as Array<{ id: string }>).map((c) => c.id)).toEqual([second]);
    const next = await call(
      key,
      'GET',
      `/v1/trust/campaigns?limit=1&cursor=${String(page.body['nextCursor'])}`,
    );
    expect((next.body['data'] as Array<{ id: string }>).map((c) => c.id)).toEqual([first]);
    expect(next.body['nextCursor']).toBeNull();
    const ofA = await call(key, 'GET', `/v1/trust/campaigns?brandId=${brandA}`);
    expect((ofA.body['data'] as Array<{ id: string }>).map((c) => c.id)).toEqual([first]);

    expectProblem(await call(key, 'GET', `/v1/trust/campaigns/${foreign}`), 404, 'not_found');
    const one = await call(key, 'GET', `/v1/trust/campaigns/${first}`);
    expect(one.body).toMatchObject({ id: first, status: 'pending', carrierStatus: 'TCR_PENDING' });
    expectProblem(await call(key, 'GET', '/v1/trust/campaigns?brandId=x'), 400, 'invalid_request', [
      'brandId',
    ]);
  });
});

describe('POST /v1/trust/campaigns/{id}/numbers', () => {
  it('records NumberAssignmentRequested on the campaign’s stream; the number shows pending', async () => {
    const { key, tenantId, sender } = await newTenant();
    const campaignId = await submittedCampaign(key, tenantId, await approvedBrand(key, tenantId));
    const answer = await call(
      key,
      'POST',
      `/v1/trust/campaigns/${campaignId}/numbers`,
      { phoneNumber: sender },
      {
        'idempotency-key': 'number-1',
      },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body['numbers']).toEqual([
      expect.objectContaining({ phoneNumber: sender, status: 'pending', carrierStatus: null }),
    ]);
    const events = await database.dataSource.query<Array<{ type: string; version: number }>>(
      `SELECT type, version FROM events WHERE stream_id = $1 ORDER BY version`,
      [`trust-campaign-${campaignId}`],
    );
    expect(events.map((e) => e.type)).toEqual([
      'gateway.CampaignSubmissionRequested.v1',
      'gateway.NumberAssignmentRequested.v1',
    ]);
    const again = await call(
      key,
      'POST',
      `/v1/trust/campaigns/${campaignId}/numbers`,
      { phoneNumber: sender },
      {
        'idempotency-key': 'number-1',
      },
    );
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    // Assigned already (pending): another request for the number is refused.
    const before = await recorded(tenantId);
    expectProblem(
      await call(key, 'POST', `/v1/trust/campaigns/${campaignId}/numbers`, { phoneNumber: sender }),
      409,
      'number_already_assigned',
      ['phoneNumber'],
    );
    expect(await recorded(tenantId)).toEqual(before);
  });

  it('takes one of two requests for a number made at once to two campaigns', async () => {
    const { key, tenantId, sender } = await newTenant();
    const brandId = await approvedBrand(key, tenantId);
    const campaigns = [
      await submittedCampaign(key, tenantId, brandId),
      await submittedCampaign(key, tenantId, brandId),
    ];
    const answers = await Promise.all(
      campaigns.map((id) =>
        call(key, 'POST', `/v1/trust/campaigns/${id}/numbers`, { phoneNumber: sender }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(answers.find((a) => a.status === 409)?.body['code']).toBe('number_already_assigned');
    expect((await recorded(tenantId))?.numbers).toBe(1);
  });

  it('refuses a number the tenant does not own, and a toll-free one, with 422 naming phoneNumber', async () => {
    const { key, tenantId } = await newTenant();
    const other = await newTenant();
    const tollFreeTenant = await newTenant(`+1888${String(randomInt(2_000_000, 10_000_000))}`);
    const campaignId = await submittedCampaign(key, tenantId, await approvedBrand(key, tenantId));
    const before = await recorded(tenantId);
    for (const phoneNumber of [other.sender, longCode()]) {
      expectProblem(
        await call(
          key,
          'POST',
          `/v1/trust/campaigns/${campaignId}/numbers`,
          { phoneNumber },
          {
            'idempotency-key': randomUUID(),
          },
        ),
        422,
        'number_not_owned',
        ['phoneNumber'],
      );
    }
    expect(await recorded(tenantId)).toEqual(before);

    // The toll-free tenant's own number, to its own campaign: verified, never assigned.
    const tf = tollFreeTenant;
    const tfCampaign = await submittedCampaign(
      tf.key,
      tf.tenantId,
      await approvedBrand(tf.key, tf.tenantId),
    );
    const tfBefore = await recorded(tf.tenantId);
    expectProblem(
      await call(
        tf.key,
        'POST',
        `/v1/trust/campaigns/${tfCampaign}/numbers`,
        { phoneNumber: tf.sender },
        {
          'idempotency-key': randomUUID(),
        },
      ),
      422,
      'toll_free_number',
      ['phoneNumber'],
    );
    expect(await recorded(tf.tenantId)).toEqual(tfBefore);
    expectProblem(
      await call(key, 'POST', `/v1/trust/campaigns/${campaignId}/numbers`, {
        phoneNumber: '5551234',
      }),
      400,
      'invalid_request',
      ['phoneNumber'],
    );
  });

  it('is 404 for another tenant’s campaign, 409 before the carrier took it or once it is rejected', async () => {
    const { key, tenantId, sender } = await newTenant();
    const other = await newTenant();
    const foreign = await submittedCampaign(
      other.key,
      other.tenantId,
      await approvedBrand(other.key, other.tenantId),
    );
    expectProblem(
      await call(key, 'POST', `/v1/trust/campaigns/${foreign}/numbers`, { phoneNumber: sender }),
      404,
      'not_found',
    );

    const brandId = await approvedBrand(key, tenantId);
    const fresh = await call(key, 'POST', '/v1/trust/campaigns', campaignBody(brandId));
    const freshId = String(fresh.body['id']);
    const before = await recorded(tenantId);
    expectProblem(
      await call(key, 'POST', `/v1/trust/campaigns/${freshId}/numbers`, { phoneNumber: sender }),
      409,
      'campaign_not_submitted',
    );
    await projection.handle(
      fromRegistration('registration.RegistrationRequestRejected.v1', {
        requestId: await requestIdOf(freshId),
        tenantId,
        resource: 'campaign',
        resourceId: freshId,
        errors: [{ field: 'sampleMessages.0', message: 'missing_opt_out_language: no opt-out' }],
        rejectedAt: '2026-12-03T10:06:00.000Z',
      }),
    );
    expectProblem(
      await call(key, 'POST', `/v1/trust/campaigns/${freshId}/numbers`, { phoneNumber: sender }),
      409,
      'campaign_closed',
    );
    expect((await recorded(tenantId))?.events).toBe(before?.events);
  });
});

async function requestIdOf(campaignId: string): Promise<string> {
  const [row] = await database.dataSource.query<Array<{ request_id: string }>>(
    `SELECT request_id FROM trust_campaigns WHERE campaign_id = $1`,
    [campaignId],
  );
  return String(row?.request_id);
}

describe('DELETE /v1/trust/campaigns/{id}/numbers/{phone}', () => {
  /** The sender assigned to a submitted campaign, as registration reports it. */
  async function assigned(key: string, tenantId: string, sender: string) {
    const campaignId = await submittedCampaign(key, tenantId, await approvedBrand(key, tenantId));
    const answer = await call(key, 'POST', `/v1/trust/campaigns/${campaignId}/numbers`, {
      phoneNumber: sender,
    });
    expect(answer.status).toBe(202);
    const [row] = await database.dataSource.query<Array<{ request_id: string }>>(
      `SELECT request_id FROM trust_campaign_numbers WHERE campaign_id = $1`,
      [campaignId],
    );
    const subject = { tenantId, phoneNumber: sender, campaignId };
    await projection.handle(
      fromRegistration('registration.NumberAssignmentStarted.v1', {
        ...subject,
        carrierCampaignId: `C${campaignId.slice(0, 6)}`,
        requestId: row!.request_id,
        startedAt: '2026-12-03T10:06:00.000Z',
      }),
    );
    return { campaignId, subject };
  }
  const assign = (subject: object) =>
    projection.handle(
      fromRegistration('registration.NumberAssigned.v1', {
        ...subject,
        carrierStatus: 'ASSIGNED',
        assignedAt: '2026-12-03T10:07:00.000Z',
      }),
    );
  const path = (campaignId: string, phone: string) =>
    `/v1/trust/campaigns/${campaignId}/numbers/${phone}`;

  it('records NumberUnassignmentRequested; the removal shows on the number, then its outcome', async () => {
    const { key, tenantId, sender } = await newTenant();
    const { campaignId, subject } = await assigned(key, tenantId, sender);
    await assign(subject);

    const answer = await call(key, 'DELETE', path(campaignId, sender), undefined, {
      'idempotency-key': 'removal-1',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.headers.get('location')).toBe(`/v1/trust/campaigns/${campaignId}`);
    // Still assigned, and sending, until the carrier has removed it.
    expect(answer.body['numbers']).toEqual([
      expect.objectContaining({
        phoneNumber: sender,
        status: 'approved',
        removal: expect.objectContaining({ status: 'requested', carrierStatus: null }) as unknown,
      }),
    ]);
    const events = await database.dataSource.query<
      Array<{ type: string; data: { requestId: string } }>
    >(`SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version`, [
      `trust-campaign-${campaignId}`,
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'gateway.CampaignSubmissionRequested.v1',
      'gateway.NumberAssignmentRequested.v1',
      'gateway.NumberUnassignmentRequested.v1',
    ]);
    const again = await call(key, 'DELETE', path(campaignId, `%2B${sender.slice(1)}`), undefined, {
      'idempotency-key': 'removal-1',
    });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // A second removal while this one is under way: refused, nothing recorded.
    const before = await recorded(tenantId);
    expectProblem(
      await call(key, 'DELETE', path(campaignId, sender)),
      409,
      'number_removal_in_progress',
      ['phone'],
    );
    expect(await recorded(tenantId)).toEqual(before);

    const removalId = events[2]!.data.requestId;
    await projection.handle(
      fromRegistration('registration.NumberUnassignmentStarted.v1', {
        ...subject,
        requestId: removalId,
        startedAt: '2026-12-03T10:11:00.000Z',
      }),
    );
    await projection.handle(
      fromRegistration('registration.NumberUnassigned.v1', {
        ...subject,
        carrierStatus: 'PENDING_UNASSIGNMENT',
        unassignedAt: '2026-12-03T10:12:00.000Z',
      }),
    );
    const campaign = await call(key, 'GET', `/v1/trust/campaigns/${campaignId}`);
    expect(campaign.body['numbers']).toEqual([
      expect.objectContaining({
        phoneNumber: sender,
        status: 'expired',
        removal: expect.objectContaining({
          requestId: removalId,
          status: 'removed',
          carrierStatus: 'PENDING_UNASSIGNMENT',
        }) as unknown,
      }),
    ]);
    // Removed: nothing left to remove, and the number may be assigned again.
    expectProblem(await call(key, 'DELETE', path(campaignId, sender)), 409, 'number_not_assigned', [
      'phone',
    ]);
    const reassigned = await call(key, 'POST', `/v1/trust/campaigns/${campaignId}/numbers`, {
      phoneNumber: sender,
    });
    expect(reassigned.status, JSON.stringify(reassigned.body)).toBe(202);
  });

  it('refuses a bad phone (400), an unknown campaign (404), a number not assigned to it or still being assigned (409), nothing recorded', async () => {
    const { key, tenantId, sender } = await newTenant();
    const other = await newTenant();
    const { campaignId, subject } = await assigned(key, tenantId, sender);
    const elsewhere = await submittedCampaign(key, tenantId, await approvedBrand(key, tenantId));
    const before = await recorded(tenantId);

    expectProblem(await call(key, 'DELETE', path(campaignId, '5550123')), 400, 'invalid_request', [
      'phone',
    ]);
    expectProblem(
      await call(key, 'DELETE', path('not-a-campaign', sender)),
      400,
      'invalid_request',
      ['id'],
    );
    expect((await call(key, 'DELETE', path(randomUUID(), sender))).status).toBe(404);
    expect((await call(other.key, 'DELETE', path(campaignId, sender))).status).toBe(404);
    // Still being assigned (registration started it, the carrier has not assigned it).
    const pending = await call(key, 'DELETE', path(campaignId, sender));
    expectProblem(pending, 409, 'number_not_assigned', ['phone']);
    expect(pending.body['detail']).toContain('being assigned');
    await assign(subject);
    // Assigned, but to another campaign; a number of the tenant on no campaign.
    expectProblem(await call(key, 'DELETE', path(elsewhere, sender)), 409, 'number_not_assigned', [
      'phone',
    ]);
    expectProblem(
      await call(key, 'DELETE', path(campaignId, longCode())),
      409,
      'number_not_assigned',
      ['phone'],
    );
    expect(await recorded(tenantId)).toEqual(before);
  });

  it("a failed removal, or registration's refusal of it, leaves the number assigned and removable", async () => {
    const { key, tenantId, sender } = await newTenant();
    const { campaignId, subject } = await assigned(key, tenantId, sender);
    await assign(subject);
    const removalIdOf = async () =>
      (
        await database.dataSource.query<Array<{ id: string }>>(
          `SELECT data->>'requestId' AS id FROM events WHERE stream_id = $1
             AND type = 'gateway.NumberUnassignmentRequested.v1' ORDER BY version DESC LIMIT 1`,
          [`trust-campaign-${campaignId}`],
        )
      )[0]!.id;
    expect((await call(key, 'DELETE', path(campaignId, sender))).status).toBe(202);
    await projection.handle(
      fromRegistration('registration.RegistrationRequestRejected.v1', {
        requestId: await removalIdOf(),
        tenantId,
        resource: 'number_assignment',
        resourceId: sender,
        errors: [{ field: 'phoneNumber', message: 'the number is not assigned to this campaign' }],
        rejectedAt: '2026-12-03T10:11:00.000Z',
      }),
    );
    let campaign = await call(key, 'GET', `/v1/trust/campaigns/${campaignId}`);
    expect(campaign.body['numbers']).toEqual([
      expect.objectContaining({
        status: 'approved',
        removal: expect.objectContaining({ status: 'rejected' }) as unknown,
      }),
    ]);

    expect((await call(key, 'DELETE', path(campaignId, sender))).status).toBe(202);
    await projection.handle(
      fromRegistration('registration.NumberUnassignmentStarted.v1', {
        ...subject,
        requestId: await removalIdOf(),
        startedAt: '2026-12-03T10:12:00.000Z',
      }),
    );
    await projection.handle(
      fromRegistration('registration.NumberUnassignmentFailed.v1', {
        ...subject,
        carrierStatus: 'FAILED_UNASSIGNMENT',
        reasons: [
          { code: 'unspecified', carrierReason: 'Number is locked', suggestedFix: 'Retry' },
        ],
        failedAt: '2026-12-03T10:13:00.000Z',
      }),
    );
    campaign = await call(key, 'GET', `/v1/trust/campaigns/${campaignId}`);
    expect(campaign.body['numbers']).toEqual([
      expect.objectContaining({
        status: 'approved',
        removal: expect.objectContaining({
          status: 'failed',
          carrierStatus: 'FAILED_UNASSIGNMENT',
        }) as unknown,
      }),
    ]);
    expect((await call(key, 'DELETE', path(campaignId, sender))).status).toBe(202);
  });
});

describe('POST /v1/trust/campaigns/lint', () => {
  it('lints without recording anything; the brand’s name comes from the tenant’s brand', async () => {
    const { key, tenantId } = await newTenant();
    const brandId = await approvedBrand(key, tenantId);
    const before = await recorded(tenantId);
    const body = {
      ...campaignBody(brandId),
      sampleMessages: ['Your order is ready for pickup. Reply STOP to opt out.'],
    };
    const withBrand = await call(key, 'POST', '/v1/trust/campaigns/lint', body);
    expect(withBrand.status).toBe(200);
    expect(withBrand.body['findings']).toEqual([
      expect.objectContaining({ code: 'missing_brand_name', field: 'sampleMessages.0' }),
    ]);
    // Without a brandId the brand-name check is skipped.
    const { brandId: _, ...withoutBrand } = body;
    const skipped = await call(key, 'POST', '/v1/trust/campaigns/lint', withoutBrand);
    expect(skipped.status).toBe(200);
    expect(skipped.body['findings']).toEqual([]);
    // A clean campaign has no finding.
    expect(
      (await call(key, 'POST', '/v1/trust/campaigns/lint', campaignBody(brandId))).body['findings'],
    ).toEqual([]);
    // Another tenant's brand is no brand of this one.
    const other = await newTenant();
    expectProblem(
      await call(other.key, 'POST', '/v1/trust/campaigns/lint', body),
      422,
      'brand_not_found',
      ['brandId'],
    );
    expect(await recorded(tenantId)).toEqual(before);
  });

  it('finds links while embeddedLink is false and a public URL shortener', async () => {
    const { key } = await newTenant();
    const answer = await call(key, 'POST', '/v1/trust/campaigns/lint', {
      usecase: 'MARKETING',
      sampleMessages: ['Harbor Books: new arrivals at https://bit.ly/hb1. Reply STOP to opt out.'],
      embeddedLink: false,
    });
    expect(answer.status).toBe(200);
    const codes = (answer.body['findings'] as Array<{ code: string }>).map((f) => f.code);
    expect(codes).toEqual(
      expect.arrayContaining(['embedded_link_mismatch', 'public_url_shortener']),
    );
  });
});

/** Events of a brand's stream, in order. */
async function brandStream(brandId: string): Promise<string[]> {
  const rows = await database.dataSource.query<Array<{ type: string }>>(
    `SELECT type FROM events WHERE stream_id = $1 ORDER BY version`,
    [`trust-brand-${brandId}`],
  );
  return rows.map((r) => r.type);
}

async function latestRequestId(brandId: string, what: 'otp' | 'vetting'): Promise<string> {
  const [row] = await database.dataSource.query<Array<{ id: string }>>(
    `SELECT ${what}->>'requestId' AS id FROM trust_brands WHERE brand_id = $1`,
    [brandId],
  );
  return String(row?.id);
}

describe('POST /v1/trust/brands/{id}/vetting', () => {
  it('records BrandVettingRequested on the brand’s stream; the order and score show on the brand', async () => {
    const { key, tenantId } = await newTenant();
    const brandId = await approvedBrand(key, tenantId);
    const answer = await call(
      key,
      'POST',
      `/v1/trust/brands/${brandId}/vetting`,
      { evpId: 'AEGIS' },
      { 'idempotency-key': 'vet-1' },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(answer.body['vetting']).toMatchObject({ status: 'requested', evpId: 'AEGIS' });
    expect(await brandStream(brandId)).toEqual([
      'gateway.BrandRegistrationRequested.v1',
      'gateway.BrandVettingRequested.v1',
    ]);
    const replayed = await call(
      key,
      'POST',
      `/v1/trust/brands/${brandId}/vetting`,
      { evpId: 'AEGIS' },
      { 'idempotency-key': 'vet-1' },
    );
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const before = await recorded(tenantId);
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${brandId}/vetting`),
      409,
      'vetting_in_progress',
    );
    expect(await recorded(tenantId)).toEqual(before);

    const requestId = await latestRequestId(brandId, 'vetting');
    await projection.handle(
      fromRegistration('registration.BrandVettingOrdered.v1', {
        brandId,
        tenantId,
        requestId,
        evpId: 'AEGIS',
        vettingClass: 'STANDARD',
        vettingId: 'vet-123',
        orderedAt: '2026-12-03T10:07:00.000Z',
      }),
    );
    await projection.handle(
      fromRegistration('registration.BrandVetted.v1', {
        brandId,
        tenantId,
        vettingScore: 82,
        vettingProvider: 'AEGIS',
        vettedAt: '2026-12-03T10:08:00.000Z',
      }),
    );
    const brand = await call(key, 'GET', `/v1/trust/brands/${brandId}`);
    expect(brand.body).toMatchObject({
      vettingScore: 82,
      vetting: { status: 'ordered', vettingClass: 'STANDARD', vettingId: 'vet-123' },
    });
  });

  it('refuses a sole proprietor, a brand not registered yet and another tenant’s, nothing recorded', async () => {
    const { key, tenantId } = await newTenant();
    const other = await newTenant();
    const sole = await approvedBrand(key, tenantId, soleProprietorBody);
    const fresh = String((await call(key, 'POST', '/v1/trust/brands', brandBody)).body['id']);
    const foreign = await approvedBrand(other.key, other.tenantId);
    const before = await recorded(tenantId);
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${sole}/vetting`, {}),
      409,
      'sole_proprietor_not_vetted',
    );
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${fresh}/vetting`, {}),
      409,
      'brand_not_registered',
    );
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${foreign}/vetting`, {}),
      404,
      'not_found',
    );
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${fresh}/vetting`, { evpId: 5 }),
      400,
      'invalid_request',
      ['evpId'],
    );
    expect(await recorded(tenantId)).toEqual(before);
  });
});

describe('POST /v1/trust/brands/{id}/otp and /otp/verification', () => {
  it('sends a sole proprietor’s OTP, then verifies its PIN; the outcome shows on the brand', async () => {
    const { key, tenantId } = await newTenant();
    const brandId = await approvedBrand(key, tenantId, soleProprietorBody);
    const before = await recorded(tenantId);
    // No OTP sent yet: nothing to verify.
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${brandId}/otp/verification`, { otpPin: '123456' }),
      409,
      'otp_not_sent',
    );
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${brandId}/otp`, { pinSms: 'Your code' }),
      422,
      'invalid_otp_request',
      ['pinSms'],
    );
    expect(await recorded(tenantId)).toEqual(before);

    const sent = await call(key, 'POST', `/v1/trust/brands/${brandId}/otp`, {
      pinSms: 'Ann Lee Tutoring: your code is @OTP_PIN@',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body['otp']).toMatchObject({ status: 'requested' });
    const requestId = await latestRequestId(brandId, 'otp');
    await projection.handle(
      fromRegistration('registration.BrandOtpSent.v1', {
        brandId,
        tenantId,
        requestId,
        referenceId: 'otp-ref-1',
        sentAt: '2026-12-03T10:09:00.000Z',
      }),
    );
    const verifying = await call(key, 'POST', `/v1/trust/brands/${brandId}/otp/verification`, {
      otpPin: '123456',
    });
    expect(verifying.status, JSON.stringify(verifying.body)).toBe(202);
    expect(verifying.body['otp']).toMatchObject({ status: 'verifying' });
    expect(await brandStream(brandId)).toEqual([
      'gateway.BrandRegistrationRequested.v1',
      'gateway.BrandOtpRequested.v1',
      'gateway.BrandOtpVerificationRequested.v1',
    ]);
    await projection.handle(
      fromRegistration('registration.BrandOtpVerified.v1', {
        brandId,
        tenantId,
        requestId: await latestRequestId(brandId, 'otp'),
        verifiedAt: '2026-12-03T10:10:00.000Z',
      }),
    );
    expect((await call(key, 'GET', `/v1/trust/brands/${brandId}`)).body['otp']).toMatchObject({
      status: 'verified',
    });
    const done = await recorded(tenantId);
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${brandId}/otp`, {}),
      409,
      'otp_already_verified',
    );
    expect(await recorded(tenantId)).toEqual(done);
  });

  it('refuses a company brand, a bad PIN and another tenant’s brand, nothing recorded', async () => {
    const { key, tenantId } = await newTenant();
    const other = await newTenant();
    const company = await approvedBrand(key, tenantId);
    const foreign = await approvedBrand(other.key, other.tenantId, soleProprietorBody);
    const before = await recorded(tenantId);
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${company}/otp`, {}),
      409,
      'brand_not_sole_proprietor',
    );
    expectProblem(await call(key, 'POST', `/v1/trust/brands/${foreign}/otp`, {}), 404, 'not_found');
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${company}/otp/verification`, { otpPin: '12 34' }),
      400,
      'invalid_request',
      ['otpPin'],
    );
    expectProblem(
      await call(key, 'POST', `/v1/trust/brands/${company}/otp/verification`, {}),
      400,
      'invalid_request',
      ['otpPin'],
    );
    expect(await recorded(tenantId)).toEqual(before);
  });
});

const tollFreeBody = (phoneNumbers: string[]) => ({
  businessName: 'Harbor Books LLC',
  corporateWebsite: 'https://harborbooks.com',
  businessAddr1: '1 Wacker Dr',
  businessCity: 'Chicago',
  businessState: 'Illinois',
  businessZip: '60601',
  businessContactFirstName: 'Ann',
  businessContactLastName: 'Lee',
  businessContactEmail: 'ann@harborbooks.com',
  businessContactPhone: '+13125550100',
  messageVolume: '1,000',
  phoneNumbers,
  useCase: 'Order Notifications',
  useCaseSummary: 'Order updates and pickup notices for customers who opted in at checkout.',
  productionMessageContent: 'Harbor Books: your order 1042 is ready. Reply STOP to opt out.',
  optInWorkflow: 'Customers check an SMS consent box on the checkout form at harborbooks.com.',
  optInWorkflowImageURLs: ['https://harborbooks.com/optin.png'],
});

const tollFree = () => `+1888${String(randomInt(2_000_000, 10_000_000))}`;

describe('POST/GET /v1/trust/toll-free-verifications', () => {
  it('records TollFreeVerificationRequested; registration’s facts show on it; lists by cursor', async () => {
    const { key, tenantId, sender } = await newTenant(tollFree());
    const answer = await call(
      key,
      'POST',
      '/v1/trust/toll-free-verifications',
      tollFreeBody([sender]),
      {
        'idempotency-key': 'tf-1',
      },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const id = String(answer.body['id']);
    expect(answer.headers.get('location')).toBe(`/v1/trust/toll-free-verifications/${id}`);
    expect(answer.body).toMatchObject({
      businessName: 'Harbor Books LLC',
      phoneNumbers: [sender],
      status: 'pending',
      carrierStatus: null,
      verifiedNumbers: [],
    });
    const [event] = await database.dataSource.query<Array<{ type: string }>>(
      `SELECT type FROM events WHERE stream_id = $1`,
      [`trust-toll-free-verification-${id}`],
    );
    expect(event?.type).toBe('gateway.TollFreeVerificationRequested.v1');
    const replayed = await call(
      key,
      'POST',
      '/v1/trust/toll-free-verifications',
      tollFreeBody([sender]),
      {
        'idempotency-key': 'tf-1',
      },
    );
    expect(replayed.body['id']).toBe(id);

    // Pending: the number cannot be in a second verification.
    const before = await recorded(tenantId);
    expectProblem(
      await call(key, 'POST', '/v1/trust/toll-free-verifications', tollFreeBody([sender])),
      409,
      'number_verification_exists',
      ['phoneNumbers.0'],
    );
    expect(await recorded(tenantId)).toEqual(before);

    await projection.handle(
      fromRegistration('registration.TollFreeVerificationSubmitted.v1', {
        verificationId: id,
        tenantId,
        carrierVerificationId: 'tf-carrier-1',
        phoneNumbers: [sender],
        status: 'pending',
        carrierStatus: 'Waiting For Telnyx',
        submittedAt: '2026-12-03T10:11:00.000Z',
      }),
    );
    await projection.handle(
      fromRegistration('registration.TollFreeVerificationStatusChanged.v1', {
        verificationId: id,
        tenantId,
        phoneNumbers: [sender],
        status: 'approved',
        previousStatus: 'pending',
        carrierStatus: 'Verified',
        reasons: [],
        changedAt: '2026-12-03T10:12:00.000Z',
      }),
    );
    await projection.handle(
      fromRegistration('registration.TollFreeNumberVerified.v1', {
        tenantId,
        phoneNumber: sender,
        verificationId: id,
        carrierStatus: 'Verified',
        verifiedAt: '2026-12-03T10:12:00.000Z',
      }),
    );
    const got = await call(key, 'GET', `/v1/trust/toll-free-verifications/${id}`);
    expect(got.body).toMatchObject({
      status: 'approved',
      carrierStatus: 'Verified',
      carrierVerificationId: 'tf-carrier-1',
      verifiedNumbers: [sender],
    });
    expect(
      (got.body['history'] as Array<{ carrierStatus: string | null }>).map((h) => h.carrierStatus),
    ).toEqual([null, 'Waiting For Telnyx', 'Verified']);
    const list = await call(key, 'GET', '/v1/trust/toll-free-verifications?limit=1');
    expect((list.body['data'] as Array<{ id: string }>).map((v) => v.id)).toEqual([id]);
    expect(list.body['nextCursor']).toBeNull();

    const other = await newTenant();
    expectProblem(
      await call(other.key, 'GET', `/v1/trust/toll-free-verifications/${id}`),
      404,
      'not_found',
    );
    expect(
      (await call(other.key, 'GET', '/v1/trust/toll-free-verifications')).body['data'],
    ).toEqual([]);
  });

  it('refuses missing fields, a long code, another tenant’s number and a bad image URL with 422, nothing recorded', async () => {
    const { key, tenantId, sender } = await newTenant(tollFree());
    const other = await newTenant(tollFree());
    const before = await recorded(tenantId);
    const cases: Array<[object, string[]]> = [
      [
        { ...tollFreeBody([sender]), businessName: undefined, optInWorkflow: '  ' },
        ['businessName', 'optInWorkflow'],
      ],
      [tollFreeBody([]), ['phoneNumbers']],
      [tollFreeBody(['+13125550123']), ['phoneNumbers.0']],
      [tollFreeBody([sender, other.sender]), ['phoneNumbers.1']],
      [tollFreeBody([sender, sender]), ['phoneNumbers.1']],
      [
        { ...tollFreeBody([sender]), optInWorkflowImageURLs: ['ftp://x.example/a.png'] },
        ['optInWorkflowImageURLs.0'],
      ],
    ];
    for (const [body, fields] of cases) {
      expectProblem(
        await call(key, 'POST', '/v1/trust/toll-free-verifications', body, {
          'idempotency-key': randomUUID(),
        }),
        422,
        'invalid_toll_free_verification',
        fields,
      );
    }
    expectProblem(
      await call(key, 'POST', '/v1/trust/toll-free-verifications', {
        ...tollFreeBody([sender]),
        fax: '1',
      }),
      400,
      'invalid_request',
      ['fax'],
    );
    expect(await recorded(tenantId)).toEqual(before);
    const [tables] = await database.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM trust_toll_free_verifications WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(tables?.n).toBe(0);
  });
});
