import type {
  RegistrationFieldError,
  RegistrationReason,
  RegistrationRequestRejected,
  RegistrationStatus,
  TollFreeNumberVerified,
  TollFreeVerificationDetails,
  TollFreeVerificationRequested,
  TollFreeVerificationStarted,
  TollFreeVerificationStatusChanged,
  TollFreeVerificationSubmitted,
} from '@textplane/contracts';
import type { StatusChange } from './trust-record.js';

/**
 * Toll-free verifications on the gateway's side (issue 12 §1): the request it records and the one
 * writer of `trust_toll_free_verifications`, pure.
 */

export const TRUST_TOLL_FREE_STREAM_TYPE = 'trust-toll-free-verification';

export function trustTollFreeStreamId(verificationId: string): string {
  return `trust-toll-free-verification-${verificationId}`;
}

export type TollFreeEvent =
  | { type: 'gateway.TollFreeVerificationRequested.v1'; data: TollFreeVerificationRequested }
  | { type: 'registration.TollFreeVerificationStarted.v1'; data: TollFreeVerificationStarted }
  | { type: 'registration.TollFreeVerificationSubmitted.v1'; data: TollFreeVerificationSubmitted }
  | {
      type: 'registration.TollFreeVerificationStatusChanged.v1';
      data: TollFreeVerificationStatusChanged;
    }
  | { type: 'registration.TollFreeNumberVerified.v1'; data: TollFreeNumberVerified }
  | { type: 'registration.RegistrationRequestRejected.v1'; data: RegistrationRequestRejected };

const TOLL_FREE_EVENT_TYPES: ReadonlySet<string> = new Set<TollFreeEvent['type']>([
  'gateway.TollFreeVerificationRequested.v1',
  'registration.TollFreeVerificationStarted.v1',
  'registration.TollFreeVerificationSubmitted.v1',
  'registration.TollFreeVerificationStatusChanged.v1',
  'registration.TollFreeNumberVerified.v1',
  'registration.RegistrationRequestRejected.v1',
]);

export function isTollFreeEventType(type: string): type is TollFreeEvent['type'] {
  return TOLL_FREE_EVENT_TYPES.has(type);
}

export interface TollFreeVerificationRow {
  verification_id: string;
  tenant_id: string;
  request_id: string;
  details: TollFreeVerificationDetails;
  phone_numbers: string[];
  /** The numbers that may carry traffic (TollFreeNumberVerified), in the order verified. */
  verified_numbers: string[];
  status: RegistrationStatus;
  carrier_status: string | null;
  carrier_verification_id: string | null;
  reasons: RegistrationReason[];
  errors: RegistrationFieldError[];
  history: StatusChange[];
  created_at: string;
  updated_at: string;
}

/** The verification an event is about (a refusal names it as its resource). */
export function tollFreeVerificationIdOf(event: TollFreeEvent): string | null {
  switch (event.type) {
    case 'gateway.TollFreeVerificationRequested.v1':
    case 'registration.TollFreeVerificationStarted.v1':
    case 'registration.TollFreeVerificationSubmitted.v1':
    case 'registration.TollFreeVerificationStatusChanged.v1':
    case 'registration.TollFreeNumberVerified.v1':
      return event.data.verificationId;
    case 'registration.RegistrationRequestRejected.v1':
      return event.data.resource === 'toll_free_verification' ? event.data.resourceId : null;
  }
}

function changed(
  row: TollFreeVerificationRow,
  at: string,
  status: RegistrationStatus,
  carrierStatus: string | null,
  reasons: RegistrationReason[] = [],
  errors: RegistrationFieldError[] = [],
): TollFreeVerificationRow {
  return {
    ...row,
    status,
    carrier_status: carrierStatus,
    reasons,
    errors,
    history: [...row.history, { at, status, carrierStatus, reasons, errors }],
    updated_at: at,
  };
}

function newVerification(
  e: { verificationId: string; tenantId: string; requestId: string },
  details: TollFreeVerificationDetails,
  at: string,
): TollFreeVerificationRow {
  return {
    verification_id: e.verificationId,
    tenant_id: e.tenantId,
    request_id: e.requestId,
    details,
    phone_numbers: details.phoneNumbers,
    verified_numbers: [],
    status: 'pending',
    carrier_status: null,
    carrier_verification_id: null,
    reasons: [],
    errors: [],
    history: [{ at, status: 'pending', carrierStatus: null, reasons: [], errors: [] }],
    created_at: at,
    updated_at: at,
  };
}

/**
 * `trust_toll_free_verifications`: from the gateway's request, then registration's facts (the
 * carrier's raw status beside textplane's, the reasons with their fixes, each number verified).
 */
export function evolveTollFreeVerification(
  row: TollFreeVerificationRow | null,
  event: TollFreeEvent,
): TollFreeVerificationRow | null {
  switch (event.type) {
    case 'gateway.TollFreeVerificationRequested.v1': {
      const e = event.data;
      return row ?? newVerification(e, e.verification, e.requestedAt);
    }
    case 'registration.TollFreeVerificationStarted.v1': {
      const e = event.data;
      if (row) return { ...row, details: e.verification };
      return newVerification(e, e.verification, e.startedAt);
    }
    case 'registration.TollFreeVerificationSubmitted.v1': {
      if (!row) return null;
      const e = event.data;
      return {
        ...changed(row, e.submittedAt, e.status, e.carrierStatus, row.reasons),
        carrier_verification_id: e.carrierVerificationId,
        phone_numbers: e.phoneNumbers,
      };
    }
    case 'registration.TollFreeVerificationStatusChanged.v1': {
      if (!row) return null;
      const e = event.data;
      return changed(row, e.changedAt, e.status, e.carrierStatus, e.reasons);
    }
    case 'registration.TollFreeNumberVerified.v1': {
      const e = event.data;
      if (!row || row.verified_numbers.includes(e.phoneNumber)) return row;
      return {
        ...row,
        verified_numbers: [...row.verified_numbers, e.phoneNumber],
        updated_at: e.verifiedAt,
      };
    }
    case 'registration.RegistrationRequestRejected.v1': {
      const e = event.data;
      if (!row || e.resource !== 'toll_free_verification' || e.requestId !== row.request_id) {
        return row;
      }
      return changed(row, e.rejectedAt, 'rejected', row.carrier_status, [], e.errors);
    }
  }
}
