import { randomUUID } from 'node:crypto';
import { Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayMigrations } from '../migrations/index.js';
import { MessageReadModel } from './message-read-model.js';
import {
  MESSAGE_CHANGES_CHANNEL,
  type MessageChangeNotice,
  MessageProjection,
} from './message.projection.js';

let database: TestDatabase;
let projection: MessageProjection;
let readModel: MessageReadModel;
const tenantId = randomUUID();

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  readModel = new MessageReadModel(database.dataSource);
  projection = new MessageProjection(
    new Inbox(database.dataSource),
    'gateway.read-models',
    readModel,
  );
});

afterAll(async () => {
  await database.drop();
});

let offset = 0;
function event(type: string, data: Record<string, unknown>, id = randomUUID()): ConsumedEvent {
  offset += 1;
  return {
    id,
    type,
    source: '/textplane/messaging',
    subject: `message-${String(data['messageId'])}`,
    time: new Date().toISOString(),
    tenantId,
    correlationId: String(data['messageId']),
    data: { tenantId, ...data },
    topic: 'messaging.messages.events.v1',
    partition: 0,
    offset: String(offset),
  };
}

function lifecycle(messageId: string) {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, s)).toISOString();
  return {
    queued: event('messaging.MessageQueued.v1', {
      messageId,
      direction: 'outbound',
      to: '+15555550123',
      from: '+15555550100',
      body: 'Hello',
      mediaUrls: [],
      purpose: 'transactional',
      encoding: 'GSM-7',
      segments: 1,
      queuedAt: at(0),
    }),
    started: event('messaging.MessageSubmissionStarted.v1', {
      messageId,
      attempt: 1,
      startedAt: at(1),
    }),
    submitted: event('messaging.MessageSubmitted.v1', {
      messageId,
      carrierMessageId: 'carrier-1',
      submittedAt: at(2),
    }),
    sent: event('messaging.MessageSent.v1', {
      messageId,
      carrierMessageId: 'carrier-1',
      sentAt: at(3),
    }),
    delivered: event('messaging.MessageDelivered.v1', {
      messageId,
      carrierMessageId: 'carrier-1',
      deliveredAt: at(4),
    }),
  };
}

describe('MessageProjection (real Postgres)', () => {
  it('follows a message to delivered, and a late or repeated receipt changes nothing', async () => {
    const messageId = randomUUID();
    const m = lifecycle(messageId);
    for (const e of [m.queued, m.started, m.submitted, m.sent, m.delivered])
      await projection.handle(e);
    await projection.handle(m.delivered);
    await projection.handle({ ...m.sent, id: randomUUID() });

    const message = await readModel.get(tenantId, messageId);
    expect(message).toMatchObject({
      status: 'delivered',
      carrierMessageId: 'carrier-1',
      sentAt: '2026-11-26T12:00:03.000Z',
      deliveredAt: '2026-11-26T12:00:04.000Z',
    });
  });

  it('shows a held message as scheduled until it sends, and a blocked one with its reasons for good', async () => {
    const held = lifecycle(randomUUID());
    const heldId = String((held.queued.data as { messageId: string }).messageId);
    await projection.handle(held.queued);
    await projection.handle(
      event('messaging.MessageHeld.v1', {
        messageId: heldId,
        reason: 'quiet_hours_held',
        sendAt: '2026-11-27T14:00:00.000Z',
        timeZone: 'America/New_York',
        heldAt: '2026-11-26T12:00:01.000Z',
      }),
    );
    expect(await readModel.get(tenantId, heldId)).toMatchObject({
      status: 'scheduled',
      reason: 'quiet_hours_held',
      reasons: ['quiet_hours_held'],
      sendAt: '2026-11-27T14:00:00.000Z',
    });
    await projection.handle(held.started);
    // Released: the hold no longer describes it.
    expect(await readModel.get(tenantId, heldId)).toMatchObject({
      status: 'sending',
      reason: null,
      reasons: [],
      sendAt: null,
    });

    const blocked = lifecycle(randomUUID());
    const blockedId = String((blocked.queued.data as { messageId: string }).messageId);
    await projection.handle(blocked.queued);
    await projection.handle(
      event('messaging.MessageBlocked.v1', {
        messageId: blockedId,
        reason: 'recipient_opted_out',
        reasons: ['recipient_opted_out', 'content_rejected'],
        detail: 'the recipient opted out of sms',
        blockedAt: '2026-11-26T12:00:02.000Z',
      }),
    );
    await projection.handle({ ...blocked.sent, id: randomUUID() });
    expect(await readModel.get(tenantId, blockedId)).toMatchObject({
      status: 'blocked',
      reason: 'recipient_opted_out',
      reasons: ['recipient_opted_out', 'content_rejected'],
      reasonDetail: 'the recipient opted out of sms',
      sentAt: null,
    });
  });

  it('applies a batch in order in one transaction, and announces each change once committed', async () => {
    const messageId = randomUUID();
    const m = lifecycle(messageId);
    const options = database.dataSource.options as {
      host?: string;
      port?: number;
      username?: string;
      password?: unknown;
      database?: string;
    };
    const client = new pg.Client({
      host: options.host,
      port: options.port,
      user: options.username,
      password: typeof options.password === 'string' ? options.password : undefined,
      database: options.database,
    });
    await client.connect();
    const notices: MessageChangeNotice[] = [];
    client.on('notification', (n) => {
      if (n.payload) notices.push(JSON.parse(n.payload) as MessageChangeNotice);
    });
    await client.query(`LISTEN ${MESSAGE_CHANGES_CHANNEL}`);
    try {
      await projection.handleBatch([
        m.queued,
        m.started,
        m.submitted,
        m.sent,
        m.delivered,
        m.delivered,
      ]);
      const deadline = Date.now() + 5_000;
      while (notices.filter((n) => n.messageId === messageId).length < 5 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await client.end();
    }
    expect((await readModel.get(tenantId, messageId))?.status).toBe('delivered');
    const mine = notices.filter((n) => n.messageId === messageId);
    expect(mine.map((n) => n.eventType)).toEqual([
      'messaging.MessageQueued.v1',
      'messaging.MessageSubmissionStarted.v1',
      'messaging.MessageSubmitted.v1',
      'messaging.MessageSent.v1',
      'messaging.MessageDelivered.v1',
    ]);
    expect(mine.at(-1)?.message).toMatchObject({ status: 'delivered', tenant_id: tenantId });
  });

  it('applies a batch of several messages, interleaved and redelivered, each in its own order', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const [ma, mb, mc] = [lifecycle(a), lifecycle(b), lifecycle(c)];
    const batch = [
      ma.queued,
      mb.queued,
      ma.started,
      mc.queued,
      mb.started,
      ma.submitted,
      ma.sent,
      mb.started,
      ma.delivered,
      mc.started,
    ];

    await projection.handleBatch(batch);
    const once = await Promise.all([a, b, c].map((id) => readModel.get(tenantId, id)));
    // The whole batch again, as after a consumer restart: nothing moves.
    await projection.handleBatch(batch);
    const twice = await Promise.all([a, b, c].map((id) => readModel.get(tenantId, id)));

    expect(once.map((m) => m?.status)).toEqual(['delivered', 'sending', 'sending']);
    expect(once[0]).toMatchObject({ carrierMessageId: 'carrier-1' });
    expect(twice).toEqual(once);
  });
});
