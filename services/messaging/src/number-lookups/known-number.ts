import type {
  LineType,
  NumberLookedUp,
  NumberLookupFailed,
  NumberLookupFailureReason,
  RecipientCarrier,
} from '@textplane/contracts';
import type { Carrier } from '@textplane/trust-rules';

/** The stream type of a number's lookups (stream `number-lookup-<phone>`). */
export const NUMBER_LOOKUP_STREAM_TYPE = 'number-lookup';

/** A number's lookup facts, as messaging records them. */
export type NumberLookupEvent =
  | { type: 'messaging.NumberLookedUp.v1'; data: NumberLookedUp }
  | { type: 'messaging.NumberLookupFailed.v1'; data: NumberLookupFailed };

export const NUMBER_LOOKUP_EVENT_TYPES = [
  'messaging.NumberLookedUp.v1',
  'messaging.NumberLookupFailed.v1',
] as const satisfies readonly NumberLookupEvent['type'][];

export function isNumberLookupEventType(type: string): type is NumberLookupEvent['type'] {
  return (NUMBER_LOOKUP_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * The dispatch-queue event a message waiting on its recipient's lookup waits for, keyed by the
 * recipient's number (numberLookupWaitKey). A failed lookup wakes the same waits: a woken message
 * goes through every gate again and is let through flagged.
 */
export const NUMBER_LOOKUP_EVENT = 'messaging.NumberLookedUp.v1';

/** The dispatch-queue key of a wait on a number's lookup: the number (a lookup is per number). */
export function numberLookupWaitKey(phoneNumber: string): string {
  return phoneNumber;
}

/** What messaging knows of one number (number_lookups, projected from its lookup events). */
export interface KnownNumber {
  phoneNumber: string;
  /** The last successful lookup; null when none succeeded yet. */
  lookup: {
    lineType: LineType;
    carrier: RecipientCarrier;
    /** The carrier's name as the lookup gave it (raw). */
    carrierName: string | null;
    lookedUpAt: Date;
  } | null;
  /** The last failed lookup when it came after the last successful one; else null. */
  failure: {
    reason: NumberLookupFailureReason;
    detail: string;
    failedAt: Date;
  } | null;
}

/**
 * The projection of a number's lookup events (pure; applied inline where they are recorded and
 * by the rebuild): a success replaces what was known, a failure is kept beside the last success.
 */
export function evolveKnownNumber(
  known: KnownNumber | null,
  event: NumberLookupEvent,
): KnownNumber {
  switch (event.type) {
    case 'messaging.NumberLookedUp.v1': {
      const d = event.data;
      return {
        phoneNumber: d.phoneNumber,
        lookup: {
          lineType: d.lineType,
          carrier: d.carrier,
          carrierName: d.carrierName ?? null,
          lookedUpAt: new Date(d.lookedUpAt),
        },
        failure: null,
      };
    }
    case 'messaging.NumberLookupFailed.v1': {
      const d = event.data;
      return {
        phoneNumber: d.phoneNumber,
        lookup: known?.lookup ?? null,
        failure: { reason: d.reason, detail: d.detail, failedAt: new Date(d.failedAt) },
      };
    }
  }
}

/**
 * The recipient's carrier as the throughput limits count it (@textplane/trust-rules'
 * `Carrier | 'other'`), or null when unknown (no successful lookup): then it counts against
 * every carrier's limit. Verizon has no limit of its own in the table: `other`.
 */
export function throughputCarrierOf(
  known: KnownNumber | null | undefined,
): Carrier | 'other' | null {
  const carrier = known?.lookup?.carrier;
  switch (carrier) {
    case undefined:
      return null;
    case 'att':
    case 'tmobile':
      return carrier;
    case 'verizon':
    case 'other':
      return 'other';
  }
}
