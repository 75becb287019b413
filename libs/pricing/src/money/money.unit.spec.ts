import { describe, expect, it } from 'vitest';
import {
  MoneyError,
  add,
  compare,
  equals,
  fromDecimal,
  max,
  min,
  money,
  negate,
  parseAmount,
  subtract,
  sum,
  times,
  toDecimal,
} from './money.js';

const usd = (micros: number) => money(micros, 'USD');

describe('money', () => {
  it('holds integer micro-units of an ISO 4217 currency', () => {
    expect(usd(8_300)).toEqual({ micros: 8_300, currency: 'USD' });
    expect(money(-5, 'CAD')).toEqual({ micros: -5, currency: 'CAD' });
    expect(Object.isFrozen(usd(1))).toBe(true);
    expect(Object.is(usd(-0).micros, 0)).toBe(true);
  });

  it.each([
    ['a fraction', () => usd(0.5), /safe integer/],
    ['NaN', () => usd(Number.NaN), /safe integer/],
    ['Infinity', () => usd(Number.POSITIVE_INFINITY), /safe integer/],
    ['beyond MAX_SAFE_INTEGER', () => usd(Number.MAX_SAFE_INTEGER + 1), /safe integer/],
    ['an unknown currency', () => money(1, 'XYZ'), /unknown currency "XYZ"/],
    ['a lower-case currency', () => money(1, 'usd'), /unknown currency "usd"/],
  ])('refuses %s', (_label, make, message) => {
    expect(make).toThrow(MoneyError);
    expect(make).toThrow(message);
  });

  it('accepts the safe range to its ends', () => {
    expect(usd(Number.MAX_SAFE_INTEGER).micros).toBe(Number.MAX_SAFE_INTEGER);
    expect(usd(-Number.MAX_SAFE_INTEGER).micros).toBe(-Number.MAX_SAFE_INTEGER);
    expect(add(usd(Number.MAX_SAFE_INTEGER - 1), usd(1)).micros).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('adds, subtracts, negates and multiplies by whole numbers exactly', () => {
    expect(add(usd(8_300), usd(2_000))).toEqual(usd(10_300));
    expect(subtract(usd(8_300), usd(10_000))).toEqual(usd(-1_700));
    expect(negate(usd(8_300))).toEqual(usd(-8_300));
    expect(times(usd(8_300), 3)).toEqual(usd(24_900));
    expect(sum([usd(1), usd(2), usd(3)], 'USD')).toEqual(usd(6));
    expect(sum([], 'EUR')).toEqual(money(0, 'EUR'));
  });

  it('refuses to mix currencies', () => {
    expect(() => add(usd(1), money(1, 'CAD'))).toThrow('cannot mix currencies: USD and CAD');
    expect(() => subtract(usd(1), money(1, 'EUR'))).toThrow(MoneyError);
    expect(() => compare(usd(1), money(1, 'EUR'))).toThrow(MoneyError);
    expect(() => sum([usd(1)], 'CAD')).toThrow(MoneyError);
  });

  it('refuses results beyond the safe range and fractional factors', () => {
    expect(() => add(usd(Number.MAX_SAFE_INTEGER), usd(1))).toThrow(/sum must be a safe integer/);
    expect(() => subtract(usd(-Number.MAX_SAFE_INTEGER), usd(1))).toThrow(MoneyError);
    expect(() => times(usd(Number.MAX_SAFE_INTEGER), 2)).toThrow(/product/);
    expect(() => times(usd(8_300), 1.5)).toThrow(/factor must be a safe integer/);
  });

  it('compares', () => {
    expect(compare(usd(1), usd(2))).toBe(-1);
    expect(compare(usd(2), usd(2))).toBe(0);
    expect(compare(usd(3), usd(2))).toBe(1);
    expect(max(usd(1), usd(2))).toEqual(usd(2));
    expect(min(usd(1), usd(2))).toEqual(usd(1));
    expect(equals(usd(1), usd(1))).toBe(true);
    expect(equals(usd(1), money(1, 'CAD'))).toBe(false);
  });

  it('reads and writes exact decimals', () => {
    expect(fromDecimal('0.0083', 'USD')).toEqual(usd(8_300));
    expect(fromDecimal('0.02', 'USD')).toEqual(usd(20_000));
    expect(fromDecimal('1000', 'USD')).toEqual(usd(1_000_000_000));
    expect(fromDecimal('-0.000001', 'USD')).toEqual(usd(-1));
    expect(toDecimal(usd(8_300))).toBe('0.0083');
    expect(toDecimal(usd(1_000_000))).toBe('1.00');
    expect(toDecimal(usd(-1))).toBe('-0.000001');
    expect(toDecimal(usd(1_234_500_000))).toBe('1234.50');
    for (const text of ['0.0000001', '1e-3', '.5', '1,00', '', '0x10']) {
      expect(() => fromDecimal(text, 'USD'), text).toThrow(MoneyError);
    }
    expect(() => fromDecimal('9999999999999', 'USD')).toThrow(/safe range/);
  });
});

describe('parseAmount', () => {
  it('accepts an integer amount of a known currency', () => {
    expect(parseAmount({ amount: 10_000_000, currency: 'USD' })).toEqual({
      ok: true,
      money: usd(10_000_000),
    });
    expect(parseAmount({ amount: 0, currency: 'USD' }, { allowZero: true })).toEqual({
      ok: true,
      money: usd(0),
    });
  });

  it.each([
    [
      { amount: 0, currency: 'USD' },
      'amount',
      'must be from 1 to 1000000000000 micro-units (got 0)',
    ],
    [
      { amount: -5, currency: 'USD' },
      'amount',
      'must be from 1 to 1000000000000 micro-units (got -5)',
    ],
    [
      { amount: 1.5, currency: 'USD' },
      'amount',
      'must be an integer number of micro-units (got 1.5)',
    ],
    [
      { amount: '10', currency: 'USD' },
      'amount',
      'must be an integer number of micro-units (got "10")',
    ],
    [
      { amount: 1_000_000_000_001, currency: 'USD' },
      'amount',
      'must be from 1 to 1000000000000 micro-units (got 1000000000001)',
    ],
    [{ amount: 5, currency: 'ZZZ' }, 'currency', 'must be an ISO 4217 currency code (got "ZZZ")'],
    [{ amount: 5 }, 'currency', 'must be an ISO 4217 currency code (got undefined)'],
  ])('refuses %j naming %s', (input, field, message) => {
    expect(parseAmount(input)).toEqual({ ok: false, errors: [{ field, message }] });
  });

  it('accepts the bounds: 1 and 10^12 micro-units', () => {
    expect(parseAmount({ amount: 1, currency: 'USD' }).ok).toBe(true);
    expect(parseAmount({ amount: 1_000_000_000_000, currency: 'USD' }).ok).toBe(true);
  });

  it("refuses another currency than the wallet's and reports every problem at once", () => {
    expect(parseAmount({ amount: 5, currency: 'CAD' }, { walletCurrency: 'USD' })).toEqual({
      ok: false,
      errors: [{ field: 'currency', message: "must be the wallet's currency USD (got CAD)" }],
    });
    const parsed = parseAmount({ amount: -1, currency: 'nope' }, { field: 'autoRecharge' });
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.field)).toEqual([
      'autoRecharge.amount',
      'autoRecharge.currency',
    ]);
  });
});
