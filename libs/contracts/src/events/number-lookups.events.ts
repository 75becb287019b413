import { type LineType, LINE_TYPES } from './gateway.events.js';
import { e164, eventSchema, instant, nonEmpty } from './schema-parts.js';

/**
 * Number lookups (issue 12 §4, the tenant's number validation). Messaging looks a recipient up
 * once at the carrier (Telnyx's number lookup, `type=carrier`) when a tenant with number
 * validation on first texts it, and records what it learned as a fact of the number, on the
 * stream `number-lookup-<phoneNumber>` (topic `messaging.number-lookups`): a lookup is about the
 * number, not about a tenant, so every tenant's next text to it reuses it while it is fresh (each
 * tenant's `cacheDays`). A failed lookup is a fact too: the messages that waited for it go on,
 * flagged `number_lookup_failed`. The gateway projects both for `GET /v1/numbers/{phone}/lookup`.
 */

/**
 * The recipient's carrier in textplane's terms: the three US networks whose limits differ (AT&T's
 * per-campaign and T-Mobile's per-brand caps, Verizon's), anything else `other`.
 */
export type RecipientCarrier = 'att' | 'tmobile' | 'verizon' | 'other';
export const RECIPIENT_CARRIERS: readonly RecipientCarrier[] = [
  'att',
  'tmobile',
  'verizon',
  'other',
];

/** Why a lookup failed: the carrier could not answer now, refused the number, or said nothing usable. */
export type NumberLookupFailureReason =
  'carrier_unavailable' | 'carrier_refused' | 'answer_unreadable';
export const NUMBER_LOOKUP_FAILURE_REASONS: readonly NumberLookupFailureReason[] = [
  'carrier_unavailable',
  'carrier_refused',
  'answer_unreadable',
];

/** The carrier answered a number lookup: the number's line type and carrier. */
export interface NumberLookedUp {
  phoneNumber: string;
  lineType: LineType;
  carrier: RecipientCarrier;
  /** The carrier's name as the lookup gave it (raw, e.g. "T-Mobile USA, Inc."), when it gave one. */
  carrierName?: string;
  /** The line type as the lookup gave it (raw, e.g. "fixed line"), when it gave one. */
  carrierLineType?: string;
  lookedUpAt: string;
}
export const NumberLookedUpSchema = eventSchema(
  'messaging.NumberLookedUp.v1',
  {
    phoneNumber: e164,
    lineType: { enum: LINE_TYPES },
    carrier: { enum: RECIPIENT_CARRIERS },
    carrierName: nonEmpty,
    carrierLineType: nonEmpty,
    lookedUpAt: instant,
  },
  ['phoneNumber', 'lineType', 'carrier', 'lookedUpAt'],
);

/** A number lookup did not tell the line type; the messages waiting for it go on, flagged. */
export interface NumberLookupFailed {
  phoneNumber: string;
  reason: NumberLookupFailureReason;
  /** What the carrier (or the connection) said, for people. */
  detail: string;
  /** The carrier's error code (raw), when it gave one. */
  carrierErrorCode?: string;
  failedAt: string;
}
export const NumberLookupFailedSchema = eventSchema(
  'messaging.NumberLookupFailed.v1',
  {
    phoneNumber: e164,
    reason: { enum: NUMBER_LOOKUP_FAILURE_REASONS },
    detail: { type: 'string' },
    carrierErrorCode: nonEmpty,
    failedAt: instant,
  },
  ['phoneNumber', 'reason', 'detail', 'failedAt'],
);

/** The stream a number's lookups are recorded on (its Kafka key). */
export function numberLookupStreamId(phoneNumber: string): string {
  return `number-lookup-${phoneNumber}`;
}
