import { randomUUID } from 'node:crypto';
import { EventStore, GroupedTransactions, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactReadModel } from '../contacts/contact-read-model.js';
import { ConsentReadModel } from '../consents/consent-read-model.js';
import { ContactProjection } from '../contacts/contact.projection.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { gatewayMigrations } from '../migrations/index.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { MessageReadModel } from './message-read-model.js';
import { MessageWatchHub } from './message-watch-hub.js';
import type { AuthenticatedTenant } from './message.resource.js';
import { MessagesApplication } from './messages.application.js';

/**
 * A send naming a contact, over the real read models: the contact projected from messaging's
 * ContactUpserted into Postgres, the body rendered against it, stored and recorded as requested;
 * a missing merge value refused with nothing recorded.
 */

const NOW = new Date('2026-11-25T17:00:00.000Z');
let database: TestDatabase;
let app: MessagesApplication;
let messages: MessageReadModel;
let contacts: ContactProjection;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  messages = new MessageReadModel(database.dataSource);
  contacts = new ContactProjection(new Inbox(database.dataSource), 'gateway.contact-read-models');
  app = new MessagesApplication(
    new EventStore(database.dataSource),
    messages,
    new TenantDirectory(database.dataSource),
    new IdempotencyStore(database.dataSource),
    new MessageWatchHub('postgres://unused', messages, { warn: () => undefined }),
    { now: () => NOW },
    new ConsentReadModel(database.dataSource),
    new GroupedTransactions(database.dataSource),
    undefined,
    undefined,
    new ContactReadModel(database.dataSource),
  );
});

afterAll(async () => {
  await database.drop();
});

async function newTenant(): Promise<AuthenticatedTenant> {
  return (await createTestTenant(database.dataSource)).tenant;
}

async function contactUpserted(tenant: AuthenticatedTenant, contactId: string): Promise<void> {
  await contacts.handle({
    id: randomUUID(),
    type: 'messaging.ContactUpserted.v1',
    source: '/textplane/messaging',
    subject: `contact-${tenant.tenantId}-${contactId}`,
    time: NOW.toISOString(),
    tenantId: tenant.tenantId,
    correlationId: randomUUID(),
    data: {
      tenantId: tenant.tenantId,
      contactId,
      version: 1,
      contact: {
        phone: '+13052345678',
        firstName: 'Ann',
        timeZone: 'America/Denver',
        tags: [],
        customFields: { plan: 'gold' },
      },
      created: true,
      upsertedAt: NOW.toISOString(),
    },
    topic: 'messaging.contacts.events.v1',
    partition: 0,
    offset: '1',
  });
}

async function recordedRequests(tenant: AuthenticatedTenant): Promise<Record<string, unknown>[]> {
  const rows = await database.dataSource.query<Array<{ data: Record<string, unknown> }>>(
    `SELECT data FROM events WHERE type = 'gateway.SendRequested.v1' AND data->>'tenantId' = $1`,
    [tenant.tenantId],
  );
  return rows.map((row) => row.data);
}

describe('a send naming a contact', () => {
  it("goes to the contact's phone with the body rendered, its zone and id recorded and listed", async () => {
    const tenant = await newTenant();
    await contactUpserted(tenant, 'crm:7');
    const message = await app.send(
      tenant,
      { contactId: 'crm:7', body: 'Hi {{ contact.first_name }}, your {{ contact.plan }} plan' },
      randomUUID(),
    );
    expect(message).toMatchObject({
      to: '+13052345678',
      contactId: 'crm:7',
      body: 'Hi Ann, your gold plan',
      segments: 1,
    });
    expect(await recordedRequests(tenant)).toEqual([
      expect.objectContaining({
        to: '+13052345678',
        contactId: 'crm:7',
        body: 'Hi Ann, your gold plan',
        recipientTimeZone: 'America/Denver',
      }),
    ]);
    const page = await app.list(tenant, { contactId: 'crm:7', limit: 10 });
    expect(page.items.map((m) => m.id)).toEqual([message.id]);
    expect((await app.list(tenant, { contactId: 'crm:8', limit: 10 })).items).toEqual([]);
  });

  it('refuses a missing merge value with 422 naming it, and records nothing', async () => {
    const tenant = await newTenant();
    await contactUpserted(tenant, 'crm:9');
    await expect(
      app.send(tenant, { contactId: 'crm:9', body: 'Hi {{ contact.last_name }}' }, randomUUID()),
    ).rejects.toMatchObject({
      code: 'missing_merge_value',
      violations: [{ field: 'contact.last_name' }],
    });
    await expect(
      app.send(tenant, { contactId: 'crm:404', body: 'Hi' }, randomUUID()),
    ).rejects.toMatchObject({ code: 'contact_not_found' });
    expect(await recordedRequests(tenant)).toEqual([]);
    expect((await app.list(tenant, { limit: 10 })).items).toEqual([]);
  });

  it('sends a body to a bare number as written, {{ and all', async () => {
    const tenant = await newTenant();
    const message = await app.send(
      tenant,
      { to: '+13052345678', body: 'Use code {{ SAVE }}' },
      randomUUID(),
    );
    expect([message.body, message.contactId]).toEqual(['Use code {{ SAVE }}', null]);
  });

  it('previews the rendered body for a contact', async () => {
    const tenant = await newTenant();
    await contactUpserted(tenant, 'crm:5');
    const preview = await app.preview(tenant, {
      contactId: 'crm:5',
      body: 'Hi {{ contact.first_name }}',
    });
    expect(preview.body).toBe('Hi Ann');
  });
});
