import { randomUUID } from 'node:crypto';
import type { EventType } from '@textplane/contracts';
import { EventStore, GroupedTransactions, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentReadModel } from '../consents/consent-read-model.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { gatewayMigrations } from '../migrations/index.js';
import { TenantDirectory } from '../tenants/tenant-directory.js';
import { createTestTenant } from '../../test/tenant-fixture.js';
import { MessageReadModel } from './message-read-model.js';
import { MessageWatchHub } from './message-watch-hub.js';
import { MessageProjection } from './message.projection.js';
import type { AuthenticatedTenant } from './message.resource.js';
import { MessagesApplication } from './messages.application.js';

/**
 * The message read model is a projection only: after a run of the real accept path (its
 * SendRequested projected inline) and of messaging's events through the real projection, the
 * table dropped and rebuilt from the stored requests and the consumed events is the same, row
 * for row.
 */

const GROUP = 'gateway.read-models';
const BRAND = 'Harbor Books';
const SENDER = '+18885550101';
const CONTACTS = ['+13052345678', '+15122345678', '+12122345678', '+13122345678'] as const;

let database: TestDatabase;
let app: MessagesApplication;
let projection: MessageProjection;
let tenant: AuthenticatedTenant;
let clockAt = Date.parse('2026-11-25T17:00:00.000Z');

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  const readModel = new MessageReadModel(database.dataSource);
  projection = new MessageProjection(new Inbox(database.dataSource), GROUP, readModel);
  app = new MessagesApplication(
    new EventStore(database.dataSource),
    readModel,
    new TenantDirectory(database.dataSource),
    new IdempotencyStore(database.dataSource),
    // Never started: sending does not watch.
    new MessageWatchHub('postgres://unused', readModel, { warn: () => undefined }),
    { now: () => new Date((clockAt += 1000)) },
    new ConsentReadModel(database.dataSource),
    new GroupedTransactions(database.dataSource),
  );
  ({ tenant } = await createTestTenant(database.dataSource, { sender: SENDER, brandName: BRAND }));
});

afterAll(async () => {
  await database.drop();
});

let offset = 0;
function consumed<T extends EventType>(type: T, data: Record<string, unknown>): ConsumedEvent {
  offset += 1;
  return {
    id: randomUUID(),
    type,
    source: '/textplane/messaging',
    subject: `message-${String(data['messageId'])}`,
    time: new Date(Date.parse('2026-11-25T18:00:00.000Z') + offset).toISOString(),
    tenantId: tenant.tenantId,
    correlationId: String(data['messageId']),
    data: { tenantId: tenant.tenantId, ...data },
    topic: 'messaging.messages.events.v1',
    partition: 0,
    offset: String(offset),
  };
}

const at = (second: number): string =>
  new Date(Date.UTC(2026, 10, 25, 17, 5, second)).toISOString();

function queued(messageId: string, to: string, body: string, second: number): ConsumedEvent {
  return consumed('messaging.MessageQueued.v1', {
    messageId,
    direction: 'outbound',
    to,
    from: SENDER,
    // As messaging queues it: the brand added to a first message.
    body: `${BRAND}: ${body}`,
    addedText: `${BRAND}:`,
    mediaUrls: [],
    purpose: 'transactional',
    encoding: 'GSM-7',
    segments: 1,
    queuedAt: at(second),
  });
}

/** The whole table, in a stable order, as `SELECT *` gives it. */
async function snapshot(): Promise<unknown[]> {
  return database.dataSource.query(`SELECT * FROM messages ORDER BY id`);
}

/** The stored requests, as the outbox relay publishes them (in the store's order). */
async function storedRequests(): Promise<ConsumedEvent[]> {
  const rows = await database.dataSource.query<
    Array<{ event_id: string; type: string; data: Record<string, unknown>; occurred_at: Date }>
  >(
    `SELECT event_id, type, data, occurred_at FROM events
     WHERE type = 'gateway.SendRequested.v1' ORDER BY global_position`,
  );
  return rows.map((row, index) => ({
    id: row.event_id,
    type: row.type,
    source: '/textplane/gateway',
    subject: `send-request-${String(row.data['messageId'])}`,
    time: row.occurred_at.toISOString(),
    tenantId: tenant.tenantId,
    correlationId: String(row.data['messageId']),
    data: row.data,
    topic: 'gateway.send-requests.v1',
    partition: 0,
    offset: String(index),
  }));
}

