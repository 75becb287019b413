/** Micro-units in one unit of any currency: 1 USD = 1,000,000 micros. */
export const MICROS_PER_UNIT = 1_000_000;

/** ISO 4217 alphabetic code, upper case ("USD"). */
export type CurrencyCode = string;

/** An exact amount: a safe integer count of micro-units of one currency. Never a float. */
export interface Money {
  readonly micros: number;
  readonly currency: CurrencyCode;
}

/** Bad money: a float, an unsafe integer, an unknown currency, two currencies mixed. */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';
}

// The runtime's ICU list of ISO 4217 codes (pure: no I/O, the same on every call).
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && CURRENCIES.has(value);
}

function checkMicros(micros: number, what: string): number {
  if (!Number.isSafeInteger(micros)) {
    throw new MoneyError(`${what} must be a safe integer number of micro-units (got ${micros})`);
  }
  return micros;
}

/** Money of `micros` micro-units; throws MoneyError on a non-integer, unsafe or unknown input. */
export function money(micros: number, currency: CurrencyCode): Money {
  if (!isCurrencyCode(currency)) {
    throw new MoneyError(`unknown currency ${JSON.stringify(currency)} (ISO 4217 code expected)`);
  }
  // -0 would print and compare oddly; it is the same amount as 0.
  return Object.freeze({ micros: checkMicros(micros, 'amount') + 0, currency });
}

export function zero(currency: CurrencyCode): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): CurrencyCode {
  if (a.currency !== b.currency) {
    throw new MoneyError(`cannot mix currencies: ${a.currency} and ${b.currency}`);
  }
  return a.currency;
}

export function add(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b);
  return money(checkMicros(a.micros + b.micros, 'sum'), currency);
}

export function subtract(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b);
  return money(checkMicros(a.micros - b.micros, 'difference'), currency);
}

export function negate(a: Money): Money {
  return money(-a.micros, a.currency);
}

/** `a` times a whole number (segments × rate); a fraction is refused, never rounded. */
export function times(a: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) {
    throw new MoneyError(`factor must be a safe integer (got ${factor})`);
  }
  return money(checkMicros(a.micros * factor, 'product'), a.currency);
}

export function sum(amounts: readonly Money[], currency: CurrencyCode): Money {
  return amounts.reduce(add, zero(currency));
}

/** Negative, zero or positive as a < b, a = b, a > b (same currency only). */
export function compare(a: Money, b: Money): number {
  sameCurrency(a, b);
  return Math.sign(a.micros - b.micros);
}

export function max(a: Money, b: Money): Money {
  return compare(a, b) >= 0 ? a : b;
}

export function min(a: Money, b: Money): Money {
  return compare(a, b) <= 0 ? a : b;
}

export function isZero(a: Money): boolean {
  return a.micros === 0;
}

export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.micros === b.micros;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,6}))?$/;

/**
 * Exact money from a decimal string ("0.0083" USD → 8,300 micros): the figures of price lists,
 * written as published. More than six decimals would need rounding, so it is refused.
 */
export function fromDecimal(decimal: string, currency: CurrencyCode): Money {
  const match = DECIMAL.exec(decimal);
  if (match === null) {
    throw new MoneyError(
      `${JSON.stringify(decimal)} is not a decimal amount with at most 6 decimals`,
    );
  }
  const [, sign, whole = '', fraction = ''] = match;
  const micros = Number(whole) * MICROS_PER_UNIT + Number(fraction.padEnd(6, '0'));
  if (!Number.isSafeInteger(micros)) {
    throw new MoneyError(`${decimal} is beyond the safe range of micro-units`);
  }
  return money(sign === '-' ? -micros : micros, currency);
}

/** "0.0083" for 8,300 micros: the shortest exact decimal (at least 2 decimals). */
export function toDecimal(a: Money): string {
  const sign = a.micros < 0 ? '-' : '';
  const abs = Math.abs(a.micros);
  const whole = Math.floor(abs / MICROS_PER_UNIT);
  const fraction = String(abs % MICROS_PER_UNIT)
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${sign}${whole}.${fraction}`;
}

/** The API's bounds on an amount a person enters (credits, thresholds): issue 13 §3. */
export const MAX_AMOUNT_MICROS = 1_000_000_000_000;

export interface AmountFieldError {
  readonly field: string;
  readonly message: string;
}

export type ParsedAmount =
  | { readonly ok: true; readonly money: Money }
  | { readonly ok: false; readonly errors: readonly AmountFieldError[] };

export interface AmountRules {
  /** Where the amount sits in the request body, for the problem's field names. */
  readonly field?: string;
  /** The wallet's currency, when the amount must be in it. */
  readonly walletCurrency?: CurrencyCode;
  /** Zero allowed (a threshold) or not (a credit). */
  readonly allowZero?: boolean;
}

/**
 * `{amount, currency}` from a request: the amount an integer count of micro-units from 1 (or 0
 * when `allowZero`) to 10^12, the currency a known ISO 4217 code, the wallet's when one is given.
 * Every problem at once, each naming its field.
 */
export function parseAmount(
  input: { readonly amount?: unknown; readonly currency?: unknown },
  rules: AmountRules = {},
): ParsedAmount {
  const prefix = rules.field === undefined ? '' : `${rules.field}.`;
  const errors: AmountFieldError[] = [];
  const { amount, currency } = input;
  const low = rules.allowZero === true ? 0 : 1;
  if (typeof amount !== 'number' || !Number.isInteger(amount)) {
    errors.push({
      field: `${prefix}amount`,
      message: `must be an integer number of micro-units (got ${JSON.stringify(amount)})`,
    });
  } else if (amount < low || amount > MAX_AMOUNT_MICROS) {
    errors.push({
      field: `${prefix}amount`,
      message: `must be from ${low} to ${MAX_AMOUNT_MICROS} micro-units (got ${amount})`,
    });
  }
  if (!isCurrencyCode(currency)) {
    errors.push({
      field: `${prefix}currency`,
      message: `must be an ISO 4217 currency code (got ${JSON.stringify(currency)})`,
    });
  } else if (rules.walletCurrency !== undefined && currency !== rules.walletCurrency) {
    errors.push({
      field: `${prefix}currency`,
      message: `must be the wallet's currency ${rules.walletCurrency} (got ${currency})`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, money: money(amount as number, currency as CurrencyCode) };
}
