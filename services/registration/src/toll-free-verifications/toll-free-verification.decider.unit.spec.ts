import type { RegistrationReason, RegistrationStatus } from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import {
  at,
  now,
  secondTollFreeNumber,
  tenantId,
  tollFreeBody,
  tollFreeNumber,
  tollFreeRequest,
  verificationId,
} from '../../test/fixtures.js';
import { RegistrationInvariantError } from '../registration-status.js';
import {
  decide,
  evolve,
  initialState,
  type TollFreeVerificationCommand,
  type TollFreeVerificationState,
  type VerificationContext,
} from './toll-free-verification.decider.js';
import type { TollFreeVerificationEvent } from './toll-free-verification.events.js';

const given = deciderSpecification<
  TollFreeVerificationCommand,
  TollFreeVerificationEvent,
  TollFreeVerificationState
>({ decide, evolve, initialState });

const request = tollFreeRequest();
const carrierVerificationId = '182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e';
const clear: VerificationContext = { numbersNotOwned: [], numbersVerifyingElsewhere: [] };
const invariant = (error: unknown) => error instanceof RegistrationInvariantError;

const started: TollFreeVerificationEvent = {
  type: 'registration.TollFreeVerificationStarted.v1',
  data: {
    verificationId,
    tenantId,
    requestId: request.requestId,
    verification: tollFreeBody,
    startedAt: at,
  },
};
const submitted: TollFreeVerificationEvent = {
  type: 'registration.TollFreeVerificationSubmitted.v1',
  data: {
    verificationId,
    tenantId,
    carrierVerificationId,
    phoneNumbers: [tollFreeNumber],
    status: 'pending',
    carrierStatus: 'Waiting For Telnyx',
    submittedAt: at,
  },
};
const imageMissing: RegistrationReason = {
  code: 'opt_in_image_missing',
  carrierReason: 'Opt-in workflow images are missing',
  suggestedFix: 'Add a screenshot of the opt-in form.',
  field: 'optInWorkflowImageURLs',
};

function changed(
  previousStatus: RegistrationStatus,
  status: RegistrationStatus,
  carrierStatus: string,
  reasons: RegistrationReason[] = [],
): TollFreeVerificationEvent {
  return {
    type: 'registration.TollFreeVerificationStatusChanged.v1',
    data: {
      verificationId,
      tenantId,
      phoneNumbers: [tollFreeNumber],
      status,
      previousStatus,
      carrierStatus,
      reasons,
      changedAt: at,
    },
  };
}
const verified = (phoneNumber = tollFreeNumber): TollFreeVerificationEvent => ({
  type: 'registration.TollFreeNumberVerified.v1',
  data: { tenantId, phoneNumber, verificationId, carrierStatus: 'Verified', verifiedAt: at },
});
const status = (s: RegistrationStatus, carrierStatus: string, reasons: RegistrationReason[] = []) =>
  ({ type: 'RecordCarrierStatus', reading: { status: s, carrierStatus, reasons }, now }) as const;

function refusedFields(events: TollFreeVerificationEvent[]): string[] {
  expect(events).toHaveLength(1);
  const [event] = events;
  if (event?.type !== 'registration.RegistrationRequestRejected.v1') {
    throw new Error(`expected a refusal, got ${event?.type}`);
  }
  expect(event.data.resource).toBe('toll_free_verification');
  expect(event.data.resourceId).toBe(verificationId);
  expect(evolve(initialState, event)).toEqual(initialState);
  return event.data.errors.map((e) => e.field);
}

describe('toll-free verification decider: the request', () => {
  it('starts a valid request, with its body as the field rules normalise it', () => {
    given([])
      .when({
        type: 'StartVerification',
        request: {
          ...request,
          verification: { ...tollFreeBody, businessName: '  Acme Dental LLC ' },
        },
        context: clear,
        now,
      })
      .then([started]);
  });

  it('refuses a body the field rules refuse, naming every field', () => {
    const bad = tollFreeRequest({
      verification: {
        ...tollFreeBody,
        phoneNumbers: ['+15125550142'],
        messageVolume: 'lots',
        corporateWebsite: 'acmedental',
      },
    });
    const fields = refusedFields(
      decide({ type: 'StartVerification', request: bad, context: clear, now }, initialState),
    );
    expect(fields.sort()).toEqual(['corporateWebsite', 'messageVolume', 'phoneNumbers[0]']);
  });

  it("refuses a number that is not the tenant's, or in another active verification", () => {
    const two = tollFreeRequest({
      verification: { ...tollFreeBody, phoneNumbers: [tollFreeNumber, secondTollFreeNumber] },
    });
    expect(
      refusedFields(
        decide(
          {
            type: 'StartVerification',
            request: two,
            context: { numbersNotOwned: [secondTollFreeNumber], numbersVerifyingElsewhere: [] },
            now,
          },
          initialState,
        ),
      ),
    ).toEqual(['phoneNumbers[1]']);
    expect(
      refusedFields(
        decide(
          {
            type: 'StartVerification',
            request: two,
            context: { numbersNotOwned: [], numbersVerifyingElsewhere: [tollFreeNumber] },
            now,
          },
          initialState,
        ),
      ),
    ).toEqual(['phoneNumbers[0]']);
  });

  it('takes a redelivered request once, and refuses a second request for the same id', () => {
    given([started])
      .when({ type: 'StartVerification', request, context: clear, now })
      .thenNothingHappens();
    const second = tollFreeRequest();
    given([started, submitted])
      .when({ type: 'StartVerification', request: second, context: clear, now })
      .then([
        {
          type: 'registration.RegistrationRequestRejected.v1',
          data: {
            requestId: second.requestId,
            tenantId,
            resource: 'toll_free_verification',
            resourceId: verificationId,
            errors: [{ field: 'verificationId', message: 'a verification with this id exists' }],
            rejectedAt: at,
          },
        },
      ]);
  });
});

