import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CarrierLookupResult } from '../../infrastructure/carriers/carrier.js';
import {
  createMessagingHarness,
  type MessagingHarness,
  queueMessage,
  reconcilePolicy,
  seedTenant,
} from '../../../test/messaging-harness.js';

let harness: MessagingHarness;
const tenantId = randomUUID();
const AGE_MS = reconcilePolicy.afterMs;

beforeEach(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: '+15555550100' });
});

afterEach(async () => {
  await harness.database.drop();
});

/** A message handed to the carrier, which accepted it as `carrierMessageId`; no receipt follows. */
async function sentToCarrier(carrierMessageId: string): Promise<string> {
  const messageId = randomUUID();
  harness.carrier.answer = () => ({ outcome: 'accepted', carrierMessageId });
  const queued = await queueMessage(harness, {
    messageId,
    tenantId,
    to: '+15555550123',
    from: '+15555550100',
    body: 'Hello',
    mediaUrls: [],
    purpose: 'transactional',
  });
  await harness.submit.handle(queued);
  return messageId;
}

function carrierSays(
  status: 'sent' | 'delivered' | 'undelivered',
  errorCode: string | null = null,
): (carrierMessageId: string) => CarrierLookupResult {
  return (carrierMessageId) => ({
    outcome: 'found',
    report: {
      kind: 'status',
      carrierMessageId,
      status,
      carrierStatus: status === 'undelivered' ? 'delivery_failed' : status,
      errorCode,
      errorDetail: errorCode ? 'The message was flagged by the carrier as spam.' : null,
      occurredAt: harness.clock.now(),
    },
  });
}

function advance(ms: number): void {
  harness.clock.current = new Date(harness.clock.current.getTime() + ms);
}

async function statusOf(messageId: string): Promise<string> {
  return (await harness.messages.load(messageId)).state.status;
}

async function lastEvent(
  messageId: string,
): Promise<{ type: string; data: Record<string, unknown> }> {
  const rows = await harness.database.dataSource.query<
    Array<{ type: string; data: Record<string, unknown> }>
  >(`SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1`, [
    `message-${messageId}`,
  ]);
  const row = rows[0];
  if (!row) throw new Error(`no events for ${messageId}`);
  return row;
}

