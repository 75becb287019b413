import { randomInt, randomUUID } from 'node:crypto';
import { EventStore } from '@textplane/event-store';
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
import { TenantNumbers } from '../../tenants/tenant-numbers.js';
import { TenantProfiles } from '../../tenants/tenant-profiles.js';
import { ThroughputLedger } from '../../throughput/index.js';
import { DispatchGates } from './dispatch-gates.js';
import { DispatchQueue } from './dispatch-queue.js';
import type { Dispatcher } from './dispatcher.js';
import { DISPATCH_GATES } from './gates.js';

/**
 * The throughput gate in the dispatcher (issue 12 §3), real Postgres: what passed every other
 * gate is counted against the carriers' caps; a message over one waits for its turn (`queued`,
 * waitingFor throughput, its queue row due when the window has room), never fails, and goes
 * when the window has room.
 */

let harness: MessagingHarness;
let dispatcher: Dispatcher;
const clock = new SettableClock(new Date('2026-11-26T19:00:00.000Z'));
const tenantId = randomUUID();
const tollFree = `+1888${randomInt(2_000_000, 9_999_999)}`;
const PER_SECOND = 2;

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: tollFree });
  const dataSource = await harness.database.openDataSource();
  const store = new EventStore(dataSource);
  const messages = new MessageStore(store);
  dispatcher = createDispatcher({
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
      DISPATCH_GATES,
      {
        throughput: new ThroughputLedger(),
        platformLimits: {
          tollFreePerNumberPerSecond: PER_SECOND,
          accountPerSecond: { sms: 1_000, mms: 1_000 },
        },
      },
    ),
  });
});

afterAll(async () => {
  await harness.database.drop();
});

async function queueRow(messageId: string) {
  const rows = await harness.database.dataSource.query<
    Array<{ gate: string; release_at: Date | null }>
  >(`SELECT gate, release_at FROM dispatch_queue WHERE message_id = $1`, [messageId]);
  return rows[0] ?? null;
}

describe('the throughput gate', () => {
  it('lets a toll-free number send its rate per second; the rest wait their turn, then go', async () => {
    harness.clock.current = clock.now();
    const queued = [];
    for (let i = 0; i < 5; i++) {
      queued.push(
        await queueMessage(harness, {
          tenantId,
          to: `+1212555${String(1000 + i)}`,
          from: tollFree,
          body: 'Your table is ready',
          mediaUrls: [],
          purpose: 'transactional',
        }),
      );
    }
    const ids = queued.map((event) => (event.data as { messageId: string }).messageId);
    await dispatcher.handleBatch(queued);

    const sentNow = ids.filter((id) => harness.carrier.calls.some((c) => c.messageId === id));
    expect(sentNow).toHaveLength(PER_SECOND);
    const waiting = ids.filter((id) => !sentNow.includes(id));
    for (const id of waiting) {
      const { state } = await harness.messages.load(id);
      expect(state).toMatchObject({ status: 'queued', waitingFor: 'throughput' });
      const row = await queueRow(id);
      expect(row?.gate).toBe('throughput');
      // Due once the second has passed (and not a hold: the message stays queued).
      expect(row?.release_at?.getTime()).toBeGreaterThan(clock.now().getTime());
      expect(row?.release_at?.getTime()).toBeLessThanOrEqual(clock.now().getTime() + 1_100);
    }
    const events = await harness.messages.load(waiting[0] ?? '');
    expect(events.state.status).toBe('queued');

    // Nothing is due before its turn.
    expect(await dispatcher.releaseDue(10)).toBe(0);

    // A second later two more go; a second after that, the last one.
    clock.current = new Date(clock.now().getTime() + 1_100);
    await dispatcher.releaseDue(10);
    const sentNext = waiting.filter((id) => harness.carrier.calls.some((c) => c.messageId === id));
    expect(sentNext).toHaveLength(PER_SECOND);
    clock.current = new Date(clock.now().getTime() + 1_100);
    await dispatcher.releaseDue(10);
    for (const id of ids) {
      expect(harness.carrier.calls.filter((c) => c.messageId === id)).toHaveLength(1);
      expect(await queueRow(id)).toBeNull();
    }
  });
});
