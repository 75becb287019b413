import { randomInt, randomUUID } from 'node:crypto';
import { EventStore, GroupedTransactions, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentReadModel } from '../consents/consent-read-model.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { MessageReadModel } from '../messages/message-read-model.js';
import { MessageWatchHub } from '../messages/message-watch-hub.js';
import { MessageProjection } from '../messages/message.projection.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { MessagesApplication } from '../messages/messages.application.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { TenantAdmin } from '../tenants/tenant-admin.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { tenantStreamId } from '../tenants/tenant.events.js';
import { SettingsApplication } from './settings.application.js';

/** `/v1/settings` and the preview's opt-out reminder over the real event store and read models. */

const DAY_MS = 24 * 60 * 60 * 1000;
/** A Wednesday, 12:00 in New York: inside every send window. */
const NOW = new Date('2026-11-25T17:00:00.000Z');
const OPT_OUT = 'Reply STOP to opt out.';
const newSender = (): string => `+1888${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

let database: TestDatabase;
let store: EventStore;
let admin: TenantAdmin;
let settings: SettingsApplication;
let messages: MessagesApplication;
let messageProjection: MessageProjection;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  store = new EventStore(database.dataSource);
  const directory = new TenantDirectory(database.dataSource);
  admin = new TenantAdmin(store, directory, { now: () => NOW });
  settings = new SettingsApplication(database.dataSource, admin);
  const readModel = new MessageReadModel(database.dataSource);
  messageProjection = new MessageProjection(
    new Inbox(database.dataSource),
    'gateway.read-models',
    readModel,
  );
  messages = new MessagesApplication(
    store,
    readModel,
    directory,
    new IdempotencyStore(database.dataSource),
    // Never started: the preview does not watch.
    new MessageWatchHub('postgres://unused', readModel, { warn: () => undefined }),
    { now: () => NOW },
    new ConsentReadModel(database.dataSource),
    new GroupedTransactions(database.dataSource),
  );
});

afterAll(async () => {
  await database.drop();
});

async function newTenant(): Promise<AuthenticatedTenant & { sender: string }> {
  const sender = newSender();
  const { tenant } = await admin.createTenant({
    name: 'Harbor Books LLC',
    brandName: 'Harbor Books',
    timeZone: 'America/New_York',
    senderNumbers: [sender],
    defaultSender: sender,
  });
  return { tenantId: tenant.id, keyId: randomUUID(), sender };
}

async function settingsEvents(tenantId: string): Promise<unknown[]> {
  const rows = await database.dataSource.query<Array<{ data: unknown }>>(
    `SELECT data FROM events WHERE stream_id = $1 AND type = 'gateway.TenantSettingsSet.v1'
      ORDER BY version`,
    [tenantStreamId(tenantId)],
  );
  return rows.map((row) => row.data);
}

let offset = 0;
/** An outbound message as messaging queued it, projected into the gateway's read model. */
async function queued(
  tenant: AuthenticatedTenant & { sender: string },
  to: string,
  body: string,
  queuedAt: Date,
): Promise<void> {
  const messageId = randomUUID();
  await messageProjection.handle({
    id: randomUUID(),
    type: 'messaging.MessageQueued.v1',
    source: '/textplane/messaging',
    subject: `message-${messageId}`,
    time: queuedAt.toISOString(),
    tenantId: tenant.tenantId,
    correlationId: messageId,
    data: {
      messageId,
      tenantId: tenant.tenantId,
      direction: 'outbound',
      to,
      from: tenant.sender,
      body,
      mediaUrls: [],
      purpose: 'conversational',
      encoding: 'GSM-7',
      segments: 1,
      queuedAt: queuedAt.toISOString(),
    },
    topic: 'messaging.messages.events.v1',
    partition: 0,
    offset: String((offset += 1)),
  });
}

/** The settings of a tenant that set none. */
const defaults = {
  optOutReminder: null,
  campaignUseCaseMismatch: 'flag',
  numberValidation: { enabled: false, skipLineTypes: ['landline'], cacheDays: 30 },
};

describe('GET and PATCH /v1/settings (real Postgres)', () => {
  it('answers the defaults, then reads its writes; null resets a key; a repeat records nothing', async () => {
    const tenant = await newTenant();
    expect(await settings.get(tenant)).toEqual({ ...defaults, optOutReminder: null });

    expect(await settings.update(tenant, { optOutReminder: { everyDays: 30 } })).toEqual({
      ...defaults,
      optOutReminder: { everyDays: 30 },
    });
    expect(await settings.get(tenant)).toEqual({ ...defaults, optOutReminder: { everyDays: 30 } });
    // A key left out stays; the same value again records nothing.
    expect(await settings.update(tenant, {})).toEqual({
      ...defaults,
      optOutReminder: { everyDays: 30 },
    });
    expect(await settings.update(tenant, { optOutReminder: { everyDays: 30 } })).toEqual({
      ...defaults,
      optOutReminder: { everyDays: 30 },
    });
    expect(await settingsEvents(tenant.tenantId)).toEqual([
      {
        tenantId: tenant.tenantId,
        settings: { optOutReminder: { everyDays: 30 } },
        setAt: NOW.toISOString(),
      },
    ]);

    expect(await settings.update(tenant, { optOutReminder: null })).toEqual({
      ...defaults,
      optOutReminder: null,
    });
    expect(await settings.get(tenant)).toEqual({ ...defaults, optOutReminder: null });
    expect(await settingsEvents(tenant.tenantId)).toHaveLength(2);
  });

  it('refuses a bad patch with 400 naming the field, and records nothing', async () => {
    const tenant = await newTenant();
    await settings.update(tenant, { optOutReminder: { everyDays: 14 } });
    for (const [body, field] of [
      [{ optOutReminder: { everyDays: 0 } }, 'optOutReminder.everyDays'],
      [{ optOutReminder: { everyDays: 366 } }, 'optOutReminder.everyDays'],
      [{ optOutReminder: { everyDays: 'weekly' } }, 'optOutReminder.everyDays'],
      [{ optOutReminder: 'on' }, 'optOutReminder'],
      [{ linkDomain: 'acme.example' }, 'linkDomain'],
    ] as const) {
      const refused = await settings.update(tenant, body).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ApiError);
      expect((refused as ApiError).kind).toBe('invalid_request');
      expect((refused as ApiError).violations.map((v) => v.field)).toContain(field);
    }
    expect(await settingsEvents(tenant.tenantId)).toHaveLength(1);
    expect(await settings.get(tenant)).toEqual({ ...defaults, optOutReminder: { everyDays: 14 } });
  });
});

describe('POST /v1/messages/preview with the periodic opt-out reminder (real Postgres)', () => {
  it('counts the line for a number not sent one in N days, not for one sent one lately', async () => {
    const tenant = await newTenant();
    const [never, lately, longAgo] = ['+12122345671', '+12122345672', '+12122345673'];
    const body = 'Harbor Books: your order is ready for pickup.';
    // Off by default: nothing said, nothing added.
    const off = await messages.preview(tenant, { body, to: never });
    expect(off.compliance.optOutReminder).toBeUndefined();
    expect(off.compliance.added).toBeUndefined();

    await settings.update(tenant, { optOutReminder: { everyDays: 30 } });
    await queued(
      tenant,
      lately,
      `Harbor Books: hi.\n${OPT_OUT}`,
      new Date(NOW.getTime() - 29 * DAY_MS),
    );
    await queued(
      tenant,
      longAgo,
      `Harbor Books: hi.\n${OPT_OUT}`,
      new Date(NOW.getTime() - 31 * DAY_MS),
    );
    // A text without the line does not count as a reminder.
    await queued(tenant, longAgo, 'Harbor Books: see you soon.', new Date(NOW.getTime() - DAY_MS));

    const plain = await messages.preview(tenant, { body, to: lately });
    const reminded = await messages.preview(tenant, { body, to: never });
    expect(reminded.compliance).toMatchObject({ optOutReminder: 'added', added: OPT_OUT });
    expect(reminded.characters).toBe(plain.characters + 1 + OPT_OUT.length);
    expect(plain.compliance.optOutReminder).toBe('not_due');
    expect(plain.compliance.added).toBeUndefined();
    expect((await messages.preview(tenant, { body, to: longAgo })).compliance).toMatchObject({
      optOutReminder: 'added',
      added: OPT_OUT,
    });

    // Without a recipient: the reminder may be added, not counted.
    const unknown = await messages.preview(tenant, { body });
    expect(unknown.compliance.optOutReminder).toBe('may_be_added');
    expect(unknown.characters).toBe(plain.characters);
    // Marketing carries the line anyway: the reminder says nothing there.
    const marketing = await messages.preview(tenant, { body, to: lately, purpose: 'marketing' });
    expect(marketing.compliance.optOutReminder).toBeUndefined();
    expect(marketing.compliance.added).toBe(OPT_OUT);
  });
});