describe("toll-free verification decider: the carrier's answer to the create call", () => {
  const answer = (s: RegistrationStatus, carrierStatus: string): TollFreeVerificationCommand => ({
    type: 'RecordCarrierSubmission',
    carrierVerificationId,
    reading: { status: s, carrierStatus, reasons: [] },
    now,
  });

  it('records the carrier id and its raw status', () => {
    given([started]).when(answer('pending', 'Waiting For Telnyx')).then([submitted]);
  });

  it('records an answer that is a decision already, with each number verified', () => {
    given([started])
      .when(answer('approved', 'Verified'))
      .then([
        { ...submitted, data: { ...submitted.data, carrierStatus: 'Verified' } },
        changed('pending', 'approved', 'Verified'),
        verified(),
      ]);
  });

  it('records what the reviewer asks for at once, still pending', () => {
    const asked: RegistrationReason = {
      code: 'message_volume_unlikely',
      carrierReason: 'Volume looks too high',
      suggestedFix: 'Give the monthly volume the business really expects to send.',
      field: 'messageVolume',
    };
    given([started])
      .when({
        type: 'RecordCarrierSubmission',
        carrierVerificationId,
        reading: { status: 'pending', carrierStatus: 'Waiting For Customer', reasons: [asked] },
        now,
      })
      .then([
        { ...submitted, data: { ...submitted.data, carrierStatus: 'Waiting For Customer' } },
        changed('pending', 'pending', 'Waiting For Customer', [asked]),
      ]);
  });

  it('takes the same answer twice once; refuses another carrier id or a request never started', () => {
    given([started, submitted]).when(answer('pending', 'Waiting For Telnyx')).thenNothingHappens();
    given([started, submitted])
      .when({
        ...answer('pending', 'Waiting For Telnyx'),
        carrierVerificationId: 'other',
      } as TollFreeVerificationCommand)
      .thenThrows(invariant);
    given([]).when(answer('pending', 'Waiting For Telnyx')).thenThrows(invariant);
  });

  it('records a refused create call as rejected with its reasons, once', () => {
    const refusal: TollFreeVerificationCommand = {
      type: 'RecordCarrierRefusal',
      carrierStatus: 'Rejected',
      reasons: [imageMissing],
      now,
    };
    const rejected = changed('pending', 'rejected', 'Rejected', [imageMissing]);
    given([started]).when(refusal).then([rejected]);
    given([started, rejected]).when(refusal).thenNothingHappens();
    // A late answer to the refused call records nothing.
    given([started, rejected]).when(answer('pending', 'Waiting For Telnyx')).thenNothingHappens();
    given([started, submitted]).when(refusal).thenThrows(invariant);
    given([]).when(refusal).thenThrows(invariant);
  });
});

describe('toll-free verification decider: status reports', () => {
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
  const history = (from: RegistrationStatus): TollFreeVerificationEvent[] =>
    from === 'pending'
      ? [started, submitted]
      : [started, submitted, changed('pending', from, `RAW_${from}`)];

  it.each(allowed)('%s -> %s is recorded with its reasons', (from, to) => {
    const expected = [changed(from, to, `RAW_${to}`, [imageMissing])];
    if (to === 'approved') {
      expected.push({
        type: 'registration.TollFreeNumberVerified.v1',
        data: {
          tenantId,
          phoneNumber: tollFreeNumber,
          verificationId,
          carrierStatus: `RAW_${to}`,
          verifiedAt: at,
        },
      });
    }
    given(history(from))
      .when(status(to, `RAW_${to}`, [imageMissing]))
      .then(expected);
  });

  it.each(refused)('%s -> %s changes nothing (a stale report)', (from, to) => {
    given(history(from))
      .when(status(to, `RAW_${to}`))
      .thenNothingHappens();
  });

  it('records a new raw status under the same textplane status, without verifying again', () => {
    given([started, submitted])
      .when(status('pending', 'In Progress'))
      .then([changed('pending', 'pending', 'In Progress')]);
    given([started, submitted, changed('pending', 'approved', 'Verified'), verified()])
      .when(status('approved', 'VERIFIED_AGAIN'))
      .then([changed('approved', 'approved', 'VERIFIED_AGAIN')]);
  });

  it('verifies every number of the request, each by its own fact', () => {
    const two = {
      ...started,
      data: {
        ...started.data,
        verification: { ...tollFreeBody, phoneNumbers: [tollFreeNumber, secondTollFreeNumber] },
      },
    } as TollFreeVerificationEvent;
    const events = decide(
      status('approved', 'Verified'),
      [two, submitted].reduce(evolve, initialState),
    );
    expect(
      events.filter((e) => e.type === 'registration.TollFreeNumberVerified.v1').map((e) => e.data),
    ).toEqual([
      expect.objectContaining({ phoneNumber: tollFreeNumber }),
      expect.objectContaining({ phoneNumber: secondTollFreeNumber }),
    ]);
  });

  it('takes the same report twice once, and refuses a report before the carrier took the request', () => {
    given([started, submitted]).when(status('pending', 'Waiting For Telnyx')).thenNothingHappens();
    given([started]).when(status('approved', 'Verified')).thenThrows(invariant);
    given([]).when(status('approved', 'Verified')).thenThrows(invariant);
  });
});
