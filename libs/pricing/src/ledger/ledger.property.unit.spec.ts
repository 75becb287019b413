import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, money, subtract, type Money } from '../money/money.js';
import { priceOf, settleHold, worstCaseHold, type PriceRequest } from '../quote/quote.js';
import { DEFAULT_RATE_CARD } from '../rate-card/default-rate-card.js';
import {
  accountId,
  decideHold,
  entryProblems,
  holdEntry,
  inboundChargeEntry,
  openHoldAmount,
  refundEntry,
  releaseEntry,
  settlementEntries,
  topUpEntry,
  walletOf,
  type LedgerEntry,
} from './ledger.js';

// Billing's input, as events: every handler below is idempotent by what the ledger holds, so a
// replayed event (any earlier one, again) must change nothing.
type Op =
  | { type: 'credit'; tenant: string; amount: number; reference: string }
  | {
      type: 'send';
      tenant: string;
      segments: number;
      channel: 'sms' | 'mms';
      registered: boolean;
      to: string;
    }
  | { type: 'accepted'; pick: number; extraParts: number; carrier: string | null; target?: string }
  | { type: 'failed'; pick: number; target?: string }
  | { type: 'inbound'; tenant: string; segments: number }
  | { type: 'refund'; pick: number; target?: string }
  | { type: 'replay'; pick: number };

const TENANTS = ['t1', 't2'];
const USD = 'USD';
const usd = (micros: number) => money(micros, USD);

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    type: fc.constant('credit' as const),
    tenant: fc.constantFrom(...TENANTS),
    amount: fc.integer({ min: 1, max: 200_000 }),
    reference: fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', 'r6'),
  }),
  fc.record({
    type: fc.constant('send' as const),
    tenant: fc.constantFrom(...TENANTS),
    segments: fc.integer({ min: 1, max: 10 }),
    channel: fc.constantFrom('sms' as const, 'mms' as const),
    registered: fc.boolean(),
    to: fc.constantFrom('+14155550123', '+14165550123', '+447400123456'),
  }),
  fc.record({
    type: fc.constant('accepted' as const),
    pick: fc.nat(),
    extraParts: fc.integer({ min: -2, max: 1 }),
    carrier: fc.constantFrom('att', 't-mobile', 'verizon', 'us-cellular', null),
  }),
  fc.record({ type: fc.constant('failed' as const), pick: fc.nat() }),
  fc.record({
    type: fc.constant('inbound' as const),
    tenant: fc.constantFrom(...TENANTS),
    segments: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ type: fc.constant('refund' as const), pick: fc.nat() }),
  fc.record({ type: fc.constant('replay' as const), pick: fc.nat() }),
);

interface Sent {
  messageId: string;
  tenant: string;
  request: PriceRequest & { direction: 'outbound' };
}

class Billing {
  readonly entries: LedgerEntry[] = [];
  readonly sent: Sent[] = [];
  /** What the ledger must show: credits − captures − inbound charges + refunds, per tenant. */
  readonly expected = new Map<string, Money>(TENANTS.map((t) => [t, usd(0)]));
  readonly applied: { event: Op; index: number }[] = [];

  private has(predicate: (entry: LedgerEntry) => boolean): boolean {
    return this.entries.some(predicate);
  }
  private post(entries: LedgerEntry[]): void {
    for (const entry of entries) {
      expect(entryProblems(entry)).toEqual([]);
      expect(this.has((e) => e.entryId === entry.entryId)).toBe(false);
      this.entries.push(entry);
    }
  }
  private expect(tenant: string, change: Money): void {
    this.expected.set(tenant, add(this.expected.get(tenant) ?? usd(0), change));
  }

  /** The message the event being applied names, for its redelivery. */
  private named: string | undefined;

  /** The message an event names: picked among those there are when it first arrives. */
  private target(event: { pick: number; target?: string }): Sent | undefined {
    const sent =
      event.target === undefined
        ? this.sent[event.pick % Math.max(1, this.sent.length)]
        : this.sent.find((s) => s.messageId === event.target);
    this.named = sent?.messageId;
    return sent;
  }

