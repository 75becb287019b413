import type {
  RegistrationFieldError,
  RegistrationReason,
  RegistrationStatus,
  TollFreeVerificationDetails,
  TollFreeVerificationRequested,
} from '@textplane/contracts';
import {
  type CarrierReading,
  isAllowedTransition,
  RegistrationInvariantError,
} from '../registration-status.js';
import type { TollFreeVerificationEvent } from './toll-free-verification.events.js';
import { parseTollFreeVerification } from './toll-free-verification.rules.js';

/** What the request needs to know of the tenant's numbers, looked up by the caller. */
export interface VerificationContext {
  /** Numbers of the request that are not among the tenant's sender numbers. */
  numbersNotOwned: readonly string[];
  /** Numbers of the request in another verification that is pending or approved. */
  numbersVerifyingElsewhere: readonly string[];
}

export type TollFreeVerificationCommand =
  | {
      type: 'StartVerification';
      request: TollFreeVerificationRequested;
      context: VerificationContext;
      now: Date;
    }
  /** The carrier's answer to the create call: the request exists there. */
  | {
      type: 'RecordCarrierSubmission';
      carrierVerificationId: string;
      reading: CarrierReading;
      now: Date;
    }
  /** The carrier refused the create call (a 4xx with its reasons). */
  | {
      type: 'RecordCarrierRefusal';
      carrierStatus: string;
      reasons: RegistrationReason[];
      now: Date;
    }
  /** A status webhook or poll. */
  | { type: 'RecordCarrierStatus'; reading: CarrierReading; now: Date };

interface VerificationFacts {
  verificationId: string;
  tenantId: string;
  requestId: string;
  verification: TollFreeVerificationDetails;
  status: RegistrationStatus;
}

export type TollFreeVerificationState =
  | { phase: 'none' }
  /** Recorded, the carrier call made or about to be made. */
  | ({ phase: 'started' } & VerificationFacts)
  | ({
      phase: 'submitted';
      carrierVerificationId: string;
      carrierStatus: string;
    } & VerificationFacts);

export const initialState: TollFreeVerificationState = { phase: 'none' };

type Known = Exclude<TollFreeVerificationState, { phase: 'none' }>;

/** Decides which facts a command adds to one verification. Empty: nothing to do. */
export function decide(
  command: TollFreeVerificationCommand,
  state: TollFreeVerificationState,
): TollFreeVerificationEvent[] {
  switch (command.type) {
    case 'StartVerification':
      return startVerification(command.request, command.context, state, command.now);
    case 'RecordCarrierSubmission': {
      if (state.phase === 'submitted') {
        if (state.carrierVerificationId === command.carrierVerificationId) return [];
        throw new RegistrationInvariantError(
          `verification ${state.verificationId} is submitted as ${state.carrierVerificationId}, not ${command.carrierVerificationId}`,
        );
      }
      if (state.phase === 'none') {
        throw new RegistrationInvariantError(
          'a carrier submission for a verification never started',
        );
      }
      if (state.status === 'rejected') return [];
      const { reading, now } = command;
      const submitted: TollFreeVerificationEvent = {
        type: 'registration.TollFreeVerificationSubmitted.v1',
        data: {
          verificationId: state.verificationId,
          tenantId: state.tenantId,
          carrierVerificationId: command.carrierVerificationId,
          phoneNumbers: state.verification.phoneNumbers,
          status: 'pending',
          carrierStatus: reading.carrierStatus,
          submittedAt: now.toISOString(),
        },
      };
      if (reading.status === 'pending' && reading.reasons.length === 0) return [submitted];
      return [submitted, ...changeTo({ ...state, status: 'pending' }, reading, now)];
    }
    case 'RecordCarrierRefusal': {
      if (state.phase !== 'started') {
        throw new RegistrationInvariantError(
          `a carrier refusal for a verification in phase ${state.phase}`,
        );
      }
      if (state.status === 'rejected') return [];
      return changeTo(
        state,
        { status: 'rejected', carrierStatus: command.carrierStatus, reasons: command.reasons },
        command.now,
      );
    }
    case 'RecordCarrierStatus': {
      if (state.phase !== 'submitted') {
        throw new RegistrationInvariantError(
          `a carrier status for a verification in phase ${state.phase}`,
        );
      }
      const { reading } = command;
      if (reading.status === state.status && reading.carrierStatus === state.carrierStatus) {
        return [];
      }
      // A stale or out-of-order report (after an expiry) changes nothing.
      if (!isAllowedTransition(state.status, reading.status)) return [];
      return changeTo(state, reading, command.now);
    }
  }
}

