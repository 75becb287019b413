import { randomInt, randomUUID } from 'node:crypto';
import { EventStore } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createDispatcher,
  createMessagingHarness,
  type MessagingHarness,
  seedTenant,
} from '../../../test/messaging-harness.js';
import { ConsentView } from '../../consents/consent-view.js';
import { TenantNumbers } from '../../tenants/tenant-numbers.js';
import { TenantProfiles } from '../../tenants/tenant-profiles.js';
import { DispatchGates } from '../dispatch/dispatch-gates.js';
import { type DueMessage, DispatchQueue } from '../dispatch/dispatch-queue.js';

let harness: MessagingHarness;
const tenantId = randomUUID();
const tenantNumber = '+12125550100';
/** 14:00 on a Thursday in New York. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');
const sendAt = new Date('2026-11-26T20:00:00.000Z');

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: tenantNumber });
});

afterAll(async () => {
  await harness.database.drop();
});

function newYorkNumber(): string {
  return `+1212${randomInt(200, 999)}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
}

const sendRequestStream = (messageId: string) => `send-request-${messageId}`;

/** A client's scheduled send, as the gateway publishes it, queued and dispatched (held). */
async function scheduleSend(at: Date = sendAt): Promise<{ messageId: string; to: string }> {
  harness.clock.current = afternoon;
  const messageId = randomUUID();
  const to = newYorkNumber();
  await harness.sendRequests.handle(
    consumed('gateway.SendRequested.v1', sendRequestStream(messageId), {
      messageId,
      tenantId,
      to,
      from: tenantNumber,
      body: 'See you at 10 tomorrow.',
      mediaUrls: [],
      purpose: 'transactional',
      encoding: 'GSM-7',
      segments: 1,
      sendAt: at.toISOString(),
      requestedAt: afternoon.toISOString(),
    }),
  );
  await harness.submit.handle(await queuedEvent(messageId));
  return { messageId, to };
}

async function queuedEvent(messageId: string): Promise<ConsumedEvent> {
  const rows = await harness.database.dataSource.query<
    Array<{ data: Parameters<typeof consumed<'messaging.MessageQueued.v1'>>[2] }>
  >(`SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageQueued.v1'`, [
    `message-${messageId}`,
  ]);
  const data = rows[0]?.data;
  if (!data) throw new Error(`message ${messageId} was not queued`);
  return consumed('messaging.MessageQueued.v1', `message-${messageId}`, data);
}

function cancelRequest(messageId: string): ConsumedEvent {
  return consumed('gateway.MessageCancelRequested.v1', sendRequestStream(messageId), {
    messageId,
    tenantId,
    requestedAt: harness.clock.now().toISOString(),
  });
}

function rescheduleRequest(messageId: string, at: Date): ConsumedEvent {
  return consumed('gateway.MessageRescheduleRequested.v1', sendRequestStream(messageId), {
    messageId,
    tenantId,
    sendAt: at.toISOString(),
    requestedAt: harness.clock.now().toISOString(),
  });
}

async function eventsOf(messageId: string, type: string): Promise<Array<Record<string, unknown>>> {
  const rows = await harness.database.dataSource.query<Array<{ data: Record<string, unknown> }>>(
    `SELECT data FROM events WHERE stream_id = $1 AND type = $2 ORDER BY version`,
    [`message-${messageId}`, type],
  );
  return rows.map((row) => row.data);
}

async function queueRow(messageId: string): Promise<{ release_at: Date } | null> {
  const rows = await harness.database.dataSource.query<Array<{ release_at: Date }>>(
    `SELECT release_at FROM dispatch_queue WHERE message_id = $1`,
    [messageId],
  );
  return rows[0] ?? null;
}

