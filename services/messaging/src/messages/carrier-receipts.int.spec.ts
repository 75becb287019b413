import { randomUUID } from 'node:crypto';
import type { ConsumedEvent } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createMessagingHarness,
  type MessagingHarness,
  queueMessage,
  seedTenant,
} from '../../test/messaging-harness.js';

let harness: MessagingHarness;
const tenantId = randomUUID();

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: '+15555550100' });
});

afterAll(async () => {
  await harness.database.drop();
});

function queue(messageId: string): Promise<ConsumedEvent> {
  return queueMessage(harness, {
    messageId,
    tenantId,
    to: '+15555550123',
    from: '+15555550100',
    body: 'Hello',
    mediaUrls: [],
    purpose: 'transactional',
  });
}

function finalized(carrierMessageId: string, status: string): ConsumedEvent {
  return consumed('gateway.CarrierWebhookReceived.v1', `carrier-message-${carrierMessageId}`, {
    webhookId: randomUUID(),
    carrier: 'telnyx',
    eventType: 'message.finalized',
    occurredAt: new Date().toISOString(),
    payload: { id: carrierMessageId, to: [{ phone_number: '+15555550123', status }], errors: [] },
    receivedAt: new Date().toISOString(),
  });
}

function sent(carrierMessageId: string): ConsumedEvent {
  return consumed('gateway.CarrierWebhookReceived.v1', `carrier-message-${carrierMessageId}`, {
    webhookId: randomUUID(),
    carrier: 'telnyx',
    eventType: 'message.sent',
    occurredAt: new Date().toISOString(),
    payload: {
      id: carrierMessageId,
      to: [{ phone_number: '+15555550123', status: 'sent' }],
      errors: [],
    },
    receivedAt: new Date().toISOString(),
  });
}

async function statusOf(messageId: string): Promise<string> {
  return (await harness.messages.load(messageId)).state.status;
}

describe('carrier submission and receipts (real Postgres)', () => {
  it('applies a receipt that arrived before the carrier acceptance was recorded', async () => {
    const messageId = randomUUID();
    const carrierMessageId = randomUUID();
    harness.carrier.answer = () => ({ outcome: 'accepted', carrierMessageId });
    const queued = await queue(messageId);

    // The carrier's webhook overtakes our recording of its answer: the receipt is parked...
    await harness.carrierWebhooks.handle(finalized(carrierMessageId, 'delivered'));
    expect(await statusOf(messageId)).toBe('queued');
    // ...and applied as soon as the acceptance is recorded.
    await harness.submit.handle(queued);
    expect(await statusOf(messageId)).toBe('delivered');
  });

  it('never calls the carrier again for a message it accepted, however often the event comes', async () => {
    const messageId = randomUUID();
    harness.carrier.answer = () => ({ outcome: 'accepted', carrierMessageId: randomUUID() });
    const queued = await queue(messageId);
    const before = harness.carrier.calls.length;
    await harness.submit.handle(queued);
    await harness.submit.handle(queued);
    await harness.submit.handleBatch([queued, queued]);
    expect(harness.carrier.calls.length - before).toBe(1);
    expect(harness.carrier.calls.at(-1)?.messageId).toBe(messageId);
  });

  it('fails a message the carrier refuses, with its code, and one it cannot reach after the attempts', async () => {
    const refused = randomUUID();
    harness.carrier.answer = () => ({
      outcome: 'rejected',
      errorCode: '40310',
      errorDetail: 'Invalid to',
    });
    await harness.submit.handleBatch([await queue(refused)]);
    expect(await statusOf(refused)).toBe('failed');

    const unreachable = randomUUID();
    harness.carrier.answer = () => ({
      outcome: 'unavailable',
      errorDetail: 'HTTP 503',
      retryAfterMs: null,
    });
    const before = harness.carrier.calls.length;
    await harness.submit.handle(await queue(unreachable));
    expect(harness.carrier.calls.length - before).toBe(3);
    expect(await statusOf(unreachable)).toBe('failed');
  });

  it('applies a batch of receipts, one overtaking its acceptance, each once and in order', async () => {
    const [early, known] = [randomUUID(), randomUUID()];
    const carrierIds = new Map<string, string>([
      [early, randomUUID()],
      [known, randomUUID()],
    ]);
    harness.carrier.answer = (request) => ({
      outcome: 'accepted',
      carrierMessageId: carrierIds.get(request.messageId) ?? randomUUID(),
    });
    const [earlyQueued, knownQueued] = await Promise.all([queue(early), queue(known)]);
    await harness.submit.handle(knownQueued);
    const knownCarrierId = carrierIds.get(known) ?? '';
    const earlyCarrierId = carrierIds.get(early) ?? '';

    const receipts = [
      sent(knownCarrierId),
      finalized(earlyCarrierId, 'delivered'),
      finalized(knownCarrierId, 'delivered'),
    ];
    await harness.carrierWebhooks.handleBatch([...receipts, ...receipts]);

    expect(await statusOf(known)).toBe('delivered');
    expect(await statusOf(early)).toBe('queued');
    // Two acceptances recorded in one batch transaction, the parked receipt taken with its own.
    await harness.submit.handleBatch([earlyQueued, knownQueued]);
    expect(await statusOf(early)).toBe('delivered');
    const knownEvents = (
      await harness.database.dataSource.query<Array<{ type: string }>>(
        `SELECT type FROM events WHERE stream_id = $1 ORDER BY version`,
        [`message-${known}`],
      )
    ).map((row) => row.type.replace(/^messaging\.|\.v1$/g, ''));
    expect(knownEvents).toEqual([
      'MessageQueued',
      'MessageSubmissionStarted',
      'MessageSubmitted',
      'MessageSent',
      'MessageDelivered',
    ]);
  });
});
