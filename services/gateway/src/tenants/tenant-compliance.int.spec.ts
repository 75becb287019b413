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

/** The compliance PUT over the real event store and tenants read model. */

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
  const error = await controller.setCompliance(request(headers), tenantId, body, reply).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { answer, error };
}

async function streamTypes(tenantId: string): Promise<string[]> {
  return (await store.readStream(tenantStreamId(tenantId))).map((e) => e.type);
}

async function readModelCompliance(tenantId: string): Promise<unknown> {
  const rows = await database.dataSource.query<Array<{ compliance: unknown }>>(
    `SELECT compliance FROM tenants WHERE id = $1`,
    [tenantId],
  );
  return rows[0]?.compliance;
}

describe('PUT /admin/v1/tenants/{id}/compliance', () => {
  it('appends the whole profile to the tenant stream and updates the read model', async () => {
    const tenantId = await newTenant();
    const compliance = {
      helpText: '{brand}: Questions? Call 800-555-0100. Msg & data rates may apply.',
      restrictedContent: 'flag',
    };
    const { answer, error } = await put(tenantId, compliance);
    expect(error).toBeUndefined();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: tenantId, brandName: 'Harbor Books', compliance });

    const stream = await store.readStream(tenantStreamId(tenantId));
    expect(stream.map((e) => [e.type, e.version])).toEqual([
      ['gateway.TenantCreated.v1', 1],
      ['gateway.TenantComplianceProfileSet.v1', 2],
    ]);
    expect(stream[1]?.data).toEqual({ tenantId, compliance, setAt: NOW.toISOString() });
    expect(await readModelCompliance(tenantId)).toEqual(compliance);

    // Setting it again records nothing; a smaller profile puts the rest back to the defaults.
    await put(tenantId, { ...compliance });
    expect(await streamTypes(tenantId)).toHaveLength(2);
    const { answer: smaller } = await put(tenantId, { restrictedContent: 'block' });
    expect(smaller.body).toMatchObject({ compliance: { restrictedContent: 'block' } });
    expect((smaller.body as TenantRecord).compliance).not.toHaveProperty('helpText');
    expect(await readModelCompliance(tenantId)).toEqual({ restrictedContent: 'block' });
    expect(await streamTypes(tenantId)).toHaveLength(3);
  });

  it('refuses a profile the texts check refuses with 400, and records nothing', async () => {
    const tenantId = await newTenant();
    const { error } = await put(tenantId, {
      helpText: 'Win big at the casino: bit.ly/acme',
      restrictedContent: 'flag',
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'invalid_request' });
    expect((error as ApiError).violations.map((v) => v.field)).toContain('compliance.helpText');
    expect(await streamTypes(tenantId)).toEqual(['gateway.TenantCreated.v1']);
    expect(await readModelCompliance(tenantId)).toBeNull();
  });

  it('answers 404 for a tenant that does not exist, and records nothing', async () => {
    const tenantId = randomUUID();
    const { error } = await put(tenantId, { restrictedContent: 'flag' });
    expect(error).toMatchObject({ kind: 'not_found' });
    expect(await streamTypes(tenantId)).toEqual([]);
  });

  it('replays the first answer for a retried Idempotency-Key, without undoing a later change', async () => {
    const tenantId = await newTenant();
    const key = { 'idempotency-key': randomUUID() };
    const first = await put(tenantId, { restrictedContent: 'flag' }, key);
    expect(first.answer.status).toBe(200);
    await put(tenantId, { restrictedContent: 'block' });
    const retried = await put(tenantId, { restrictedContent: 'flag' }, key);
    expect(retried.answer).toEqual(first.answer);
    expect(await readModelCompliance(tenantId)).toEqual({ restrictedContent: 'block' });
    const reused = await put(tenantId, { restrictedContent: 'block' }, key);
    expect(reused.error).toMatchObject({ kind: 'unprocessable', code: 'idempotency_key_reused' });
  });
});
