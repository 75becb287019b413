import { describe, expect, it } from 'vitest';
import { money } from '../money/money.js';
import { settleHold } from '../quote/quote.js';
import {
  LedgerError,
  accountId,
  balanceOf,
  captureEntry,
  decideHold,
  entryProblems,
  holdEntry,
  inboundChargeEntry,
  isBalanced,
  openHoldAmount,
  refundEntry,
  releaseEntry,
  settlementEntries,
  topUpEntry,
  walletOf,
  type LedgerEntry,
} from './ledger.js';

const usd = (micros: number) => money(micros, 'USD');
const hold = { tenantId: 't1', holdId: 'h1', messageId: 'm1' };

describe('the entries', () => {
  it('a top-up moves money from clearing to the tenant', () => {
    const entry = topUpEntry({
      entryId: 'e1',
      tenantId: 't1',
      reference: 'ch_1',
      amount: usd(1_000_000),
    });
    expect(entry).toEqual({
      entryId: 'e1',
      kind: 'top_up',
      tenantId: 't1',
      reference: 'ch_1',
      postings: [
        { account: { kind: 'topup_clearing' }, amount: usd(-1_000_000) },
        { account: { kind: 'tenant_available', tenantId: 't1' }, amount: usd(1_000_000) },
      ],
    });
    expect(isBalanced(entry)).toBe(true);
  });

  it('a hold, its capture with the carrier fee and the release of the rest', () => {
    const placed = holdEntry({ entryId: 'e2', ...hold, amount: usd(22_600) });
    const settlement = settleHold(usd(22_600), usd(20_600)); // 2 × 8300 + 2 × 2000 (AT&T)
    const [capture, release] = settlementEntries({
      entryId: 'e3',
      ...hold,
      settlement,
      carrierFee: usd(4_000),
    });
    expect(placed.postings.map((p) => [accountId(p.account), p.amount.micros])).toEqual([
      ['tenant:t1:available', -22_600],
      ['tenant:t1:holds', 22_600],
    ]);
    expect(capture?.entryId).toBe('e3:capture');
    expect(capture?.postings.map((p) => [accountId(p.account), p.amount.micros])).toEqual([
      ['tenant:t1:holds', -20_600],
      ['revenue', 16_600],
      ['carrier_fees_payable', 4_000],
    ]);
    expect(release?.entryId).toBe('e3:release');
    expect(release?.postings.map((p) => [accountId(p.account), p.amount.micros])).toEqual([
      ['tenant:t1:holds', -2_000],
      ['tenant:t1:available', 2_000],
    ]);
    const entries = [placed, capture, release].filter((e): e is LedgerEntry => e !== undefined);
    expect(openHoldAmount(entries, 'h1', 'USD')).toEqual(usd(0));
    expect(walletOf(entries, 't1', 'USD')).toEqual({
      available: usd(-20_600),
      held: usd(0),
      balance: usd(-20_600),
    });
  });

  it('settles a blocked text with a release only, and an exact cost with a capture only', () => {
    const released = settlementEntries({
      entryId: 'e',
      ...hold,
      settlement: settleHold(usd(10), usd(0)),
      carrierFee: usd(0),
    });
    expect(released.map((e) => e.kind)).toEqual(['release']);
    const captured = settlementEntries({
      entryId: 'e',
      ...hold,
      settlement: settleHold(usd(10), usd(10)),
      carrierFee: usd(0),
    });
    expect(captured.map((e) => e.kind)).toEqual(['capture']);
    expect(captured[0]?.postings).toHaveLength(2); // the zero carrier fee posting is dropped
  });

  it('charges an overrun from the available funds', () => {
    const entry = captureEntry({
      entryId: 'e',
      ...hold,
      settlement: settleHold(usd(10_800), usd(21_600)),
      carrierFee: usd(5_000),
    });
    expect(entry.postings.map((p) => [accountId(p.account), p.amount.micros])).toEqual([
      ['tenant:t1:holds', -10_800],
      ['tenant:t1:available', -10_800],
      ['revenue', 16_600],
      ['carrier_fees_payable', 5_000],
    ]);
  });

  it('an inbound charge and a refund', () => {
    const inbound = inboundChargeEntry({
      entryId: 'e',
      tenantId: 't1',
      messageId: 'm2',
      amount: usd(8_300),
    });
    expect(inbound.postings.map((p) => [accountId(p.account), p.amount.micros])).toEqual([
      ['tenant:t1:available', -8_300],
      ['revenue', 8_300],
    ]);
    const refund = refundEntry({
      entryId: 'r',
      tenantId: 't1',
      messageId: 'm1',
      reference: 'ticket-9',
      amount: usd(10_300),
      carrierFee: usd(2_000),
    });
    expect(refund.postings.map((p) => [accountId(p.account), p.amount.micros])).toEqual([
      ['revenue', -8_300],
      ['carrier_fees_payable', -2_000],
      ['tenant:t1:available', 10_300],
    ]);
  });

  it.each([
    [
      'a zero top-up',
      () => topUpEntry({ entryId: 'e', tenantId: 't', reference: 'r', amount: usd(0) }),
    ],
    ['a negative hold', () => holdEntry({ entryId: 'e', ...hold, amount: usd(-1) })],
    ['a zero release', () => releaseEntry({ entryId: 'e', ...hold, amount: usd(0) })],
    [
      'a zero capture',
      () =>
        captureEntry({
          entryId: 'e',
          ...hold,
          settlement: { captured: usd(0), overrun: usd(0) },
          carrierFee: usd(0),
        }),
    ],
    [
      'a fee over the cost',
      () =>
        captureEntry({
          entryId: 'e',
          ...hold,
          settlement: { captured: usd(5), overrun: usd(0) },
          carrierFee: usd(6),
        }),
    ],
    [
      'a negative fee',
      () =>
        captureEntry({
          entryId: 'e',
          ...hold,
          settlement: { captured: usd(5), overrun: usd(0) },
          carrierFee: usd(-1),
        }),
    ],
    [
      'a refund fee over the refund',
      () =>
        refundEntry({
          entryId: 'e',
          tenantId: 't',
          messageId: 'm',
          reference: 'r',
          amount: usd(5),
          carrierFee: usd(6),
        }),
    ],
    [
      'a zero inbound charge',
      () => inboundChargeEntry({ entryId: 'e', tenantId: 't', messageId: 'm', amount: usd(0) }),
    ],
  ])('refuses %s', (_label, make) => {
    expect(make).toThrow(LedgerError);
  });

  it('refuses a capture mixing currencies', () => {
    expect(() =>
      captureEntry({
        entryId: 'e',
        ...hold,
        settlement: { captured: usd(5), overrun: usd(0) },
        carrierFee: money(1, 'CAD'),
      }),
    ).toThrow(/cannot mix currencies/);
  });
});

