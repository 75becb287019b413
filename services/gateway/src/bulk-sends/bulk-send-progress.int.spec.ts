import { randomUUID } from 'node:crypto';
import { bulkMessageId, Topics } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import {
  createTestDatabase,
  type TestDatabase,
  testPostgresConfig,
} from '@textplane/event-store/testing';
import { type ConsumedEvent, outboxContractCheck } from '@textplane/kafka';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, insertTestContacts } from '../../test/tenant-fixture.js';
import { CustomValueReadModel } from '../custom-values/custom-value-read-model.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { MessageReadModel } from '../messages/message-read-model.js';
import { MessageProjection } from '../messages/message.projection.js';
import { gatewayMigrations } from '../migrations/index.js';
import { TemplateReadModel } from '../templates/template-read-model.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { BulkRecipientReadModel } from './bulk-recipient-read-model.js';
import { BulkSendLifecycle } from './bulk-send-lifecycle.application.js';
import { BULK_SEND_CHANGES_CHANNEL, BulkSendProjection } from './bulk-send.projection.js';
import { BulkSendReadModel, type BulkSendResource } from './bulk-send-read-model.js';
import { BulkSendWatchHub } from './bulk-send-watch-hub.js';
import { BulkSendsApplication } from './bulk-sends.application.js';

/**
 * WatchBulkSend's progress over the real gateway database and LISTEN/NOTIFY: a bulk message's
 * change (queued, sent, delivered, through the message projection) wakes its bulk send's
 * watchers with the counts moved, one NOTIFY per projected batch per bulk send.
 */

const NOW = new Date('2026-12-02T17:00:00.000Z');
let database: TestDatabase;
let lifecycle: BulkSendLifecycle;
let bulkProjection: BulkSendProjection;
let messages: MessageProjection;
let hub: BulkSendWatchHub;
let listener: pg.Client;
const bulkNotices: Array<{ tenantId: string; bulkSendId: string }> = [];

function databaseUrl(name: string): string {
  const { host, port, user, password } = testPostgresConfig();
  const auth = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
  return `postgres://${auth}@${host}:${port}/${name}`;
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  const clock = { now: () => NOW };
  const readModel = new BulkSendReadModel(database.dataSource, clock);
  bulkProjection = new BulkSendProjection(
    new Inbox(database.dataSource),
    'gateway.bulk-send-read-models',
  );
  lifecycle = new BulkSendLifecycle(
    new BulkSendsApplication(
      new TenantDirectory(database.dataSource),
      new BulkRecipientReadModel(database.dataSource),
      new TemplateReadModel(database.dataSource),
      new CustomValueReadModel(database.dataSource),
      clock,
    ),
    new EventStore(database.dataSource, { check: outboxContractCheck }),
    bulkProjection,
    readModel,
    new IdempotencyStore(database.dataSource),
    clock,
  );
  messages = new MessageProjection(
    new Inbox(database.dataSource),
    'gateway.read-models',
    new MessageReadModel(database.dataSource),
  );
  hub = new BulkSendWatchHub(databaseUrl(database.name), readModel, { warn: () => undefined });
  await hub.start();
  // A second listener counts the NOTIFYs themselves.
  listener = new pg.Client({ connectionString: databaseUrl(database.name) });
  listener.on('notification', (message) => {
    if (message.channel === BULK_SEND_CHANGES_CHANNEL && message.payload) {
      bulkNotices.push(JSON.parse(message.payload) as { tenantId: string; bulkSendId: string });
    }
  });
  await listener.connect();
  await listener.query(`LISTEN ${BULK_SEND_CHANGES_CHANNEL}`);
});

afterAll(async () => {
  await listener.end();
  await hub.stop();
  await database.drop();
});

let offset = 0;
function consumed(topic: string, type: string, data: Record<string, unknown>): ConsumedEvent {
  return {
    id: randomUUID(),
    type,
    source: '/textplane/messaging',
    subject: String(data['messageId'] ?? data['bulkSendId']),
    time: NOW.toISOString(),
    tenantId: String(data['tenantId']),
    correlationId: randomUUID(),
    data,
    topic,
    partition: 0,
    offset: String(offset++),
  };
}