  apply(event: Op, index: number): void {
    switch (event.type) {
      case 'credit': {
        // Idempotent on the reference (a reference reused with another amount is refused).
        const key = `${event.tenant}/${event.reference}`;
        if (this.has((e) => e.kind === 'top_up' && e.reference === key)) return;
        this.post([
          topUpEntry({
            entryId: `credit:${key}`,
            tenantId: event.tenant,
            reference: key,
            amount: usd(event.amount),
          }),
        ]);
        this.expect(event.tenant, usd(event.amount));
        return;
      }
      case 'send': {
        const messageId = `m${index}`;
        if (this.has((e) => e.kind === 'hold' && e.holdId === messageId)) return;
        const size =
          event.channel === 'sms'
            ? { channel: 'sms' as const, segments: event.segments }
            : { channel: 'mms' as const };
        const request = {
          direction: 'outbound',
          to: event.to,
          fromNumberType: 'long_code',
          registered: event.registered,
          ...size,
        } as const;
        const hold = worstCaseHold(request, DEFAULT_RATE_CARD);
        if (!hold.ok) return; // blocked: destination_not_priced, nothing held
        const wallet = walletOf(this.entries, event.tenant, USD);
        if (!decideHold(wallet.available, hold.total).placed) return; // waits for funds
        this.post([
          holdEntry({
            entryId: `hold:${messageId}`,
            tenantId: event.tenant,
            holdId: messageId,
            messageId,
            amount: hold.total,
          }),
        ]);
        // Holds only ever use available funds.
        expect(walletOf(this.entries, event.tenant, USD).available.micros).toBeGreaterThanOrEqual(
          0,
        );
        this.sent.push({ messageId, tenant: event.tenant, request });
        return;
      }
      case 'accepted': {
        const sent = this.target(event);
        if (sent === undefined) return;
        const open = openHoldAmount(this.entries, sent.messageId, USD);
        if (open.micros === 0) return; // settled already: a redelivered capture captures nothing more
        const { request } = sent;
        const parts =
          request.channel === 'sms'
            ? {
                channel: 'sms' as const,
                segments: Math.max(1, request.segments + event.extraParts),
              }
            : { channel: 'mms' as const };
        const cost = priceOf(
          { ...request, ...parts, recipientCarrier: event.carrier },
          DEFAULT_RATE_CARD,
        );
        if (!cost.ok) throw new Error('a held text is priced');
        const settlement = settleHold(open, cost.total);
        this.post(
          settlementEntries({
            entryId: `settle:${sent.messageId}`,
            tenantId: sent.tenant,
            holdId: sent.messageId,
            messageId: sent.messageId,
            settlement,
            carrierFee: cost.carrierFee,
          }),
        );
        this.expect(sent.tenant, subtract(usd(0), cost.total));
        return;
      }
      case 'failed': {
        const sent = this.target(event);
        if (sent === undefined) return;
        const open = openHoldAmount(this.entries, sent.messageId, USD);
        if (open.micros === 0) return;
        this.post([
          releaseEntry({
            entryId: `release:${sent.messageId}`,
            tenantId: sent.tenant,
            holdId: sent.messageId,
            messageId: sent.messageId,
            amount: open,
          }),
        ]);
        return;
      }
      case 'inbound': {
        const messageId = `in${index}`;
        if (this.has((e) => e.kind === 'inbound_charge' && e.messageId === messageId)) return;
        const cost = priceOf(
          {
            direction: 'inbound',
            channel: 'sms',
            segments: event.segments,
            from: '+14155550123',
            toNumberType: 'long_code',
          },
          DEFAULT_RATE_CARD,
        );
        if (!cost.ok) throw new Error('US inbound is priced');
        this.post([
          inboundChargeEntry({
            entryId: `inbound:${messageId}`,
            tenantId: event.tenant,
            messageId,
            amount: cost.total,
          }),
        ]);
        this.expect(event.tenant, subtract(usd(0), cost.total));
        return;
      }
      case 'refund': {
        const captures = this.entries.filter(
          (e): e is Extract<LedgerEntry, { kind: 'capture' }> => e.kind === 'capture',
        );
        const capture =
          event.target === undefined
            ? captures[event.pick % Math.max(1, captures.length)]
            : captures.find((c) => c.messageId === event.target);
        if (capture === undefined) return;
        this.named = capture.messageId;
        if (this.has((e) => e.kind === 'refund' && e.messageId === capture.messageId)) return;
        const part = (kind: string) =>
          capture.postings.find((p) => p.account.kind === kind)?.amount ?? usd(0);
        const fee = part('carrier_fees_payable');
        const amount = add(part('revenue'), fee);
        this.post([
          refundEntry({
            entryId: `refund:${capture.messageId}`,
            tenantId: capture.tenantId,
            messageId: capture.messageId,
            reference: capture.messageId,
            amount,
            carrierFee: fee,
          }),
        ]);
        this.expect(capture.tenantId, amount);
        return;
      }
      case 'replay': {
        const earlier = this.applied[event.pick % Math.max(1, this.applied.length)];
        // The inbox drops a redelivered event. Past it, the ledger itself guards what money
        // moves (a credit's reference, a hold's open amount, a refund's message), so those are
        // replayed straight into the handlers; a send is not: one that waited for funds is
        // meant to be tried again, and is placed once funds arrive.
        if (earlier === undefined || earlier.event.type === 'send') return;
        const before = this.entries.length;
        this.apply(earlier.event, earlier.index);
        expect(this.entries.length).toBe(before); // replaying an event changes nothing
        return;
      }
    }
  }

