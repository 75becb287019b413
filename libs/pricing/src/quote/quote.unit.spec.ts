import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { money } from '../money/money.js';
import { DEFAULT_RATE_CARD } from '../rate-card/default-rate-card.js';
import { cardInForce, type RateCard } from '../rate-card/rate-card.js';
import {
  PriceRequestError,
  lookupCharge,
  priceOf,
  settleHold,
  worstCaseHold,
  type PriceRequest,
} from './quote.js';

interface Table {
  cases: { label: string; request: PriceRequest; cost: number; hold: number }[];
  notPriced: { label: string; to: string; country: string | null }[];
}
const table = JSON.parse(
  readFileSync(new URL('../../testdata/pricing-table.json', import.meta.url), 'utf8'),
) as Table;
const usd = (micros: number) => money(micros, 'USD');

describe('the pricing table (testdata/pricing-table.json) by the default card', () => {
  it.each(table.cases.map((c) => [c.label, c] as const))(
    '%s',
    (_label, { request, cost, hold }) => {
      const priced = priceOf(request, DEFAULT_RATE_CARD);
      const held = worstCaseHold(request, DEFAULT_RATE_CARD);
      expect(priced.ok && priced.total).toEqual(usd(cost));
      expect(held.ok && held.total).toEqual(usd(hold));
    },
  );

  it.each(table.notPriced.map((c) => [c.label, c] as const))(
    '%s is destination_not_priced',
    (_label, { to, country }) => {
      const request: PriceRequest = {
        direction: 'outbound',
        channel: 'sms',
        segments: 1,
        to,
        fromNumberType: 'long_code',
        registered: true,
      };
      const expected = { ok: false, reason: 'destination_not_priced', country };
      expect(priceOf(request, DEFAULT_RATE_CARD)).toEqual(expected);
      expect(worstCaseHold(request, DEFAULT_RATE_CARD)).toEqual(expected);
    },
  );
});

describe('priceOf', () => {
  it('itemises a quote', () => {
    expect(
      priceOf(
        {
          direction: 'outbound',
          channel: 'sms',
          segments: 3,
          to: '+12125550123',
          fromNumberType: 'long_code',
          recipientCarrier: 'att',
          registered: true,
        },
        DEFAULT_RATE_CARD,
      ),
    ).toEqual({
      ok: true,
      cardVersion: 'default',
      country: 'US',
      units: 3,
      unitPrice: usd(8_300),
      messagePrice: usd(24_900),
      carrier: 'att',
      carrierFee: usd(6_000),
      total: usd(30_900),
    });
  });

  it('prices by the card it is given: the version in force at hold time', () => {
    const raised: RateCard = {
      ...DEFAULT_RATE_CARD,
      version: 'v2',
      effectiveAt: '2026-12-10T00:00:00.000Z',
      rates: DEFAULT_RATE_CARD.rates.map((r) => ({ ...r, price: r.price + 700 })),
    };
    const cards = [DEFAULT_RATE_CARD, raised];
    const request: PriceRequest = {
      direction: 'inbound',
      channel: 'sms',
      segments: 1,
      from: '+14155550123',
      toNumberType: 'long_code',
    };
    const before = cardInForce(cards, new Date('2026-12-09T23:59:59Z'));
    const after = cardInForce(cards, new Date('2026-12-10T00:00:00Z'));
    if (before === null || after === null) throw new Error('a card is in force');
    expect(priceOf(request, before)).toMatchObject({ cardVersion: 'default', total: usd(8_300) });
    expect(priceOf(request, after)).toMatchObject({ cardVersion: 'v2', total: usd(9_000) });
  });

  it('prices in the card currency', () => {
    const cad: RateCard = { ...DEFAULT_RATE_CARD, currency: 'CAD' };
    const priced = priceOf(
      { direction: 'inbound', channel: 'mms', from: '+14165550123', toNumberType: 'long_code' },
      cad,
    );
    expect(priced.ok && priced.total).toEqual(money(20_000, 'CAD'));
  });

  it('refuses segments that are not a whole number from 1', () => {
    for (const segments of [0, -1, 1.5, Number.NaN]) {
      const request: PriceRequest = {
        direction: 'inbound',
        channel: 'sms',
        segments,
        from: '+14155550123',
        toNumberType: 'long_code',
      };
      expect(() => priceOf(request, DEFAULT_RATE_CARD)).toThrow(PriceRequestError);
      expect(() => worstCaseHold(request, DEFAULT_RATE_CARD)).toThrow(
        /segments: must be a whole number/,
      );
    }
  });

  it('charges a lookup at the card price', () => {
    expect(lookupCharge(DEFAULT_RATE_CARD)).toEqual(usd(3_000));
  });
});

describe('worstCaseHold never undercuts the cost of the same parts, whatever the carrier', () => {
  it.each(['att', 't-mobile', 'verizon', 'us-cellular', null])(
    'recipient carrier %s',
    (carrier) => {
      for (const channel of ['sms', 'mms'] as const)
        for (const registered of [true, false]) {
          const size = channel === 'sms' ? { channel, segments: 4 } : { channel };
          const base = {
            direction: 'outbound',
            to: '+14155550123',
            fromNumberType: 'long_code',
            registered,
          } as const;
          const hold = worstCaseHold({ ...base, ...size }, DEFAULT_RATE_CARD);
          const cost = priceOf({ ...base, ...size, recipientCarrier: carrier }, DEFAULT_RATE_CARD);
          if (!hold.ok || !cost.ok) throw new Error('priced');
          expect(cost.total.micros).toBeLessThanOrEqual(hold.total.micros);
        }
    },
  );
});

describe('settleHold', () => {
  it('captures the cost and releases the rest', () => {
    expect(settleHold(usd(22_600), usd(16_600))).toEqual({
      captured: usd(16_600),
      released: usd(6_000),
      overrun: usd(0),
    });
    expect(settleHold(usd(10_800), usd(10_800))).toEqual({
      captured: usd(10_800),
      released: usd(0),
      overrun: usd(0),
    });
    expect(settleHold(usd(10_800), usd(0))).toEqual({
      captured: usd(0),
      released: usd(10_800),
      overrun: usd(0),
    });
  });

  it('captures the whole hold and names the overrun when the carrier reports more parts', () => {
    expect(settleHold(usd(10_800), usd(21_600))).toEqual({
      captured: usd(10_800),
      released: usd(0),
      overrun: usd(10_800),
    });
  });

  it('refuses negative amounts and mixed currencies', () => {
    expect(() => settleHold(usd(-1), usd(0))).toThrow(PriceRequestError);
    expect(() => settleHold(usd(1), usd(-1))).toThrow(PriceRequestError);
    expect(() => settleHold(usd(1), money(1, 'CAD'))).toThrow(/cannot mix currencies/);
  });
});
