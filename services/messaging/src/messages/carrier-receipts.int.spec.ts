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
});
