import { randomInt, randomUUID } from 'node:crypto';
import { EventStore } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { FastifyReply } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantRequest } from '../http/request-context.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { AdminController } from './admin.controller.js';
import { TenantAdmin } from './tenant-admin.js';
import { TenantDirectory, type TenantRecord } from './tenant-directory.js';
import { tenantStreamId } from './tenant.events.js';

/** The throughput limits PUT/GET over the real event store and tenants read model. */

/** A number belongs to one tenant: each tenant of these tests has its own. */
const newSender = (): string => `+1888${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
const NOW = new Date('2026-11-26T12:00:00.000Z');

let database: TestDatabase;
let store: EventStore;
let controller: AdminController;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  store = new EventStore(database.dataSource);
  const admin = new TenantAdmin(store, new TenantDirectory(database.dataSource), {
    now: () => NOW,
  });
  controller = new AdminController(admin, new IdempotencyStore(database.dataSource));
});

afterAll(async () => {
  await database.drop();
});

interface Answer {
  status: number;
  body: unknown;
}

/** A reply that remembers what the controller sent. */
function recordingReply(): { reply: FastifyReply; answer: Answer } {
  const answer: Answer = { status: 0, body: undefined };
  const reply = {
    status(code: number) {
      answer.status = code;
      return this;
    },
    send(body: unknown) {
      answer.body = body;
      return Promise.resolve(this);
    },
  };
  return { reply: reply as unknown as FastifyReply, answer };
}

const request = (headers: Record<string, string> = {}) => ({ headers }) as unknown as TenantRequest;

async function newTenant(): Promise<string> {
  const { reply, answer } = recordingReply();
  const sender = newSender();
  await controller.create(
    request(),
    {
      name: 'Harbor Books LLC',
      brandName: 'Harbor Books',
      timeZone: 'America/Chicago',
      senderNumbers: [sender],
      defaultSender: sender,
    },
    reply,
  );
  expect(answer.status).toBe(201);
  return (answer.body as TenantRecord).id;
}

async function put(tenantId: string, body: unknown, headers: Record<string, string> = {}) {
  const { reply, answer } = recordingReply();
  const error = await controller.setLimits(request(headers), tenantId, body, reply).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { answer, error };
}

async function streamTypes(tenantId: string): Promise<string[]> {
  return (await store.readStream(tenantStreamId(tenantId))).map((e) => e.type);
}

async function storedSettings(tenantId: string): Promise<unknown> {
  const rows = await database.dataSource.query<Array<{ settings: unknown }>>(
    `SELECT settings FROM tenants WHERE id = $1`,
    [tenantId],
  );
  return rows[0]?.settings;
}

describe('PUT /admin/v1/tenants/{id}/limits', () => {
  it("records the operator's overrides in the tenant's settings, answers them, and {} removes them", async () => {
    const tenantId = await newTenant();
    const limits = {
      attPerMinute: { sms: 60 },
      tollFreePerNumberPerSecond: 100,
      accountPerSecond: { sms: 500, mms: 50 },
    };
    const { answer, error } = await put(tenantId, limits);
    expect(error).toBeUndefined();
    expect(answer).toEqual({ status: 200, body: limits });
    expect(await storedSettings(tenantId)).toEqual({ throughputLimits: limits });
    expect(await controller.getLimits(tenantId)).toEqual(limits);
    expect(await streamTypes(tenantId)).toEqual([
      'gateway.TenantCreated.v1',
      'gateway.TenantSettingsSet.v1',
    ]);

    // The same again records nothing; {} goes back to the carriers' limits.
    await put(tenantId, limits);
    expect(await streamTypes(tenantId)).toHaveLength(2);
    expect((await put(tenantId, {})).answer).toEqual({ status: 200, body: {} });
    expect(await storedSettings(tenantId)).toEqual({});
    expect(await controller.getLimits(tenantId)).toEqual({});
  });

  it.each([
    [{ tMobilePerDay: 0 }, 'tMobilePerDay'],
    [{ tollFreePerNumberPerSecond: 2.5 }, 'tollFreePerNumberPerSecond'],
    [{ attPerMinute: { fax: 3 } }, 'attPerMinute.fax'],
    [{ attPerMinute: 60 }, 'attPerMinute'],
    [{ verizonPerHour: 5 }, 'verizonPerHour'],
    [[], '(body)'],
  ])('refuses %j with 400 invalid_request naming %s, recording nothing', async (body, field) => {
    const tenantId = await newTenant();
    const { error } = await put(tenantId, body);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('invalid_request');
    expect((error as ApiError).violations.map((v) => v.field)).toContain(field);
    expect(await streamTypes(tenantId)).toEqual(['gateway.TenantCreated.v1']);
  });

  it('answers 404 for a tenant that does not exist', async () => {
    const { error } = await put(randomUUID(), { tMobilePerDay: 10 });
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('not_found');
  });
});