  run(ops: readonly Op[]): void {
    ops.forEach((event, index) => {
      this.named = undefined;
      this.apply(event, index);
      // What a redelivery carries: the event, naming the message it was about (an event about
      // no message had no effect and is not redelivered).
      if (event.type === 'accepted' || event.type === 'failed' || event.type === 'refund') {
        if (this.named !== undefined)
          this.applied.push({ event: { ...event, target: this.named }, index });
      } else if (event.type !== 'replay') {
        this.applied.push({ event, index });
      }
      this.check();
    });
  }

  check(): void {
    // Money is never created or lost: all accounts sum to zero.
    let total = 0;
    const byAccount = new Map<string, number>();
    for (const entry of this.entries)
      for (const posting of entry.postings) {
        total += posting.amount.micros;
        const id = accountId(posting.account);
        byAccount.set(id, (byAccount.get(id) ?? 0) + posting.amount.micros);
      }
    expect(total).toBe(0);
    for (const tenant of TENANTS) {
      const wallet = walletOf(this.entries, tenant, USD);
      expect(wallet.held.micros).toBeGreaterThanOrEqual(0);
      const open = this.sent
        .filter((s) => s.tenant === tenant)
        .reduce((sum, s) => sum + openHoldAmount(this.entries, s.messageId, USD).micros, 0);
      expect(wallet.held.micros).toBe(open);
      expect(wallet.balance).toEqual(this.expected.get(tenant));
    }
    expect(
      (byAccount.get('revenue') ?? 0) >= 0 && (byAccount.get('carrier_fees_payable') ?? 0) >= 0,
    ).toBe(true);
  }
}

describe('the ledger never creates or loses money', () => {
  it('for any sequence of credits, holds, captures, releases, inbound charges, refunds and replays', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        new Billing().run(ops);
      }),
      { numRuns: 300 },
    );
  });

  it('exercises what it claims: holds rejected, overruns, releases and replays do occur', () => {
    // A fixed run, so the property above is known to reach its interesting branches.
    const billing = new Billing();
    billing.run([
      { type: 'credit', tenant: 't1', amount: 40_000, reference: 'r1' },
      {
        type: 'send',
        tenant: 't1',
        segments: 3,
        channel: 'sms',
        registered: true,
        to: '+14155550123',
      }, // holds 36,900
      {
        type: 'send',
        tenant: 't1',
        segments: 1,
        channel: 'sms',
        registered: true,
        to: '+14155550123',
      }, // 11,300 > 3,100 left: waits
      { type: 'accepted', pick: 0, extraParts: 1, carrier: 'att' }, // 4 × 10,300 = 41,200: 4,300 overrun
      { type: 'replay', pick: 0 },
      { type: 'replay', pick: 3 },
      { type: 'inbound', tenant: 't1', segments: 1 },
      { type: 'refund', pick: 0 },
    ]);
    expect(billing.entries.map((e) => e.kind)).toEqual([
      'top_up',
      'hold',
      'capture',
      'inbound_charge',
      'refund',
    ]);
    expect(walletOf(billing.entries, 't1', USD)).toEqual({
      available: usd(31_700),
      held: usd(0),
      balance: usd(31_700),
    });
  });
});