/** The status change, and when it becomes approved, each number's verification. */
function changeTo(state: Known, reading: CarrierReading, now: Date): TollFreeVerificationEvent[] {
  const at = now.toISOString();
  const changed: TollFreeVerificationEvent = {
    type: 'registration.TollFreeVerificationStatusChanged.v1',
    data: {
      verificationId: state.verificationId,
      tenantId: state.tenantId,
      phoneNumbers: state.verification.phoneNumbers,
      status: reading.status,
      previousStatus: state.status,
      carrierStatus: reading.carrierStatus,
      reasons: reading.reasons,
      changedAt: at,
    },
  };
  if (reading.status !== 'approved' || state.status === 'approved') return [changed];
  return [
    changed,
    ...state.verification.phoneNumbers.map((phoneNumber): TollFreeVerificationEvent => ({
      type: 'registration.TollFreeNumberVerified.v1',
      data: {
        tenantId: state.tenantId,
        phoneNumber,
        verificationId: state.verificationId,
        carrierStatus: reading.carrierStatus,
        verifiedAt: at,
      },
    })),
  ];
}

function startVerification(
  request: TollFreeVerificationRequested,
  context: VerificationContext,
  state: TollFreeVerificationState,
  now: Date,
): TollFreeVerificationEvent[] {
  if (state.phase !== 'none') {
    if (state.requestId === request.requestId) return [];
    return [
      rejected(
        request,
        [{ field: 'verificationId', message: 'a verification with this id exists' }],
        now,
      ),
    ];
  }
  const parsed = parseTollFreeVerification(request.verification);
  if (!parsed.ok) return [rejected(request, parsed.errors, now)];
  const errors: RegistrationFieldError[] = [];
  parsed.verification.phoneNumbers.forEach((phoneNumber, i) => {
    if (context.numbersNotOwned.includes(phoneNumber)) {
      errors.push({
        field: `phoneNumbers[${i}]`,
        message: `${phoneNumber} is not one of the tenant's sender numbers`,
      });
    } else if (context.numbersVerifyingElsewhere.includes(phoneNumber)) {
      errors.push({
        field: `phoneNumbers[${i}]`,
        message: `${phoneNumber} is in another verification that is pending or approved`,
      });
    }
  });
  if (errors.length > 0) return [rejected(request, errors, now)];
  return [
    {
      type: 'registration.TollFreeVerificationStarted.v1',
      data: {
        verificationId: request.verificationId,
        tenantId: request.tenantId,
        requestId: request.requestId,
        verification: parsed.verification,
        startedAt: now.toISOString(),
      },
    },
  ];
}

function rejected(
  request: TollFreeVerificationRequested,
  errors: RegistrationFieldError[],
  now: Date,
): TollFreeVerificationEvent {
  return {
    type: 'registration.RegistrationRequestRejected.v1',
    data: {
      requestId: request.requestId,
      tenantId: request.tenantId,
      resource: 'toll_free_verification',
      resourceId: request.verificationId,
      errors,
      rejectedAt: now.toISOString(),
    },
  };
}

export function evolve(
  state: TollFreeVerificationState,
  event: TollFreeVerificationEvent,
): TollFreeVerificationState {
  switch (event.type) {
    case 'registration.TollFreeVerificationStarted.v1': {
      const e = event.data;
      return {
        phase: 'started',
        verificationId: e.verificationId,
        tenantId: e.tenantId,
        requestId: e.requestId,
        verification: e.verification,
        status: 'pending',
      };
    }
    case 'registration.TollFreeVerificationSubmitted.v1':
      if (state.phase === 'none') return state;
      return {
        ...state,
        phase: 'submitted',
        carrierVerificationId: event.data.carrierVerificationId,
        status: event.data.status,
        carrierStatus: event.data.carrierStatus,
      };
    case 'registration.TollFreeVerificationStatusChanged.v1':
      switch (state.phase) {
        case 'none':
          return state;
        case 'started':
          return { ...state, status: event.data.status };
        case 'submitted':
          return { ...state, status: event.data.status, carrierStatus: event.data.carrierStatus };
      }
      return state;
    case 'registration.TollFreeNumberVerified.v1':
      // Follows its status change, which carried the state.
      return state;
    case 'registration.RegistrationRequestRejected.v1':
      // A refused request leaves the verification as it was.
      return state;
  }
}
