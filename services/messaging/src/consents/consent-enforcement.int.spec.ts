import { randomInt, randomUUID } from 'node:crypto';
import type { ConsentChannel } from '@textplane/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createMessagingHarness,
  type MessagingHarness,
  queueMessage,
  seedTenant,
} from '../../test/messaging-harness.js';
import type { OutboundRequest } from '../messages/message.commands.js';

let harness: MessagingHarness;
const tenantId = randomUUID();
const tenantNumber = '+12125550100';
/** 14:00 on a Thursday in New York and Miami: inside every marketing window. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: tenantNumber });
});

afterAll(async () => {
  await harness.database.drop();
});

let sequence = 0;
/** A fresh Miami (FL, America/New_York) number per test, so tests do not share a ledger. */
function miamiNumber(): string {
  sequence += 1;
  // NANP: the exchange (after the area code) never starts with 0 or 1.
  return `+1305${200 + sequence}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
}

async function send(
  to: string,
  overrides: Partial<OutboundRequest> = {},
): Promise<{ messageId: string; status: string }> {
  const queued = await queueMessage(harness, {
    tenantId,
    to,
    from: tenantNumber,
    body: 'Your order has shipped.',
    mediaUrls: [],
    purpose: 'transactional',
    ...overrides,
  });
  await harness.submit.handle(queued);
  const messageId = (queued.data as { messageId: string }).messageId;
  return { messageId, status: (await harness.messages.load(messageId)).state.status };
}

async function blockReason(messageId: string): Promise<string | undefined> {
  const events = await harness.database.dataSource.query<Array<{ data: { reason: string } }>>(
    `SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageBlocked.v1'`,
    [`message-${messageId}`],
  );
  return events[0]?.data.reason;
}

function inboundText(from: string, text: string) {
  const carrierMessageId = randomUUID();
  return consumed('gateway.CarrierWebhookReceived.v1', `carrier-message-${carrierMessageId}`, {
    webhookId: randomUUID(),
    carrier: 'telnyx',
    eventType: 'message.received',
    occurredAt: harness.clock.now().toISOString(),
    payload: {
      id: carrierMessageId,
      text,
      from: { phone_number: from },
      to: [{ phone_number: tenantNumber }],
      received_at: harness.clock.now().toISOString(),
    },
    receivedAt: harness.clock.now().toISOString(),
  });
}

const subject = (phone: string) => `consent-${tenantId}-${phone}`;

function granted(phone: string, purpose: 'marketing' | 'transactional', channel: ConsentChannel) {
  return consumed('consent.ConsentGranted.v1', subject(phone), {
    tenantId,
    phone,
    purpose,
    channel,
    requestId: randomUUID(),
    evidence: {
      source: 'web_form',
      text: 'Yes, text me offers from Acme.',
      capturedAt: afternoon.toISOString(),
    },
    grantedAt: harness.clock.now().toISOString(),
  });
}

