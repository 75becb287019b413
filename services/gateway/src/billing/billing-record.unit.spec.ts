import { randomUUID } from 'node:crypto';
import { validateEventData } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import {
  type BillingWalletEvent,
  chargeOf,
  evolveCredit,
  evolveHold,
  evolveWallet,
  transactionOf,
  walletResourceOf,
} from './billing-record.js';

const tenantId = randomUUID();
const messageId = randomUUID();
const wallet = (sequence: number, available: number, held = 0) => ({
  currency: 'USD',
  balance: available + held,
  held,
  available,
  sequence,
});

function fact<T extends BillingWalletEvent['type']>(
  type: T,
  data: Extract<BillingWalletEvent, { type: T }>['data'],
): Extract<BillingWalletEvent, { type: T }> {
  expect(validateEventData(type, data)).toEqual({ valid: true });
  return { type, data } as Extract<BillingWalletEvent, { type: T }>;
}

const credit = (sequence: number, micros: number, reference = 'ch_1') =>
  fact('billing.CreditPosted.v1', {
    tenantId,
    requestId: randomUUID(),
    reference,
    amount: { micros, currency: 'USD' },
    wallet: wallet(sequence, micros),
    postedAt: `2026-12-03T10:00:0${sequence}.000Z`,
  });

const hold = (sequence: number, available: number) =>
  fact('billing.HoldPlaced.v1', {
    tenantId,
    messageId,
    amount: { micros: 12_300, currency: 'USD' },
    price: {
      cardVersion: 'default',
      country: 'US',
      channel: 'sms',
      direction: 'outbound',
      units: 1,
      unitPrice: 8_300,
      carrier: 't-mobile',
      carrierFee: 4_000,
    },
    wallet: wallet(sequence, available, 12_300),
    placedAt: '2026-12-03T10:00:05.000Z',
  });

describe('evolveWallet', () => {
  it('keeps the snapshot with the highest sequence, whatever order the facts come in', () => {
    const first = credit(1, 1_000_000);
    const second = hold(2, 987_700);
    const inOrder = evolveWallet(evolveWallet(null, first), second);
    const late = evolveWallet(evolveWallet(null, second), first);
    expect(inOrder).toMatchObject({ sequence: 2, available: 987_700, held: 12_300 });
    // An older snapshot never overwrites a newer one.
    expect(late).toEqual(inOrder);
    // Replaying the newest again changes nothing.
    expect(evolveWallet(inOrder, second)).toBe(inOrder);
  });

  it('settings come from WalletSettingsSet and survive later snapshots', () => {
    const settings = fact('billing.WalletSettingsSet.v1', {
      tenantId,
      requestId: randomUUID(),
      settings: {
        autoRecharge: { enabled: true, threshold: 5, amount: 10 },
        lowBalanceThreshold: 7,
        fundsWaitLimitSeconds: 600,
      },
      setAt: '2026-12-03T09:00:00.000Z',
    });
    const row = evolveWallet(evolveWallet(null, settings), credit(1, 100));
    expect(walletResourceOf(row)).toEqual({
      currency: 'USD',
      balance: 100,
      held: 0,
      available: 100,
      settings: {
        autoRecharge: { enabled: true, threshold: 5, amount: 10 },
        lowBalanceThreshold: 7,
        fundsWaitLimit: 600,
      },
      updatedAt: '2026-12-03T10:00:01.000Z',
    });
  });

  it('a wallet never heard of is empty USD with the default settings', () => {
    expect(walletResourceOf(null)).toEqual({
      currency: 'USD',
      balance: 0,
      held: 0,
      available: 0,
      settings: { autoRecharge: null, lowBalanceThreshold: null, fundsWaitLimit: 86_400 },
      updatedAt: null,
    });
  });
});

