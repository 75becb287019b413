import { randomUUID } from 'node:crypto';
import type { WalletSettings } from '@textplane/contracts';
import { EventStore, Inbox, queryRows } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { type ConsumedEvent, outboxContractCheck } from '@textplane/kafka';
import { DEFAULT_RATE_CARD } from '@textplane/pricing';
import { type EventHandlers, onceThroughInbox, systemClock } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  creditRequest,
  holdRequest,
  inbound,
  SEGMENT_WORST_CASE,
  submitted,
} from '../test/fixtures.js';
import { BillingRequestHandler } from './billing-requests/billing-request.handler.js';
import { BillingStore } from './infrastructure/billing-store.js';
import {
  MessageEventHandler,
  messageEventHandlers,
} from './message-events/message-event.handler.js';
import { billingMigrations } from './migrations/index.js';

/**
 * Billing against real Postgres: each consumer's handler is fed what its topic would carry
 * (the gateway's billing requests, messaging's funds-gate events) through the inbox, as the
 * service's consumers call them, many at once where the test races them.
 */

let database: TestDatabase;
let billing: BillingStore;
let requestEvents: EventHandlers;
let messageEvents: EventHandlers;
const quiet = { info: () => undefined, warn: () => undefined };

beforeAll(async () => {
  database = await createTestDatabase({ migrations: billingMigrations, poolSize: 20 });
  // The publisher's contract check at append, as the runtime's store has it.
  const store = new EventStore(database.dataSource, { check: outboxContractCheck });
  const inbox = new Inbox(database.dataSource);
  billing = new BillingStore(store);
  const requests = new BillingRequestHandler(billing, systemClock);
  const messages = new MessageEventHandler(billing, systemClock, quiet);
  requestEvents = onceThroughInbox(inbox, 'billing.requests', (e, m) => requests.apply(e, m));
  messageEvents = messageEventHandlers(inbox, 'billing.messages', messages);
});

afterAll(async () => {
  await database?.drop();
});

function consumed(type: string, data: object, tenantId: string): ConsumedEvent {
  return {
    id: randomUUID(),
    type,
    source: '/test',
    subject: 'test',
    time: new Date().toISOString(),
    tenantId,
    correlationId: randomUUID(),
    data,
    topic: 'test',
    partition: 0,
    offset: '0',
  };
}

async function credit(tenantId: string, micros: number, reference: string = randomUUID()) {
  await requestEvents.handle(
    consumed(
      'gateway.WalletCreditRequested.v1',
      creditRequest({ tenantId, reference, amount: { micros, currency: 'USD' } }),
      tenantId,
    ),
  );
}

async function factsOf(tenantId: string, type: string): Promise<Array<Record<string, unknown>>> {
  const rows = await queryRows<{ data: Record<string, unknown> }>(
    database.dataSource,
    `SELECT data FROM events WHERE type = $1 AND data->>'tenantId' = $2 ORDER BY global_position`,
    [type, tenantId],
  );
  return rows.map((r) => r.data);
}

async function walletOf(tenantId: string) {
  return database.dataSource.transaction((m) => billing.walletOf(m, tenantId, 'USD'));
}

/** Σ postings per account kind for the tenant's entries, and any entry that does not balance. */
async function ledgerOf(tenantId: string) {
  const unbalanced = await queryRows<{ entry_id: string }>(
    database.dataSource,
    `SELECT entry_id FROM ledger_postings WHERE tenant_id = $1
      GROUP BY entry_id, currency HAVING sum(amount) <> 0`,
    [tenantId],
  );
  const sums = await queryRows<{ kind: string; total: string }>(
    database.dataSource,
    `SELECT e.kind, sum(p.amount) FILTER (WHERE p.account = 'tenant:' || e.tenant_id || ':available'
                                           OR p.account = 'tenant:' || e.tenant_id || ':holds') AS total
       FROM ledger_entries e JOIN ledger_postings p USING (entry_id)
      WHERE e.tenant_id = $1 GROUP BY e.kind`,
    [tenantId],
  );
  const [count] = await queryRows<{ n: string }>(
    database.dataSource,
    `SELECT count(*) AS n FROM ledger_entries WHERE tenant_id = $1`,
    [tenantId],
  );
  return {
    unbalanced: unbalanced.map((r) => r.entry_id),
    byKind: Object.fromEntries(sums.map((s) => [s.kind, Number(s.total)])),
    entries: Number(count?.n ?? 0),
  };
}

