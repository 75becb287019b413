import { randomUUID } from 'node:crypto';
import { ConsumerGroups, type EventType, Topics } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import type { StoredEnvelope } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageReadModel } from '../messages/message-read-model.js';
import { MessageProjection } from '../messages/message.projection.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { ConversationReadModel } from './conversation-read-model.js';
import { ConversationWatchHub } from './conversation-watch-hub.js';
import { ConversationProjection } from './conversation.projection.js';
import { rebuildConversations } from './conversation.rebuild.js';
import { ConversationsApplication } from './conversations.application.js';

/**
 * Conversations on a real Postgres: the list's order, unread filter and pages after messaging's
 * events went through the real projection, read marks recorded in the store and projected inline,
 * their redelivery from the topic changing nothing, bad requests recording nothing; and the table
 * dropped and rebuilt from the topic and the stored marks is the same, row for row.
 */

const MAIN = '+18885550101';
const SECOND = '+18885550199';
const ALICE = '+13052345678';
const BOB = '+15122345678';
const CAROL = '+12122345678';

let database: TestDatabase;
let app: ConversationsApplication;
let messages: MessageProjection;
let conversations: ConversationProjection;
let reads: ConversationProjection;
let tenant: AuthenticatedTenant;
let clockAt = Date.parse('2026-11-25T18:30:00.000Z');

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  const inbox = new Inbox(database.dataSource);
  const readModel = new ConversationReadModel(database.dataSource);
  messages = new MessageProjection(
    inbox,
    ConsumerGroups.gatewayReadModels,
    new MessageReadModel(database.dataSource),
  );
  conversations = new ConversationProjection(
    inbox,
    ConsumerGroups.gatewayConversationReadModels,
    readModel,
  );
  reads = new ConversationProjection(inbox, ConsumerGroups.gatewayConversationReads, readModel);
  app = new ConversationsApplication(
    database.dataSource,
    new EventStore(database.dataSource),
    readModel,
    // Never started: nothing here watches.
    new ConversationWatchHub('postgres://unused', readModel, { warn: () => undefined }),
    { now: () => new Date((clockAt += 1000)) },
  );
  tenant = { tenantId: randomUUID(), keyId: randomUUID() };
  // A contact of the tenant with Alice's number, as the contacts projection writes it.
  await database.dataSource.query(
    `INSERT INTO contacts (tenant_id, contact_id, version, phone, first_name, last_name, email,
       company_name, time_zone, tags, custom_fields, updated_at)
     VALUES ($1, 'crm-alice', 1, $2, 'Alice', 'Ng', NULL, NULL, NULL, '{}', '{}', now())`,
    [tenant.tenantId, ALICE],
  );
});

afterAll(async () => {
  await database.drop();
});

let offset = 0;
const consumedEvents: ConsumedEvent[] = [];
function consumed(type: EventType, data: Record<string, unknown>): ConsumedEvent {
  offset += 1;
  const event: ConsumedEvent = {
    id: randomUUID(),
    type,
    source: '/textplane/messaging',
    subject: `message-${String(data['messageId'])}`,
    time: new Date(Date.parse('2026-11-25T18:00:00.000Z') + offset).toISOString(),
    tenantId: tenant.tenantId,
    correlationId: String(data['messageId']),
    data: { tenantId: tenant.tenantId, ...data },
    topic: Topics.messagingMessages,
    partition: 0,
    offset: String(offset),
  };
  consumedEvents.push(event);
  return event;
}

const idOf = (event: ConsumedEvent): string =>
  String((event.data as Record<string, unknown>)['messageId']);

const at = (second: number): string =>
  new Date(Date.UTC(2026, 10, 25, 17, 5, second)).toISOString();

function inbound(from: string, second: number, body = 'Hi there'): ConsumedEvent {
  return consumed('messaging.InboundMessageReceived.v1', {
    messageId: randomUUID(),
    direction: 'inbound',
    from,
    to: MAIN,
    body,
    mediaUrls: [],
    encoding: 'GSM-7',
    segments: 1,
    carrierMessageId: `carrier-${offset}`,
    receivedAt: at(second),
  });
}

function queued(to: string, second: number, from = MAIN): ConsumedEvent {
  return consumed('messaging.MessageQueued.v1', {
    messageId: randomUUID(),
    direction: 'outbound',
    to,
    from,
    body: `Harbor Books: your order ${offset} shipped`,
    mediaUrls: [],
    purpose: 'transactional',
    encoding: 'GSM-7',
    segments: 1,
    queuedAt: at(second),
  });
}

/** Each batch through both projections of messaging's topic, as the gateway consumes it. */
async function project(batch: ConsumedEvent[]): Promise<void> {
  await messages.handleBatch(batch);
  await conversations.handleBatch(batch);
}

