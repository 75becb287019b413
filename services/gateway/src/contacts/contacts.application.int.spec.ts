import { randomUUID } from 'node:crypto';
import type { ContactUpsertRequested, ContactDeletionRequested } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConsentReadModel } from '../consents/consent-read-model.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { ListeningContactConfirmations } from './contact-confirmations.js';
import { ContactReadModel } from './contact-read-model.js';
import type { ContactFact } from './contact-row.js';
import { ContactProjection } from './contact.projection.js';
import { ContactsApplication, contactRequestStreamId } from './contacts.application.js';
import { rebuildGatewayReadModels } from '../rebuild/gateway-read-models.rebuild.js';

/**
 * The gateway's half of a contact write over real Postgres: the request recorded in the store,
 * the answer waiting on the projection's NOTIFY. Messaging is played by a stand-in that answers
 * each recorded request with the fact messaging's decider would emit (its rules are tested in
 * messaging), delivered through the real projection.
 */
let database: TestDatabase;
let store: EventStore;
let projection: ContactProjection;
let confirmations: ListeningContactConfirmations;
let contacts: ContactsApplication;
/** Gives messaging 50 ms: for the answer past the confirmation timeout. */
let impatient: ContactsApplication;
let answering = true;
const versions = new Map<string, { version: number; active: boolean }>();
/** Every fact the stand-in delivered, in order: messaging's topic as a rebuild reads it. */
const delivered: ConsumedEvent[] = [];
const tenant: AuthenticatedTenant = { tenantId: randomUUID(), keyId: randomUUID() };
const now = new Date('2026-11-26T12:00:00.000Z');

function fact(event: ContactFact, subject: string): ConsumedEvent {
  return {
    id: randomUUID(),
    type: event.type,
    source: '/textplane/messaging',
    subject,
    time: now.toISOString(),
    tenantId: tenant.tenantId,
    correlationId: randomUUID(),
    data: event.data,
    topic: 'messaging.contacts.events.v1',
    partition: 0,
    offset: '0',
  };
}

/** What messaging decides of a request (the rules of services/messaging's contact decider). */
function messagingAnswer(type: string, data: ContactUpsertRequested | ContactDeletionRequested) {
  const key = data.contactId;
  const state = versions.get(key) ?? { version: 0, active: false };
  const base = { tenantId: data.tenantId, contactId: data.contactId, requestId: data.requestId };
  const reject = (reason: 'version_mismatch' | 'not_found'): ContactFact => ({
    type: 'messaging.ContactRequestRejected.v1',
    data: {
      ...base,
      reason,
      currentVersion: state.active ? state.version : null,
      requestedAt: data.requestedAt,
      rejectedAt: now.toISOString(),
    },
  });
  if (data.expectedVersion !== undefined && !state.active) return reject('not_found');
  if (data.expectedVersion !== undefined && data.expectedVersion !== state.version) {
    return reject('version_mismatch');
  }
  if (type === 'gateway.ContactUpsertRequested.v1') {
    versions.set(key, { version: state.version + 1, active: true });
    return {
      type: 'messaging.ContactUpserted.v1',
      data: {
        ...base,
        version: state.version + 1,
        contact: (data as ContactUpsertRequested).contact,
        created: !state.active,
        upsertedAt: now.toISOString(),
      },
    } satisfies ContactFact;
  }
  if (!state.active) return reject('not_found');
  versions.set(key, { version: state.version + 1, active: false });
  return {
    type: 'messaging.ContactDeleted.v1',
    data: { ...base, version: state.version + 1, deletedAt: now.toISOString() },
  } satisfies ContactFact;
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  store = new EventStore(database.dataSource);
  projection = new ContactProjection(new Inbox(database.dataSource), 'gateway.contact-read-models');
  const readModel = new ContactReadModel(database.dataSource);
  const options = database.dataSource.options as {
    host?: string;
    port?: number;
    username?: string;
    database?: string;
  };
  const url = `postgres://${options.username ?? 'postgres'}@${options.host ?? '127.0.0.1'}:${options.port ?? 5432}/${options.database ?? ''}`;
  confirmations = new ListeningContactConfirmations(url, readModel, {
    warn: () => undefined,
  });
  await confirmations.start();
  const log: Pick<EventStore, 'append'> = {
    append: async (streamId, streamType, expected, events, manager) => {
      const appended = await store.append(streamId, streamType, expected, events, manager);
      if (answering) {
        for (const event of events) {
          const answer = messagingAnswer(
            event.type,
            event.data as ContactUpsertRequested | ContactDeletionRequested,
          );
          const consumed = fact(answer, `contact-${streamId}`);
          delivered.push(consumed);
          setImmediate(() => void projection.handle(consumed));
        }
      }
      return appended;
    },
  };
  const application = (timeoutMs: number) =>
    new ContactsApplication(
      log,
      readModel,
      new ConsentReadModel(database.dataSource),
      { authenticate: () => Promise.resolve(tenant) },
      confirmations,
      { now: () => now },
      timeoutMs,
    );
  contacts = application(5_000);
  impatient = application(50);
});