describe('receipt reconciliation (real Postgres)', () => {
  it('asks the carrier about a message whose receipt never came once it is old enough, and records delivery', async () => {
    const carrierMessageId = randomUUID();
    const messageId = await sentToCarrier(carrierMessageId);
    harness.carrier.lookupAnswer = carrierSays('delivered');

    advance(AGE_MS - 1_000);
    expect(await harness.reconciler().sweep()).toMatchObject({ claimed: 0 });
    expect(harness.carrier.lookups).toEqual([]);
    expect(await statusOf(messageId)).toBe('sending');

    advance(2_000);
    expect(await harness.reconciler().sweep()).toEqual({
      claimed: 1,
      settled: 1,
      deferred: 0,
      abandoned: 0,
    });
    expect(harness.carrier.lookups).toEqual([carrierMessageId]);
    expect(await statusOf(messageId)).toBe('delivered');
    expect(await lastEvent(messageId)).toMatchObject({
      type: 'messaging.MessageDelivered.v1',
      data: { carrierMessageId },
    });
    // Final: never asked about again.
    advance(10 * AGE_MS);
    expect(await harness.reconciler().sweep()).toMatchObject({ claimed: 0 });
  });

  it("keeps the carrier's error code of a failed delivery", async () => {
    const messageId = await sentToCarrier(randomUUID());
    harness.carrier.lookupAnswer = carrierSays('undelivered', '40002');
    advance(AGE_MS + 1);
    await harness.reconciler().sweep();
    expect(await lastEvent(messageId)).toMatchObject({
      type: 'messaging.MessageUndelivered.v1',
      data: { errorCode: '40002' },
    });
  });

  it('backs off while the carrier has no final word, and asks again only when the wait is over', async () => {
    const messageId = await sentToCarrier(randomUUID());
    harness.carrier.lookupAnswer = carrierSays('sent');
    advance(AGE_MS + 1);
    expect(await harness.reconciler().sweep()).toMatchObject({ claimed: 1, deferred: 1 });
    expect(await statusOf(messageId)).toBe('sent');

    advance(reconcilePolicy.backoffMs.initial - 1_000);
    expect(await harness.reconciler().sweep()).toMatchObject({ claimed: 0 });
    advance(2_000);
    harness.carrier.lookupAnswer = carrierSays('delivered');
    expect(await harness.reconciler().sweep()).toMatchObject({ claimed: 1, settled: 1 });
    expect(harness.carrier.lookups).toHaveLength(2);
  });

  it('ends a message the carrier never confirms after the last check, as undelivered', async () => {
    const messageId = await sentToCarrier(randomUUID());
    harness.carrier.lookupAnswer = () => ({ outcome: 'unavailable', errorDetail: 'HTTP 503' });
    advance(AGE_MS + 1);
    const sweeps = [];
    for (let check = 0; check < reconcilePolicy.maxChecks; check++) {
      sweeps.push(await harness.reconciler().sweep());
      advance(reconcilePolicy.backoffMs.max);
    }
    expect(sweeps.map((s) => s.claimed)).toEqual([1, 1, 1]);
    expect(sweeps.at(-1)).toMatchObject({ abandoned: 1 });
    expect(await lastEvent(messageId)).toMatchObject({
      type: 'messaging.MessageUndelivered.v1',
      data: { errorCode: 'receipt_unconfirmed' },
    });
    expect(await harness.reconciler().sweep()).toMatchObject({ claimed: 0 });
    expect(harness.carrier.lookups).toHaveLength(reconcilePolicy.maxChecks);
  });

  it("resubmits under the same idempotency key a message whose carrier answer was lost, and learns the carrier's id", async () => {
    const messageId = randomUUID();
    const carrierMessageId = randomUUID();
    // The carrier takes the message, but its answer never gets recorded (connection lost).
    harness.carrier.answer = () => Promise.reject(new Error('socket hang up'));
    const queued = await queueMessage(harness, {
      messageId,
      tenantId,
      to: '+15555550123',
      from: '+15555550100',
      body: 'Hello',
      mediaUrls: [],
      purpose: 'transactional',
    });
    await expect(harness.submit.handle(queued)).rejects.toThrow('socket hang up');
    expect(await statusOf(messageId)).toBe('sending');

    // As Telnyx does for a repeated key: the first answer again, nothing sent twice.
    harness.carrier.answer = () => ({ outcome: 'accepted', carrierMessageId });
    advance(AGE_MS + 1);
    expect(await harness.reconciler().sweep()).toMatchObject({ claimed: 1, deferred: 1 });
    expect(harness.carrier.calls.map((call) => call.messageId)).toEqual([messageId, messageId]);
    const { state } = await harness.messages.load(messageId);
    expect(state).toMatchObject({ status: 'sending', carrierMessageId });

    harness.carrier.lookupAnswer = carrierSays('delivered');
    advance(reconcilePolicy.backoffMs.initial);
    expect(await harness.reconciler().sweep()).toMatchObject({ claimed: 1, settled: 1 });
    expect(harness.carrier.lookups).toEqual([carrierMessageId]);
    expect(await statusOf(messageId)).toBe('delivered');
  });

  it('fails a message whose carrier answer stays unknown after the last check', async () => {
    const messageId = randomUUID();
    harness.carrier.answer = () => Promise.reject(new Error('socket hang up'));
    const queued = await queueMessage(harness, {
      messageId,
      tenantId,
      to: '+15555550123',
      from: '+15555550100',
      body: 'Hello',
      mediaUrls: [],
      purpose: 'transactional',
    });
    await expect(harness.submit.handle(queued)).rejects.toThrow();
    advance(AGE_MS + 1);
    for (let check = 0; check < reconcilePolicy.maxChecks; check++) {
      await harness.reconciler().sweep();
      advance(reconcilePolicy.backoffMs.max);
    }
    expect(await lastEvent(messageId)).toMatchObject({
      type: 'messaging.MessageFailed.v1',
      data: { errorCode: 'carrier_answer_unknown' },
    });
    expect(harness.carrier.calls).toHaveLength(1 + reconcilePolicy.maxChecks);
  });

  it('lets two replicas sweeping at once ask about each message only once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const carrierMessageId = randomUUID();
      await sentToCarrier(carrierMessageId);
      ids.push(carrierMessageId);
    }
    harness.carrier.lookupAnswer = carrierSays('delivered');
    advance(AGE_MS + 1);
    const [a, b] = await Promise.all([harness.reconciler().sweep(), harness.reconciler().sweep()]);
    expect(a.claimed + b.claimed).toBe(12);
    expect([...harness.carrier.lookups].sort()).toEqual([...ids].sort());
  });
});
