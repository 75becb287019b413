import type { CountryCode } from '../destination/destination.js';
import { type CurrencyCode } from '../money/money.js';

export const CHANNELS = ['sms', 'mms'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DIRECTIONS = ['outbound', 'inbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** The tenant's number type: a 10DLC long code, a toll-free number or a short code. */
export const NUMBER_TYPES = ['long_code', 'toll_free', 'short_code'] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

/** Whether the sender's traffic is registered (10DLC campaign, toll-free verification). */
export const REGISTRATIONS = ['registered', 'unregistered'] as const;
export type Registration = (typeof REGISTRATIONS)[number];

/** A price per SMS segment, or per MMS message, in micro-units of the card's currency. */
export interface MessageRate {
  readonly country: CountryCode;
  readonly numberType: NumberType;
  readonly channel: Channel;
  readonly direction: Direction;
  readonly price: number;
}

/**
 * A recipient carrier's pass-through fee on outbound traffic, per SMS segment or per MMS message,
 * in micro-units of the card's currency. `carrier` is billing's own id ("att", "t-mobile",
 * "verizon"); the carrier adapter maps a lookup's carrier name onto it.
 */
export interface CarrierFee {
  readonly country: CountryCode;
  readonly carrier: string;
  readonly channel: Channel;
  readonly registration: Registration;
  readonly fee: number;
}

/**
 * One published version of the prices. Versions are never edited: a change is a new version
 * with a later `effectiveAt`, and a message is priced by the card in force when its hold is
 * placed (`cardInForce`).
 */
export interface RateCard {
  readonly version: string;
  /** ISO 8601 UTC instant, normalised (`Date.prototype.toISOString`). */
  readonly effectiveAt: string;
  readonly currency: CurrencyCode;
  readonly rates: readonly MessageRate[];
  readonly carrierFees: readonly CarrierFee[];
  /** What one number lookup (the recipient's carrier) costs. */
  readonly lookupPrice: number;
}

/**
 * The card in force at `at`: the one with the latest `effectiveAt` not after `at`, or null when
 * none is yet. Two cards never share an `effectiveAt` (`parseRateCard` refuses it); were they
 * given anyway, the later version name in code-point order wins, so the answer never depends on
 * the order of `cards`.
 */
export function cardInForce(cards: readonly RateCard[], at: Date): RateCard | null {
  const instant = at.getTime();
  if (Number.isNaN(instant))
    throw new RangeError('cardInForce needs a valid instant (got Invalid Date)');
  let best: RateCard | null = null;
  let bestAt = Number.NEGATIVE_INFINITY;
  for (const card of cards) {
    const effective = Date.parse(card.effectiveAt);
    if (effective > instant) continue;
    if (
      best === null ||
      effective > bestAt ||
      (effective === bestAt && card.version > best.version)
    ) {
      best = card;
      bestAt = effective;
    }
  }
  return best;
}

export function rateKey(rate: Omit<MessageRate, 'price'>): string {
  return `${rate.country}/${rate.numberType}/${rate.channel}/${rate.direction}`;
}

export function carrierFeeKey(fee: Omit<CarrierFee, 'fee'>): string {
  return `${fee.country}/${fee.carrier}/${fee.channel}/${fee.registration}`;
}
