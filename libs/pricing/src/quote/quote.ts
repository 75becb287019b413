import { countryOfNumber, type CountryCode } from '../destination/destination.js';
import { add, compare, money, subtract, times, zero, type Money } from '../money/money.js';
import type { NumberType, RateCard, Registration } from '../rate-card/rate-card.js';

/** A text's size: SMS in segments, MMS always one message. */
export type MessageSize =
  { readonly channel: 'sms'; readonly segments: number } | { readonly channel: 'mms' };

/**
 * What to price. The country is the other party's (the recipient of an outbound text, the sender
 * of an inbound one); the number type is the tenant's own number.
 */
export type PriceRequest = MessageSize &
  (
    | {
        readonly direction: 'outbound';
        readonly to: string;
        readonly fromNumberType: NumberType;
        /** Billing's carrier id from a lookup; null or absent when not known. */
        readonly recipientCarrier?: string | null;
        readonly registered: boolean;
      }
    | {
        readonly direction: 'inbound';
        readonly from: string;
        readonly toNumberType: NumberType;
      }
  );

export interface Quote {
  readonly ok: true;
  readonly cardVersion: string;
  readonly country: CountryCode;
  /** Segments of an SMS, 1 for an MMS: what the rate and the carrier fee are multiplied by. */
  readonly units: number;
  readonly unitPrice: Money;
  /** units × unitPrice. */
  readonly messagePrice: Money;
  /** The carrier whose fee is in `carrierFee`, or null for none (inbound, unknown, unlisted). */
  readonly carrier: string | null;
  readonly carrierFee: Money;
  /** messagePrice + carrierFee: what the tenant pays. */
  readonly total: Money;
}

export interface NotPriced {
  readonly ok: false;
  readonly reason: 'destination_not_priced';
  /** The other party's country, or null when the number is no valid number of any country. */
  readonly country: CountryCode | null;
}

export type PriceResult = Quote | NotPriced;

/** A request no price can be made of (a caller's bug, not a tenant's input). */
export class PriceRequestError extends Error {
  override readonly name = 'PriceRequestError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

function unitsOf(request: PriceRequest): number {
  if (request.channel === 'mms') return 1;
  const { segments } = request;
  if (!Number.isSafeInteger(segments) || segments < 1) {
    throw new PriceRequestError('segments', `must be a whole number from 1 (got ${segments})`);
  }
  return segments;
}

type FeeChoice = 'known' | 'worst';

function price(request: PriceRequest, card: RateCard, fees: FeeChoice): PriceResult {
  const units = unitsOf(request);
  const party = request.direction === 'outbound' ? request.to : request.from;
  const numberType =
    request.direction === 'outbound' ? request.fromNumberType : request.toNumberType;
  const country = countryOfNumber(party);
  const rate =
    country === null
      ? undefined
      : card.rates.find(
          (r) =>
            r.country === country &&
            r.numberType === numberType &&
            r.channel === request.channel &&
            r.direction === request.direction,
        );
  if (country === null || rate === undefined) {
    return { ok: false, reason: 'destination_not_priced', country };
  }
  const unitPrice = money(rate.price, card.currency);
  const messagePrice = times(unitPrice, units);
  const fee = request.direction === 'outbound' ? carrierFeeOf(request, country, card, fees) : null;
  const carrierFee = times(money(fee?.fee ?? 0, card.currency), units);
  return {
    ok: true,
    cardVersion: card.version,
    country,
    units,
    unitPrice,
    messagePrice,
    carrier: fee?.carrier ?? null,
    carrierFee,
    total: add(messagePrice, carrierFee),
  };
}

function carrierFeeOf(
  request: Extract<PriceRequest, { direction: 'outbound' }>,
  country: CountryCode,
  card: RateCard,
  choice: FeeChoice,
): { carrier: string; fee: number } | null {
  const registration: Registration = request.registered ? 'registered' : 'unregistered';
  const candidates = card.carrierFees.filter(
    (f) =>
      f.country === country && f.channel === request.channel && f.registration === registration,
  );
  const carrier = request.recipientCarrier ?? null;
  if (carrier !== null) {
    // A carrier the card lists no fee for charges none.
    return candidates.find((f) => f.carrier === carrier) ?? null;
  }
  if (choice === 'known') return null;
  let highest: { carrier: string; fee: number } | null = null;
  for (const f of candidates) if (highest === null || f.fee > highest.fee) highest = f;
  return highest;
}

/**
 * The exact cost of a text by `card`: units × the rate of its country, the tenant's number type,
 * channel and direction, plus (outbound) the recipient carrier's fee per unit when the carrier is
 * known; or `destination_not_priced`. Capture prices the parts the carrier reports this way, by
 * the card the hold was priced with.
 */
export function priceOf(request: PriceRequest, card: RateCard): PriceResult {
  return price(request, card, 'known');
}

/**
 * What to hold before a text goes out: as `priceOf`, but when the recipient's carrier is not
 * known yet, the highest fee any carrier of that country charges for the channel and
 * registration. So the real cost of the same parts never exceeds the hold.
 */
export function worstCaseHold(request: PriceRequest, card: RateCard): PriceResult {
  return price(request, card, 'worst');
}

/** What a number lookup costs by `card`. */
export function lookupCharge(card: RateCard): Money {
  return money(card.lookupPrice, card.currency);
}

export interface HoldSettlement {
  /** Taken from the hold as revenue and fees. */
  readonly captured: Money;
  /** Returned from the hold to the available funds. */
  readonly released: Money;
  /**
   * The part of the real cost beyond the hold (the carrier reported more parts than the hold was
   * sized on). It is charged from the available funds, like an inbound text, so what the
   * carrier charged is never lost; zero in the normal case.
   */
  readonly overrun: Money;
}

/**
 * A hold settled against the real cost: captured = min(cost, held), released = held − captured,
 * overrun = cost − captured. captured + released = held, always.
 */
export function settleHold(held: Money, cost: Money): HoldSettlement {
  if (held.micros < 0 || cost.micros < 0) {
    throw new PriceRequestError(
      'amount',
      `a hold and a cost are never negative (got ${held.micros}, ${cost.micros})`,
    );
  }
  if (compare(cost, held) <= 0) {
    return { captured: cost, released: subtract(held, cost), overrun: zero(held.currency) };
  }
  return { captured: held, released: zero(held.currency), overrun: subtract(cost, held) };
}
