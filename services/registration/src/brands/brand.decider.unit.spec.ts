import type {
  BrandOtpRequested,
  BrandOtpVerificationRequested,
  BrandVettingRequested,
  RegistrationReason,
  RegistrationStatus,
} from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import {
  at,
  brandBody,
  brandId,
  brandRequest,
  now,
  otherTenantId,
  requestId,
  tenantId,
} from '../../test/fixtures.js';
import { OTP_REQUIRED_REASON, RegistrationInvariantError } from '../registration-status.js';
import {
  type BrandCommand,
  type BrandState,
  decide,
  evolve,
  initialState,
} from './brand.decider.js';
import type { BrandEvent } from './brand.events.js';

const given = deciderSpecification<BrandCommand, BrandEvent, BrandState>({
  decide,
  evolve,
  initialState,
});

const request = brandRequest();
const carrierBrandId = '4b20017f-8da9-a992-a6c0-683072fb7729';

const started: BrandEvent = {
  type: 'registration.BrandRegistrationStarted.v1',
  data: { brandId, tenantId, requestId: request.requestId, brand: brandBody, startedAt: at },
};
const registered: BrandEvent = {
  type: 'registration.BrandRegistered.v1',
  data: {
    brandId,
    tenantId,
    carrierBrandId,
    tcrBrandId: 'BBRAND1',
    status: 'pending',
    carrierStatus: 'REGISTRATION_PENDING',
    registeredAt: at,
  },
};
const einMismatch: RegistrationReason = {
  code: 'ein_mismatch',
  carrierReason: 'EIN does not match the company name on IRS records',
  suggestedFix: 'Give the EIN and legal company name exactly as on the IRS letter (CP 575).',
  field: 'ein',
};

function changed(
  previousStatus: RegistrationStatus,
  status: RegistrationStatus,
  carrierStatus: string,
  reasons: RegistrationReason[] = [],
): BrandEvent {
  return {
    type: 'registration.BrandStatusChanged.v1',
    data: { brandId, tenantId, status, previousStatus, carrierStatus, reasons, changedAt: at },
  };
}

const status = (reading: {
  status: RegistrationStatus;
  carrierStatus: string;
  reasons?: RegistrationReason[];
}): BrandCommand => ({
  type: 'RecordCarrierStatus',
  reading: { reasons: [], ...reading },
  now,
});

const invariant = (error: unknown) => error instanceof RegistrationInvariantError;

describe('brand decider: registration', () => {
  it('starts a valid registration, with the body as the field rules normalise it', () => {
    given([])
      .when({
        type: 'StartRegistration',
        request: { ...request, brand: { ...brandBody, ein: '123456789' } },
        now,
      })
      .then([started]);
  });

  it('refuses a body the field rules refuse, naming every field, and records nothing else', () => {
    const bad = brandRequest({ brand: { ...brandBody, ein: '12-345', email: 'nope' } });
    const events = decide({ type: 'StartRegistration', request: bad, now }, initialState);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type).toBe('registration.RegistrationRequestRejected.v1');
    if (event?.type !== 'registration.RegistrationRequestRejected.v1') return;
    expect(event.data.resource).toBe('brand');
    expect(event.data.resourceId).toBe(brandId);
    expect(event.data.errors.map((e) => e.field).sort()).toEqual(['ein', 'email']);
    expect(evolve(initialState, event)).toEqual(initialState);
  });

  it('takes a redelivered request once', () => {
    given([started]).when({ type: 'StartRegistration', request, now }).thenNothingHappens();
    given([started, registered])
      .when({ type: 'StartRegistration', request, now })
      .thenNothingHappens();
  });

  it('refuses a second registration of the same brand id', () => {
    const second = brandRequest();
    given([started])
      .when({ type: 'StartRegistration', request: second, now })
      .then([
        {
          type: 'registration.RegistrationRequestRejected.v1',
          data: {
            requestId: second.requestId,
            tenantId,
            resource: 'brand',
            resourceId: brandId,
            errors: [{ field: 'brandId', message: 'a brand with this id exists' }],
            rejectedAt: at,
          },
        },
      ]);
  });
});

