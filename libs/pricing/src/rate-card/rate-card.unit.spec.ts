import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_CARD } from './default-rate-card.js';
import { parseRateCard, type RateCardContext } from './parse-rate-card.js';
import { cardInForce, type RateCard } from './rate-card.js';

const card = (version: string, effectiveAt: string): RateCard => ({
  ...DEFAULT_RATE_CARD,
  version,
  effectiveAt,
});

describe('DEFAULT_RATE_CARD', () => {
  const rate = (country: string, channel: string, direction: string, numberType = 'long_code') =>
    DEFAULT_RATE_CARD.rates.find(
      (r) =>
        r.country === country &&
        r.channel === channel &&
        r.direction === direction &&
        r.numberType === numberType,
    )?.price;
  const fee = (carrier: string, channel: string, registration: string) =>
    DEFAULT_RATE_CARD.carrierFees.find(
      (f) => f.carrier === carrier && f.channel === channel && f.registration === registration,
    )?.fee;

  it('prices the US and Canada at $0.0083 per SMS segment and $0.0200 per MMS, inbound the same', () => {
    for (const country of ['US', 'CA'])
      for (const direction of ['outbound', 'inbound'])
        for (const numberType of ['long_code', 'toll_free', 'short_code']) {
          expect(rate(country, 'sms', direction, numberType)).toBe(8_300);
          expect(rate(country, 'mms', direction, numberType)).toBe(20_000);
        }
    expect(DEFAULT_RATE_CARD.rates).toHaveLength(24);
    expect(new Set(DEFAULT_RATE_CARD.rates.map((r) => r.country))).toEqual(new Set(['US', 'CA']));
  });

  it("carries the carriers' published fees", () => {
    expect(fee('att', 'sms', 'registered')).toBe(2_000);
    expect(fee('att', 'sms', 'unregistered')).toBe(4_000);
    expect(fee('att', 'mms', 'registered')).toBe(3_500);
    expect(fee('t-mobile', 'sms', 'registered')).toBe(3_000);
    expect(fee('t-mobile', 'mms', 'registered')).toBe(10_000);
    expect(fee('t-mobile', 'sms', 'unregistered')).toBe(4_000);
    expect(fee('t-mobile', 'mms', 'unregistered')).toBe(13_000);
    expect(fee('verizon', 'sms', 'registered')).toBe(2_500);
    expect(fee('verizon', 'mms', 'registered')).toBe(5_000);
    expect(DEFAULT_RATE_CARD.carrierFees).toHaveLength(12);
    expect(DEFAULT_RATE_CARD.carrierFees.every((f) => f.country === 'US')).toBe(true);
    expect(DEFAULT_RATE_CARD.currency).toBe('USD');
  });

  it('passes its own validation (as a repeat of itself)', () => {
    const parsed = parseRateCard(DEFAULT_RATE_CARD, {
      version: 'default',
      now: new Date('2026-12-02T00:00:00Z'),
      published: [DEFAULT_RATE_CARD],
    });
    expect(parsed).toEqual({ ok: true, card: DEFAULT_RATE_CARD, alreadyPublished: true });
  });
});

describe('cardInForce', () => {
  const v1 = card('v1', '2026-01-01T00:00:00.000Z');
  const v2 = card('v2', '2026-06-01T00:00:00.000Z');
  const v3 = card('v3', '2027-01-01T00:00:00.000Z');

  it('is the card with the latest effectiveAt not after the instant', () => {
    expect(cardInForce([v1, v2, v3], new Date('2026-12-02T13:00:00Z'))).toBe(v2);
    expect(cardInForce([v3, v2, v1], new Date('2026-12-02T13:00:00Z'))).toBe(v2);
    expect(cardInForce([v1, v2, v3], new Date('2026-06-01T00:00:00.000Z'))).toBe(v2);
    expect(cardInForce([v1, v2, v3], new Date('2026-05-31T23:59:59.999Z'))).toBe(v1);
    expect(cardInForce([v1, v2, v3], new Date('2027-01-01T00:00:00Z'))).toBe(v3);
  });

  it('is null before the first card and with none', () => {
    expect(cardInForce([v1, v2], new Date('2025-12-31T23:59:59Z'))).toBeNull();
    expect(cardInForce([], new Date('2026-12-02T13:00:00Z'))).toBeNull();
  });

  it('refuses an invalid instant rather than pick a card', () => {
    expect(() => cardInForce([v1], new Date('not a date'))).toThrow(RangeError);
  });

  it('breaks a tie of effectiveAt by version, whatever the order given', () => {
    const a = card('a', '2026-03-01T00:00:00.000Z');
    const b = card('b', '2026-03-01T00:00:00.000Z');
    const at = new Date('2026-04-01T00:00:00Z');
    expect(cardInForce([a, b], at)).toBe(b);
    expect(cardInForce([b, a], at)).toBe(b);
  });
});

