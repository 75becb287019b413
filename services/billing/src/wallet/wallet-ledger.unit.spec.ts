import type { WalletSettings } from '@textplane/contracts';
import { isBalanced } from '@textplane/pricing';
import { describe, expect, it } from 'vitest';
import { noAlerts, now, tenantId, wallet } from '../../test/fixtures.js';
import type { HoldEvent } from '../billing.events.js';
import { alertsOnCrossing, ledgerEntriesOf, ledgerRowsOf, walletAfter } from './wallet-ledger.js';

const settings: WalletSettings = {
  autoRecharge: { enabled: true, threshold: 5_000, amount: 20_000_000 },
  lowBalanceThreshold: 10_000,
  fundsWaitLimitSeconds: 86_400,
};
const alerts = (before: number, after: number, s: WalletSettings | null = settings) =>
  alertsOnCrossing({
    tenantId,
    before: wallet(before),
    after: wallet(after),
    settings: s,
    now,
  }).map((a) => a.type);

describe('alerts on a crossing', () => {
  it('from at or above a threshold to below it: once each', () => {
    expect(alerts(10_000, 9_999)).toEqual(['billing.LowBalanceReached.v1']);
    expect(alerts(20_000, 1_000)).toEqual([
      'billing.LowBalanceReached.v1',
      'billing.AutoRechargeRequested.v1',
    ]);
    expect(alerts(6_000, 4_999)).toEqual(['billing.AutoRechargeRequested.v1']);
  });

  it('already below: no second alert until funds are back at or above (re-armed)', () => {
    expect(alerts(9_000, 8_000)).toEqual([]);
    expect(alerts(4_000, 3_000)).toEqual([]);
    // A credit back to the threshold, then a charge under it, crosses again.
    expect(alerts(10_000, 9_000)).toEqual(['billing.LowBalanceReached.v1']);
  });

  it('nothing when funds rise, stay, or no settings / alerts are off', () => {
    expect(alerts(1_000, 50_000)).toEqual([]);
    expect(alerts(10_000, 10_000)).toEqual([]);
    expect(alerts(20_000, 0, null)).toEqual([]);
    expect(alerts(20_000, 0, noAlerts)).toEqual([]);
    expect(
      alerts(20_000, 0, {
        ...settings,
        autoRecharge: { enabled: false, threshold: 5_000, amount: 1 },
      }),
    ).toEqual(['billing.LowBalanceReached.v1']);
  });

  it('the auto-recharge asks for its amount in the wallet currency, with the wallet after', () => {
    const [, recharge] = alertsOnCrossing({
      tenantId,
      before: wallet(20_000),
      after: wallet(0, 0, 7),
      settings,
      now,
    });
    expect(recharge?.data).toMatchObject({
      threshold: 5_000,
      amount: { micros: 20_000_000, currency: 'USD' },
      wallet: wallet(0, 0, 7),
    });
  });
});

describe('the ledger rows of a fact', () => {
  const capture: HoldEvent = {
    type: 'billing.ChargeCaptured.v1',
    data: {
      tenantId,
      messageId: '01936f4e-7c2a-7cc1-9a57-00000000a001',
      amount: { micros: 10_300, currency: 'USD' },
      price: {
        cardVersion: 'default',
        country: 'US',
        channel: 'sms',
        direction: 'outbound',
        units: 1,
        unitPrice: 8_300,
        carrier: 'att',
        carrierFee: 2_000,
      },
      captured: 10_300,
      overrun: 0,
      released: 1_000,
      from: '+15125550142',
      to: '+14155550123',
      wallet: wallet(989_700, 0, 4),
      capturedAt: '2026-12-03T14:00:00.000Z',
    },
  };

  it('a capture with a remainder is a capture entry and a release entry, each balanced', () => {
    const entries = ledgerEntriesOf(capture);
    expect(entries.map((e) => e.kind)).toEqual(['capture', 'release']);
    expect(entries.every(isBalanced)).toBe(true);
    expect(walletAfter(wallet(988_700, 11_300, 2), tenantId, entries)).toEqual(
      wallet(989_700, 0, 4),
    );
  });

  it("rows carry each tenant account's running balance, worked back from the wallet after", () => {
    const rows = ledgerRowsOf(capture);
    expect(rows.map((r) => [r.kind, r.sequence])).toEqual([
      ['capture', 3],
      ['release', 4],
    ]);
    const holds = `tenant:${tenantId}:holds`;
    const available = `tenant:${tenantId}:available`;
    expect(rows[0]?.postings).toEqual([
      { account: holds, amount: -10_300, balanceAfter: 1_000 },
      { account: 'revenue', amount: 8_300, balanceAfter: null },
      { account: 'carrier_fees_payable', amount: 2_000, balanceAfter: null },
    ]);
    expect(rows[1]?.postings).toEqual([
      { account: holds, amount: -1_000, balanceAfter: 0 },
      { account: available, amount: 1_000, balanceAfter: 989_700 },
    ]);
  });

  it('a zero hold, a rejection and a zero release write no row', () => {
    const zeroHold = {
      type: 'billing.HoldReleased.v1',
      data: {
        tenantId,
        messageId: '01936f4e-7c2a-7cc1-9a57-00000000a001',
        amount: { micros: 0, currency: 'USD' },
        reason: 'blocked',
        wallet: wallet(0),
        releasedAt: '2026-12-03T14:00:00.000Z',
      },
    } as const;
    expect(ledgerRowsOf(zeroHold)).toEqual([]);
  });
});
