import { randomUUID } from 'node:crypto';
import { DEFAULT_RATE_CARD } from '@textplane/pricing';
import type { DataSource, EntityManager } from 'typeorm';
import { describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { ApiError } from '../problems/api-error.js';
import type { TenantDirectory, TenantRecord } from '../tenants/tenant-directory.js';
import { BillingApplication, numberTypeOf, rangeOf } from './billing.application.js';

/**
 * Issue 13 §3 at the edge: every bad input is refused naming its field, and nothing is recorded
 * (the store is never appended to). The database is faked: a wallet row (or none) and the
 * published cards.
 */

const tenantId = randomUUID();
const now = new Date('2026-12-03T12:00:00.000Z');
const tenant: TenantRecord = {
  id: tenantId,
  name: 'Harbor Books LLC',
  brandName: 'Harbor Books',
  timeZone: 'America/Chicago',
  defaultSender: '+18885550100',
  senderNumbers: ['+18885550100'],
  compliance: {},
  createdAt: '2026-11-01T00:00:00.000Z',
};

function billingWith(wallet: { currency: string; available: number } | null = null) {
  const appended: unknown[] = [];
  const query = (sql: string): Promise<unknown[]> => {
    if (sql.includes('FROM billing_wallets') && wallet) {
      return Promise.resolve([
        {
          tenant_id: tenantId,
          currency: wallet.currency,
          balance: String(wallet.available),
          held: '0',
          available: String(wallet.available),
          sequence: '3',
          auto_recharge: null,
          low_balance_threshold: null,
          funds_wait_limit_seconds: null,
          updated_at: now,
        },
      ]);
    }
    return Promise.resolve([]);
  };
  const manager = { query } as unknown as EntityManager;
  const dataSource = {
    query,
    transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager),
  } as unknown as DataSource;
  const idempotency: Pick<IdempotencyStore, 'run'> = {
    run: async (_scope, _key, _hash, work) => ({ ...(await work(manager)), replayed: false }),
  };
  const tenants: Pick<TenantDirectory, 'find'> = {
    find: (id: string) => Promise.resolve(id === tenantId ? tenant : null),
  };
  const billing = new BillingApplication(
    {
      append: (...args: unknown[]) => {
        appended.push(args);
        return Promise.resolve({ nextVersion: 1, events: [] });
      },
    },
    { applyCredit: () => Promise.resolve() },
    dataSource,
    tenants,
    idempotency,
    { now: () => now },
  );
  return { billing, appended, manager };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const fields = (error: ApiError) => error.violations.map((v) => v.field);

describe('POST /admin/v1/tenants/{id}/wallet/credits: bad input, nothing recorded', () => {
  const good = { amount: 5_000_000, currency: 'USD', reference: 'ch_1' };
  it.each([
    ['zero', { ...good, amount: 0 }, 'amount'],
    ['negative', { ...good, amount: -1 }, 'amount'],
    ['fractional', { ...good, amount: 1.5 }, 'amount'],
    ['over 10^12', { ...good, amount: 1_000_000_000_001 }, 'amount'],
    ['a string', { ...good, amount: '5' }, 'amount'],
    ['an unknown currency', { ...good, currency: 'XYZ' }, 'currency'],
    ["a currency other than the wallet's (USD)", { ...good, currency: 'EUR' }, 'currency'],
    ['no reference', { amount: 1, currency: 'USD' }, 'reference'],
    ['a blank reference', { ...good, reference: '  ' }, 'reference'],
    ['an unknown field', { ...good, note: 'x' }, 'note'],
  ])('%s → 400 naming %s', async (_what, body, field) => {
    const { billing, appended } = billingWith();
    const error = await refusal(billing.creditWallet(tenantId, body, undefined));
    expect(error.kind).toBe('invalid_request');
    expect(fields(error)).toContain(field);
    expect(appended).toEqual([]);
  });

  it('a wallet in EUR takes EUR and refuses USD', async () => {
    const { billing, appended } = billingWith({ currency: 'EUR', available: 0 });
    const error = await refusal(billing.creditWallet(tenantId, good, undefined));
    expect(fields(error)).toEqual(['currency']);
    const accepted = await billing.creditWallet(tenantId, { ...good, currency: 'EUR' }, undefined);
    expect(accepted.status).toBe(202);
    expect(appended).toHaveLength(1);
  });

  it('an unknown tenant → 404, nothing recorded', async () => {
    const { billing, appended } = billingWith();
    const error = await refusal(billing.creditWallet(randomUUID(), good, undefined));
    expect(error.kind).toBe('not_found');
    const notAnId = await refusal(billing.creditWallet('harbor', good, undefined));
    expect(notAnId.kind).toBe('not_found');
    expect(appended).toEqual([]);
  });
});

describe('PUT /v1/wallet/settings: bad input, nothing recorded', () => {
  const good = {
    autoRecharge: { enabled: true, threshold: 1_000_000, amount: 50_000_000 },
    lowBalanceThreshold: 2_000_000,
    fundsWaitLimit: 3600,
  };
  it.each([
    [
      'a negative auto-recharge threshold',
      { ...good, autoRecharge: { ...good.autoRecharge, threshold: -1 } },
      'autoRecharge.threshold',
    ],
    [
      'an auto-recharge amount of 0',
      { ...good, autoRecharge: { ...good.autoRecharge, amount: 0 } },
      'autoRecharge.amount',
    ],
    [
      'a fractional auto-recharge amount',
      { ...good, autoRecharge: { ...good.autoRecharge, amount: 1.5 } },
      'autoRecharge.amount',
    ],
    [
      'a negative low-balance threshold',
      { ...good, lowBalanceThreshold: -5 },
      'lowBalanceThreshold',
    ],
    [
      'a fractional low-balance threshold',
      { ...good, lowBalanceThreshold: 0.5 },
      'lowBalanceThreshold',
    ],
    ['a funds wait limit under a minute', { ...good, fundsWaitLimit: 59 }, 'fundsWaitLimit'],
    ['a funds wait limit over 30 days', { ...good, fundsWaitLimit: 2_592_001 }, 'fundsWaitLimit'],
    ['a fractional funds wait limit', { ...good, fundsWaitLimit: 60.5 }, 'fundsWaitLimit'],
    ['no funds wait limit', { autoRecharge: null, lowBalanceThreshold: null }, 'fundsWaitLimit'],
  ])('%s → 400 naming %s', async (_what, body, field) => {
    const { billing, appended } = billingWith();
    const error = await refusal(billing.changeSettings({ tenantId, keyId: 'k' }, body));
    expect(error.kind).toBe('invalid_request');
    expect(fields(error)).toContain(field);
    expect(appended).toEqual([]);
  });

  it('good settings are recorded once and answered as given; null turns alerts off', async () => {
    const { billing, appended } = billingWith();
    expect(await billing.changeSettings({ tenantId, keyId: 'k' }, good)).toEqual(good);
    const off = { autoRecharge: null, lowBalanceThreshold: null, fundsWaitLimit: 60 };
    expect(await billing.changeSettings({ tenantId, keyId: 'k' }, off)).toEqual(off);
    expect(appended).toHaveLength(2);
  });
});

describe('PUT /admin/v1/rate-cards/{version}: bad input, nothing recorded', () => {
  const card = {
    effectiveAt: '2027-01-01T00:00:00.000Z',
    currency: 'USD',
    rates: DEFAULT_RATE_CARD.rates,
    carrierFees: DEFAULT_RATE_CARD.carrierFees,
    lookupPrice: DEFAULT_RATE_CARD.lookupPrice,
  };
  it.each([
    [
      'no US SMS rate',
      { ...card, rates: card.rates.filter((r) => !(r.country === 'US' && r.channel === 'sms')) },
      'rates',
    ],
    [
      'an effectiveAt in the past',
      { ...card, effectiveAt: '2026-06-01T00:00:00.000Z' },
      'effectiveAt',
    ],
    [
      'a negative price',
      { ...card, rates: card.rates.map((r, i) => (i === 0 ? { ...r, price: -1 } : r)) },
      'rates.0.price',
    ],
    [
      'overlapping entries',
      { ...card, rates: [...card.rates, card.rates[0]] },
      `rates.${card.rates.length}`,
    ],
  ])('%s → 400 naming %s', async (_what, body, field) => {
    const { billing, appended } = billingWith();
    const error = await refusal(billing.publishRateCard('2027-01', body));
    expect(error.kind).toBe('invalid_request');
    expect(
      fields(error).some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(field)),
    ).toBe(true);
    expect(appended).toEqual([]);
  });

  it('a good card is recorded (202); the default card again is a repeat (200)', async () => {
    const { billing, appended } = billingWith();
    const accepted = await billing.publishRateCard('2027-01', card);
    expect(accepted.status).toBe(202);
    expect(appended).toHaveLength(1);
    const { version: _version, ...defaultCard } = DEFAULT_RATE_CARD;
    const repeat = await billing.publishRateCard('default', defaultCard);
    expect(repeat).toMatchObject({ status: 200, body: { alreadyPublished: true } });
    expect(appended).toHaveLength(1);
  });
});