async function snapshot(): Promise<unknown[]> {
  return database.dataSource.query(`SELECT * FROM conversations ORDER BY tenant_id, phone`);
}

/** The stored read marks, as the outbox relay publishes them (in the store's order). */
async function storedReads(): Promise<StoredEnvelope[]> {
  const rows = await database.dataSource.query<
    Array<{ event_id: string; type: string; data: Record<string, unknown>; occurred_at: Date }>
  >(
    `SELECT event_id, type, data, occurred_at FROM events
     WHERE type = 'gateway.ConversationRead.v1' ORDER BY global_position`,
  );
  return rows.map((row, index) => ({
    id: row.event_id,
    type: row.type,
    source: '/textplane/gateway',
    subject: `conversation-${String(row.data['tenantId'])}-${String(row.data['phone'])}`,
    time: row.occurred_at.toISOString(),
    tenantId: String(row.data['tenantId']),
    correlationId: String(row.data['upToMessageId']),
    data: row.data,
    topic: Topics.gatewayConversations,
    partition: 0,
    offset: String(index),
    streamType: 'conversation',
  }));
}

async function refusal(call: () => Promise<unknown>): Promise<ApiError> {
  try {
    await call();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const phones = (page: { items: Array<{ phone: string }> }) => page.items.map((c) => c.phone);

describe('conversations (real Postgres)', () => {
  let bobInbound: ConsumedEvent;

  it('lists by latest activity with the contact, sender and latest status; unread filters; marks clear', async () => {
    bobInbound = inbound(BOB, 2, 'Is my order on its way?');
    const toBob = queued(BOB, 5, SECOND);
    await project([queued(ALICE, 1), bobInbound, inbound(CAROL, 3), inbound(CAROL, 4)]);
    await project([
      toBob,
      consumed('messaging.MessageSent.v1', {
        messageId: idOf(toBob),
        carrierMessageId: 'carrier-bob',
        sentAt: at(6),
      }),
      inbound(ALICE, 7, 'Thanks! '.repeat(20)),
    ]);
    await project([
      consumed('messaging.MessageDelivered.v1', {
        messageId: idOf(toBob),
        carrierMessageId: 'carrier-bob',
        deliveredAt: at(8),
      }),
    ]);

    const all = await app.list(tenant, { limit: 50 });
    expect(phones(all)).toEqual([ALICE, BOB, CAROL]);
    expect(all.nextCursor).toBeNull();
    const [alice, bob, carol] = all.items;
    expect(alice).toMatchObject({
      contact: { id: 'crm-alice', firstName: 'Alice', lastName: 'Ng' },
      senderNumber: MAIN,
      lastMessage: { direction: 'inbound', status: 'received', at: at(7) },
      unreadCount: 1,
      lastReadAt: null,
    });
    expect(alice?.lastMessage.preview).toBe('Thanks! '.repeat(20).slice(0, 100));
    expect(bob).toMatchObject({
      contact: null,
      senderNumber: SECOND,
      lastMessage: { id: idOf(toBob), direction: 'outbound', status: 'delivered' },
      unreadCount: 1,
    });
    expect(carol?.unreadCount).toBe(2);

    const first = await app.list(tenant, { limit: 2 });
    expect(phones(first)).toEqual([ALICE, BOB]);
    const rest = await app.list(tenant, { limit: 2, cursor: first.nextCursor ?? '' });
    expect(phones(rest)).toEqual([CAROL]);
    expect(rest.nextCursor).toBeNull();

    const marked = await app.markRead(tenant, CAROL, undefined);
    expect(marked).toMatchObject({ phone: CAROL, unreadCount: 0 });
    expect(marked.lastReadAt).toBe(new Date(clockAt).toISOString());
    expect(phones(await app.list(tenant, { limit: 50, unread: true }))).toEqual([ALICE, BOB]);
    expect(phones(await app.list(tenant, { limit: 50, unread: false }))).toEqual([CAROL]);

    // Up to Bob's inbound message: the later outbound one changes nothing of the count.
    const bobRead = await app.markRead(tenant, BOB, { upTo: idOf(bobInbound) });
    expect(bobRead.unreadCount).toBe(0);

    // A new inbound message after the mark is unread again, and moves the conversation up.
    await project([inbound(CAROL, 9, 'One more thing')]);
    const after = await app.list(tenant, { limit: 50, unread: true });
    expect(phones(after)).toEqual([CAROL, ALICE]);
    expect(after.items[0]?.unreadCount).toBe(1);

    // The marks again from their topic: nothing changes.
    const before = await snapshot();
    await reads.handleBatch(await storedReads());
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bad requests, naming the field, and records nothing', async () => {
    const count = async () =>
      (
        await database.dataSource.query<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM events WHERE type = 'gateway.ConversationRead.v1'`,
        )
      )[0]?.n;
    const recorded = await count();
    const before = await snapshot();
    const cases: Array<[string, () => Promise<unknown>, string, string]> = [
      [
        'a bad phone',
        () => app.markRead(tenant, '3055550123', undefined),
        'invalid_request',
        'phone',
      ],
      [
        'an unknown conversation',
        () => app.markRead(tenant, '+13125550000', undefined),
        'not_found',
        '',
      ],
      [
        'a bad upTo',
        () => app.markRead(tenant, BOB, { upTo: 'latest' }),
        'invalid_request',
        'upTo',
      ],
      [
        'a message of another conversation',
        () => app.markRead(tenant, ALICE, { upTo: idOf(bobInbound) }),
        'unprocessable',
        'upTo',
      ],
      [
        'an unknown field',
        () => app.markRead(tenant, BOB, { until: 'now' }),
        'invalid_request',
        'until',
      ],
      [
        'a bad cursor',
        () => app.list(tenant, { limit: 10, cursor: 'abc' }),
        'invalid_request',
        'cursor',
      ],
      ['a page size of 0', () => app.list(tenant, { limit: 0 }), 'invalid_request', 'limit'],
    ];
    for (const [what, call, kind, field] of cases) {
      const error = await refusal(call);
      expect(error.kind, what).toBe(kind);
      if (field !== '') {
        expect(error.violations.map((v) => v.field).join(','), what).toContain(field);
      }
    }
    // Another tenant sees none of these conversations.
    const other = { tenantId: randomUUID(), keyId: randomUUID() };
    expect((await app.list(other, { limit: 50 })).items).toEqual([]);
    expect((await refusal(() => app.markRead(other, CAROL, undefined))).kind).toBe('not_found');
    expect(await count()).toBe(recorded);
    expect(await snapshot()).toEqual(before);
  });

  it('is the same row for row when dropped and rebuilt from the topic and the stored marks', async () => {
    const live = await snapshot();
    expect(live).toHaveLength(3);
    await database.dataSource.query(`TRUNCATE conversations`);
    await database.dataSource.query(`DELETE FROM inbox WHERE consumer_group = ANY($1)`, [
      [ConsumerGroups.gatewayConversationReadModels, ConsumerGroups.gatewayConversationReads],
    ]);
    await rebuildConversations(new Inbox(database.dataSource), database.dataSource, {
      store: await storedReads(),
      topics: { [Topics.messagingMessages]: consumedEvents },
    });
    expect(await snapshot()).toEqual(live);
  });

  it('folds a fetched batch as its events applied one at a time would', async () => {
    const dana = '+14155552671';
    const first = queued(dana, 10);
    const second = queued(dana, 12);
    const events = [
      first,
      consumed('messaging.MessageSent.v1', {
        messageId: idOf(first),
        carrierMessageId: 'carrier-first',
        sentAt: at(11),
      }),
      inbound(dana, 11, 'Got it, thanks'),
      second,
      // No longer the latest message of the conversation: it changes nothing.
      consumed('messaging.MessageDelivered.v1', {
        messageId: idOf(first),
        carrierMessageId: 'carrier-first',
        deliveredAt: at(13),
      }),
      consumed('messaging.MessageSent.v1', {
        messageId: idOf(second),
        carrierMessageId: 'carrier-second',
        sentAt: at(14),
      }),
      queued(CAROL, 15),
      inbound(CAROL, 16, 'Who is this?'),
    ];
    const forTenant = (tenantId: string): ConsumedEvent[] =>
      events.map((event) => ({
        ...event,
        id: randomUUID(),
        tenantId,
        data: { ...(event.data as Record<string, unknown>), tenantId },
      }));
    const [oneByOne, together] = [randomUUID(), randomUUID()];
    for (const event of forTenant(oneByOne)) await conversations.handle(event);
    await conversations.handleBatch(forTenant(together));

    const rowsOf = async (tenantId: string): Promise<string> =>
      JSON.stringify(
        await database.dataSource.query(
          `SELECT * FROM conversations WHERE tenant_id = $1 ORDER BY phone`,
          [tenantId],
        ),
      ).replaceAll(tenantId, '<tenant>');
    const expected = await rowsOf(oneByOne);
    expect(JSON.parse(expected)).toHaveLength(2);
    expect(expected).toContain(`"last_message_id":"${idOf(second)}"`);
    expect(await rowsOf(together)).toBe(expected);
  });
});
