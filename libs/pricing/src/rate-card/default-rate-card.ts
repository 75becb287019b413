import { fromDecimal } from '../money/money.js';
import {
  CHANNELS,
  DIRECTIONS,
  NUMBER_TYPES,
  REGISTRATIONS,
  type CarrierFee,
  type Channel,
  type MessageRate,
  type RateCard,
  type Registration,
} from './rate-card.js';

const micros = (decimal: string): number => fromDecimal(decimal, 'USD').micros;

/** Issue 13: the US and Canada at $0.0083 per SMS segment and $0.0200 per MMS, inbound the same. */
const MESSAGE_PRICES: Readonly<Record<Channel, number>> = {
  sms: micros('0.0083'),
  mms: micros('0.0200'),
};

/**
 * US carriers' pass-through fees on registered / unregistered A2P traffic, per SMS segment or
 * per MMS message, as the carriers' resellers publish them (issue 13's figures):
 * - AT&T: SMS $0.002 registered, $0.004 unregistered; MMS $0.0035. Telnyx, "10DLC Fees and
 *   Charges", https://support.telnyx.com/en/articles/5634625-10dlc-fees-and-charges (AT&T: SMS
 *   $0.002 and MMS $0.0035 to send, free to receive). No separate unregistered MMS figure is
 *   published there, so unregistered MMS carries the registered one.
 * - T-Mobile (with the former Sprint network): SMS $0.003, MMS $0.010 registered; unregistered
 *   $0.004 and $0.013 since 2022-03-01. Telnyx, same page ("$0.003 to send and receive", "$0.01");
 *   Bandwidth, "Increasing T-Mobile surcharges for unregistered 10DLC traffic",
 *   https://support.bandwidth.com/hc/en-us/articles/4419522371095.
 * - Verizon Wireless: SMS $0.0025, MMS $0.005 per mobile-terminated message, registered or not.
 *   Telnyx, "10DLC General FAQ's / AT&T Launch FAQ's",
 *   https://support.telnyx.com/en/articles/3679260-10dlc-general-faq-s-at-t-launch-faq-s. (Telnyx's
 *   fees page now shows $0.003 for Verizon SMS: an operator publishes a new card when it moves.)
 * Fees are charged on what the tenant sends; T-Mobile's fee on received texts is in the inbound
 * rate, not passed through. Canadian carriers publish no per-message fee: Canada has none here.
 */
const US_CARRIER_FEES: Readonly<
  Record<string, Readonly<Record<Channel, Readonly<Record<Registration, string>>>>>
> = {
  att: {
    sms: { registered: '0.002', unregistered: '0.004' },
    mms: { registered: '0.0035', unregistered: '0.0035' },
  },
  't-mobile': {
    sms: { registered: '0.003', unregistered: '0.004' },
    mms: { registered: '0.010', unregistered: '0.013' },
  },
  verizon: {
    sms: { registered: '0.0025', unregistered: '0.0025' },
    mms: { registered: '0.005', unregistered: '0.005' },
  },
};

/**
 * What a number lookup costs the tenant. Not a carrier's figure: the operator's price for the
 * lookup the funds gate and the sender choice make, at the order of a CPaaS's carrier lookup.
 */
const LOOKUP_PRICE = '0.0030';

function defaultRates(): MessageRate[] {
  const rates: MessageRate[] = [];
  for (const country of ['US', 'CA'])
    for (const numberType of NUMBER_TYPES)
      for (const channel of CHANNELS)
        for (const direction of DIRECTIONS)
          rates.push({ country, numberType, channel, direction, price: MESSAGE_PRICES[channel] });
  return rates;
}

function defaultCarrierFees(): CarrierFee[] {
  const fees: CarrierFee[] = [];
  for (const [carrier, byChannel] of Object.entries(US_CARRIER_FEES))
    for (const channel of CHANNELS)
      for (const registration of REGISTRATIONS)
        fees.push({
          country: 'US',
          carrier,
          channel,
          registration,
          fee: micros(byChannel[channel][registration]),
        });
  return fees;
}

/** The card billing starts with (seeded, not published through the API, hence its past date). */
export const DEFAULT_RATE_CARD: RateCard = Object.freeze({
  version: 'default',
  effectiveAt: '2026-01-01T00:00:00.000Z',
  currency: 'USD',
  rates: Object.freeze(defaultRates()),
  carrierFees: Object.freeze(defaultCarrierFees()),
  lookupPrice: micros(LOOKUP_PRICE),
});