describe('the 402 of a single send', () => {
  const sms = { to: '+14155550123', from: '+18885550100', channel: 'sms' as const, segments: 3 };
  it('refuses a send the available funds cannot cover at its worst case, by the card in force', async () => {
    // 3 segments × ($0.0083 + T-Mobile's unregistered $0.004) = 36,900 micros.
    const short = billingWith({ currency: 'USD', available: 36_899 });
    const error = await refusal(short.billing.requireFundsFor(short.manager, tenantId, sms));
    expect(error).toMatchObject({ kind: 'payment_required', code: 'insufficient_funds' });
    const enough = billingWith({ currency: 'USD', available: 36_900 });
    await expect(
      enough.billing.requireFundsFor(enough.manager, tenantId, sms),
    ).resolves.toBeUndefined();
  });

  it('a tenant without a wallet has nothing available; an unpriced destination is left to messaging', async () => {
    const none = billingWith(null);
    const error = await refusal(
      none.billing.requireFundsFor(none.manager, tenantId, { ...sms, segments: 1 }),
    );
    expect(error.code).toBe('insufficient_funds');
    await expect(
      none.billing.requireFundsFor(none.manager, tenantId, { ...sms, to: '+442079460000' }),
    ).resolves.toBeUndefined();
  });
});

describe('the estimate of a bulk send preview', () => {
  it('sums each text at its worst case by the card in force; unpriced destinations counted apart', async () => {
    const { billing } = billingWith();
    const from = '+14155550100';
    // $0.0083 a segment + AT&T's unregistered $0.004, the highest fee: 12,300 a segment.
    const estimate = await billing.estimate([
      { to: '+14155550123', from, channel: 'sms', units: 3 },
      { to: '+14155550199', from, channel: 'sms', units: 1 },
      { to: '+16045550123', from, channel: 'sms', units: 1 },
      { to: '+442079460000', from, channel: 'sms', units: 2 },
    ]);
    // Canada is priced the same, with no carrier fee on the default card.
    const canada = await billing.estimate([{ to: '+16045550123', from, channel: 'sms', units: 1 }]);
    expect(estimate).toEqual({
      amount: 4 * 12_300 + canada.amount,
      currency: 'USD',
      notPriced: 1,
    });
    expect(canada.amount).toBeGreaterThanOrEqual(8_300);
  });
});

