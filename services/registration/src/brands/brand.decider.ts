import type {
  BrandDetails,
  BrandOtpRequested,
  BrandOtpVerificationRequested,
  BrandRegistrationRequested,
  BrandVettingRequested,
  RegistrationFieldError,
  RegistrationReason,
  RegistrationStatus,
} from '@textplane/contracts';
import { parseBrand } from '@textplane/trust-rules';
import {
  type CarrierReading,
  isAllowedTransition,
  OTP_REQUIRED_REASON,
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
  | { type: 'RecordVetting'; vettingScore: number; vettingProvider?: string; now: Date }
  /** Sole proprietors: send an OTP to the brand's mobile phone. */
  | { type: 'StartOtp'; request: BrandOtpRequested; now: Date }
  | { type: 'RecordOtpSent'; requestId: string; referenceId: string; now: Date }
  | { type: 'StartOtpVerification'; request: BrandOtpVerificationRequested; now: Date }
  | { type: 'RecordOtpVerified'; requestId: string; now: Date }
  | {
      type: 'RecordOtpFailure';
      requestId: string;
      step: 'send' | 'verification';
      reasons: RegistrationReason[];
      now: Date;
    }
  /** An external vetting order. */
  | { type: 'StartVetting'; request: BrandVettingRequested; now: Date }
  | { type: 'RecordVettingOrdered'; requestId: string; vettingId?: string; now: Date }
  | { type: 'RecordVettingFailure'; requestId: string; reasons: RegistrationReason[]; now: Date };

/** A sole proprietor's OTP: each step names the request that started it. */
export type OtpState =
  | { phase: 'none' }
  | { phase: 'sending'; requestId: string }
  | { phase: 'sent'; requestId: string; referenceId: string }
  /** A PIN is being checked; `referenceId` is the OTP it answers. */
  | { phase: 'verifying'; requestId: string; referenceId: string }
  | { phase: 'verified'; requestId: string };

export type VettingOrderState =
  | { phase: 'none' }
  | { phase: 'ordering'; requestId: string }
  | { phase: 'ordered'; requestId: string };

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
      /** The provider and class of the vetting order under way, for its answer. */
      vettingStarted: { evpId: string; vettingClass: string } | null;
      otp: OtpState;
      vettingOrder: VettingOrderState;
      /** Requests already decided (OTP, PIN, vetting): a redelivered one changes nothing. */
      handledRequestIds: readonly string[];
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
            // No OTP can be verified before the brand exists at the carrier.
            status:
              state.brand.entityType === 'SOLE_PROPRIETOR' && command.reading.status === 'approved'
                ? 'pending'
                : command.reading.status,
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
      const reading = heldForOtp(state, command.reading);
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
    case 'StartOtp':
      return startOtp(command.request, state, command.now);
    case 'StartOtpVerification':
      return startOtpVerification(command.request, state, command.now);
    case 'StartVetting':
      return startVetting(command.request, state, command.now);
    case 'RecordOtpSent': {
      const reg = registered(state, 'an OTP sent');
      const { otp } = reg;
      if (otp.phase !== 'sending' || otp.requestId !== command.requestId) return [];
      return [
        {
          type: 'registration.BrandOtpSent.v1',
          data: {
            ...ids(reg),
            requestId: command.requestId,
            referenceId: command.referenceId,
            sentAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordOtpVerified': {
      const reg = registered(state, 'an OTP verified');
      const { otp } = reg;
      if (otp.phase !== 'verifying' || otp.requestId !== command.requestId) return [];
      return [
        {
          type: 'registration.BrandOtpVerified.v1',
          data: {
            ...ids(reg),
            requestId: command.requestId,
            verifiedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordOtpFailure': {
      const reg = registered(state, 'an OTP failure');
      const { otp } = reg;
      const inFlight = command.step === 'send' ? 'sending' : 'verifying';
      if (otp.phase !== inFlight || otp.requestId !== command.requestId) return [];
      if (command.reasons.length === 0) {
        throw new RegistrationInvariantError('an OTP failure needs its reasons');
      }
      return [
        {
          type: 'registration.BrandOtpFailed.v1',
          data: {
            ...ids(reg),
            requestId: command.requestId,
            step: command.step,
            reasons: command.reasons,
            failedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordVettingOrdered': {
      const reg = registered(state, 'a vetting order');
      const { vettingOrder } = reg;
      if (vettingOrder.phase !== 'ordering' || vettingOrder.requestId !== command.requestId) {
        return [];
      }
      const started = reg.vettingStarted;
      return [
        {
          type: 'registration.BrandVettingOrdered.v1',
          data: {
            ...ids(reg),
            requestId: command.requestId,
            evpId: started?.evpId ?? DEFAULT_EVP,
            vettingClass: started?.vettingClass ?? DEFAULT_VETTING_CLASS,
            ...(command.vettingId ? { vettingId: command.vettingId } : {}),
            orderedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordVettingFailure': {
      const reg = registered(state, 'a vetting failure');
      const { vettingOrder } = reg;
      if (vettingOrder.phase !== 'ordering' || vettingOrder.requestId !== command.requestId) {
        return [];
      }
      if (command.reasons.length === 0) {
        throw new RegistrationInvariantError('a vetting failure needs its reasons');
      }
      return [
        {
          type: 'registration.BrandVettingFailed.v1',
          data: {
            ...ids(reg),
            requestId: command.requestId,
            reasons: command.reasons,
            failedAt: command.now.toISOString(),
          },
        },
      ];
    }
  }
}

type Registered = Extract<BrandState, { phase: 'registered' }>;

export const DEFAULT_EVP = 'AEGIS';
export const DEFAULT_VETTING_CLASS = 'STANDARD';
/** Telnyx's external vetting providers: Aegis, WMC Global, Campaign Verify (political). */
export const VETTING_PROVIDERS = ['AEGIS', 'WMC', 'CV'] as const;
const VETTING_CLASS = /^[A-Z][A-Z_]{1,31}$/u;
const OTP_PIN = /^\d{4,10}$/u;
export const OTP_PIN_PLACEHOLDER = '@OTP_PIN@';
const OTP_TEXT_MAX_LENGTH = 320;

function registered(state: BrandState, what: string): Registered {
  if (state.phase !== 'registered') {
    throw new RegistrationInvariantError(`${what} for a brand in phase ${state.phase}`);
  }
  return state;
}

function ids(state: Registered): { brandId: string; tenantId: string } {
  return { brandId: state.brandId, tenantId: state.tenantId };
}

function isSoleProprietor(state: Registered): boolean {
  return state.brand.entityType === 'SOLE_PROPRIETOR';
}

/**
 * A sole proprietor's brand is not approved before its OTP is verified, whatever the carrier's
 * reading says (Telnyx keeps it waiting for the OTP): the reading is held at pending with why.
 */
function heldForOtp(state: Registered, reading: CarrierReading): CarrierReading {
  if (!isSoleProprietor(state) || state.otp.phase === 'verified' || reading.status !== 'approved') {
    return reading;
  }
  return {
    status: 'pending',
    carrierStatus: reading.carrierStatus,
    reasons: [OTP_REQUIRED_REASON],
  };
}

/**
 * The brand a follow-up request (OTP, PIN, vetting) is about, or why it cannot be taken. The
 * brand must be the tenant's and registered at the carrier, and not refused for good.
 */
function brandFor(
  state: BrandState,
  tenantId: string,
): { ok: true; brand: Registered } | { ok: false; error: RegistrationFieldError } {
  if (state.phase === 'none' || state.tenantId !== tenantId) {
    return { ok: false, error: { field: 'brandId', message: 'no such brand' } };
  }
  if (state.phase === 'started') {
    return {
      ok: false,
      error: {
        field: 'brandId',
        message:
          state.status === 'rejected'
            ? 'the brand was rejected at registration'
            : 'the brand is not registered with the carrier yet; try again once it is',
      },
    };
  }
  if (state.status === 'rejected' || state.status === 'expired') {
    return { ok: false, error: { field: 'brandId', message: `the brand is ${state.status}` } };
  }
  return { ok: true, brand: state };
}

function followUpRejected(
  request: { requestId: string; tenantId: string; brandId: string },
  resource: 'brand_otp' | 'brand_vetting',
  errors: RegistrationFieldError[],
  now: Date,
): BrandEvent {
  return {
    type: 'registration.RegistrationRequestRejected.v1',
    data: {
      requestId: request.requestId,
      tenantId: request.tenantId,
      resource,
      resourceId: request.brandId,
      errors,
      rejectedAt: now.toISOString(),
    },
  };
}

function otpText(
  field: 'pinSms' | 'successSms',
  value: string | undefined,
  fallback: string,
  errors: RegistrationFieldError[],
): string {
  if (value === undefined) return fallback;
  const text = value.trim();
  if (text === '') errors.push({ field, message: 'must not be empty' });
  else if (text.length > OTP_TEXT_MAX_LENGTH) {
    errors.push({ field, message: `must be at most ${OTP_TEXT_MAX_LENGTH} characters` });
  } else if (field === 'pinSms' && !text.includes(OTP_PIN_PLACEHOLDER)) {
    errors.push({ field, message: `must contain ${OTP_PIN_PLACEHOLDER}, where the PIN goes` });
  }
  return text;
}

function startOtp(request: BrandOtpRequested, state: BrandState, now: Date): BrandEvent[] {
  if (state.phase === 'registered' && state.handledRequestIds.includes(request.requestId)) {
    return [];
  }
  const found = brandFor(state, request.tenantId);
  if (!found.ok) return [followUpRejected(request, 'brand_otp', [found.error], now)];
  const brand = found.brand;
  const errors: RegistrationFieldError[] = [];
  if (!isSoleProprietor(brand)) {
    errors.push({ field: 'brandId', message: 'only a sole proprietor brand verifies by OTP' });
  } else if (brand.otp.phase === 'verified') {
    errors.push({ field: 'brandId', message: "the brand's OTP is verified already" });
  } else if (brand.otp.phase === 'verifying') {
    errors.push({ field: 'brandId', message: 'a PIN is being checked; wait for its outcome' });
  }
  const name = brand.brand.displayName;
  const pinSms = otpText(
    'pinSms',
    request.pinSms,
    `${name}: your verification code is ${OTP_PIN_PLACEHOLDER}`,
    errors,
  );
  const successSms = otpText(
    'successSms',
    request.successSms,
    `${name}: your brand is verified for business text messaging.`,
    errors,
  );
  if (errors.length > 0) return [followUpRejected(request, 'brand_otp', errors, now)];
  return [
    {
      type: 'registration.BrandOtpSendStarted.v1',
      data: {
        ...ids(brand),
        requestId: request.requestId,
        pinSms,
        successSms,
        startedAt: now.toISOString(),
      },
    },
  ];
}

function startOtpVerification(
  request: BrandOtpVerificationRequested,
  state: BrandState,
  now: Date,
): BrandEvent[] {
  if (state.phase === 'registered' && state.handledRequestIds.includes(request.requestId)) {
    return [];
  }
  const found = brandFor(state, request.tenantId);
  if (!found.ok) return [followUpRejected(request, 'brand_otp', [found.error], now)];
  const brand = found.brand;
  const errors: RegistrationFieldError[] = [];
  if (!isSoleProprietor(brand)) {
    errors.push({ field: 'brandId', message: 'only a sole proprietor brand verifies by OTP' });
  } else {
    switch (brand.otp.phase) {
      case 'none':
      case 'sending':
        errors.push({
          field: 'otpPin',
          message: 'no OTP has been sent for this brand; request one first',
        });
        break;
      case 'verifying':
        errors.push({ field: 'otpPin', message: 'a PIN is being checked; wait for its outcome' });
        break;
      case 'verified':
        errors.push({ field: 'brandId', message: "the brand's OTP is verified already" });
        break;
      case 'sent':
        break;
    }
  }
  const pin = request.otpPin.trim();
  if (!OTP_PIN.test(pin)) errors.push({ field: 'otpPin', message: 'must be 4 to 10 digits' });
  if (errors.length > 0) return [followUpRejected(request, 'brand_otp', errors, now)];
  return [
    {
      type: 'registration.BrandOtpVerificationStarted.v1',
      data: {
        ...ids(brand),
        requestId: request.requestId,
        otpPin: pin,
        startedAt: now.toISOString(),
      },
    },
  ];
}

function startVetting(request: BrandVettingRequested, state: BrandState, now: Date): BrandEvent[] {
  if (state.phase === 'registered' && state.handledRequestIds.includes(request.requestId)) {
    return [];
  }
  const found = brandFor(state, request.tenantId);
  if (!found.ok) return [followUpRejected(request, 'brand_vetting', [found.error], now)];
  const brand = found.brand;
  const errors: RegistrationFieldError[] = [];
  if (isSoleProprietor(brand)) {
    errors.push({ field: 'brandId', message: 'a sole proprietor brand is not vetted' });
  } else if (brand.status !== 'approved') {
    errors.push({
      field: 'brandId',
      message: `the brand must be approved before it is vetted (it is ${brand.status})`,
    });
  } else if (brand.vettingOrder.phase === 'ordering') {
    errors.push({ field: 'brandId', message: 'a vetting order is under way' });
  }
  const evpId = request.evpId?.trim() ?? DEFAULT_EVP;
  if (!(VETTING_PROVIDERS as readonly string[]).includes(evpId)) {
    errors.push({ field: 'evpId', message: `must be one of ${VETTING_PROVIDERS.join(' | ')}` });
  }
  const vettingClass = request.vettingClass?.trim() ?? DEFAULT_VETTING_CLASS;
  if (!VETTING_CLASS.test(vettingClass)) {
    errors.push({ field: 'vettingClass', message: 'must be a vetting class such as STANDARD' });
  }
  if (errors.length > 0) return [followUpRejected(request, 'brand_vetting', errors, now)];
  return [
    {
      type: 'registration.BrandVettingStarted.v1',
      data: {
        ...ids(brand),
        requestId: request.requestId,
        evpId,
        vettingClass,
        startedAt: now.toISOString(),
      },
    },
  ];
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
        otp: { phase: 'none' },
        vettingOrder: { phase: 'none' },
        vettingStarted: null,
        handledRequestIds: [],
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
    case 'registration.BrandOtpSendStarted.v1':
      return onRegistered(state, event.data.requestId, {
        otp: { phase: 'sending', requestId: event.data.requestId },
      });
    case 'registration.BrandOtpSent.v1':
      return onRegistered(state, event.data.requestId, {
        otp: {
          phase: 'sent',
          requestId: event.data.requestId,
          referenceId: event.data.referenceId,
        },
      });
    case 'registration.BrandOtpVerificationStarted.v1': {
      if (state.phase !== 'registered') return state;
      const referenceId = state.otp.phase === 'sent' ? state.otp.referenceId : '';
      return onRegistered(state, event.data.requestId, {
        otp: { phase: 'verifying', requestId: event.data.requestId, referenceId },
      });
    }
    case 'registration.BrandOtpVerified.v1':
      return onRegistered(state, event.data.requestId, {
        otp: { phase: 'verified', requestId: event.data.requestId },
      });
    case 'registration.BrandOtpFailed.v1': {
      if (state.phase !== 'registered') return state;
      const { otp } = state;
      // A refused PIN leaves the OTP it answered standing; a refused send leaves none.
      return onRegistered(state, event.data.requestId, {
        otp:
          event.data.step === 'verification' && otp.phase === 'verifying' && otp.referenceId
            ? { phase: 'sent', requestId: otp.requestId, referenceId: otp.referenceId }
            : { phase: 'none' },
      });
    }
    case 'registration.BrandVettingStarted.v1':
      return onRegistered(state, event.data.requestId, {
        vettingOrder: { phase: 'ordering', requestId: event.data.requestId },
        vettingStarted: { evpId: event.data.evpId, vettingClass: event.data.vettingClass },
      });
    case 'registration.BrandVettingOrdered.v1':
      return onRegistered(state, event.data.requestId, {
        vettingOrder: { phase: 'ordered', requestId: event.data.requestId },
      });
    case 'registration.BrandVettingFailed.v1':
      return onRegistered(state, event.data.requestId, {
        vettingOrder: { phase: 'none' },
        vettingStarted: null,
      });
    case 'registration.RegistrationRequestRejected.v1':
      // A refused request leaves the brand as it was, but is not decided twice.
      return state.phase === 'registered' ? onRegistered(state, event.data.requestId, {}) : state;
  }
}

function onRegistered(
  state: BrandState,
  requestId: string,
  change: Partial<Registered>,
): BrandState {
  if (state.phase !== 'registered') return state;
  const handled = state.handledRequestIds.includes(requestId)
    ? state.handledRequestIds
    : [...state.handledRequestIds, requestId];
  return { ...state, ...change, handledRequestIds: handled };
}