describe('the message read model, rebuilt from its events (real Postgres)', () => {
  it('is the same row for row after a run as after dropping it and replaying the events', async () => {
    const send = (to: string, body: string) =>
      app.send(tenant, { to, body, purpose: 'transactional' }, randomUUID());
    const [delivered, held, blocked, failed] = await Promise.all(
      CONTACTS.map((to, index) => send(to, `Order ${index} shipped`)),
    );
    const undelivered = await send(CONTACTS[0], 'Your order is late');
    const waiting = await send(CONTACTS[1], 'Still queued');
    const inboundId = randomUUID();
    // A bulk send's message: messaging queues it (no request of the gateway's), naming its send.
    const bulkSendId = randomUUID();
    const bulkMessageId = randomUUID();
    const bulkMessage = queued(bulkMessageId, CONTACTS[3], 'Bulk hello', 1);
    const bulkQueued: ConsumedEvent = {
      ...bulkMessage,
      data: { ...(bulkMessage.data as Record<string, unknown>), bulkSendId },
    };
    if (!delivered || !held || !blocked || !failed) throw new Error('four sends expected');

    const batches: ConsumedEvent[][] = [
      [
        queued(delivered.id, CONTACTS[0], 'Order 0 shipped', 1),
        queued(held.id, CONTACTS[1], 'Order 1 shipped', 1),
        queued(blocked.id, CONTACTS[2], 'Order 2 shipped', 1),
        bulkQueued,
        consumed('messaging.MessageSubmissionStarted.v1', {
          messageId: delivered.id,
          attempt: 1,
          startedAt: at(2),
        }),
        consumed('messaging.MessageHeld.v1', {
          messageId: held.id,
          reason: 'quiet_hours_held',
          sendAt: '2026-11-26T14:00:00.000Z',
          timeZone: 'America/New_York',
          heldAt: at(2),
        }),
      ],
      [
        queued(failed.id, CONTACTS[3], 'Order 3 shipped', 3),
        queued(undelivered.id, CONTACTS[0], 'Your order is late', 3),
        consumed('messaging.MessageBlocked.v1', {
          messageId: blocked.id,
          reason: 'recipient_opted_out',
          reasons: ['recipient_opted_out'],
          detail: 'the recipient opted out of sms',
          blockedAt: at(3),
        }),
        consumed('messaging.MessageSubmitted.v1', {
          messageId: delivered.id,
          carrierMessageId: 'carrier-delivered',
          submittedAt: at(4),
        }),
        consumed('messaging.MessageSent.v1', {
          messageId: delivered.id,
          carrierMessageId: 'carrier-delivered',
          sentAt: at(5),
        }),
        consumed('messaging.InboundMessageReceived.v1', {
          messageId: inboundId,
          direction: 'inbound',
          from: CONTACTS[0],
          to: SENDER,
          body: 'Thanks!',
          mediaUrls: [],
          encoding: 'GSM-7',
          segments: 1,
          carrierMessageId: 'carrier-inbound',
          receivedAt: at(6),
        }),
      ],
      [
        consumed('messaging.MessageDelivered.v1', {
          messageId: delivered.id,
          carrierMessageId: 'carrier-delivered',
          deliveredAt: at(7),
        }),
        consumed('messaging.MessageFailed.v1', {
          messageId: failed.id,
          errorCode: '40008',
          errorDetail: 'the carrier refused the message',
          failedAt: at(7),
        }),
        consumed('messaging.MessageSubmissionStarted.v1', {
          messageId: undelivered.id,
          attempt: 1,
          startedAt: at(7),
        }),
        consumed('messaging.MessageUndelivered.v1', {
          messageId: undelivered.id,
          carrierMessageId: 'carrier-undelivered',
          errorCode: '30003',
          errorDetail: 'unreachable handset',
          undeliveredAt: at(8),
        }),
        // A late receipt after a final status: it changes nothing.
        consumed('messaging.MessageSent.v1', {
          messageId: blocked.id,
          carrierMessageId: 'carrier-blocked',
          sentAt: at(9),
        }),
      ],
    ];
    for (const batch of batches) await projection.handleBatch(batch);
    // A redelivery of a whole batch, as after a consumer restart.
    await projection.handleBatch(batches[1] ?? []);
    const live = await snapshot();
    expect(live).toHaveLength(8);
    expect(live).toContainEqual(
      expect.objectContaining({ id: bulkMessageId, bulk_send_id: bulkSendId }),
    );
    expect(live).toContainEqual(expect.objectContaining({ id: delivered.id, bulk_send_id: null }));
    expect(live).toContainEqual(
      expect.objectContaining({ id: waiting.id, status: 'queued', body: 'Still queued' }),
    );
    expect(live).toContainEqual(
      expect.objectContaining({
        id: delivered.id,
        status: 'delivered',
        body: `${BRAND}: Order 0 shipped`,
      }),
    );

    // Dropped: the rows and what the projection's inbox remembers.
    await database.dataSource.query(`TRUNCATE messages`);
    await database.dataSource.query(`DELETE FROM inbox WHERE consumer_group = $1`, [GROUP]);
    await projection.handleBatch(await storedRequests());
    for (const batch of batches) await projection.handleBatch(batch);

    expect(await snapshot()).toEqual(live);
  });
});
