import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createMessagingHarness,
  type MessagingHarness,
  queueMessage,
  seedTenant,
} from '../../../test/messaging-harness.js';
import type { OutboundRequest } from '../message.commands.js';

let harness: MessagingHarness;
const tenantId = randomUUID();
const otherTenantId = randomUUID();
const tenantNumber = '+12125550100';
const otherTenantNumber = '+12125550199';
/** 14:00 on a Thursday in New York: inside every marketing window. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: tenantNumber });
  await seedTenant(harness, { tenantId: otherTenantId, number: otherTenantNumber });
});

afterAll(async () => {
  await harness.database.drop();
});

let sequence = 0;
/** A fresh New York recipient per test, so tests do not share a carrier log. */
function recipient(): string {
  sequence += 1;
  return `+1917555${String(1000 + sequence)}`;
}

/** Gives `phoneNumber` to the tenant, as the gateway's tenants topic says it. */
async function addNumber(owner: string, phoneNumber: string): Promise<void> {
  await harness.tenants.handle(
    consumed('gateway.SenderNumberAdded.v1', `tenant-${owner}`, {
      tenantId: owner,
      phoneNumber,
      addedAt: new Date().toISOString(),
    }),
  );
}

/** `DELETE /admin/v1/tenants/{id}/sender-numbers/{number}` as messaging's replica hears it. */
async function releaseNumber(owner: string, phoneNumber: string): Promise<void> {
  await harness.tenants.handle(
    consumed('gateway.SenderNumberRemoved.v1', `tenant-${owner}`, {
      tenantId: owner,
      phoneNumber,
      removedAt: new Date().toISOString(),
    }),
  );
}

function queue(to: string, from: string, overrides: Partial<OutboundRequest> = {}) {
  return queueMessage(harness, {
    tenantId,
    to,
    from,
    body: 'Your order has shipped.',
    mediaUrls: [],
    purpose: 'transactional',
    ...overrides,
  });
}

async function blocked(messageId: string): Promise<{ reason: string; reasons: string[] } | null> {
  const rows = await harness.database.dataSource.query<
    Array<{ data: { reason: string; reasons: string[] } }>
  >(`SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageBlocked.v1'`, [
    `message-${messageId}`,
  ]);
  const data = rows[0]?.data;
  return data ? { reason: data.reason, reasons: data.reasons } : null;
}

const idOf = (event: { data: unknown }) => (event.data as { messageId: string }).messageId;

describe('the sender number is the tenant’s right before the carrier call (real Postgres)', () => {
  it('a message queued before its number was released is blocked, not sent from it', async () => {
    harness.clock.current = afternoon;
    const released = '+12125550111';
    await addNumber(tenantId, released);
    const to = recipient();
    const queued = await queue(to, released);

    await releaseNumber(tenantId, released);
    await harness.submit.handle(queued);

    expect(harness.carrier.callsTo(to)).toHaveLength(0);
    expect((await harness.messages.load(idOf(queued))).state.status).toBe('blocked');
    expect(await blocked(idOf(queued))).toEqual({
      reason: 'sender_not_owned',
      reasons: ['sender_not_owned'],
    });
  });

  it('a message held for quiet hours does not leave from a number another tenant claimed since', async () => {
    const moved = '+12125550122';
    await addNumber(tenantId, moved);
    const to = recipient();
    // 21:30 in New York (EST, UTC-5): after the 21:00 end, so marketing is held.
    harness.clock.current = new Date('2026-11-27T02:30:00.000Z');
    await harness.consents.handle(
      consumed('consent.ConsentGranted.v1', `consent-${tenantId}-${to}`, {
        tenantId,
        phone: to,
        purpose: 'marketing',
        channel: 'all',
        requestId: randomUUID(),
        evidence: {
          source: 'web_form',
          text: 'Yes, text me offers from Acme.',
          capturedAt: afternoon.toISOString(),
        },
        grantedAt: harness.clock.now().toISOString(),
      }),
    );
    const queued = await queue(to, moved, {
      purpose: 'marketing',
      body: 'Weekend sale! Reply STOP to opt out.',
    });
    await harness.submit.handle(queued);
    expect((await harness.messages.load(idOf(queued))).state.status).toBe('scheduled');

    await releaseNumber(tenantId, moved);
    await addNumber(otherTenantId, moved);
    harness.clock.current = new Date('2026-11-27T14:00:00.000Z');
    await harness.submit.releaseDue(100);

    expect(harness.carrier.callsTo(to)).toHaveLength(0);
    expect((await harness.messages.load(idOf(queued))).state.status).toBe('blocked');
    expect((await blocked(idOf(queued)))?.reason).toBe('sender_not_owned');
  });

  it('a number the tenant still holds sends, in the same batch as one from a released number', async () => {
    harness.clock.current = afternoon;
    const released = '+12125550133';
    await addNumber(tenantId, released);
    const kept = recipient();
    const stopped = recipient();
    const fromHeld = await queue(kept, tenantNumber);
    const fromReleased = await queue(stopped, released);

    await releaseNumber(tenantId, released);
    await harness.submit.handleBatch([fromHeld, fromReleased]);

    expect(harness.carrier.callsTo(kept)).toHaveLength(1);
    expect(harness.carrier.callsTo(stopped)).toHaveLength(0);
    expect((await harness.messages.load(idOf(fromHeld))).state.status).toBe('sending');
    expect((await blocked(idOf(fromReleased)))?.reason).toBe('sender_not_owned');
  });
});
