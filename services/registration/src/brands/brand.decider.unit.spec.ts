import type { RegistrationReason, RegistrationStatus } from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import { at, brandBody, brandId, brandRequest, now, tenantId } from '../../test/fixtures.js';
import { RegistrationInvariantError } from '../registration-status.js';
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
