import { randomInt, randomUUID } from 'node:crypto';
import { EventStore } from '@textplane/event-store';
import { createTestDatabase } from '@textplane/event-store/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDispatcher,
  createMessagingHarness,
  type MessagingHarness,
  queueMessage,
  seedTenant,
  SettableClock,
} from '../../../test/messaging-harness.js';
import { ConsentView } from '../../consents/consent-view.js';
import { MessageStore } from '../../infrastructure/message-store.js';
import { MessagingDispatchQueue1767571200000 } from '../../migrations/1767571200000-messaging-dispatch-queue.js';
import { messagingMigrations } from '../../migrations/index.js';
import { TenantNumbers } from '../../tenants/tenant-numbers.js';
import { TenantProfiles } from '../../tenants/tenant-profiles.js';
import type { OutboundRequest } from '../message.commands.js';
import { DispatchGates } from './dispatch-gates.js';
import { DispatchQueue } from './dispatch-queue.js';
import type { Dispatcher } from './dispatcher.js';
import { DISPATCH_GATES, type Gate } from './gates.js';

let harness: MessagingHarness;
const tenantId = randomUUID();
const tenantNumber = '+12125550100';
/** 14:00 on a Thursday in New York: no quiet hours hold a transactional text back. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');
const inTenMinutes = new Date('2026-11-26T19:10:00.000Z');

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

function request(overrides: Partial<OutboundRequest> = {}): Omit<OutboundRequest, 'messageId'> {
  return {
    tenantId,
    to: newYorkNumber(),
    from: tenantNumber,
    body: 'Your appointment is tomorrow at 10.',
    mediaUrls: [],
    purpose: 'transactional',
    ...overrides,
  };
}

/** A dispatcher of another process: its own connection pool, store and clock, the same database. */
async function otherInstance(
  clock: SettableClock,
  gates: readonly Gate[] = DISPATCH_GATES,
): Promise<{ dispatcher: Dispatcher; dataSource: DataSource; messages: MessageStore }> {
  const dataSource = await harness.database.openDataSource();
  const store = new EventStore(dataSource);
  const messages = new MessageStore(store);
  const dispatcher = createDispatcher({
    store,
    messages,
    carrier: harness.carrier,
    clock,
    queue: new DispatchQueue(dataSource),
    gates: new DispatchGates(
      messages,
      new ConsentView(),
      new TenantProfiles(),
      new TenantNumbers(),
      dataSource.manager,
      gates,
    ),
  });
  return { dispatcher, dataSource, messages };
}

async function queueRow(messageId: string) {
  const rows = await harness.database.dataSource.query<
    Array<{
      gate: string;
      release_at: Date | null;
      waiting_for: string | null;
      waiting_key: string | null;
    }>
  >(`SELECT gate, release_at, waiting_for, waiting_key FROM dispatch_queue WHERE message_id = $1`, [
    messageId,
  ]);
  return rows[0] ?? null;
}