describe('entryProblems', () => {
  const a = { kind: 'revenue' } as const;
  const b = { kind: 'topup_clearing' } as const;
  it('wants two or more non-zero postings summing to zero per currency', () => {
    expect(
      entryProblems({
        postings: [
          { account: a, amount: usd(5) },
          { account: b, amount: usd(-5) },
        ],
      }),
    ).toEqual([]);
    expect(
      entryProblems({ postings: [{ account: a, amount: usd(5) }] }).map((p) => p.message),
    ).toEqual(['an entry needs at least two postings', 'postings in USD sum to 5, not zero']);
    expect(
      entryProblems({
        postings: [
          { account: a, amount: usd(5) },
          { account: b, amount: money(-5, 'CAD') },
        ],
      }).map((p) => p.message),
    ).toEqual(['postings in USD sum to 5, not zero', 'postings in CAD sum to -5, not zero']);
    expect(
      entryProblems({
        postings: [
          { account: a, amount: { micros: 0.5, currency: 'USD' } },
          { account: b, amount: { micros: 0, currency: 'USD' } },
          { account: b, amount: { micros: 1, currency: 'QQQ' } },
        ],
      }),
    ).toEqual([
      { posting: 0, message: 'amount must be a non-zero safe integer (got 0.5)' },
      { posting: 1, message: 'amount must be a non-zero safe integer (got 0)' },
      { posting: 2, message: 'unknown currency "QQQ"' },
    ]);
  });
});

describe('balances are derived from the postings', () => {
  it('per account and currency', () => {
    const entries = [
      topUpEntry({ entryId: '1', tenantId: 't1', reference: 'a', amount: usd(100) }),
      topUpEntry({ entryId: '2', tenantId: 't2', reference: 'b', amount: usd(50) }),
      topUpEntry({ entryId: '3', tenantId: 't1', reference: 'c', amount: money(70, 'CAD') }),
      holdEntry({ entryId: '4', ...hold, amount: usd(30) }),
    ];
    expect(walletOf(entries, 't1', 'USD')).toEqual({
      available: usd(70),
      held: usd(30),
      balance: usd(100),
    });
    expect(walletOf(entries, 't1', 'CAD').balance).toEqual(money(70, 'CAD'));
    expect(walletOf(entries, 't2', 'USD').available).toEqual(usd(50));
    expect(balanceOf(entries, { kind: 'topup_clearing' }, 'USD')).toEqual(usd(-150));
    expect(walletOf([], 't9', 'USD')).toEqual({ available: usd(0), held: usd(0), balance: usd(0) });
  });
});

describe('decideHold', () => {
  it('places a hold the available funds cover whole', () => {
    expect(decideHold(usd(10_800), usd(10_800))).toEqual({ placed: true });
    expect(decideHold(usd(10_799), usd(10_800))).toEqual({
      placed: false,
      reason: 'insufficient_funds',
      shortfall: usd(1),
    });
    expect(decideHold(usd(-500), usd(100))).toEqual({
      placed: false,
      reason: 'insufficient_funds',
      shortfall: usd(600),
    });
    expect(() => decideHold(usd(100), usd(0))).toThrow(LedgerError);
  });
});
