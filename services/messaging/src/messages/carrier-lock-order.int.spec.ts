import { randomUUID } from 'node:crypto';
import { EventStore, lockKeys } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createDispatcher,
  createMessagingHarness,
  type MessagingHarness,
  queueMessage,
  seedTenant,
} from '../../test/messaging-harness.js';
import { ConsentView } from '../consents/consent-view.js';
import { TenantProfiles } from '../tenants/tenant-profiles.js';
import { TenantNumbers } from '../tenants/tenant-numbers.js';
import { DispatchGates } from './dispatch/dispatch-gates.js';
import { DispatchQueue } from './dispatch/dispatch-queue.js';

let harness: MessagingHarness;
const tenantId = randomUUID();
const tenantNumber = '+12125550100';
/** 14:00 on a Thursday in New York: no quiet hours hold anything back. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');

beforeAll(async () => {
  harness = await createMessagingHarness();
  harness.clock.current = afternoon;
  await seedTenant(harness, { tenantId, number: tenantNumber });
});

afterAll(async () => {
  await harness.database.drop();
});

let sequence = 0;
function newYorkNumber(): string {
  sequence += 1;
  return `+1212${300 + sequence}${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
}

function queue(to: string): Promise<ConsumedEvent> {
  return queueMessage(harness, {
    tenantId,
    to,
    from: tenantNumber,
    body: 'Your order has shipped.',
    mediaUrls: [],
    purpose: 'transactional',
  });
}

function messageIdOf(queued: ConsumedEvent): string {
  return (queued.data as { messageId: string }).messageId;
}

function delivered(carrierMessageId: string, to: string): ConsumedEvent {
  return consumed('gateway.CarrierWebhookReceived.v1', `carrier-message-${carrierMessageId}`, {
    webhookId: randomUUID(),
    carrier: 'telnyx',
    eventType: 'message.finalized',
    occurredAt: harness.clock.now().toISOString(),
    payload: { id: carrierMessageId, to: [{ phone_number: to, status: 'delivered' }], errors: [] },
    receivedAt: harness.clock.now().toISOString(),
  });
}

function inboundStop(from: string): ConsumedEvent {
  const carrierMessageId = randomUUID();
  return consumed('gateway.CarrierWebhookReceived.v1', `carrier-message-${carrierMessageId}`, {
    webhookId: randomUUID(),
    carrier: 'telnyx',
    eventType: 'message.received',
    occurredAt: harness.clock.now().toISOString(),
    payload: {
      id: carrierMessageId,
      text: 'Stop',
      from: { phone_number: from },
      to: [{ phone_number: tenantNumber }],
      received_at: harness.clock.now().toISOString(),
    },
    receivedAt: harness.clock.now().toISOString(),
  });
}

/** Advisory locks in this test's database, granted or waited for. */
async function advisoryLocks(): Promise<{ granted: number; waiting: number }> {
  const rows = await harness.database.dataSource.query<Array<{ granted: number; waiting: number }>>(
    `SELECT count(*) FILTER (WHERE granted)::int AS granted,
            count(*) FILTER (WHERE NOT granted)::int AS waiting
       FROM pg_locks
      WHERE locktype = 'advisory'
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return rows[0] ?? { granted: 0, waiting: 0 };
}

/** Resolves once `condition` holds, asking Postgres again after each answer. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let asked = 0; asked < 2_000; asked++) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never: ${what}`);
}

describe('carrier-id locks in one order on every path (real Postgres)', () => {
  it('a batch of receipts overtaking a batch of acceptances waits in the same order: no deadlock', async () => {
    const to = newYorkNumber();
    const first = await queue(to);
    const second = await queue(to);
    // Sorted, `low` comes first; the receipts arrive in the other order.
    const low = `a-${randomUUID()}`;
    const high = `b-${randomUUID()}`;
    const carrierIds = new Map([
      [messageIdOf(first), low],
      [messageIdOf(second), high],
    ]);
    harness.carrier.answer = (submission) => ({
      outcome: 'accepted',
      carrierMessageId: carrierIds.get(submission.messageId) ?? randomUUID(),
    });

    // Another transaction holds `low` for now, so both paths line up behind it.
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding = (): void => undefined;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const blocker = harness.database.dataSource.transaction(async (manager: EntityManager) => {
      await lockKeys(manager, [low], 'exclusive');
      holding();
      await released;
    });
    await held;

    // The acceptances' recording waits for `low`...
    const submission = harness.submit.handleBatch([first, second]);
    await until(async () => (await advisoryLocks()).waiting === 1, 'the recording waits');
    // ...and so does the batch of receipts, holding nothing: before the fix it took `high` as
    // it met its receipt, then waited for `low`, which the recording gets next.
    const receipts = harness.carrierWebhooks.handleBatch([delivered(high, to), delivered(low, to)]);
    await until(async () => (await advisoryLocks()).waiting === 2, 'the receipts wait');
    expect(await advisoryLocks()).toEqual({ granted: 1, waiting: 2 });

    release();
    await blocker;
    const [submitted, applied] = await Promise.allSettled([submission, receipts]);
    expect(submitted).toEqual({ status: 'fulfilled', value: undefined });
    expect(applied).toEqual({ status: 'fulfilled', value: undefined });
    for (const queued of [first, second]) {
      expect((await harness.messages.load(messageIdOf(queued))).state.status).toBe('delivered');
    }
  });
});

/** The real store, whose `failing`-th transaction from now fails before it runs. */
class FailingStore extends EventStore {
  failing = 0;
  override transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.failing > 0 && --this.failing === 0) {
      return Promise.reject(new Error('connection lost'));
    }
    return super.transaction(fn);
  }
}

describe('a message the carrier accepted (real Postgres)', () => {
  it('is recorded as accepted, never blocked, when a STOP lands and the first recording fails', async () => {
    const store = new FailingStore(harness.database.dataSource);
    const submit = createDispatcher({
      store,
      messages: harness.messages,
      carrier: harness.carrier,
      clock: harness.clock,
      queue: new DispatchQueue(harness.database.dataSource),
      gates: new DispatchGates(
        harness.messages,
        new ConsentView(),
        new TenantProfiles(),
        new TenantNumbers(),
        harness.database.dataSource.manager,
      ),
    });
    const to = newYorkNumber();
    const queued = await queue(to);
    const carrierMessageId = randomUUID();
    // The carrier takes the message; the recipient's STOP is recorded before its answer is.
    harness.carrier.answer = async () => {
      await harness.carrierWebhooks.handle(inboundStop(to));
      return { outcome: 'accepted', carrierMessageId };
    };
    // The clearance's transaction goes through, the one recording the answer fails once.
    store.failing = 2;

    // As the consumer does: a failed batch is handled again event by event.
    await submit.handleBatch([queued]).catch(() => submit.handle(queued));

    const { state } = await harness.messages.load(messageIdOf(queued));
    expect(state).toMatchObject({ status: 'sending', carrierMessageId });
    expect(harness.carrier.callsTo(to)).toHaveLength(1);
  });
});
