import type { LineType, RecipientCarrier } from '@textplane/contracts';
import { APIConnectionError, APIError, Telnyx } from 'telnyx';
import type {
  CarrierNumberLookup,
  NumberLookupCarrier,
} from '../../../number-lookups/number-lookup-carrier.js';
import { isRetryableTelnyxStatus, telnyxErrorOf } from './telnyx-errors.js';
import { isObject } from './telnyx-message-status.js';

export interface TelnyxNumberLookupOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
}

/**
 * Telnyx's number lookup through the SDK (`client.numberLookup.retrieve(phone, {type:
 * 'carrier'})`, `GET /v2/number_lookup/{phone}?type=carrier`), its answer in textplane's terms.
 * The SDK retries nothing here: a failed lookup lets the message go on flagged, and the next
 * text to the number after a while asks again.
 */
export class TelnyxNumberLookup implements NumberLookupCarrier {
  private readonly client: Telnyx;

  constructor(options: TelnyxNumberLookupOptions) {
    this.client = new Telnyx({
      apiKey: options.apiKey,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      maxRetries: 0,
    });
  }

  async lookUpNumber(phoneNumber: string): Promise<CarrierNumberLookup> {
    let body: unknown;
    try {
      body = await this.client.numberLookup.retrieve(phoneNumber, { type: 'carrier' });
    } catch (error) {
      return lookupFailureOf(error);
    }
    return numberLookupOfTelnyx(body);
  }
}

/**
 * Telnyx's `carrier.type` (the line's service type) in textplane's line types. "fixed line or
 * mobile" (a number plan that does not tell) and the rarer types are `unknown`: a tenant
 * skipping landlines does not block a number that may be mobile.
 */
const LINE_TYPE_OF_CARRIER_TYPE: Readonly<Record<string, LineType>> = {
  mobile: 'mobile',
  'fixed line': 'landline',
  voip: 'voip',
  'toll free': 'toll_free',
};

/** `portability.line_type` (LERG's words for North American numbers), when carrier.type is silent. */
const LINE_TYPE_OF_PORTABILITY: Readonly<Record<string, LineType>> = {
  mobile: 'mobile',
  wireless: 'mobile',
  landline: 'landline',
  'fixed line': 'landline',
  voip: 'voip',
  'toll free': 'toll_free',
  toll_free: 'toll_free',
};

/**
 * The carrier's name in the throughput table's terms: AT&T (and Cingular, its wireless
 * operating company's name in number data), T-Mobile (with Metro and Sprint, on its network since
 * the 2020 merger), Verizon (Cellco Partnership, its legal name); everything else `other`.
 */
export function recipientCarrierOf(name: string | undefined): RecipientCarrier {
  if (name === undefined) return 'other';
  const n = name.toLowerCase();
  if (/\bat&t\b|\batt\b|\bat and t\b|cingular/.test(n)) return 'att';
  if (/t-mobile|\bt mobile\b|tmobile|metropcs|metro by t|\bsprint\b/.test(n)) return 'tmobile';
  if (/verizon|cellco/.test(n)) return 'verizon';
  return 'other';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A lookup answer's body (`{data: {carrier, portability, ...}}`) in textplane's terms. */
export function numberLookupOfTelnyx(body: unknown): CarrierNumberLookup {
  const data = isObject(body) ? body['data'] : undefined;
  if (!isObject(data)) {
    return {
      outcome: 'failed',
      reason: 'answer_unreadable',
      detail: 'carrier answered the lookup without data',
    };
  }
  const carrier = isObject(data['carrier']) ? data['carrier'] : {};
  const portability = isObject(data['portability']) ? data['portability'] : {};
  const carrierType = text(carrier['type'])?.toLowerCase();
  const portabilityType = text(portability['line_type'])?.toLowerCase();
  const lineType =
    (carrierType === undefined ? undefined : LINE_TYPE_OF_CARRIER_TYPE[carrierType]) ??
    (portabilityType === undefined ? undefined : LINE_TYPE_OF_PORTABILITY[portabilityType]) ??
    'unknown';
  // The name Telnyx normalised (the primary network) names the network best; the SPID name
  // (a reseller, an MVNO) is shown raw.
  const carrierName = text(carrier['name']) ?? text(portability['spid_carrier_name']);
  const network = text(carrier['normalized_carrier']) ?? carrierName;
  const carrierLineType = text(carrier['type']) ?? text(portability['line_type']);
  return {
    outcome: 'found',
    lineType,
    carrier: recipientCarrierOf(network),
    ...(carrierName === undefined ? {} : { carrierName }),
    ...(carrierLineType === undefined ? {} : { carrierLineType }),
  };
}

function lookupFailureOf(error: unknown): CarrierNumberLookup {
  if (error instanceof APIConnectionError) {
    return { outcome: 'failed', reason: 'carrier_unavailable', detail: error.message };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const telnyxError = telnyxErrorOf(error.error);
    const detail =
      telnyxError?.detail ?? telnyxError?.title ?? `carrier answered HTTP ${error.status}`;
    return {
      outcome: 'failed',
      // 408, 429, 5xx: not now; any other (a number it will not look up, a bad key): refused.
      reason: isRetryableTelnyxStatus(error.status) ? 'carrier_unavailable' : 'carrier_refused',
      detail,
      carrierErrorCode: telnyxError?.code ?? `http_${error.status}`,
    };
  }
  throw error;
}
