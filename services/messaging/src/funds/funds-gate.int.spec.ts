import { randomUUID } from 'node:crypto';
import type { HoldRejectionReason, WalletSnapshot } from '@textplane/contracts';
import { EventStore } from '@textplane/event-store';
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
import { DispatchGates } from '../messages/dispatch/dispatch-gates.js';
import type { Dispatcher } from '../messages/dispatch/dispatcher.js';
import { dispatchGates } from '../messages/dispatch/gates.js';
import { TenantNumbers } from '../tenants/tenant-numbers.js';
import { TenantProfiles } from '../tenants/tenant-profiles.js';
import { FundsProjection } from './funds.projection.js';

let harness: MessagingHarness;
let dispatcher: Dispatcher;
let projection: FundsProjection;
const tenantId = randomUUID();
const tenantNumber = '+12125550100';
/** 14:00 on a Thursday in New York. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');
let sequence = 0;

beforeAll(async () => {
  harness = await createMessagingHarness();
  await seedTenant(harness, { tenantId, number: tenantNumber });
  harness.clock.current = afternoon;
  const store = new EventStore(harness.database.dataSource);
  dispatcher = createDispatcher({
    store,
    messages: harness.messages,
    carrier: harness.carrier,
    clock: harness.clock,
    queue: harness.queue,
    gates: new DispatchGates(
      harness.messages,
      new ConsentView(),
      new TenantProfiles(),
      new TenantNumbers(),
      harness.database.dataSource.manager,
      dispatchGates({ enforceSenderRegistration: false, enforceFunds: true }),
    ),
  });
  projection = new FundsProjection({
    wake: (manager, event, key) => harness.queue.wake(manager, event, key, harness.clock.now()),
  });
});

afterAll(async () => {
  await harness.database.drop();
});

const wallet = (): WalletSnapshot => ({
  currency: 'USD',
  balance: 0,
  held: 0,
  available: 0,
  sequence: ++sequence,
});

/** A fact of billing's, applied as messaging's consumer applies it (its own transaction). */
function billingSays(
  fact:
    | { type: 'placed'; messageId: string }
    | { type: 'rejected'; messageId: string; reason: HoldRejectionReason }
    | { type: 'credit' }
    | { type: 'settings'; fundsWaitLimitSeconds: number },
): Promise<void> {
  const at = harness.clock.now().toISOString();
  const event =
    fact.type === 'placed'
      ? consumed('billing.HoldPlaced.v1', `hold-${fact.messageId}`, {
          tenantId,
          messageId: fact.messageId,
          amount: { micros: 8300, currency: 'USD' },
          price: {
            cardVersion: 'default',
            country: 'US',
            channel: 'sms',
            direction: 'outbound',
            units: 1,
            unitPrice: 8300,
            carrier: null,
            carrierFee: 0,
          },
          wallet: wallet(),
          placedAt: at,
        })
      : fact.type === 'rejected'
        ? consumed('billing.HoldRejected.v1', `hold-${fact.messageId}`, {
            tenantId,
            messageId: fact.messageId,
            reason: fact.reason,
            wallet: wallet(),
            rejectedAt: at,
          })
        : fact.type === 'credit'
          ? consumed('billing.CreditPosted.v1', `credit-${randomUUID()}`, {
              tenantId,
              requestId: randomUUID(),
              reference: randomUUID(),
              amount: { micros: 1_000_000, currency: 'USD' },
              wallet: wallet(),
              postedAt: at,
            })
          : consumed('billing.WalletSettingsSet.v1', `wallet-${tenantId}`, {
              tenantId,
              requestId: randomUUID(),
              settings: {
                autoRecharge: null,
                lowBalanceThreshold: null,
                fundsWaitLimitSeconds: fact.fundsWaitLimitSeconds,
              },
              setAt: at,
            });
  return harness.database.dataSource.transaction((manager) => projection.apply(event, manager));
}

async function queued(): Promise<string> {
  const event = await queueMessage(harness, {
    tenantId,
    to: `+1212555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`,
    from: tenantNumber,
    body: 'Your order has shipped.',
    mediaUrls: [],
    purpose: 'transactional',
  });
  await dispatcher.handleBatch([event]);
  return (event.data as { messageId: string }).messageId;
}