describe('billing: the funds race', () => {
  it('1,000 holds racing for funds that cover exactly 500: exactly 500 placed', async () => {
    const tenantId = randomUUID();
    await credit(tenantId, 500 * SEGMENT_WORST_CASE);
    const requests = Array.from({ length: 1_000 }, () =>
      consumed(
        'messaging.FundsHoldRequested.v1',
        holdRequest({ tenantId, messageId: randomUUID() }),
        tenantId,
      ),
    );
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(requests.map((r) => messageEvents.handle(r)));
    const elapsedMs = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    // Read by the README's figures (2 vCPU, Node 24); Postgres's own CPU is not in it.
    console.info(
      `funds race: 1,000 hold requests in ${elapsedMs.toFixed(0)} ms ` +
        `(${((1_000 / elapsedMs) * 1_000).toFixed(0)}/s), billing CPU ${((user + system) / 1_000 / 1_000).toFixed(2)} ms per request`,
    );

    const placed = await factsOf(tenantId, 'billing.HoldPlaced.v1');
    const rejected = await factsOf(tenantId, 'billing.HoldRejected.v1');
    expect(placed).toHaveLength(500);
    expect(rejected).toHaveLength(500);
    expect(rejected.every((r) => r['reason'] === 'insufficient_funds')).toBe(true);
    expect(rejected[0]?.['required']).toEqual({ micros: SEGMENT_WORST_CASE, currency: 'USD' });
    // Each placed hold saw the one before it: sequences 2..501, available stepping down.
    const sequences = placed
      .map((p) => (p['wallet'] as { sequence: number }).sequence)
      .sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 500 }, (_, i) => i + 2));

    const wallet = await walletOf(tenantId);
    expect(wallet).toMatchObject({ available: 0, held: 500 * SEGMENT_WORST_CASE, sequence: 501 });
    const ledger = await ledgerOf(tenantId);
    expect(ledger.unbalanced).toEqual([]);
    expect(ledger.entries).toBe(501);

    // Replaying every request (the same events again) changes nothing.
    await Promise.all(requests.map((r) => messageEvents.handle(r)));
    expect(await factsOf(tenantId, 'billing.HoldPlaced.v1')).toHaveLength(500);
    expect(await walletOf(tenantId)).toEqual(wallet);
  });
});

describe('billing: many tenants at once', () => {
  it('1,000 holds over 50 funded tenants all place, each tenant in order of its own lock', async () => {
    const tenants = Array.from({ length: 50 }, () => randomUUID());
    await Promise.all(tenants.map((t) => credit(t, 20 * SEGMENT_WORST_CASE)));
    const requests = tenants.flatMap((tenantId) =>
      Array.from({ length: 20 }, () =>
        consumed(
          'messaging.FundsHoldRequested.v1',
          holdRequest({ tenantId, messageId: randomUUID() }),
          tenantId,
        ),
      ),
    );
    const started = performance.now();
    await Promise.all(requests.map((r) => messageEvents.handle(r)));
    const elapsedMs = performance.now() - started;
    console.info(
      `50 tenants: 1,000 hold requests in ${elapsedMs.toFixed(0)} ms (${((1_000 / elapsedMs) * 1_000).toFixed(0)}/s)`,
    );
    for (const tenantId of tenants.slice(0, 5)) {
      expect(await factsOf(tenantId, 'billing.HoldPlaced.v1')).toHaveLength(20);
      expect(await walletOf(tenantId)).toMatchObject({ available: 0, sequence: 21 });
    }
  });
});

