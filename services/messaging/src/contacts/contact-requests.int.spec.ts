import { randomUUID } from 'node:crypto';
import type { ContactRecord } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumed, SettableClock } from '../../test/messaging-harness.js';
import { messagingMigrations } from '../migrations/index.js';
import { rebuildMessagingReadModels } from '../rebuild/messaging-read-models.rebuild.js';
import type { StoredEnvelope } from '@textplane/service-runtime';
import { ContactRequestHandler } from './contact-requests.handler.js';

let database: TestDatabase;
let requests: EventHandlers;
let handler: ContactRequestHandler;
const clock = new SettableClock(new Date('2026-11-26T12:00:00.000Z'));
const tenantId = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase({ migrations: messagingMigrations });
  handler = new ContactRequestHandler(new EventStore(database.dataSource), clock);
  requests = onceThroughInbox(
    new Inbox(database.dataSource),
    'messaging.contact-requests',
    async (e, m) => {
      await handler.apply(e, m);
    },
  );
});

afterAll(async () => {
  await database.drop();
});

const requestStream = (contactId: string) => `contact-requests-${tenantId}-${contactId}`;

function upsertRequest(
  contactId: string,
  contact: ContactRecord,
  expectedVersion?: number,
): ConsumedEvent {
  return consumed('gateway.ContactUpsertRequested.v1', requestStream(contactId), {
    requestId: randomUUID(),
    tenantId,
    contactId,
    contact,
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
    requestedAt: clock.now().toISOString(),
  });
}

function deletionRequest(contactId: string): ConsumedEvent {
  return consumed('gateway.ContactDeletionRequested.v1', requestStream(contactId), {
    requestId: randomUUID(),
    tenantId,
    contactId,
    requestedAt: clock.now().toISOString(),
  });
}

async function factsOf(contactId: string) {
  return database.dataSource.query<
    Array<{ type: string; version: number; data: Record<string, unknown> }>
  >(`SELECT type, version, data FROM events WHERE stream_id = $1 ORDER BY version`, [
    `contact-${tenantId}-${contactId}`,
  ]);
}

async function lookupRow(contactId: string) {
  const rows = await database.dataSource.query<
    Array<{ version: number; phone: string; time_zone: string | null; record: ContactRecord }>
  >(
    `SELECT version, phone, time_zone, record FROM contacts WHERE tenant_id = $1 AND contact_id = $2`,
    [tenantId, contactId],
  );
  return rows[0] ?? null;
}

const ana: ContactRecord = {
  phone: '+15555550123',
  firstName: 'Ana',
  timeZone: 'America/Chicago',
  tags: ['vip'],
  customFields: { plan: 'pro' },
};

describe('contact requests (messaging)', () => {
  it('creates, replaces and deletes a contact, the lookup table following each fact', async () => {
    const contactId = `crm-${randomUUID()}`;
    const create = upsertRequest(contactId, ana);
    await requests.handle(create);
    expect(await lookupRow(contactId)).toEqual({
      version: 1,
      phone: ana.phone,
      time_zone: 'America/Chicago',
      record: ana,
    });

    const replaced: ContactRecord = { phone: '+15555550124', tags: [], customFields: {} };
    await requests.handle(upsertRequest(contactId, replaced, 1));
    expect(await lookupRow(contactId)).toEqual({
      version: 2,
      phone: replaced.phone,
      time_zone: null,
      record: replaced,
    });

    await requests.handle(deletionRequest(contactId));
    expect(await lookupRow(contactId)).toBeNull();

    const facts = await factsOf(contactId);
    expect(facts.map((f) => [f.type, f.data.version, f.data.created])).toEqual([
      ['messaging.ContactUpserted.v1', 1, true],
      ['messaging.ContactUpserted.v1', 2, false],
      ['messaging.ContactDeleted.v1', 3, undefined],
    ]);
    expect(facts[0]?.data.requestId).toBe((create.data as { requestId: string }).requestId);
  });

  it('refuses a stale If-Match: a rejection fact, the contact unchanged', async () => {
    const contactId = `crm-${randomUUID()}`;
    await requests.handle(upsertRequest(contactId, ana));
    await requests.handle(upsertRequest(contactId, { ...ana, firstName: 'Bea' }));
    const stale = upsertRequest(contactId, { ...ana, firstName: 'Cy' }, 1);
    await requests.handle(stale);

    expect((await lookupRow(contactId))?.record.firstName).toBe('Bea');
    const last = (await factsOf(contactId)).at(-1);
    expect(last?.type).toBe('messaging.ContactRequestRejected.v1');
    expect(last?.data).toMatchObject({
      reason: 'version_mismatch',
      currentVersion: 2,
      requestId: (stale.data as { requestId: string }).requestId,
    });
  });

  it('applies a redelivered request once', async () => {
    const contactId = `crm-${randomUUID()}`;
    const request = upsertRequest(contactId, ana);
    await requests.handle(request);
    await requests.handle(request);
    expect((await factsOf(contactId)).length).toBe(1);
    expect((await handler.load(tenantId, contactId)).state).toMatchObject({
      status: 'active',
      version: 1,
    });
  });

  it('a deletion of a contact that is not there is refused as not_found', async () => {
    const contactId = `crm-${randomUUID()}`;
    await requests.handle(deletionRequest(contactId));
    const facts = await factsOf(contactId);
    expect(facts.map((f) => [f.type, f.data.reason, f.data.currentVersion])).toEqual([
      ['messaging.ContactRequestRejected.v1', 'not_found', null],
    ]);
    expect(await lookupRow(contactId)).toBeNull();
  });

  it('the contacts table rebuilds from the stored contact events row for row', async () => {
    const kept = `crm-${randomUUID()}`;
    const gone = `crm-${randomUUID()}`;
    await requests.handle(upsertRequest(kept, ana));
    await requests.handle(upsertRequest(kept, { ...ana, firstName: 'Ada' }, 1));
    await requests.handle(upsertRequest(kept, ana, 1));
    await requests.handle(upsertRequest(gone, ana));
    await requests.handle(deletionRequest(gone));

    const stored = await database.dataSource.query<
      Array<{ stream_type: string; type: string; data: Record<string, unknown> }>
    >(`SELECT stream_type, type, data FROM events ORDER BY global_position`);
    const store = stored.map(
      (row) =>
        ({
          streamType: row.stream_type,
          type: row.type,
          data: row.data,
        }) as unknown as StoredEnvelope,
    );
    const target = await createTestDatabase({ migrations: messagingMigrations });
    try {
      await rebuildMessagingReadModels(target.dataSource, {
        store,
        topics: { 'gateway.tenants.events.v1': [], 'consent.consents.events.v1': [] },
      });
      const rows = (dataSource: typeof database.dataSource) =>
        dataSource.query<unknown[]>(`SELECT * FROM contacts ORDER BY tenant_id, contact_id`);
      const live: unknown[] = await rows(database.dataSource);
      expect(live.length).toBeGreaterThan(0);
      expect(await rows(target.dataSource)).toEqual(live);
    } finally {
      await target.drop();
    }
  });
});