describe("brand decider: the carrier's answer to the create call", () => {
  const answer: BrandCommand = {
    type: 'RecordCarrierRegistration',
    carrierBrandId,
    tcrBrandId: 'BBRAND1',
    reading: { status: 'pending', carrierStatus: 'REGISTRATION_PENDING', reasons: [] },
    now,
  };

  it('records the carrier ids and status', () => {
    given([started]).when(answer).then([registered]);
  });

  it('takes the same answer twice once (a retried call)', () => {
    given([started, registered]).when(answer).thenNothingHappens();
  });

  it('refuses an answer naming another carrier brand, or for a brand never started', () => {
    given([started, registered])
      .when({ ...answer, carrierBrandId: 'another' })
      .thenThrows(invariant);
    given([]).when(answer).thenThrows(invariant);
  });

  it('records a refused create call as rejected with its reasons, once', () => {
    const refusal: BrandCommand = {
      type: 'RecordCarrierRefusal',
      carrierStatus: 'REGISTRATION_FAILED',
      reasons: [einMismatch],
      now,
    };
    given([started])
      .when(refusal)
      .then([changed('pending', 'rejected', 'REGISTRATION_FAILED', [einMismatch])]);
    given([started, changed('pending', 'rejected', 'REGISTRATION_FAILED', [einMismatch])])
      .when(refusal)
      .thenNothingHappens();
    given([started, registered]).when(refusal).thenThrows(invariant);
    given([]).when(refusal).thenThrows(invariant);
  });
});

describe('brand decider: status reports', () => {
  const allowed: Array<[RegistrationStatus, RegistrationStatus]> = [
    ['pending', 'approved'],
    ['pending', 'rejected'],
    ['pending', 'suspended'],
    ['pending', 'expired'],
    ['approved', 'pending'],
    ['approved', 'rejected'],
    ['approved', 'suspended'],
    ['approved', 'expired'],
    ['rejected', 'pending'],
    ['rejected', 'approved'],
    ['suspended', 'approved'],
    ['suspended', 'pending'],
    ['suspended', 'rejected'],
    ['suspended', 'expired'],
  ];
  const refused: Array<[RegistrationStatus, RegistrationStatus]> = [
    ['rejected', 'suspended'],
    ['rejected', 'expired'],
    ['expired', 'pending'],
    ['expired', 'approved'],
    ['expired', 'rejected'],
    ['expired', 'suspended'],
  ];
  const history = (from: RegistrationStatus): BrandEvent[] =>
    from === 'pending'
      ? [started, registered]
      : [started, registered, changed('pending', from, `RAW_${from}`)];

  it.each(allowed)('%s -> %s is recorded with its reasons', (from, to) => {
    given(history(from))
      .when(status({ status: to, carrierStatus: `RAW_${to}`, reasons: [einMismatch] }))
      .then([changed(from, to, `RAW_${to}`, [einMismatch])]);
  });

  it.each(refused)('%s -> %s changes nothing (a stale report)', (from, to) => {
    given(history(from))
      .when(status({ status: to, carrierStatus: `RAW_${to}` }))
      .thenNothingHappens();
  });

  it('records a new raw status under the same textplane status', () => {
    given([started, registered, changed('pending', 'approved', 'OK')])
      .when(status({ status: 'approved', carrierStatus: 'VETTED_VERIFIED' }))
      .then([changed('approved', 'approved', 'VETTED_VERIFIED')]);
  });

  it('takes the same report twice once', () => {
    given([started, registered])
      .when(status({ status: 'pending', carrierStatus: 'REGISTRATION_PENDING' }))
      .thenNothingHappens();
  });

  it('refuses a report for a brand the carrier has not created', () => {
    given([started])
      .when(status({ status: 'approved', carrierStatus: 'OK' }))
      .thenThrows(invariant);
    given([])
      .when(status({ status: 'approved', carrierStatus: 'OK' }))
      .thenThrows(invariant);
  });
});

describe('brand decider: vetting', () => {
  const vetted = (score: number): BrandEvent => ({
    type: 'registration.BrandVetted.v1',
    data: { brandId, tenantId, vettingScore: score, vettingProvider: 'AEGIS', vettedAt: at },
  });
  const vet = (score: number): BrandCommand => ({
    type: 'RecordVetting',
    vettingScore: score,
    vettingProvider: 'AEGIS',
    now,
  });

  it('records a score, and a changed score again', () => {
    given([started, registered])
      .when(vet(82))
      .then([vetted(82)]);
    given([started, registered, vetted(82)])
      .when(vet(45))
      .then([vetted(45)]);
  });

  it('takes the same score twice once', () => {
    given([started, registered, vetted(82)])
      .when(vet(82))
      .thenNothingHappens();
  });

  it('refuses a score outside 0..100 or not whole, and a vetting before registration', () => {
    given([started, registered]).when(vet(101)).thenThrows(invariant);
    given([started, registered]).when(vet(-1)).thenThrows(invariant);
    given([started, registered]).when(vet(50.5)).thenThrows(invariant);
    given([started]).when(vet(82)).thenThrows(invariant);
  });
});