async function until(what: string, done: () => boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Every notice committed so far, heard: a marker NOTIFY sent now arrives after them (one
 * connection hears notices in commit order). Returns the notices before the marker.
 */
async function heardSoFar(): Promise<Array<{ tenantId: string; bulkSendId: string }>> {
  const marker = { tenantId: randomUUID(), bulkSendId: randomUUID() };
  await database.dataSource.query(`SELECT pg_notify($1, $2)`, [
    BULK_SEND_CHANGES_CHANNEL,
    JSON.stringify(marker),
  ]);
  await until('the marker', () => bulkNotices.some((n) => n.bulkSendId === marker.bulkSendId));
  const heard = bulkNotices.splice(0);
  return heard.slice(
    0,
    heard.findIndex((n) => n.bulkSendId === marker.bulkSendId),
  );
}

const at = (minute: number) => new Date(NOW.getTime() + minute * 60_000).toISOString();

describe('WatchBulkSend progress', () => {
  it("moves a watcher's counts as the bulk messages go queued, sent, delivered", async () => {
    const { tenant, sender } = await createTestTenant(database.dataSource);
    const contacts: Array<[string, string]> = [
      ['c1', '+13052345601'],
      ['c2', '+13052345602'],
      ['c3', '+13052345603'],
    ];
    await insertTestContacts(database.dataSource, tenant.tenantId, contacts, NOW);
    const { bulkSend } = await lifecycle.create(
      tenant,
      {
        recipients: { contactIds: contacts.map(([id]) => id) },
        message: { body: 'Hi {{ contact.first_name }}', purpose: 'transactional' },
        delivery: { mode: 'now' },
      },
      undefined,
    );
    const id = bulkSend.id;
    const base = { bulkSendId: id, tenantId: tenant.tenantId };
    await bulkProjection.handle(
      consumed(Topics.messagingBulkSends, 'messaging.BulkSendBatchReleased.v1', {
        ...base,
        batch: 0,
        queued: 3,
        skipped: [],
        releasedAt: at(0),
        nextBatchAt: null,
      }),
    );

    // The release's own notice heard before watching: the counts below move by the messages.
    await heardSoFar();
    const seen: BulkSendResource[] = [];
    hub.watch(tenant.tenantId, (bulk) => {
      if (bulk.id === id) seen.push(bulk);
    });
    const latest = () => seen.at(-1)?.messages;

    const message = (contactId: string, phone: string) => ({
      messageId: bulkMessageId(id, contactId),
      tenantId: tenant.tenantId,
      direction: 'outbound',
      to: phone,
      from: sender,
      body: 'Hi Ann',
      mediaUrls: [],
      purpose: 'transactional',
      encoding: 'GSM-7',
      segments: 1,
      contactId,
      bulkSendId: id,
      queuedAt: at(1),
    });
    await heardSoFar();
    // One projected batch of three bulk messages: one NOTIFY for the bulk send, not three.
    await messages.handleBatch(
      contacts.map(([contactId, phone]) =>
        consumed(Topics.messagingMessages, 'messaging.MessageQueued.v1', message(contactId, phone)),
      ),
    );
    await until('the queued counts', () => latest()?.queued === 3);
    expect(latest()).toMatchObject({ pending: 0, queued: 3, sent: 0, delivered: 0 });
    const row = await database.dataSource.query<Array<{ bulk_send_id: string }>>(
      `SELECT bulk_send_id FROM messages WHERE id = $1`,
      [bulkMessageId(id, 'c1')],
    );
    expect(row).toEqual([{ bulk_send_id: id }]);

    const c1 = bulkMessageId(id, 'c1');
    const c2 = bulkMessageId(id, 'c2');
    await messages.handleBatch([
      consumed(Topics.messagingMessages, 'messaging.MessageSubmissionStarted.v1', {
        messageId: c1,
        tenantId: tenant.tenantId,
        attempt: 1,
        startedAt: at(2),
      }),
      consumed(Topics.messagingMessages, 'messaging.MessageSubmissionStarted.v1', {
        messageId: c2,
        tenantId: tenant.tenantId,
        attempt: 1,
        startedAt: at(2),
      }),
      consumed(Topics.messagingMessages, 'messaging.MessageSent.v1', {
        messageId: c1,
        tenantId: tenant.tenantId,
        carrierMessageId: 'carrier-1',
        sentAt: at(3),
      }),
      consumed(Topics.messagingMessages, 'messaging.MessageSent.v1', {
        messageId: c2,
        tenantId: tenant.tenantId,
        carrierMessageId: 'carrier-2',
        sentAt: at(3),
      }),
    ]);
    await until('the sent counts', () => latest()?.sent === 2);
    expect(latest()).toMatchObject({ queued: 1, sent: 2, delivered: 0 });

    await messages.handleBatch([
      consumed(Topics.messagingMessages, 'messaging.MessageDelivered.v1', {
        messageId: c1,
        tenantId: tenant.tenantId,
        carrierMessageId: 'carrier-1',
        deliveredAt: at(4),
      }),
    ]);
    await until('the delivered count', () => latest()?.delivered === 1);
    expect(latest()).toMatchObject({ pending: 0, queued: 1, sent: 1, delivered: 1 });

    // Three projected batches: three NOTIFYs of this bulk send, whatever their size.
    expect(await heardSoFar()).toEqual([base, base, base]);
  });

  it('NOTIFYs nothing for messages of no bulk send', async () => {
    const { tenant, sender } = await createTestTenant(database.dataSource);
    await heardSoFar();
    await messages.handleBatch([
      consumed(Topics.messagingMessages, 'messaging.MessageQueued.v1', {
        messageId: randomUUID(),
        tenantId: tenant.tenantId,
        direction: 'outbound',
        to: '+13052345609',
        from: sender,
        body: 'Hi',
        mediaUrls: [],
        purpose: 'transactional',
        encoding: 'GSM-7',
        segments: 1,
        queuedAt: at(1),
      }),
    ]);
    expect(await heardSoFar()).toEqual([]);
  });
});