describe('billing: captures, releases, inbound', () => {
  async function placedHold(tenantId: string, overrides = {}) {
    const messageId = randomUUID();
    await messageEvents.handle(
      consumed(
        'messaging.FundsHoldRequested.v1',
        holdRequest({ tenantId, messageId, ...overrides }),
        tenantId,
      ),
    );
    return messageId;
  }

  it('a redelivered MessageSubmitted captures nothing more', async () => {
    const tenantId = randomUUID();
    await credit(tenantId, 1_000_000);
    const messageId = await placedHold(tenantId);
    const acceptance = consumed(
      'messaging.MessageSubmitted.v1',
      submitted({ tenantId, messageId, recipientCarrier: 'att' }),
      tenantId,
    );
    await messageEvents.handle(acceptance);
    const after = await ledgerOf(tenantId);
    const wallet = await walletOf(tenantId);
    expect(wallet).toMatchObject({ available: 1_000_000 - 10_300, held: 0 });

    // The same event again (the inbox), and a copy under another id (the hold's stream).
    await messageEvents.handle(acceptance);
    await messageEvents.handle({ ...acceptance, id: randomUUID() });
    expect(await factsOf(tenantId, 'billing.ChargeCaptured.v1')).toHaveLength(1);
    expect(await ledgerOf(tenantId)).toEqual(after);
    expect(await walletOf(tenantId)).toEqual(wallet);
  });

  it('a 3-segment text is charged 3 segments; blocked is released whole; inbound is charged', async () => {
    const tenantId = randomUUID();
    await credit(tenantId, 1_000_000);

    const threeSegments = await placedHold(tenantId, { segments: 3 });
    await messageEvents.handle(
      consumed(
        'messaging.MessageSubmitted.v1',
        submitted({ tenantId, messageId: threeSegments, parts: 3, recipientCarrier: 't-mobile' }),
        tenantId,
      ),
    );
    const [charge] = await factsOf(tenantId, 'billing.ChargeCaptured.v1');
    expect(charge).toMatchObject({
      amount: { micros: 3 * SEGMENT_WORST_CASE },
      price: { units: 3, carrier: 't-mobile' },
      captured: 3 * SEGMENT_WORST_CASE,
      released: 0,
    });

    const blocked = await placedHold(tenantId);
    await messageEvents.handle(
      consumed(
        'messaging.MessageBlocked.v1',
        {
          messageId: blocked,
          tenantId,
          reason: 'recipient_opted_out',
          reasons: ['recipient_opted_out'],
          detail: 'opted out',
          blockedAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );
    expect(await factsOf(tenantId, 'billing.HoldReleased.v1')).toMatchObject([
      { messageId: blocked, reason: 'blocked', amount: { micros: SEGMENT_WORST_CASE } },
    ]);

    // A message event for a message with no hold (Sent, or a block before the funds gate) moves nothing.
    await messageEvents.handle(
      consumed(
        'messaging.MessageCanceled.v1',
        {
          messageId: randomUUID(),
          tenantId,
          previousStatus: 'queued',
          canceledAt: new Date().toISOString(),
        },
        tenantId,
      ),
    );

    await messageEvents.handle(
      consumed(
        'messaging.InboundMessageReceived.v1',
        inbound({ tenantId, messageId: randomUUID() }),
        tenantId,
      ),
    );
    await messageEvents.handle(
      consumed(
        'messaging.InboundMessageReceived.v1',
        inbound({ tenantId, messageId: randomUUID(), to: '+18885550100' }),
        tenantId,
      ),
    );
    const inboundCharges = (await factsOf(tenantId, 'billing.ChargeCaptured.v1')).filter(
      (c) => (c['price'] as { direction: string }).direction === 'inbound',
    );
    expect(inboundCharges).toHaveLength(2);
    expect(inboundCharges[0]).toMatchObject({
      amount: { micros: 8_300 },
      captured: 0,
      overrun: 8_300,
    });

    // balance = credits − captures − inbound charges, from the ledger, every entry balanced.
    const ledger = await ledgerOf(tenantId);
    expect(ledger.unbalanced).toEqual([]);
    const wallet = await walletOf(tenantId);
    expect(wallet).toMatchObject({
      available: 1_000_000 - 3 * SEGMENT_WORST_CASE - 2 * 8_300,
      held: 0,
      balance: 1_000_000 - 3 * SEGMENT_WORST_CASE - 2 * 8_300,
    });
    expect(ledger.byKind).toEqual({
      top_up: 1_000_000,
      // Holds and releases only move money between the tenant's own accounts.
      hold: 0,
      release: 0,
      capture: -3 * SEGMENT_WORST_CASE,
      inbound_charge: -2 * 8_300,
    });
    const [{ total } = { total: '1' }] = await queryRows<{ total: string }>(
      database.dataSource,
      `SELECT sum(amount) AS total FROM ledger_postings`,
    );
    expect(Number(total)).toBe(0);
  });

  it('an inbound charge below the low-balance threshold alerts once, and re-arms after a credit', async () => {
    const tenantId = randomUUID();
    const settings: WalletSettings = {
      autoRecharge: { enabled: true, threshold: 10_000, amount: 5_000_000 },
      lowBalanceThreshold: 10_000,
      fundsWaitLimitSeconds: 86_400,
    };
    await requestEvents.handle(
      consumed(
        'gateway.WalletSettingsChangeRequested.v1',
        { requestId: randomUUID(), tenantId, settings, requestedAt: new Date().toISOString() },
        tenantId,
      ),
    );
    await credit(tenantId, 12_000);
    const receive = () =>
      messageEvents.handle(
        consumed(
          'messaging.InboundMessageReceived.v1',
          inbound({ tenantId, messageId: randomUUID() }),
          tenantId,
        ),
      );
    await receive(); // 12,000 → 3,700: crosses
    await receive(); // 3,700 → −4,600: already below
    expect(await factsOf(tenantId, 'billing.LowBalanceReached.v1')).toHaveLength(1);
    expect(await factsOf(tenantId, 'billing.AutoRechargeRequested.v1')).toMatchObject([
      {
        threshold: 10_000,
        amount: { micros: 5_000_000, currency: 'USD' },
        wallet: { available: 3_700 },
      },
    ]);
    await credit(tenantId, 20_000); // back to 15,400: re-armed
    await receive(); // 15,400 → 7,100: crosses again
    expect(await factsOf(tenantId, 'billing.LowBalanceReached.v1')).toHaveLength(2);
  });

  it('a credit is idempotent on its reference; another amount is refused reference_reused', async () => {
    const tenantId = randomUUID();
    await credit(tenantId, 1_000, 'ch_same');
    await credit(tenantId, 1_000, 'ch_same');
    await credit(tenantId, 2_000, 'ch_same');
    expect(await factsOf(tenantId, 'billing.CreditPosted.v1')).toHaveLength(1);
    expect(await factsOf(tenantId, 'billing.BillingRequestRejected.v1')).toMatchObject([
      { code: 'reference_reused', errors: [{ field: 'amount' }] },
    ]);
    expect(await walletOf(tenantId)).toMatchObject({ available: 1_000, sequence: 1 });
  });

  it('a published card is in the table; the same content again publishes nothing', async () => {
    const version = `v-${randomUUID().slice(0, 8)}`;
    const card = {
      ...DEFAULT_RATE_CARD,
      version,
      effectiveAt: new Date(
        Date.now() + 365 * 86_400_000 + Math.floor(Math.random() * 1e6),
      ).toISOString(),
    };
    const publish = () =>
      requestEvents.handle(
        consumed(
          'gateway.RateCardPublishRequested.v1',
          { requestId: randomUUID(), version, card, requestedAt: new Date().toISOString() },
          randomUUID(),
        ),
      );
    await publish();
    await publish();
    const rows = await queryRows<{ n: string }>(
      database.dataSource,
      `SELECT count(*) AS n FROM events WHERE stream_id = $1`,
      [`rate-card-${version}`],
    );
    expect(Number(rows[0]?.n)).toBe(1);
    const cards = await database.dataSource.transaction((m) => billing.publishedCards(m));
    expect(cards.map((c) => c.version)).toEqual(['default', version]);
  });
});