async function history(messageId: string): Promise<string[]> {
  const rows = await harness.database.dataSource.query<Array<{ type: string }>>(
    `SELECT type FROM events WHERE stream_id = $1 ORDER BY version`,
    [`message-${messageId}`],
  );
  return rows.map((row) => row.type.replace(/^messaging\.|\.v1$/g, ''));
}

async function queueRow(messageId: string) {
  const rows = await harness.database.dataSource.query<
    Array<{ release_at: Date | null; waiting_for: string | null; waiting_key: string | null }>
  >(`SELECT release_at, waiting_for, waiting_key FROM dispatch_queue WHERE message_id = $1`, [
    messageId,
  ]);
  return rows[0] ?? null;
}

const carrierCalls = (messageId: string) =>
  harness.carrier.calls.filter((call) => call.messageId === messageId).length;

describe('the funds gate (real Postgres)', () => {
  it('asks for the hold once, waits for a credit after a rejection, asks again, then sends', async () => {
    const id = await queued();
    // Asked, not shown waiting: billing answers in moments.
    expect(await history(id)).toEqual(['MessageQueued', 'FundsHoldRequested']);
    expect(await queueRow(id)).toEqual({
      release_at: null,
      waiting_for: 'billing.HoldAnswered',
      waiting_key: id,
    });
    // Released again before billing answered: no second request.
    await dispatcher.resubmit(id, tenantId);
    expect(await history(id)).toHaveLength(2);

    await billingSays({ type: 'rejected', messageId: id, reason: 'insufficient_funds' });
    expect(await dispatcher.releaseAllDue(10)).toBeGreaterThanOrEqual(1);
    const waiting = await queueRow(id);
    expect(waiting?.waiting_for).toBe('billing.CreditPosted.v1');
    expect(waiting?.waiting_key).toBe(tenantId);
    // Looked at again when the default wait limit (24 h from the first request) passes.
    expect(waiting?.release_at?.toISOString()).toBe(
      new Date(afternoon.getTime() + 24 * 3600_000).toISOString(),
    );
    expect(carrierCalls(id)).toBe(0);

    await billingSays({ type: 'credit' });
    await dispatcher.releaseAllDue(10);
    // Shown waiting for funds once refused, and asked again after the credit.
    expect(await history(id)).toEqual([
      'MessageQueued',
      'FundsHoldRequested',
      'MessageParked',
      'FundsHoldRequested',
    ]);
    expect((await queueRow(id))?.waiting_for).toBe('billing.HoldAnswered');

    await billingSays({ type: 'placed', messageId: id });
    await dispatcher.releaseAllDue(10);
    expect(carrierCalls(id)).toBe(1);
    expect((await harness.messages.load(id)).state.status).toBe('sending');
  });

  it('blocks a message no card prices the destination of, without calling the carrier', async () => {
    const id = await queued();
    await billingSays({ type: 'rejected', messageId: id, reason: 'destination_not_priced' });
    await dispatcher.releaseAllDue(10);
    const state = (await harness.messages.load(id)).state;
    expect(state.status).toBe('blocked');
    expect(await history(id)).toContain('MessageBlocked');
    expect(carrierCalls(id)).toBe(0);
  });

  it('blocks insufficient_funds once the tenant’s wait limit passed with no credit', async () => {
    await billingSays({ type: 'settings', fundsWaitLimitSeconds: 600 });
    const id = await queued();
    await billingSays({ type: 'rejected', messageId: id, reason: 'insufficient_funds' });
    await dispatcher.releaseAllDue(10);
    expect((await harness.messages.load(id)).state.status).toBe('queued');
    expect((await queueRow(id))?.release_at?.toISOString()).toBe(
      new Date(afternoon.getTime() + 600_000).toISOString(),
    );

    harness.clock.current = new Date(afternoon.getTime() + 600_000);
    await dispatcher.releaseAllDue(10);
    const blocked = await harness.database.dataSource.query<Array<{ data: { reason: string } }>>(
      `SELECT data FROM events WHERE stream_id = $1 AND type = 'messaging.MessageBlocked.v1'`,
      [`message-${id}`],
    );
    expect(blocked[0]?.data.reason).toBe('insufficient_funds');
    expect(carrierCalls(id)).toBe(0);
    harness.clock.current = afternoon;
  });
});
