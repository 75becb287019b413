import type {
  BrandDetails,
  BrandRegistrationRequested,
  RegistrationFieldError,
  RegistrationReason,
  RegistrationStatus,
} from '@textplane/contracts';
import { parseBrand } from '@textplane/trust-rules';
import {
  type CarrierReading,
  isAllowedTransition,
  RegistrationInvariantError,
} from '../registration-status.js';
import type { BrandEvent } from './brand.events.js';

export type BrandCommand =
  | { type: 'StartRegistration'; request: BrandRegistrationRequested; now: Date }
  /** The carrier's answer to the create call: the brand exists there. */
  | {
      type: 'RecordCarrierRegistration';
      carrierBrandId: string;
      tcrBrandId?: string;
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
  | { type: 'RecordCarrierStatus'; reading: CarrierReading; now: Date }
  | { type: 'RecordVetting'; vettingScore: number; vettingProvider?: string; now: Date };

export type BrandState =
  | { phase: 'none' }
  | {
      /** Recorded, the carrier call made or about to be made: its answer is awaited. */
      phase: 'started';
      brandId: string;
      tenantId: string;
      requestId: string;
      brand: BrandDetails;
      status: RegistrationStatus;
    }
  | {
      phase: 'registered';
      brandId: string;
      tenantId: string;
      requestId: string;
      brand: BrandDetails;
      carrierBrandId: string;
      status: RegistrationStatus;
      carrierStatus: string;
      vettingScore: number | null;
    };

export const initialState: BrandState = { phase: 'none' };

/** Decides which facts a command adds to one brand. An empty list means "nothing to do". */
export function decide(command: BrandCommand, state: BrandState): BrandEvent[] {
  switch (command.type) {
    case 'StartRegistration':
      return startRegistration(command.request, state, command.now);
    case 'RecordCarrierRegistration': {
      if (state.phase === 'registered') {
        if (state.carrierBrandId === command.carrierBrandId) return [];
        throw new RegistrationInvariantError(
          `brand ${state.brandId} is registered as ${state.carrierBrandId}, not ${command.carrierBrandId}`,
        );
      }
      if (state.phase === 'none') {
        throw new RegistrationInvariantError('a carrier registration for a brand never started');
      }
      return [
        {
          type: 'registration.BrandRegistered.v1',
          data: {
            brandId: state.brandId,
            tenantId: state.tenantId,
            carrierBrandId: command.carrierBrandId,
            ...(command.tcrBrandId ? { tcrBrandId: command.tcrBrandId } : {}),
            status: command.reading.status,
            carrierStatus: command.reading.carrierStatus,
            registeredAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordCarrierRefusal': {
      if (state.phase !== 'started') {
        throw new RegistrationInvariantError(
          `a carrier refusal for a brand in phase ${state.phase}`,
        );
      }
      if (state.status === 'rejected') return [];
      return [
        statusChanged(state, {
          status: 'rejected',
          carrierStatus: command.carrierStatus,
          reasons: command.reasons,
          at: command.now,
        }),
      ];
    }
    case 'RecordCarrierStatus': {
      if (state.phase !== 'registered') {
        throw new RegistrationInvariantError(
          `a carrier status for a brand in phase ${state.phase}`,
        );
      }
      const { reading } = command;
      if (reading.status === state.status && reading.carrierStatus === state.carrierStatus) {
        return [];
      }
      // A stale or out-of-order report (after an expiry) changes nothing.
      if (!isAllowedTransition(state.status, reading.status)) return [];
      return [
        statusChanged(state, {
          status: reading.status,
          carrierStatus: reading.carrierStatus,
          reasons: reading.reasons,
          at: command.now,
        }),
      ];
    }
    case 'RecordVetting': {
      if (state.phase !== 'registered') {
        throw new RegistrationInvariantError(`a vetting for a brand in phase ${state.phase}`);
      }
      const score = command.vettingScore;
      if (!Number.isInteger(score) || score < 0 || score > 100) {
        throw new RegistrationInvariantError(`a vetting score must be 0..100, got ${score}`);
      }
      if (state.vettingScore === score) return [];
      return [
        {
          type: 'registration.BrandVetted.v1',
          data: {
            brandId: state.brandId,
            tenantId: state.tenantId,
            vettingScore: score,
            ...(command.vettingProvider ? { vettingProvider: command.vettingProvider } : {}),
            vettedAt: command.now.toISOString(),
          },
        },
      ];
    }
  }
}

function startRegistration(
  request: BrandRegistrationRequested,
  state: BrandState,
  now: Date,
): BrandEvent[] {
  if (state.phase !== 'none') {
    if (state.requestId === request.requestId) return [];
    return [rejected(request, [{ field: 'brandId', message: 'a brand with this id exists' }], now)];
  }
  const parsed = parseBrand(request.brand);
  if (!parsed.ok) return [rejected(request, parsed.errors, now)];
  return [
    {
      type: 'registration.BrandRegistrationStarted.v1',
      data: {
        brandId: request.brandId,
        tenantId: request.tenantId,
        requestId: request.requestId,
        // As normalised by the field rules (EIN with its hyphen, keywords upper case).
        brand: withoutUndefined(parsed.brand),
        startedAt: now.toISOString(),
      },
    },
  ];
}

function rejected(
  request: BrandRegistrationRequested,
  errors: RegistrationFieldError[],
  now: Date,
): BrandEvent {
  return {
    type: 'registration.RegistrationRequestRejected.v1',
    data: {
      requestId: request.requestId,
      tenantId: request.tenantId,
      resource: 'brand',
      resourceId: request.brandId,
      errors,
      rejectedAt: now.toISOString(),
    },
  };
}

function statusChanged(
  state: Extract<BrandState, { phase: 'started' | 'registered' }>,
  change: {
    status: RegistrationStatus;
    carrierStatus: string;
    reasons: RegistrationReason[];
    at: Date;
  },
): BrandEvent {
  return {
    type: 'registration.BrandStatusChanged.v1',
    data: {
      brandId: state.brandId,
      tenantId: state.tenantId,
      status: change.status,
      previousStatus: state.status,
      carrierStatus: change.carrierStatus,
      reasons: change.reasons,
      changedAt: change.at.toISOString(),
    },
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function evolve(state: BrandState, event: BrandEvent): BrandState {
  switch (event.type) {
    case 'registration.BrandRegistrationStarted.v1': {
      const e = event.data;
      return {
        phase: 'started',
        brandId: e.brandId,
        tenantId: e.tenantId,
        requestId: e.requestId,
        brand: e.brand,
        status: 'pending',
      };
    }
    case 'registration.BrandRegistered.v1': {
      if (state.phase === 'none') return state;
      const e = event.data;
      return {
        phase: 'registered',
        brandId: state.brandId,
        tenantId: state.tenantId,
        requestId: state.requestId,
        brand: state.brand,
        carrierBrandId: e.carrierBrandId,
        status: e.status,
        carrierStatus: e.carrierStatus,
        vettingScore: null,
      };
    }
    case 'registration.BrandVetted.v1':
      return state.phase === 'registered'
        ? { ...state, vettingScore: event.data.vettingScore }
        : state;
    case 'registration.BrandStatusChanged.v1': {
      switch (state.phase) {
        case 'none':
          return state;
        case 'started':
          return { ...state, status: event.data.status };
        case 'registered':
          return { ...state, status: event.data.status, carrierStatus: event.data.carrierStatus };
      }
      return state;
    }
    case 'registration.RegistrationRequestRejected.v1':
      // A refused request leaves the brand as it was.
      return state;
  }
}