afterAll(async () => {
  await confirmations.stop();
  await database.drop();
});

beforeEach(() => {
  answering = true;
});

async function requestsOf(contactId: string) {
  return database.dataSource.query<Array<{ type: string; data: Record<string, unknown> }>>(
    `SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version`,
    [contactRequestStreamId(tenant.tenantId, contactId)],
  );
}

const ana = { phone: '+15555550123', firstName: 'Ana', lastName: 'Lima', tags: ['vip'] };

describe('contacts application (gateway, real Postgres)', () => {
  it('PUT creates, answers with the stored contact, and a GET right after sees it', async () => {
    const id = `crm-${randomUUID()}`;
    const outcome = await contacts.upsert(
      tenant,
      id,
      { ...ana, timeZone: 'us/eastern' },
      undefined,
    );
    expect(outcome).toMatchObject({
      status: 'upserted',
      created: true,
      contact: { id, version: 1, firstName: 'Ana', timeZone: 'America/New_York', tags: ['vip'] },
    });
    const got = await contacts.get(tenant, id);
    expect(got).toMatchObject({ id, version: 1, phone: ana.phone, lastMessageAt: null });
    expect(got.consent).toMatchObject({ phone: ana.phone, openReviewCount: 0 });
    const recorded = await requestsOf(id);
    expect(recorded.map((r) => r.type)).toEqual(['gateway.ContactUpsertRequested.v1']);
    expect(recorded[0]?.data).toMatchObject({ contactId: id, tenantId: tenant.tenantId });
  });

  it('PUT replaces as a whole (200, next version); a stale If-Match is 412 and changes nothing', async () => {
    const id = `crm-${randomUUID()}`;
    await contacts.upsert(tenant, id, ana, undefined);
    const replaced = await contacts.upsert(tenant, id, { phone: '+15555550124' }, 1);
    expect(replaced).toMatchObject({
      status: 'upserted',
      created: false,
      contact: { version: 2, phone: '+15555550124', firstName: null, tags: [] },
    });
    const stale = await contacts.upsert(tenant, id, ana, 1).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ApiError);
    expect(stale).toMatchObject({ kind: 'precondition_failed', code: 'version_mismatch' });
    expect((await contacts.get(tenant, id)).version).toBe(2);
  });

  it('refuses bad input naming the field, recording nothing', async () => {
    const id = `crm-${randomUUID()}`;
    const cases: Array<[string, string, unknown]> = [
      ['bad id!', 'id', ana],
      [id, 'phone', { ...ana, phone: '5555550123' }],
      [id, 'timeZone', { ...ana, timeZone: 'Mars/Olympus' }],
      [id, 'firstName', { ...ana, firstName: 'x'.repeat(101) }],
      [id, 'customFields.Plan', { ...ana, customFields: { Plan: 'pro' } }],
      [id, 'nickname', { ...ana, nickname: 'A' }],
    ];
    for (const [contactId, field, body] of cases) {
      const error = await contacts
        .upsert(tenant, contactId, body, undefined)
        .catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(ApiError);
      expect(
        (error as ApiError).violations.map((v) => v.field),
        field,
      ).toContain(field);
    }
    expect(await requestsOf(id)).toEqual([]);
  });

  it('answers pending when messaging does not confirm within the timeout', async () => {
    answering = false;
    const id = `crm-${randomUUID()}`;
    const outcome = await impatient.upsert(tenant, id, ana, undefined);
    expect(outcome).toMatchObject({ status: 'pending', contactId: id });
    expect((await requestsOf(id)).length).toBe(1);
  });

  it('DELETE removes the contact (then 404); a DELETE of none is 404', async () => {
    const id = `crm-${randomUUID()}`;
    await contacts.upsert(tenant, id, ana, undefined);
    expect(await contacts.delete(tenant, id, undefined)).toEqual({
      status: 'deleted',
      contactId: id,
      version: 2,
    });
    await expect(contacts.get(tenant, id)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(contacts.delete(tenant, id, undefined)).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it('lists by tag, q (any case) and phone, page by page', async () => {
    const prefix = `list-${randomUUID()}`;
    const tag = `t-${randomUUID().slice(0, 8)}`;
    await contacts.upsert(tenant, `${prefix}-a`, { ...ana, tags: [tag] }, undefined);
    await contacts.upsert(
      tenant,
      `${prefix}-b`,
      { phone: '+15555550177', companyName: 'Globex 100%', tags: [tag] },
      undefined,
    );
    await contacts.upsert(tenant, `${prefix}-c`, { phone: '+15555550178', tags: [tag] }, undefined);

    const first = await contacts.list(tenant, { tag, limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    expect(first.nextCursor).not.toBeNull();
    const second = await contacts.list(tenant, { tag, limit: 2, cursor: first.nextCursor ?? '' });
    expect(second).toEqual({
      items: [expect.objectContaining({ id: `${prefix}-c` })],
      nextCursor: null,
    });

    expect(
      (await contacts.list(tenant, { tag, q: 'LIMA', limit: 10 })).items.map((c) => c.id),
    ).toEqual([`${prefix}-a`]);
    expect((await contacts.list(tenant, { tag, q: 'ana lima', limit: 10 })).items.length).toBe(1);
    expect(
      (await contacts.list(tenant, { tag, q: '100%', limit: 10 })).items.map((c) => c.id),
    ).toEqual([`${prefix}-b`]);
    expect((await contacts.list(tenant, { tag, q: '0%', limit: 10 })).items.length).toBe(1);
    expect(
      (await contacts.list(tenant, { tag, phone: '+15555550178', limit: 10 })).items.map(
        (c) => c.id,
      ),
    ).toEqual([`${prefix}-c`]);

    await expect(contacts.list(tenant, { limit: 0 })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
    await expect(contacts.list(tenant, { limit: 10, cursor: 'nope' })).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
    await expect(contacts.list(tenant, { limit: 10, phone: '555' })).rejects.toMatchObject({
      kind: 'invalid_request',
    });
  });

  it('a redelivered fact changes nothing', async () => {
    const id = `crm-${randomUUID()}`;
    await contacts.upsert(tenant, id, ana, undefined);
    const again = fact(
      {
        type: 'messaging.ContactUpserted.v1',
        data: {
          tenantId: tenant.tenantId,
          contactId: id,
          version: 1,
          contact: { phone: '+15555550199', tags: [], customFields: {} },
          created: true,
          upsertedAt: now.toISOString(),
        },
      },
      `contact-${id}`,
    );
    await projection.handle(again);
    expect((await contacts.get(tenant, id)).phone).toBe(ana.phone);
  });

  it('the contact tables rebuild from the messaging topic row for row', async () => {
    // Its own traffic (the other tests' facts are in the topic as well): an upsert, a replace,
    // a refused stale write, a deletion.
    const kept = `crm-${randomUUID()}`;
    const gone = `crm-${randomUUID()}`;
    await contacts.upsert(tenant, kept, ana, undefined);
    await contacts.upsert(tenant, kept, { ...ana, firstName: 'Ada' }, 1);
    await contacts.upsert(tenant, kept, ana, 1).catch(() => undefined);
    await contacts.upsert(tenant, gone, ana, undefined);
    await contacts.delete(tenant, gone, undefined);
    const target = await createTestDatabase({ migrations: gatewayMigrations });
    try {
      await rebuildGatewayReadModels(target.dataSource, {
        store: [],
        topics: {
          'messaging.messages.events.v1': [],
          'consent.consents.events.v1': [],
          'messaging.contacts.events.v1': delivered,
        },
      });
      for (const [table, order] of [
        ['contacts', 'tenant_id, contact_id'],
        ['contact_request_outcomes', 'request_id'],
      ] as const) {
        const rows = (dataSource: typeof database.dataSource) =>
          dataSource.query<unknown[]>(`SELECT * FROM ${table} ORDER BY ${order}`);
        const live: unknown[] = await rows(database.dataSource);
        expect(live.length, table).toBeGreaterThan(0);
        expect(await rows(target.dataSource), table).toEqual(live);
      }
    } finally {
      await target.drop();
    }
  });
});