describe('compliance enforced right before the carrier call (real Postgres)', () => {
  it('an inbound STOP blocks the very next submission, before the ledger has confirmed it', async () => {
    harness.clock.current = afternoon;
    const phone = miamiNumber();
    const queued = await queueMessage(harness, {
      tenantId,
      to: phone,
      from: tenantNumber,
      body: 'Your order has shipped.',
      mediaUrls: [],
      purpose: 'transactional',
    });
    await harness.carrierWebhooks.handle(inboundText(phone, '  Stop. '));
    await harness.submit.handle(queued);
    const messageId = (queued.data as { messageId: string }).messageId;
    expect((await harness.messages.load(messageId)).state.status).toBe('blocked');
    expect(await blockReason(messageId)).toBe('recipient_opted_out');
    expect(harness.carrier.callsTo(phone)).toHaveLength(0);
  });

  it('START after the ledger confirmed an opt-out lets texts through again', async () => {
    harness.clock.current = afternoon;
    const phone = miamiNumber();
    const stop = inboundText(phone, 'STOP');
    await harness.carrierWebhooks.handle(stop);
    const inboundId = (
      await harness.database.dataSource.query<Array<{ data: { messageId: string } }>>(
        `SELECT data FROM events WHERE type = 'messaging.InboundMessageReceived.v1'
         AND data->>'from' = $1`,
        [phone],
      )
    )[0]?.data.messageId;
    expect(inboundId).toBeDefined();
    const message = {
      messageId: inboundId ?? '',
      body: 'STOP',
      receivedAt: afternoon.toISOString(),
    };
    await harness.consents.handle(
      consumed('consent.ConsentRevoked.v1', subject(phone), {
        tenantId,
        phone,
        scope: 'all',
        channel: 'all',
        method: 'keyword',
        keyword: 'STOP',
        message,
        revokedAt: afternoon.toISOString(),
      }),
    );
    expect((await send(phone)).status).toBe('blocked');

    harness.clock.current = new Date(afternoon.getTime() + 60_000);
    await harness.consents.handle(
      consumed('consent.ConsentRestored.v1', subject(phone), {
        tenantId,
        phone,
        keyword: 'START',
        message: {
          ...message,
          messageId: randomUUID(),
          body: 'START',
          receivedAt: harness.clock.now().toISOString(),
        },
        restoredAt: harness.clock.now().toISOString(),
      }),
    );
    expect((await send(phone)).status).toBe('sending');
    expect(harness.carrier.callsTo(phone)).toHaveLength(1);
  });

  it('marketing needs marketing consent on the channel; transactional does not', async () => {
    harness.clock.current = afternoon;
    const phone = miamiNumber();
    const withoutConsent = await send(phone, {
      purpose: 'marketing',
      body: 'Sale today! Reply STOP to opt out.',
    });
    expect(withoutConsent.status).toBe('blocked');
    expect(await blockReason(withoutConsent.messageId)).toBe('no_marketing_consent');
    expect((await send(phone)).status).toBe('sending');

    await harness.consents.handle(granted(phone, 'marketing', 'sms'));
    expect(
      (await send(phone, { purpose: 'marketing', body: 'Sale today! Reply STOP to opt out.' }))
        .status,
    ).toBe('sending');
    // The grant was for SMS only: a marketing MMS is still refused.
    const mms = await send(phone, {
      purpose: 'marketing',
      body: 'Sale today! Reply STOP to opt out.',
      mediaUrls: ['https://cdn.acme.example/sale.jpg'],
    });
    expect(await blockReason(mms.messageId)).toBe('no_marketing_consent');
  });

  it('DND on a channel blocks it; content through a URL shortener is rejected', async () => {
    harness.clock.current = afternoon;
    const phone = miamiNumber();
    await harness.consents.handle(
      consumed('consent.DndSet.v1', subject(phone), {
        tenantId,
        phone,
        channel: 'sms',
        requestId: randomUUID(),
        setAt: afternoon.toISOString(),
      }),
    );
    const dnd = await send(phone);
    expect(await blockReason(dnd.messageId)).toBe('dnd_active');

    const other = miamiNumber();
    const shortened = await send(other, { body: 'Track it at https://bit.ly/3xYz' });
    expect(await blockReason(shortened.messageId)).toBe('content_rejected');
    expect(harness.carrier.callsTo(other)).toHaveLength(0);
  });

  it('holds marketing outside Florida hours and sends it at 08:00 local the next day', async () => {
    const phone = miamiNumber();
    // 20:30 in Miami (EST, UTC-5): after Florida's 20:00 end.
    harness.clock.current = new Date('2026-11-27T01:30:00.000Z');
    await harness.consents.handle(granted(phone, 'marketing', 'all'));
    const held = await send(phone, {
      purpose: 'marketing',
      body: 'Weekend sale! Reply STOP to opt out.',
    });
    expect(held.status).toBe('scheduled');
    const { state } = await harness.messages.load(held.messageId);
    expect('sendAt' in state ? state.sendAt : null).toBe('2026-11-27T13:00:00.000Z');

    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(phone)).toHaveLength(0);

    harness.clock.current = new Date('2026-11-27T13:00:00.000Z');
    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(phone)).toHaveLength(1);
    expect((await harness.messages.load(held.messageId)).state.status).toBe('sending');
    // Released once: the schedule is empty for it.
    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(phone)).toHaveLength(1);
  });

  it('a held message is re-checked when released: an opt-out in between blocks it', async () => {
    const phone = miamiNumber();
    harness.clock.current = new Date('2026-11-27T01:30:00.000Z');
    await harness.consents.handle(granted(phone, 'marketing', 'all'));
    const held = await send(phone, {
      purpose: 'marketing',
      body: 'Weekend sale! Reply STOP to opt out.',
    });
    expect(held.status).toBe('scheduled');
    await harness.carrierWebhooks.handle(inboundText(phone, 'unsubscribe'));
    harness.clock.current = new Date('2026-11-27T13:00:00.000Z');
    await harness.submit.releaseDue(100);
    expect(await blockReason(held.messageId)).toBe('recipient_opted_out');
    expect(harness.carrier.callsTo(phone)).toHaveLength(0);
  });

  it('sends the opt-out confirmation to an opted-out number exactly once', async () => {
    harness.clock.current = afternoon;
    const phone = miamiNumber();
    await harness.carrierWebhooks.handle(inboundText(phone, 'STOP'));
    const replyId = randomUUID();
    const reply = {
      replyId,
      tenantId,
      phone,
      from: tenantNumber,
      kind: 'opt_out_confirmation' as const,
      body: 'Acme: You are unsubscribed and will receive no more messages. Reply START to resubscribe.',
      inReplyTo: randomUUID(),
      requestedAt: afternoon.toISOString(),
    };
    await harness.consents.handle(consumed('consent.AutoReplyRequested.v1', subject(phone), reply));
    // The same reply requested again (a rebuilt ledger republishing) queues nothing new.
    await harness.consents.handle(consumed('consent.AutoReplyRequested.v1', subject(phone), reply));
    const { state } = await harness.messages.load(replyId);
    expect(state.status).toBe('queued');
    const queued = await harness.database.dataSource.query<
      Array<{ data: Record<string, unknown> }>
    >(`SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageQueued.v1'`, [
      `message-${replyId}`,
    ]);
    expect(queued).toHaveLength(1);
    await harness.submit.handle(
      consumed('messaging.MessageQueued.v1', `message-${replyId}`, queued[0]?.data as never),
    );
    expect(harness.carrier.callsTo(phone).map((c) => c.body)).toEqual([reply.body]);
    expect((await send(phone)).status).toBe('blocked');
  });

  it('names the brand on the first message that reaches a contact, not on later ones', async () => {
    harness.clock.current = afternoon;
    const phone = miamiNumber();
    const request = async (body: string) => {
      const messageId = randomUUID();
      await harness.sendRequests.handle(
        consumed('gateway.SendRequested.v1', `send-request-${messageId}`, {
          messageId,
          tenantId,
          to: phone,
          from: tenantNumber,
          body,
          mediaUrls: [],
          purpose: 'conversational',
          encoding: 'GSM-7',
          segments: 1,
          requestedAt: afternoon.toISOString(),
        }),
      );
      const { state } = await harness.messages.load(messageId);
      if (!('message' in state)) throw new Error('not queued');
      const queued = await harness.database.dataSource.query<Array<{ data: never }>>(
        `SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageQueued.v1'`,
        [`message-${messageId}`],
      );
      await harness.submit.handle(
        consumed('messaging.MessageQueued.v1', `message-${messageId}`, queued[0]?.data as never),
      );
      return {
        body: state.message.body,
        status: (await harness.messages.load(messageId)).state.status,
      };
    };

    // Blocked, so it never reached the contact: the next message still has to name the brand.
    expect(await request('See https://bit.ly/x')).toEqual({
      body: 'Acme: See https://bit.ly/x',
      status: 'blocked',
    });
    expect(await request('Your table is ready')).toEqual({
      body: 'Acme: Your table is ready',
      status: 'sending',
    });
    expect(await request('See you soon')).toEqual({ body: 'See you soon', status: 'sending' });
    expect(harness.carrier.callsTo(phone).map((c) => c.body)).toEqual([
      'Acme: Your table is ready',
      'See you soon',
    ]);
  });

  it('a STOP recorded while the carrier is retried stops the next call', async () => {
    harness.clock.current = afternoon;
    const phone = miamiNumber();
    const accept = harness.carrier.answer;
    harness.carrier.answer = async (submission) => {
      if (submission.to !== phone) return accept(submission);
      // The carrier is down; meanwhile the person texts STOP.
      await harness.carrierWebhooks.handle(inboundText(phone, 'STOP'));
      return { outcome: 'unavailable', errorDetail: 'HTTP 503', retryAfterMs: null };
    };
    try {
      const { messageId, status } = await send(phone);
      expect(status).toBe('blocked');
      expect(await blockReason(messageId)).toBe('recipient_opted_out');
      expect(harness.carrier.callsTo(phone)).toHaveLength(1);
    } finally {
      harness.carrier.answer = accept;
    }
  });

  it('releases a held message once, however many releasers run', async () => {
    const phone = miamiNumber();
    harness.clock.current = new Date('2026-11-27T01:30:00.000Z');
    await harness.consents.handle(granted(phone, 'marketing', 'all'));
    const held = await send(phone, {
      purpose: 'marketing',
      body: 'Weekend sale! Reply STOP to opt out.',
    });
    expect(held.status).toBe('scheduled');
    harness.clock.current = new Date('2026-11-27T13:00:00.000Z');
    await Promise.all([
      harness.submit.releaseDue(100),
      harness.submit.releaseDue(100),
      harness.submit.releaseDue(100),
    ]);
    expect(harness.carrier.callsTo(phone)).toHaveLength(1);
    const left = await harness.database.dataSource.query<unknown[]>(
      `SELECT 1 FROM dispatch_queue WHERE message_id = $1`,
      [held.messageId],
    );
    expect(left).toHaveLength(0);
  });

  it('a STOP read again after the START that followed it does not block', async () => {
    harness.clock.current = afternoon;
    const phone = miamiNumber();
    // Replayed out of order: the ledger's restore arrives before the webhook of the older STOP.
    await harness.consents.handle(
      consumed('consent.ConsentRestored.v1', subject(phone), {
        tenantId,
        phone,
        keyword: 'START',
        message: {
          messageId: randomUUID(),
          body: 'START',
          receivedAt: new Date(afternoon.getTime() + 60_000).toISOString(),
        },
        restoredAt: new Date(afternoon.getTime() + 61_000).toISOString(),
      }),
    );
    await harness.carrierWebhooks.handle(inboundText(phone, 'STOP'));
    expect((await send(phone)).status).toBe('sending');
    // A STOP sent after that START blocks as usual.
    harness.clock.current = new Date(afternoon.getTime() + 120_000);
    await harness.carrierWebhooks.handle(inboundText(phone, 'STOP'));
    expect((await send(phone)).status).toBe('blocked');
  });
});