describe('brand decider: sole proprietor OTP', () => {
  const sole: BrandEvent = {
    type: 'registration.BrandRegistrationStarted.v1',
    data: {
      brandId,
      tenantId,
      requestId: request.requestId,
      brand: {
        ...brandBody,
        entityType: 'SOLE_PROPRIETOR',
        displayName: 'Ana Diaz Tutoring',
        mobilePhone: '+15125550177',
      },
      startedAt: at,
    },
  };
  const soleRegistered: BrandEvent[] = [sole, registered];
  const otpRequest = (overrides: Partial<BrandOtpRequested> = {}): BrandOtpRequested => ({
    requestId: requestId(),
    tenantId,
    brandId,
    requestedAt: at,
    ...overrides,
  });
  const pinRequest = (otpPin = '123456'): BrandOtpVerificationRequested => ({
    requestId: requestId(),
    tenantId,
    brandId,
    otpPin,
    requestedAt: at,
  });
  const sendStarted = (id: string): BrandEvent => ({
    type: 'registration.BrandOtpSendStarted.v1',
    data: {
      brandId,
      tenantId,
      requestId: id,
      pinSms: 'Ana Diaz Tutoring: your verification code is @OTP_PIN@',
      successSms: 'Ana Diaz Tutoring: your brand is verified for business text messaging.',
      startedAt: at,
    },
  });
  const sent = (id: string): BrandEvent => ({
    type: 'registration.BrandOtpSent.v1',
    data: { brandId, tenantId, requestId: id, referenceId: 'OTP1', sentAt: at },
  });
  const pinStarted = (id: string, otpPin = '123456'): BrandEvent => ({
    type: 'registration.BrandOtpVerificationStarted.v1',
    data: { brandId, tenantId, requestId: id, otpPin, startedAt: at },
  });
  const otpVerified = (id: string): BrandEvent => ({
    type: 'registration.BrandOtpVerified.v1',
    data: { brandId, tenantId, requestId: id, verifiedAt: at },
  });
  const refusedWith = (events: BrandEvent[]): Array<{ field: string; message: string }> => {
    expect(events).toHaveLength(1);
    const [event] = events;
    if (event?.type !== 'registration.RegistrationRequestRejected.v1') {
      throw new Error(`expected a refusal, got ${event?.type}`);
    }
    expect(event.data.resource).toBe('brand_otp');
    return event.data.errors;
  };
  const stateOf = (events: BrandEvent[]) => events.reduce(evolve, initialState);

  it('starts an OTP with texts in the brand name, and records it sent', () => {
    const otp = otpRequest();
    given(soleRegistered)
      .when({ type: 'StartOtp', request: otp, now })
      .then([sendStarted(otp.requestId)]);
    given([...soleRegistered, sendStarted(otp.requestId)])
      .when({ type: 'RecordOtpSent', requestId: otp.requestId, referenceId: 'OTP1', now })
      .then([sent(otp.requestId)]);
  });

  it("takes the tenant's own texts, and refuses a PIN text without @OTP_PIN@", () => {
    const own = otpRequest({ pinSms: 'Code: @OTP_PIN@', successSms: 'Done.' });
    const [event] = decide({ type: 'StartOtp', request: own, now }, stateOf(soleRegistered));
    expect(event?.data).toMatchObject({ pinSms: 'Code: @OTP_PIN@', successSms: 'Done.' });
    expect(
      refusedWith(
        decide(
          { type: 'StartOtp', request: otpRequest({ pinSms: 'Your code' }), now },
          stateOf(soleRegistered),
        ),
      ).map((e) => e.field),
    ).toEqual(['pinSms']);
  });

  it.each([
    ['a brand that is no sole proprietor', [started, registered], 'only a sole proprietor'],
    ['a brand the carrier has not registered yet', [sole], 'not registered with the carrier yet'],
    ['an unknown brand', [], 'no such brand'],
    [
      'a rejected brand',
      [...soleRegistered, changed('pending', 'rejected', 'REGISTRATION_FAILED')],
      'the brand is rejected',
    ],
  ])('refuses an OTP for %s, and records nothing else', (_name, history, message) => {
    const errors = refusedWith(
      decide({ type: 'StartOtp', request: otpRequest(), now }, stateOf(history)),
    );
    expect(errors[0]?.message).toContain(message);
  });

  it("refuses another tenant's brand as unknown", () => {
    const errors = refusedWith(
      decide(
        { type: 'StartOtp', request: otpRequest({ tenantId: otherTenantId }), now },
        stateOf(soleRegistered),
      ),
    );
    expect(errors).toEqual([{ field: 'brandId', message: 'no such brand' }]);
  });

  it('checks a PIN only after an OTP was sent, and only digits', () => {
    const first = otpRequest();
    expect(
      refusedWith(
        decide(
          { type: 'StartOtpVerification', request: pinRequest(), now },
          stateOf(soleRegistered),
        ),
      ).map((e) => e.field),
    ).toEqual(['otpPin']);
    const afterSent = [...soleRegistered, sendStarted(first.requestId), sent(first.requestId)];
    const pin = pinRequest();
    given(afterSent)
      .when({ type: 'StartOtpVerification', request: pin, now })
      .then([pinStarted(pin.requestId)]);
    expect(
      refusedWith(
        decide(
          { type: 'StartOtpVerification', request: pinRequest('12ab'), now },
          stateOf(afterSent),
        ),
      ),
    ).toEqual([{ field: 'otpPin', message: 'must be 4 to 10 digits' }]);
  });

  it('records a verified PIN; a refused PIN leaves the OTP standing for another try', () => {
    const first = otpRequest();
    const pin = pinRequest();
    const checking = [
      ...soleRegistered,
      sendStarted(first.requestId),
      sent(first.requestId),
      pinStarted(pin.requestId),
    ];
    given(checking)
      .when({ type: 'RecordOtpVerified', requestId: pin.requestId, now })
      .then([otpVerified(pin.requestId)]);
    const refusedPin: BrandEvent = {
      type: 'registration.BrandOtpFailed.v1',
      data: {
        brandId,
        tenantId,
        requestId: pin.requestId,
        step: 'verification',
        reasons: [
          { code: 'otp_invalid', carrierReason: 'Invalid OTP pin', suggestedFix: 'Retry.' },
        ],
        failedAt: at,
      },
    };
    given(checking)
      .when({
        type: 'RecordOtpFailure',
        requestId: pin.requestId,
        step: 'verification',
        reasons:
          refusedPin.type === 'registration.BrandOtpFailed.v1' ? refusedPin.data.reasons : [],
        now,
      })
      .then([refusedPin]);
    const retry = pinRequest('654321');
    given([...checking, refusedPin])
      .when({ type: 'StartOtpVerification', request: retry, now })
      .then([pinStarted(retry.requestId, '654321')]);
  });

  it('passes over a stale answer, and takes a redelivered request once', () => {
    const first = otpRequest();
    const second = otpRequest();
    const history = [
      ...soleRegistered,
      sendStarted(first.requestId),
      sendStarted(second.requestId),
    ];
    given(history)
      .when({ type: 'RecordOtpSent', requestId: first.requestId, referenceId: 'OLD', now })
      .thenNothingHappens();
    given(history).when({ type: 'StartOtp', request: first, now }).thenNothingHappens();
    given(soleRegistered)
      .when({ type: 'RecordOtpVerified', requestId: first.requestId, now })
      .thenNothingHappens();
    given([sole])
      .when({ type: 'RecordOtpSent', requestId: first.requestId, referenceId: 'X', now })
      .thenThrows(invariant);
  });

  it('registers a sole proprietor as pending even if the create call says approved', () => {
    given([sole])
      .when({
        type: 'RecordCarrierRegistration',
        carrierBrandId,
        reading: { status: 'approved', carrierStatus: 'VERIFIED', reasons: [] },
        now,
      })
      .then([
        {
          type: 'registration.BrandRegistered.v1',
          data: {
            brandId,
            tenantId,
            carrierBrandId,
            status: 'pending',
            carrierStatus: 'VERIFIED',
            registeredAt: at,
          },
        },
      ]);
  });

  it('holds a sole proprietor at pending until its OTP is verified, then approves', () => {
    const approvedReading = status({ status: 'approved', carrierStatus: 'VERIFIED' });
    given(soleRegistered)
      .when(approvedReading)
      .then([
        {
          type: 'registration.BrandStatusChanged.v1',
          data: {
            brandId,
            tenantId,
            status: 'pending',
            previousStatus: 'pending',
            carrierStatus: 'VERIFIED',
            reasons: [OTP_REQUIRED_REASON],
            changedAt: at,
          },
        },
      ]);
    const first = otpRequest();
    const pin = pinRequest();
    given([
      ...soleRegistered,
      sendStarted(first.requestId),
      sent(first.requestId),
      pinStarted(pin.requestId),
      otpVerified(pin.requestId),
    ])
      .when(approvedReading)
      .then([changed('pending', 'approved', 'VERIFIED')]);
    expect(
      decide(
        { type: 'StartOtp', request: otpRequest(), now },
        stateOf([
          ...soleRegistered,
          sendStarted(first.requestId),
          sent(first.requestId),
          pinStarted(pin.requestId),
          otpVerified(pin.requestId),
        ]),
      )[0]?.data,
    ).toMatchObject({
      errors: [{ field: 'brandId', message: "the brand's OTP is verified already" }],
    });
  });
});