describe('the dispatch queue (real Postgres)', () => {
  it('two dispatcher instances over one queue never release one message twice', async () => {
    harness.clock.current = afternoon;
    const queued = [];
    for (let i = 0; i < 60; i++) {
      queued.push(await queueMessage(harness, request({ sendAt: inTenMinutes.toISOString() })));
    }
    await harness.submit.handleBatch(queued);
    const ids = queued.map((event) => (event.data as { messageId: string }).messageId);
    for (const id of ids) {
      expect((await harness.messages.load(id)).state.status).toBe('scheduled');
    }
    expect(harness.carrier.calls.filter((c) => ids.includes(c.messageId))).toHaveLength(0);

    const clock = new SettableClock(inTenMinutes);
    harness.clock.current = inTenMinutes;
    const other = await otherInstance(clock);
    const drain = async (dispatcher: Dispatcher): Promise<number> => {
      let released = 0;
      for (;;) {
        const claimed = await dispatcher.releaseDue(7);
        if (claimed === 0) return released;
        released += claimed;
      }
    };
    const [byFirst, bySecond] = await Promise.all([drain(harness.submit), drain(other.dispatcher)]);

    expect(byFirst + bySecond).toBe(ids.length);
    for (const id of ids) {
      expect(harness.carrier.calls.filter((c) => c.messageId === id)).toHaveLength(1);
      expect(await queueRow(id)).toBeNull();
    }
  });

  it('releases a crowd due at one instant batch after batch, each message once', async () => {
    harness.clock.current = afternoon;
    const at = new Date('2026-11-26T19:20:00.000Z');
    const queued = [];
    for (let i = 0; i < 25; i++) {
      queued.push(await queueMessage(harness, request({ sendAt: at.toISOString() })));
    }
    await harness.submit.handleBatch(queued);
    const ids = queued.map((event) => (event.data as { messageId: string }).messageId);
    harness.clock.current = at;
    expect(await harness.submit.releaseAllDue(10)).toBe(25);
    for (const id of ids) {
      expect(harness.carrier.calls.filter((c) => c.messageId === id)).toHaveLength(1);
    }
  });

  it('a scheduled message survives a restart: a new instance releases it at its time, not before', async () => {
    harness.clock.current = afternoon;
    const sendAt = new Date('2026-11-27T15:30:00.000Z');
    const queued = await queueMessage(harness, request({ sendAt: sendAt.toISOString() }));
    const messageId = (queued.data as { messageId: string }).messageId;
    await harness.submit.handle(queued);
    expect(await queueRow(messageId)).toEqual({
      gate: 'schedule',
      release_at: sendAt,
      waiting_for: null,
      waiting_key: null,
    });

    // The process that held it is gone; another starts on the same database.
    const clock = new SettableClock(new Date(sendAt.getTime() - 1_000));
    const restarted = await otherInstance(clock);
    expect(await restarted.dispatcher.releaseDue(100)).toBe(0);
    expect(harness.carrier.calls.filter((c) => c.messageId === messageId)).toHaveLength(0);

    clock.current = sendAt;
    await restarted.dispatcher.releaseDue(100);
    expect(harness.carrier.calls.filter((c) => c.messageId === messageId)).toHaveLength(1);
    expect((await restarted.messages.load(messageId)).state.status).toBe('sending');
    expect(await queueRow(messageId)).toBeNull();
  });

  it('a released message whose carrier answer was never recorded (the process died) is released again once its lease lapses, under the same key', async () => {
    harness.clock.current = afternoon;
    const sendAt = new Date('2026-11-26T19:40:00.000Z');
    const queued = await queueMessage(harness, request({ sendAt: sendAt.toISOString() }));
    const messageId = (queued.data as { messageId: string }).messageId;
    await harness.submit.handle(queued);

    // The carrier takes the message, but the process dies before the answer is recorded.
    const clock = new SettableClock(sendAt);
    const dying = await otherInstance(clock);
    const carrierMessageId = randomUUID();
    const answer = harness.carrier.answer;
    harness.carrier.answer = () => {
      throw new Error('killed between the carrier call and its record');
    };
    await expect(dying.dispatcher.releaseDue(100)).rejects.toThrow();
    harness.carrier.answer = answer;
    expect((await dying.messages.load(messageId)).state.status).toBe('sending');
    expect(await queueRow(messageId)).not.toBeNull();

    // Another instance: not while the lease holds, then once it has lapsed.
    const restarted = await otherInstance(new SettableClock(new Date(sendAt.getTime() + 29_000)));
    expect(await restarted.dispatcher.releaseDue(100)).toBe(0);
    const later = await otherInstance(new SettableClock(new Date(sendAt.getTime() + 31_000)));
    const callsBefore = harness.carrier.calls.filter((c) => c.messageId === messageId).length;
    expect(callsBefore).toBeGreaterThan(0);
    harness.carrier.answer = () => ({ outcome: 'accepted', carrierMessageId });
    try {
      expect(await later.dispatcher.releaseDue(100)).toBe(1);
    } finally {
      harness.carrier.answer = answer;
    }

    // One more call, with the message id the carrier's idempotency key is made of.
    expect(harness.carrier.calls.filter((c) => c.messageId === messageId)).toHaveLength(
      callsBefore + 1,
    );
    const state = (await later.messages.load(messageId)).state;
    expect(state).toMatchObject({ status: 'sending', carrierMessageId });
    expect(await queueRow(messageId)).toBeNull();
  });

  it('a scheduled message meets every later gate at release: quiet hours hold it to the morning', async () => {
    const to = newYorkNumber();
    harness.clock.current = afternoon;
    await harness.consents.handle({
      id: randomUUID(),
      type: 'consent.ConsentGranted.v1',
      source: '/test',
      subject: `consent-${tenantId}-${to}`,
      time: afternoon.toISOString(),
      tenantId,
      correlationId: randomUUID(),
      data: {
        tenantId,
        phone: to,
        purpose: 'marketing',
        channel: 'all',
        requestId: randomUUID(),
        evidence: {
          source: 'web_form',
          text: 'Yes, text me offers.',
          capturedAt: afternoon.toISOString(),
        },
        grantedAt: afternoon.toISOString(),
      },
      topic: 'test',
      partition: 0,
      offset: '0',
    });
    // 22:30 in New York: after the federal window.
    const lateEvening = new Date('2026-11-27T03:30:00.000Z');
    const queued = await queueMessage(
      harness,
      request({
        to,
        purpose: 'marketing',
        body: 'Weekend sale! Reply STOP to opt out.',
        sendAt: lateEvening.toISOString(),
      }),
    );
    const messageId = (queued.data as { messageId: string }).messageId;
    await harness.submit.handle(queued);
    expect((await queueRow(messageId))?.gate).toBe('schedule');

    harness.clock.current = lateEvening;
    await harness.submit.releaseDue(100);
    const { state } = await harness.messages.load(messageId);
    expect(state).toMatchObject({
      status: 'scheduled',
      holdReason: 'quiet_hours_held',
      sendAt: '2026-11-27T13:00:00.000Z',
    });
    expect(await queueRow(messageId)).toMatchObject({
      gate: 'quiet-hours',
      release_at: new Date('2026-11-27T13:00:00.000Z'),
    });
    expect(harness.carrier.callsTo(to)).toHaveLength(0);

    harness.clock.current = new Date('2026-11-27T13:00:00.000Z');
    await harness.submit.releaseDue(100);
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
  });

  it('a message waiting for an event is released by that event, and only by it (test gate)', async () => {
    harness.clock.current = afternoon;
    const opened = new Set<string>();
    // A gate of the kind a later feature adds: waits for an event about the recipient.
    const testGate: Gate = {
      name: 'test-gate',
      decide: ({ message }) =>
        opened.has(message.to)
          ? { answer: 'pass' }
          : {
              answer: 'wait',
              until: { kind: 'event', event: 'test.GateOpened.v1', key: message.to },
            },
    };
    const clock = new SettableClock(afternoon);
    const gated = await otherInstance(clock, [...DISPATCH_GATES, testGate]);
    const queued = await queueMessage(harness, request());
    const { messageId, to } = queued.data as { messageId: string; to: string };

    await gated.dispatcher.handle(queued);
    expect((await gated.messages.load(messageId)).state.status).toBe('queued');
    expect(await queueRow(messageId)).toEqual({
      gate: 'test-gate',
      release_at: null,
      waiting_for: 'test.GateOpened.v1',
      waiting_key: to,
    });
    clock.current = new Date(afternoon.getTime() + 3_600_000);
    expect(await gated.dispatcher.releaseDue(100)).toBe(0);

    // The event for another recipient releases nothing.
    const other = await gated.dataSource.transaction((m) =>
      gated.dispatcher.wake(m, 'test.GateOpened.v1', newYorkNumber()),
    );
    expect(other).toEqual([]);
    expect((await queueRow(messageId))?.waiting_for).toBe('test.GateOpened.v1');

    opened.add(to);
    const woken = await gated.dataSource.transaction((m) =>
      gated.dispatcher.wake(m, 'test.GateOpened.v1', to),
    );
    expect(woken).toEqual([messageId]);
    expect(await gated.dispatcher.releaseDue(100)).toBe(1);
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
    expect((await gated.messages.load(messageId)).state.status).toBe('sending');
    expect(await queueRow(messageId)).toBeNull();
  });

  it('keeps the rows held_messages had, as quiet-hours holds due at their time (migration)', async () => {
    const before = await createTestDatabase({
      // Every migration before this one: the schema with held_messages.
      migrations: messagingMigrations.slice(
        0,
        messagingMigrations.indexOf(MessagingDispatchQueue1767571200000),
      ),
    });
    try {
      const messageId = randomUUID();
      await before.dataSource.query(
        `INSERT INTO held_messages (message_id, tenant_id, send_at, correlation_id)
         VALUES ($1, $2, '2026-11-27T13:00:00.000Z', 'corr-1')`,
        [messageId, tenantId],
      );
      const runner = before.dataSource.createQueryRunner();
      try {
        await new MessagingDispatchQueue1767571200000().up(runner);
      } finally {
        await runner.release();
      }
      expect(
        await before.dataSource.query(
          `SELECT message_id, tenant_id, correlation_id, gate, release_at, waiting_for,
                  waiting_key, claimed_until FROM dispatch_queue`,
        ),
      ).toEqual([
        {
          message_id: messageId,
          tenant_id: tenantId,
          correlation_id: 'corr-1',
          gate: 'quiet-hours',
          release_at: new Date('2026-11-27T13:00:00.000Z'),
          waiting_for: null,
          waiting_key: null,
          claimed_until: null,
        },
      ]);
      // The migrations after it keep the row; the queue of today releases it at its time.
      const later = before.dataSource.createQueryRunner();
      try {
        const from = messagingMigrations.indexOf(MessagingDispatchQueue1767571200000) + 1;
        for (const Migration of messagingMigrations.slice(from)) await new Migration().up(later);
      } finally {
        await later.release();
      }
      const due = await new DispatchQueue(before.dataSource).claimDue(
        new Date('2026-11-27T13:00:00.000Z'),
        10,
      );
      expect(due).toEqual([{ messageId, tenantId, correlationId: 'corr-1', traceparent: null }]);
      // A row waits for something: a time, an event, or both.
      await expect(
        before.dataSource.query(
          `INSERT INTO dispatch_queue (message_id, tenant_id, correlation_id, gate)
           VALUES ($1, $2, 'c', 'schedule')`,
          [randomUUID(), tenantId],
        ),
      ).rejects.toThrow(/dispatch_queue_waits_for_one/);
    } finally {
      await before.drop();
    }
  });
});