describe('evolveCredit', () => {
  const requested = {
    type: 'gateway.WalletCreditRequested.v1' as const,
    data: {
      requestId: randomUUID(),
      tenantId,
      amount: { micros: 5, currency: 'USD' },
      reference: 'ch_9',
      requestedAt: '2026-12-03T08:00:00.000Z',
    },
  };
  it('pending, then posted; a refusal after the posting does not undo it', () => {
    const pending = evolveCredit(null, requested);
    expect(pending).toMatchObject({ status: 'pending', credit_id: requested.data.requestId });
    const posted = evolveCredit(pending, {
      type: 'billing.CreditPosted.v1',
      data: { ...credit(1, 5, 'ch_9').data, requestId: requested.data.requestId },
    });
    expect(posted).toMatchObject({ status: 'posted', posted_at: '2026-12-03T10:00:01.000Z' });
    const refused = evolveCredit(posted, {
      type: 'billing.BillingRequestRejected.v1',
      data: {
        requestId: requested.data.requestId,
        tenantId,
        resource: 'credit',
        resourceId: 'ch_9',
        code: 'invalid',
        errors: [{ field: 'amount.currency', message: 'x' }],
        rejectedAt: '2026-12-03T11:00:00.000Z',
      },
    });
    expect(refused).toBe(posted);
    // The same request again leaves the row as it is.
    expect(evolveCredit(posted, requested)).toBe(posted);
  });

  it('a refusal of this request marks it rejected with the errors', () => {
    const pending = evolveCredit(null, requested);
    const refused = evolveCredit(pending, {
      type: 'billing.BillingRequestRejected.v1',
      data: {
        requestId: requested.data.requestId,
        tenantId,
        resource: 'credit',
        resourceId: 'ch_9',
        code: 'invalid',
        errors: [{ field: 'amount.currency', message: 'is not the wallet’s' }],
        rejectedAt: '2026-12-03T11:00:00.000Z',
      },
    });
    expect(refused).toMatchObject({ status: 'rejected', errors: [{ field: 'amount.currency' }] });
  });
});

describe('transactions, charges and holds', () => {
  const capture = (direction: 'outbound' | 'inbound') =>
    fact('billing.ChargeCaptured.v1', {
      tenantId,
      messageId,
      amount: { micros: 11_300, currency: 'USD' },
      price: {
        cardVersion: 'default',
        country: 'US',
        channel: 'sms',
        direction,
        units: 1,
        unitPrice: 8_300,
        carrier: direction === 'outbound' ? 't-mobile' : null,
        carrierFee: direction === 'outbound' ? 3_000 : 0,
      },
      captured: 11_300,
      overrun: 0,
      released: 1_000,
      from: '+18885550100',
      to: '+14155550123',
      campaignId: 'CMP1',
      wallet: wallet(3, 988_700),
      capturedAt: '2026-12-03T23:59:59.000Z',
    });

  it('one row per fact, keyed by the event id, with the wallet after it', () => {
    const id = randomUUID();
    expect(transactionOf(id, credit(1, 1_000_000))).toMatchObject({
      id,
      kind: 'credit',
      amount: 1_000_000,
      reference: 'ch_1',
      available_after: 1_000_000,
    });
    expect(transactionOf(id, hold(2, 987_700))).toMatchObject({
      kind: 'hold',
      message_id: messageId,
    });
    expect(transactionOf(id, capture('outbound'))).toMatchObject({
      kind: 'capture',
      amount: 11_300,
    });
    expect(transactionOf(id, capture('inbound'))).toMatchObject({ kind: 'inbound_charge' });
    expect(
      transactionOf(
        id,
        fact('billing.LowBalanceReached.v1', {
          tenantId,
          threshold: 5,
          wallet: wallet(4, 1),
          reachedAt: '2026-12-03T10:00:00.000Z',
        }),
      ),
    ).toBeNull();
  });

  it('a charge is a usage fact by day, sender, campaign, channel and direction', () => {
    expect(chargeOf(capture('outbound'))).toMatchObject({
      day: '2026-12-03',
      sender: '+18885550100',
      campaign_id: 'CMP1',
      channel: 'sms',
      direction: 'outbound',
      units: 1,
      amount: 11_300,
      carrier_fee: 3_000,
    });
    // Inbound, the tenant's number is the one texted.
    expect(chargeOf(capture('inbound')).sender).toBe('+14155550123');
  });

  it('a hold is open until captured or released, and a replayed placement does not reopen it', () => {
    const open = evolveHold(null, hold(2, 987_700));
    expect(open).toMatchObject({ open: true, amount: 12_300 });
    const closed = evolveHold(open, capture('outbound'));
    expect(closed).toMatchObject({ open: false });
    expect(evolveHold(closed, hold(2, 987_700))).toBe(closed);
  });
});
