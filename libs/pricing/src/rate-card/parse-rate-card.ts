import { KNOWN_COUNTRIES } from '../destination/destination.js';
import { MAX_AMOUNT_MICROS, isCurrencyCode } from '../money/money.js';
import {
  CHANNELS,
  DIRECTIONS,
  NUMBER_TYPES,
  REGISTRATIONS,
  carrierFeeKey,
  rateKey,
  type CarrierFee,
  type MessageRate,
  type RateCard,
} from './rate-card.js';

export interface RateCardFieldError {
  readonly field: string;
  readonly message: string;
}

export type ParsedRateCard =
  | {
      readonly ok: true;
      readonly card: RateCard;
      /** The same version with the same content is published already: a repeated PUT. */
      readonly alreadyPublished: boolean;
    }
  | { readonly ok: false; readonly errors: readonly RateCardFieldError[] };

export interface RateCardContext {
  /** The `{version}` of `PUT /admin/v1/rate-cards/{version}`. */
  readonly version: string;
  readonly now: Date;
  /** Every card published so far. */
  readonly published: readonly RateCard[];
}

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const CARRIER = /^[a-z0-9][a-z0-9-]{0,31}$/;
// An instant with its offset: a date alone or a local time would be read in some zone.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const CARD_FIELDS = new Set([
  'version',
  'effectiveAt',
  'currency',
  'rates',
  'carrierFees',
  'lookupPrice',
]);
const RATE_FIELDS = new Set(['country', 'numberType', 'channel', 'direction', 'price']);
const FEE_FIELDS = new Set(['country', 'carrier', 'channel', 'registration', 'fee']);

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Problems {
  readonly errors: RateCardFieldError[] = [];
  add(field: string, message: string): void {
    this.errors.push({ field, message });
  }
  unknownFields(object: Json, known: ReadonlySet<string>, prefix: string, what: string): void {
    for (const key of Object.keys(object)) {
      if (!known.has(key)) this.add(`${prefix}${key}`, `is not a known field of ${what}`);
    }
  }
  oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): value is T {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return true;
    this.add(field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
    return false;
  }
  country(value: unknown, field: string): value is string {
    if (typeof value === 'string' && KNOWN_COUNTRIES.has(value)) return true;
    this.add(field, `must be an ISO 3166-1 alpha-2 country code (got ${JSON.stringify(value)})`);
    return false;
  }
  micros(value: unknown, field: string): value is number {
    if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 0 &&
      value <= MAX_AMOUNT_MICROS
    ) {
      return true;
    }
    this.add(
      field,
      `must be an integer number of micro-units from 0 to ${MAX_AMOUNT_MICROS} (got ${JSON.stringify(value)})`,
    );
    return false;
  }
}

function parseRates(value: unknown, problems: Problems): MessageRate[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add('rates', 'must be a non-empty array of rates');
    return [];
  }
  const rates: MessageRate[] = [];
  const seen = new Map<string, number>();
  value.forEach((item: unknown, index) => {
    const at = `rates.${index}`;
    if (!isObject(item)) {
      problems.add(at, 'must be an object');
      return;
    }
    problems.unknownFields(item, RATE_FIELDS, `${at}.`, 'a rate');
    const { country, numberType, channel, direction, price } = item;
    const ok = [
      problems.country(country, `${at}.country`),
      problems.oneOf(numberType, NUMBER_TYPES, `${at}.numberType`),
      problems.oneOf(channel, CHANNELS, `${at}.channel`),
      problems.oneOf(direction, DIRECTIONS, `${at}.direction`),
      problems.micros(price, `${at}.price`),
    ].every(Boolean);
    if (!ok) return;
    const rate = { country, numberType, channel, direction, price } as MessageRate;
    const key = rateKey(rate);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add(at, `overlaps rates.${first} (${key})`);
      return;
    }
    seen.set(key, index);
    rates.push(rate);
  });
  return rates;
}

function parseCarrierFees(value: unknown, problems: Problems): CarrierFee[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.add('carrierFees', 'must be an array of carrier fees');
    return [];
  }
  const fees: CarrierFee[] = [];
  const seen = new Map<string, number>();
  value.forEach((item: unknown, index) => {
    const at = `carrierFees.${index}`;
    if (!isObject(item)) {
      problems.add(at, 'must be an object');
      return;
    }
    problems.unknownFields(item, FEE_FIELDS, `${at}.`, 'a carrier fee');
    const { country, carrier, channel, registration, fee } = item;
    let ok = problems.country(country, `${at}.country`);
    if (typeof carrier !== 'string' || !CARRIER.test(carrier)) {
      problems.add(
        `${at}.carrier`,
        `must be a carrier id of lower-case letters, digits and dashes (got ${JSON.stringify(carrier)})`,
      );
      ok = false;
    }
    ok = problems.oneOf(channel, CHANNELS, `${at}.channel`) && ok;
    ok = problems.oneOf(registration, REGISTRATIONS, `${at}.registration`) && ok;
    ok = problems.micros(fee, `${at}.fee`) && ok;
    if (!ok) return;
    const parsed = { country, carrier, channel, registration, fee } as CarrierFee;
    const key = carrierFeeKey(parsed);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.add(at, `overlaps carrierFees.${first} (${key})`);
      return;
    }
    seen.set(key, index);
    fees.push(parsed);
  });
  return fees;
}

