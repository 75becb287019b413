import { randomUUID } from 'node:crypto';
import type { ConsumedEvent } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createMessagingHarness,
  type MessagingHarness,
  seedTenant,
} from '../../../test/messaging-harness.js';
import { MESSAGE_STREAM_TYPE, type MessageEvent } from '../message.events.js';
import { ConversationProjection } from './conversation.projection.js';

/**
 * The conversation read model is a projection only, applied in the transactions that record the
 * message events: after a run of the real handlers (queued messages, first submissions, a retry
 * after a crash, a block, an inbound reply), the table emptied and rebuilt from the stored
 * events through the same projection is the same, row for row — also from events recorded
 * before MessageSubmissionStarted carried the recipient.
 */

let harness: MessagingHarness;
const tenantId = randomUUID();
const tenantNumber = '+12125550140';
/** 14:00 on a Thursday in New York: inside every sending window. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: tenantNumber });
});

afterAll(async () => {
  await harness.database.drop();
});

let second = 0;
function sendRequested(to: string, body: string): ConsumedEvent {
  const messageId = randomUUID();
  second += 1;
  return consumed('gateway.SendRequested.v1', `send-request-${messageId}`, {
    messageId,
    tenantId,
    to,
    from: tenantNumber,
    body,
    mediaUrls: [],
    purpose: 'transactional',
    encoding: 'GSM-7',
    segments: 1,
    requestedAt: new Date(afternoon.getTime() + second * 1000).toISOString(),
  });
}

/** Queues the request through the real handler and returns its MessageQueued as consumed. */
async function queue(to: string, body: string): Promise<ConsumedEvent> {
  const request = sendRequested(to, body);
  await harness.sendRequests.handle(request);
  const messageId = (request.data as { messageId: string }).messageId;
  const rows = await harness.database.dataSource.query<Array<{ data: Record<string, unknown> }>>(
    `SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageQueued.v1'`,
    [`message-${messageId}`],
  );
  const data = rows[0]?.data;
  if (!data) throw new Error(`message ${messageId} was not queued`);
  return consumed('messaging.MessageQueued.v1', `message-${messageId}`, data as never);
}

function inboundText(from: string, text: string): ConsumedEvent {
  const carrierMessageId = randomUUID();
  const at = harness.clock.now().toISOString();
  return consumed('gateway.CarrierWebhookReceived.v1', `carrier-message-${carrierMessageId}`, {
    webhookId: randomUUID(),
    carrier: 'telnyx',
    eventType: 'message.received',
    occurredAt: at,
    payload: {
      id: carrierMessageId,
      text,
      from: { phone_number: from },
      to: [{ phone_number: tenantNumber }],
      received_at: at,
    },
    receivedAt: at,
  });
}

async function snapshot(): Promise<unknown[]> {
  return harness.database.dataSource.query(
    `SELECT * FROM conversations ORDER BY tenant_id, contact_phone`,
  );
}

async function storedEvents(): Promise<MessageEvent[]> {
  return harness.database.dataSource.query<MessageEvent[]>(
    `SELECT type, data FROM events WHERE stream_type = $1 ORDER BY global_position`,
    [MESSAGE_STREAM_TYPE],
  );
}

async function rebuild(events: readonly MessageEvent[]): Promise<void> {
  await harness.database.dataSource.query(`TRUNCATE conversations`);
  const conversations = new ConversationProjection();
  await harness.database.dataSource.transaction(async (manager) => {
    for (const event of events) {
      if (conversations.follows(event)) await conversations.apply(manager, event);
    }
  });
}

describe('the conversation read model, rebuilt from its events (real Postgres)', () => {
  it('is the same row for row after a run as after emptying it and replaying the store', async () => {
    harness.clock.current = afternoon;
    const [twice, retried, blocked, replied] = [
      '+13055550141',
      '+13055550142',
      '+13055550143',
      '+13055550144',
    ];
    // Two messages reach the same contact: counted twice, and only the first names the brand
    // (the rule reads the count the first submission wrote inline).
    const first = await queue(twice, 'Your order has shipped.');
    await harness.submit.handle(first);
    const followUp = await queue(twice, 'Your order is out for delivery.');
    await harness.submit.handle(followUp);
    expect(first.data).toHaveProperty('addedText');
    expect(followUp.data).not.toHaveProperty('addedText');

    // The first attempt's answer is lost (a crash): the retry reaches the same contact once.
    const lost = await queue(retried, 'Your table is ready.');
    harness.carrier.answer = () => Promise.reject(new Error('connection reset'));
    await expect(harness.submit.handle(lost)).rejects.toThrow('connection reset');
    harness.carrier.answer = () => ({ outcome: 'accepted', carrierMessageId: randomUUID() });
    await harness.submit.resubmit((lost.data as { messageId: string }).messageId, tenantId);

    // Opted out before the send: queued, blocked, never reached.
    await harness.carrierWebhooks.handle(inboundText(blocked, 'STOP'));
    await harness.submit.handle(await queue(blocked, 'Your order has shipped.'));

    // A reply from a contact already written to.
    await harness.submit.handle(await queue(replied, 'Your order has shipped.'));
    await harness.carrierWebhooks.handle(inboundText(replied, 'Thanks!'));

    const stored = await storedEvents();
    const attempts = stored.flatMap((event) =>
      event.type === 'messaging.MessageSubmissionStarted.v1' ? [event.data.attempt] : [],
    );
    expect(attempts.sort()).toEqual([1, 1, 1, 1, 2]);
    const live = await snapshot();
    expect(live).toEqual([
      expect.objectContaining({ contact_phone: twice, message_count: 2, outbound_count: 2 }),
      expect.objectContaining({ contact_phone: retried, message_count: 1, outbound_count: 1 }),
      // The STOP and the blocked message.
      expect.objectContaining({ contact_phone: blocked, message_count: 2, outbound_count: 0 }),
      expect.objectContaining({ contact_phone: replied, message_count: 2, outbound_count: 1 }),
    ]);

    await rebuild(stored);
    expect(await snapshot()).toEqual(live);

    // Events recorded before MessageSubmissionStarted carried `to`: the number comes from the
    // stream's MessageQueued.
    const withoutRecipient = stored.map((event): MessageEvent => {
      if (event.type !== 'messaging.MessageSubmissionStarted.v1') return event;
      const data = { ...event.data };
      delete data.to;
      return { type: event.type, data };
    });
    expect(
      withoutRecipient.some(
        (event) => event.type === 'messaging.MessageSubmissionStarted.v1' && 'to' in event.data,
      ),
    ).toBe(false);
    await rebuild(withoutRecipient);
    expect(await snapshot()).toEqual(live);
  });
});
