import {
  eventTypeGuard,
  type LineType,
  type NumberLookupFailureReason,
  type RecipientCarrier,
  type WireEventOf,
} from '@textplane/contracts';

/** Messaging's number-lookup facts (topic messaging.number-lookups), which the read model shows. */
export const NUMBER_LOOKUP_EVENT_TYPES = [
  'messaging.NumberLookedUp.v1',
  'messaging.NumberLookupFailed.v1',
] as const;
export type NumberLookupEvent = WireEventOf<(typeof NUMBER_LOOKUP_EVENT_TYPES)[number]>;
export const isNumberLookupEventType = eventTypeGuard(NUMBER_LOOKUP_EVENT_TYPES);

/** A row of `number_lookups`: what is known of one number (instants as ISO strings). */
export interface NumberLookupRow {
  phone_number: string;
  line_type: LineType | null;
  carrier: RecipientCarrier | null;
  carrier_name: string | null;
  carrier_line_type: string | null;
  looked_up_at: string | null;
  failure_reason: NumberLookupFailureReason | null;
  failure_detail: string | null;
  failed_at: string | null;
}

/**
 * The read model's one writer, pure: a lookup replaces what was known of the number (a failure
 * before it included), a failed lookup is kept beside the last successful one. A number's facts
 * come in order (one stream, one partition).
 */
export function evolveNumberLookup(
  row: NumberLookupRow | null,
  event: NumberLookupEvent,
): NumberLookupRow {
  switch (event.type) {
    case 'messaging.NumberLookedUp.v1': {
      const d = event.data;
      return {
        phone_number: d.phoneNumber,
        line_type: d.lineType,
        carrier: d.carrier,
        carrier_name: d.carrierName ?? null,
        carrier_line_type: d.carrierLineType ?? null,
        looked_up_at: d.lookedUpAt,
        failure_reason: null,
        failure_detail: null,
        failed_at: null,
      };
    }
    case 'messaging.NumberLookupFailed.v1': {
      const d = event.data;
      return {
        phone_number: d.phoneNumber,
        line_type: row?.line_type ?? null,
        carrier: row?.carrier ?? null,
        carrier_name: row?.carrier_name ?? null,
        carrier_line_type: row?.carrier_line_type ?? null,
        looked_up_at: row?.looked_up_at ?? null,
        failure_reason: d.reason,
        failure_detail: d.detail,
        failed_at: d.failedAt,
      };
    }
  }
}

/** `GET /v1/numbers/{phone}/lookup`: what is known of the number. */
export interface NumberLookupResource {
  phoneNumber: string;
  /** From the last successful lookup; null when none succeeded. */
  lineType: LineType | null;
  /** textplane's carrier (att, tmobile, verizon, other); null when none succeeded. */
  carrier: RecipientCarrier | null;
  /** The carrier's raw values, as the lookup gave them. */
  carrierName: string | null;
  carrierLineType: string | null;
  lookedUpAt: string | null;
  /** The last lookup, when it failed after the last successful one. */
  lastFailure: { reason: NumberLookupFailureReason; detail: string; failedAt: string } | null;
}

export function numberLookupResourceOf(row: NumberLookupRow): NumberLookupResource {
  return {
    phoneNumber: row.phone_number,
    lineType: row.line_type,
    carrier: row.carrier,
    carrierName: row.carrier_name,
    carrierLineType: row.carrier_line_type,
    lookedUpAt: row.looked_up_at,
    lastFailure:
      row.failure_reason !== null && row.failed_at !== null
        ? { reason: row.failure_reason, detail: row.failure_detail ?? '', failedAt: row.failed_at }
        : null,
  };
}