describe('GET /v1/rates and ranges', () => {
  it('bad numbers are 400 naming the parameter', async () => {
    const { billing } = billingWith();
    expect(fields(await refusal(billing.rates({ tenantId, keyId: 'k' }, {})))).toEqual(['to']);
    expect(
      fields(await refusal(billing.rates({ tenantId, keyId: 'k' }, { to: '4155550123' }))),
    ).toEqual(['to']);
    expect(
      fields(
        await refusal(billing.rates({ tenantId, keyId: 'k' }, { to: '+14155550123', from: 'x' })),
      ),
    ).toEqual(['from']);
  });

  it('prices the US per segment and per MMS with the worst case; a UK number is not priced', async () => {
    const { billing } = billingWith();
    const us = await billing.rates({ tenantId, keyId: 'k' }, { to: '+14155550123' });
    expect(us).toMatchObject({
      priced: true,
      country: 'US',
      fromNumberType: 'toll_free',
      sms: { price: 8_300, worstCase: 12_300 },
      mms: { price: 20_000, worstCase: 33_000 },
    });
    expect(us.sms?.carrierFees.map((f) => f.carrier)).toEqual(['att', 't-mobile', 'verizon']);
    const uk = await billing.rates({ tenantId, keyId: 'k' }, { to: '+442079460000' });
    expect(uk).toMatchObject({ priced: false, reason: 'destination_not_priced', country: 'GB' });
  });

  it('number types by the sender and ranges by their bounds', () => {
    expect(numberTypeOf('+18885550100')).toBe('toll_free');
    expect(numberTypeOf('+14155550100')).toBe('long_code');
    expect(numberTypeOf('12345')).toBe('short_code');
    expect(rangeOf({}, now).from.toISOString()).toBe('2026-11-03T12:00:00.000Z');
    expect(() => rangeOf({ from: '2026-12-04', to: '2026-12-03' }, now)).toThrow(ApiError);
    expect(() => rangeOf({ from: 'yesterday' }, now)).toThrow(ApiError);
    expect(() => rangeOf({ from: '2024-01-01', to: '2026-01-01' }, now)).toThrow(ApiError);
  });
});