describe('scheduling, cancel and reschedule (real Postgres)', () => {
  it('a send with sendAt is scheduled until then, and sent at its time', async () => {
    const { messageId, to } = await scheduleSend();
    expect((await harness.messages.load(messageId)).state).toMatchObject({
      status: 'scheduled',
      holdReason: 'scheduled',
      sendAt: sendAt.toISOString(),
    });
    expect(await eventsOf(messageId, 'messaging.MessageHeld.v1')).toEqual([
      {
        messageId,
        tenantId,
        reason: 'scheduled',
        sendAt: sendAt.toISOString(),
        heldAt: afternoon.toISOString(),
      },
    ]);
    harness.clock.current = new Date(sendAt.getTime() - 1);
    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(0);
    harness.clock.current = sendAt;
    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
  });

  it('a canceled message leaves the queue and never reaches the carrier', async () => {
    const { messageId, to } = await scheduleSend();
    await harness.sendRequests.handle(cancelRequest(messageId));
    expect((await harness.messages.load(messageId)).state.status).toBe('canceled');
    expect(await queueRow(messageId)).toBeNull();
    // Its MessageQueued redelivered, its time come: still nothing goes out.
    harness.clock.current = sendAt;
    await harness.submit.handle(await queuedEvent(messageId));
    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(0);
  });

  it('a cancel that lands once the release is claimed still stops it (the claim reads the message again)', async () => {
    const { messageId, to } = await scheduleSend();
    // A dispatcher claims the due message; the cancel commits before it gates it.
    class CancelAfterClaim extends DispatchQueue {
      override async claimDue(now: Date, limit: number): Promise<DueMessage[]> {
        const due = await super.claimDue(now, limit);
        if (due.some((d) => d.messageId === messageId)) {
          await harness.sendRequests.handle(cancelRequest(messageId));
        }
        return due;
      }
    }
    const dispatcher = createDispatcher({
      store: new EventStore(harness.database.dataSource),
      messages: harness.messages,
      carrier: harness.carrier,
      clock: harness.clock,
      queue: new CancelAfterClaim(harness.database.dataSource),
      gates: new DispatchGates(
        harness.messages,
        new ConsentView(),
        new TenantProfiles(),
        new TenantNumbers(),
        harness.database.dataSource.manager,
      ),
    });
    harness.clock.current = sendAt;
    expect(await dispatcher.releaseDue(100)).toBeGreaterThanOrEqual(1);
    expect(harness.carrier.callsTo(to)).toHaveLength(0);
    expect((await harness.messages.load(messageId)).state.status).toBe('canceled');
    expect(await queueRow(messageId)).toBeNull();
  });

  it('a cancel once the message is sending is refused with its status, and changes nothing', async () => {
    const { messageId, to } = await scheduleSend();
    harness.clock.current = sendAt;
    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
    const status = (await harness.messages.load(messageId)).state.status;
    await harness.sendRequests.handle(cancelRequest(messageId));
    expect(await eventsOf(messageId, 'messaging.MessageCancelRejected.v1')).toEqual([
      expect.objectContaining({ messageId, tenantId, status }),
    ]);
    expect((await harness.messages.load(messageId)).state.status).toBe(status);
  });

  it('a reschedule moves the release: nothing at the old time, sent once at the new one', async () => {
    const { messageId, to } = await scheduleSend();
    const later = new Date('2026-11-26T22:00:00.000Z');
    await harness.sendRequests.handle(rescheduleRequest(messageId, later));
    expect(await eventsOf(messageId, 'messaging.MessageRescheduled.v1')).toEqual([
      expect.objectContaining({
        sendAt: later.toISOString(),
        previousSendAt: sendAt.toISOString(),
      }),
    ]);
    expect(await queueRow(messageId)).toEqual({ release_at: later });
    harness.clock.current = sendAt;
    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(0);
    harness.clock.current = later;
    await harness.submit.releaseDue(100);
    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
  });

  it('a reschedule of a message sent at once is refused', async () => {
    harness.clock.current = afternoon;
    const messageId = randomUUID();
    await harness.sendRequests.handle(
      consumed('gateway.SendRequested.v1', sendRequestStream(messageId), {
        messageId,
        tenantId,
        to: newYorkNumber(),
        from: tenantNumber,
        body: 'Now, please.',
        mediaUrls: [],
        purpose: 'transactional',
        encoding: 'GSM-7',
        segments: 1,
        requestedAt: afternoon.toISOString(),
      }),
    );
    await harness.sendRequests.handle(rescheduleRequest(messageId, sendAt));
    expect(await eventsOf(messageId, 'messaging.MessageRescheduleRejected.v1')).toEqual([
      expect.objectContaining({ status: 'queued' }),
    ]);
    expect(await eventsOf(messageId, 'messaging.MessageRescheduled.v1')).toEqual([]);
  });
});