describe('brand decider: external vetting orders', () => {
  const approved = [started, registered, changed('pending', 'approved', 'VERIFIED')];
  const vettingRequest = (
    overrides: Partial<BrandVettingRequested> = {},
  ): BrandVettingRequested => ({
    requestId: requestId(),
    tenantId,
    brandId,
    requestedAt: at,
    ...overrides,
  });
  const vettingStarted = (id: string): BrandEvent => ({
    type: 'registration.BrandVettingStarted.v1',
    data: {
      brandId,
      tenantId,
      requestId: id,
      evpId: 'AEGIS',
      vettingClass: 'STANDARD',
      startedAt: at,
    },
  });

  it('starts an order with Telnyx defaults, records it ordered, or failed with reasons', () => {
    const order = vettingRequest();
    given(approved)
      .when({ type: 'StartVetting', request: order, now })
      .then([vettingStarted(order.requestId)]);
    given([...approved, vettingStarted(order.requestId)])
      .when({ type: 'RecordVettingOrdered', requestId: order.requestId, vettingId: 'v1', now })
      .then([
        {
          type: 'registration.BrandVettingOrdered.v1',
          data: {
            brandId,
            tenantId,
            requestId: order.requestId,
            evpId: 'AEGIS',
            vettingClass: 'STANDARD',
            vettingId: 'v1',
            orderedAt: at,
          },
        },
      ]);
    const reasons: RegistrationReason[] = [
      {
        code: 'unspecified',
        carrierReason: 'Revet allowed once every 3 months',
        suggestedFix: 'Wait.',
      },
    ];
    given([...approved, vettingStarted(order.requestId)])
      .when({ type: 'RecordVettingFailure', requestId: order.requestId, reasons, now })
      .then([
        {
          type: 'registration.BrandVettingFailed.v1',
          data: { brandId, tenantId, requestId: order.requestId, reasons, failedAt: at },
        },
      ]);
  });

  it.each([
    ['a pending brand', [started, registered], {}, 'brandId'],
    ['an unknown provider', approved, { evpId: 'ACME' }, 'evpId'],
    ['a bad class', approved, { vettingClass: 'standard!' }, 'vettingClass'],
  ])('refuses an order for %s', (_name, history, overrides, field) => {
    const events = decide(
      { type: 'StartVetting', request: vettingRequest(overrides), now },
      (history as BrandEvent[]).reduce(evolve, initialState),
    );
    expect(events[0]?.type).toBe('registration.RegistrationRequestRejected.v1');
    expect(events[0]?.data).toMatchObject({ resource: 'brand_vetting', errors: [{ field }] });
  });

  it('refuses a second order while one is under way, and passes over a stale answer', () => {
    const order = vettingRequest();
    const ordering = [...approved, vettingStarted(order.requestId)];
    expect(
      decide(
        { type: 'StartVetting', request: vettingRequest(), now },
        ordering.reduce(evolve, initialState),
      )[0]?.data,
    ).toMatchObject({ errors: [{ message: 'a vetting order is under way' }] });
    given(ordering)
      .when({ type: 'RecordVettingOrdered', requestId: 'another', now })
      .thenNothingHappens();
  });
});