/** A country on the card is priced whole, so no sender type or channel is silently unpriced. */
function checkCoverage(
  rates: readonly MessageRate[],
  fees: readonly CarrierFee[],
  problems: Problems,
): void {
  const priced = new Set(rates.map(rateKey));
  const countries = [...new Set(rates.map((rate) => rate.country))];
  if (!countries.includes('US')) problems.add('rates', 'must price the US (no US rate)');
  for (const country of countries)
    for (const numberType of NUMBER_TYPES)
      for (const channel of CHANNELS)
        for (const direction of DIRECTIONS) {
          const key = rateKey({ country, numberType, channel, direction });
          if (!priced.has(key))
            problems.add('rates', `misses ${key}: a priced country needs every rate`);
        }
  const feeKeys = new Set(fees.map(carrierFeeKey));
  const carriers = new Set(fees.map((fee) => `${fee.country}/${fee.carrier}`));
  for (const pair of carriers) {
    const [country = '', carrier = ''] = pair.split('/');
    if (!countries.includes(country)) {
      problems.add('carrierFees', `charges a fee on ${country}, which the card does not price`);
    }
    for (const channel of CHANNELS)
      for (const registration of REGISTRATIONS) {
        const key = carrierFeeKey({ country, carrier, channel, registration });
        if (!feeKeys.has(key))
          problems.add('carrierFees', `misses ${key}: a carrier needs every fee`);
      }
  }
}

/** Same figures, whatever the order of entries or of keys (a card read back from storage). */
function sameContent(a: RateCard, b: RateCard): boolean {
  const canonical = (card: RateCard) =>
    JSON.stringify([
      card.version,
      Date.parse(card.effectiveAt),
      card.currency,
      card.lookupPrice,
      card.rates.map((rate) => `${rateKey(rate)}=${rate.price}`).sort(),
      card.carrierFees.map((fee) => `${carrierFeeKey(fee)}=${fee.fee}`).sort(),
    ]);
  return canonical(a) === canonical(b);
}

/**
 * The body of `PUT /admin/v1/rate-cards/{version}` checked: what the endpoint refuses, every
 * problem at once, each naming its field (`rates.3.price`). Amounts are integer micro-units of
 * the card's currency. A version is published once: the same content again is accepted as a
 * repeat (`alreadyPublished`), other content under a published version is refused; a new version
 * takes effect now or later, never in the past, and never at another card's instant.
 */
export function parseRateCard(input: unknown, context: RateCardContext): ParsedRateCard {
  const problems = new Problems();
  if (!isObject(input)) {
    return { ok: false, errors: [{ field: '', message: 'must be a JSON object (a rate card)' }] };
  }
  problems.unknownFields(input, CARD_FIELDS, '', 'a rate card');
  const { version } = context;
  if (!VERSION.test(version)) {
    problems.add(
      'version',
      `must be 1 to 64 letters, digits, dots, dashes or underscores (got ${JSON.stringify(version)})`,
    );
  }
  if (input.version !== undefined && input.version !== version) {
    problems.add(
      'version',
      `must match the path's version ${JSON.stringify(version)} (got ${JSON.stringify(input.version)})`,
    );
  }
  let effectiveAt: string | null = null;
  if (
    typeof input.effectiveAt !== 'string' ||
    !INSTANT.test(input.effectiveAt) ||
    Number.isNaN(Date.parse(input.effectiveAt))
  ) {
    problems.add(
      'effectiveAt',
      `must be an ISO 8601 instant with its offset (got ${JSON.stringify(input.effectiveAt)})`,
    );
  } else {
    effectiveAt = new Date(input.effectiveAt).toISOString();
  }
  const currency = input.currency;
  if (!isCurrencyCode(currency)) {
    problems.add('currency', `must be an ISO 4217 currency code (got ${JSON.stringify(currency)})`);
  }
  const rates = parseRates(input.rates, problems);
  const carrierFees = parseCarrierFees(input.carrierFees, problems);
  const lookupPrice = input.lookupPrice;
  problems.micros(lookupPrice, 'lookupPrice');
  if (problems.errors.length === 0) checkCoverage(rates, carrierFees, problems);
  if (problems.errors.length > 0 || effectiveAt === null)
    return { ok: false, errors: problems.errors };

  const card: RateCard = Object.freeze({
    version,
    effectiveAt,
    currency: currency as string,
    rates: Object.freeze(rates),
    carrierFees: Object.freeze(carrierFees),
    lookupPrice: lookupPrice as number,
  });
  const existing = context.published.find((published) => published.version === version);
  if (existing !== undefined) {
    if (sameContent(existing, card)) return { ok: true, card: existing, alreadyPublished: true };
    return {
      ok: false,
      errors: [
        {
          field: 'version',
          message: `${version} is published already with other content: publish a new version`,
        },
      ],
    };
  }
  if (Date.parse(effectiveAt) < context.now.getTime()) {
    problems.add(
      'effectiveAt',
      `must not be in the past for a new version (got ${effectiveAt}, now ${context.now.toISOString()})`,
    );
  }
  const clash = context.published.find(
    (published) => Date.parse(published.effectiveAt) === Date.parse(effectiveAt),
  );
  if (clash !== undefined) {
    problems.add(
      'effectiveAt',
      `is the effectiveAt of version ${clash.version}: two cards cannot take effect at once`,
    );
  }
  if (problems.errors.length > 0) return { ok: false, errors: problems.errors };
  return { ok: true, card, alreadyPublished: false };
}