describe('parseRateCard', () => {
  const now = new Date('2026-12-02T13:00:00.000Z');
  const context: RateCardContext = { version: 'v2', now, published: [DEFAULT_RATE_CARD] };
  const body = (): Record<string, unknown> => ({
    effectiveAt: '2026-12-03T00:00:00Z',
    currency: 'USD',
    rates: DEFAULT_RATE_CARD.rates.map((r) => ({ ...r })),
    carrierFees: DEFAULT_RATE_CARD.carrierFees.map((f) => ({ ...f })),
    lookupPrice: 3_000,
  });
  const errorsOf = (input: unknown, ctx: RateCardContext = context) => {
    const parsed = parseRateCard(input, ctx);
    return parsed.ok ? [] : parsed.errors;
  };

  it('accepts a complete card taking effect later, normalising effectiveAt', () => {
    const parsed = parseRateCard({ ...body(), effectiveAt: '2026-12-03T01:00:00+01:00' }, context);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.alreadyPublished).toBe(false);
    expect(parsed.card.version).toBe('v2');
    expect(parsed.card.effectiveAt).toBe('2026-12-03T00:00:00.000Z');
    expect(parsed.card.rates).toHaveLength(24);
    expect(parsed.card.carrierFees).toHaveLength(12);
  });

  it('accepts a card taking effect now, and one without carrier fees', () => {
    expect(parseRateCard({ ...body(), effectiveAt: now.toISOString() }, context).ok).toBe(true);
    const { carrierFees: _fees, ...noFees } = body();
    expect(parseRateCard(noFees, context).ok).toBe(true);
  });

  it('refuses a body that is not an object', () => {
    expect(errorsOf([])).toEqual([{ field: '', message: 'must be a JSON object (a rate card)' }]);
  });

  it('refuses an effectiveAt in the past for a new version', () => {
    expect(errorsOf({ ...body(), effectiveAt: '2026-12-02T12:59:59Z' })).toEqual([
      {
        field: 'effectiveAt',
        message:
          'must not be in the past for a new version (got 2026-12-02T12:59:59.000Z, now 2026-12-02T13:00:00.000Z)',
      },
    ]);
  });

  it.each([
    ['2026-12-03'],
    ['2026-12-03T00:00:00'],
    ['tomorrow'],
    [1_700_000_000_000],
    ['2026-13-45T00:00:00Z'],
  ])('refuses effectiveAt %j', (effectiveAt) => {
    expect(errorsOf({ ...body(), effectiveAt }).map((e) => e.field)).toEqual(['effectiveAt']);
  });

  it("refuses an effectiveAt another card has, and another version's content under a published version", () => {
    const published = card('v2', '2026-12-03T00:00:00.000Z');
    expect(errorsOf(body(), { version: 'v3', now, published: [published] })).toEqual([
      {
        field: 'effectiveAt',
        message: 'is the effectiveAt of version v2: two cards cannot take effect at once',
      },
    ]);
    expect(errorsOf({ ...body(), lookupPrice: 1 }, { ...context, published: [published] })).toEqual(
      [
        {
          field: 'version',
          message: 'v2 is published already with other content: publish a new version',
        },
      ],
    );
  });

  it('takes the same content again under its version as a repeat, in any order', () => {
    const first = parseRateCard(body(), context);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const reordered = { ...body(), rates: [...(body().rates as unknown[])].reverse() };
    const later = { ...context, now: new Date('2027-01-01T00:00:00Z'), published: [first.card] };
    const stored: RateCard = JSON.parse(
      JSON.stringify({
        lookupPrice: first.card.lookupPrice,
        carrierFees: first.card.carrierFees.map((f) =>
          Object.fromEntries(Object.entries(f).reverse()),
        ),
        rates: first.card.rates.map((r) => Object.fromEntries(Object.entries(r).reverse())),
        currency: first.card.currency,
        effectiveAt: first.card.effectiveAt,
        version: first.card.version,
      }),
    ) as RateCard;
    expect(parseRateCard(body(), { ...later, published: [stored] })).toMatchObject({
      ok: true,
      alreadyPublished: true,
    });
    expect(parseRateCard(reordered, later)).toEqual({
      ok: true,
      card: first.card,
      alreadyPublished: true,
    });
  });

  it('refuses overlapping entries, naming the later one', () => {
    const rates = body().rates as Record<string, unknown>[];
    const fees = body().carrierFees as Record<string, unknown>[];
    expect(
      errorsOf({
        ...body(),
        rates: [...rates, { ...rates[0], price: 1 }],
        carrierFees: [...fees, fees[3]],
      }),
    ).toEqual([
      { field: 'rates.24', message: 'overlaps rates.0 (US/long_code/sms/outbound)' },
      { field: 'carrierFees.12', message: 'overlaps carrierFees.3 (US/att/mms/unregistered)' },
    ]);
  });

  it('refuses a card without a US SMS rate, and a country or carrier not priced whole', () => {
    const rates = (body().rates as Record<string, unknown>[]).filter(
      (r) => !(r.country === 'US' && r.channel === 'sms'),
    );
    const missing = errorsOf({ ...body(), rates });
    expect(missing.every((e) => e.field === 'rates')).toBe(true);
    expect(missing.map((e) => e.message)).toContain(
      'misses US/long_code/sms/outbound: a priced country needs every rate',
    );
    expect(missing).toHaveLength(6);

    const onlyCanada = (body().rates as Record<string, unknown>[]).filter(
      (r) => r.country === 'CA',
    );
    expect(errorsOf({ ...body(), rates: onlyCanada, carrierFees: [] })).toEqual([
      { field: 'rates', message: 'must price the US (no US rate)' },
    ]);

    const fees = (body().carrierFees as Record<string, unknown>[]).filter(
      (f) => !(f.carrier === 'verizon' && f.channel === 'mms' && f.registration === 'unregistered'),
    );
    expect(errorsOf({ ...body(), carrierFees: [...fees, { ...fees[0], country: 'GB' }] })).toEqual([
      {
        field: 'carrierFees',
        message: 'misses US/verizon/mms/unregistered: a carrier needs every fee',
      },
      { field: 'carrierFees', message: 'charges a fee on GB, which the card does not price' },
      {
        field: 'carrierFees',
        message: 'misses GB/att/sms/unregistered: a carrier needs every fee',
      },
      { field: 'carrierFees', message: 'misses GB/att/mms/registered: a carrier needs every fee' },
      {
        field: 'carrierFees',
        message: 'misses GB/att/mms/unregistered: a carrier needs every fee',
      },
    ]);
  });

  it('names every bad field at once', () => {
    const rates = body().rates as Record<string, unknown>[];
    const fees = body().carrierFees as Record<string, unknown>[];
    const bad = {
      ...body(),
      version: 'v9',
      currency: 'US$',
      extra: true,
      lookupPrice: -1,
      rates: [
        { ...rates[0], country: 'XX', price: 0.5, note: 'x' },
        { ...rates[1], numberType: 'landline', channel: 'rcs', direction: 'sideways', price: 1e13 },
        'nope',
        ...rates.slice(3),
      ],
      carrierFees: [{ ...fees[0], carrier: 'AT&T', registration: 'maybe', fee: '2000' }],
    };
    expect(errorsOf(bad, { ...context, version: 'bad version!' }).map((e) => e.field)).toEqual([
      'extra',
      'version',
      'version',
      'currency',
      'rates.0.note',
      'rates.0.country',
      'rates.0.price',
      'rates.1.numberType',
      'rates.1.channel',
      'rates.1.direction',
      'rates.1.price',
      'rates.2',
      'carrierFees.0.carrier',
      'carrierFees.0.registration',
      'carrierFees.0.fee',
      'lookupPrice',
    ]);
    expect(errorsOf({ ...body(), rates: [] })).toEqual([
      { field: 'rates', message: 'must be a non-empty array of rates' },
    ]);
    expect(errorsOf({ ...body(), carrierFees: {} })).toEqual([
      { field: 'carrierFees', message: 'must be an array of carrier fees' },
    ]);
  });
});
