import type {
  NumberUnassignmentRequested,
  RegistrationReason,
  RegistrationStatus,
} from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, it } from 'vitest';
import {
  assignmentRequest,
  at,
  campaignId,
  now,
  otherTenantId,
  tenantId,
  tenantNumber,
} from '../../test/fixtures.js';
import { RegistrationInvariantError } from '../registration-status.js';
import {
  type AssignmentContext,
  decide,
  evolve,
  initialState,
  type NumberAssignmentCommand,
  type NumberAssignmentState,
} from './number-assignment.decider.js';
import type { NumberAssignmentEvent } from './number-assignment.events.js';

const given = deciderSpecification<
  NumberAssignmentCommand,
  NumberAssignmentEvent,
  NumberAssignmentState
>({ decide, evolve, initialState });

const carrierCampaignId = '4b300178-131c-d902-d54e-72d90ba1620j';
const otherCampaignId = '01936f4e-7c2a-7cc1-9a57-00000000c002';
const context: AssignmentContext = {
  campaign: { campaignId, tenantId, status: 'pending', carrierCampaignId },
  tenantOwnsNumber: true,
  tollFree: false,
};
const request = assignmentRequest();
const start = (
  overrides: { request?: typeof request; context?: Partial<AssignmentContext> } = {},
): NumberAssignmentCommand => ({
  type: 'StartAssignment',
  request: overrides.request ?? request,
  context: { ...context, ...overrides.context },
  now,
});
const subject = { tenantId, phoneNumber: tenantNumber, campaignId };
const started: NumberAssignmentEvent = {
  type: 'registration.NumberAssignmentStarted.v1',
  data: { ...subject, carrierCampaignId, requestId: request.requestId, startedAt: at },
};
const submitted: NumberAssignmentEvent = {
  type: 'registration.NumberAssignmentSubmitted.v1',
  data: { ...subject, carrierStatus: 'PENDING_ASSIGNMENT', submittedAt: at },
};
const assigned: NumberAssignmentEvent = {
  type: 'registration.NumberAssigned.v1',
  data: { ...subject, carrierStatus: 'ASSIGNED', assignedAt: at },
};
const reason: RegistrationReason = {
  code: 'unspecified',
  carrierReason: 'Number is already assigned to another campaign',
  suggestedFix: 'Unassign the number from its other campaign, then assign it again.',
};
const failed: NumberAssignmentEvent = {
  type: 'registration.NumberAssignmentFailed.v1',
  data: { ...subject, carrierStatus: 'FAILED_ASSIGNMENT', reasons: [reason], failedAt: at },
};
const report = (status: RegistrationStatus, carrierStatus: string): NumberAssignmentCommand => ({
  type: 'RecordCarrierStatus',
  reading: {
    status,
    carrierStatus,
    reasons: status === 'pending' ? [] : [reason],
  },
  now,
});
const invariant = (error: unknown) => error instanceof RegistrationInvariantError;
const absent: NumberAssignmentCommand = { type: 'RecordCarrierAbsence', now };

function refusal(field: string, message: string, r = request): NumberAssignmentEvent[] {
  return [
    {
      type: 'registration.RegistrationRequestRejected.v1',
      data: {
        requestId: r.requestId,
        tenantId,
        resource: 'number_assignment',
        resourceId: tenantNumber,
        errors: [{ field, message }],
        rejectedAt: at,
      },
    },
  ];
}

describe('number assignment decider: the request', () => {
  it('starts an assignment to a submitted campaign, naming its carrier id', () => {
    given([]).when(start()).then([started]);
  });

  it('may start while the campaign is pending or approved', () => {
    given([])
      .when(start({ context: { campaign: { ...context.campaign!, status: 'approved' } } }))
      .then([started]);
  });

  it('takes a redelivered request once', () => {
    given([started]).when(start()).thenNothingHappens();
  });

  it("refuses an unknown campaign, or another tenant's", () => {
    given([])
      .when(start({ context: { campaign: null } }))
      .then(refusal('campaignId', 'no such campaign'));
    given([])
      .when(start({ context: { campaign: { ...context.campaign!, tenantId: otherTenantId } } }))
      .then(refusal('campaignId', 'no such campaign'));
  });

  it('refuses a number the tenant does not own', () => {
    given([])
      .when(start({ context: { tenantOwnsNumber: false } }))
      .then(refusal('phoneNumber', "the number is not one of the tenant's sender numbers"));
  });

  it('refuses a toll-free number', () => {
    given([])
      .when(start({ context: { tollFree: true } }))
      .then(
        refusal(
          'phoneNumber',
          'a toll-free number cannot join a 10DLC campaign: verify it as toll-free instead',
        ),
      );
  });

  it('refuses a campaign the carrier has not taken yet', () => {
    given([])
      .when(start({ context: { campaign: { ...context.campaign!, carrierCampaignId: null } } }))
      .then(refusal('campaignId', 'the campaign is not submitted to the carrier yet'));
  });

  it.each(['rejected', 'suspended', 'expired'] as const)(
    'refuses a campaign that is %s',
    (status) => {
      given([])
        .when(start({ context: { campaign: { ...context.campaign!, status } } }))
        .then(refusal('campaignId', `the campaign is ${status}`));
    },
  );

  it('refuses a second assignment while one is under way or done', () => {
    const again = assignmentRequest();
    given([started])
      .when(start({ request: again }))
      .then(refusal('phoneNumber', 'the number is being assigned to this campaign already', again));
    given([started, submitted])
      .when(
        start({
          request: { ...again, campaignId: otherCampaignId },
          context: { campaign: { ...context.campaign!, campaignId: otherCampaignId } },
        }),
      )
      .then(
        refusal('phoneNumber', `the number is being assigned to campaign ${campaignId}`, again),
      );
    given([started, assigned])
      .when(start({ request: again }))
      .then(refusal('phoneNumber', 'the number is assigned to this campaign already', again));
    given([started, assigned])
      .when(
        start({
          request: { ...again, campaignId: otherCampaignId },
          context: { campaign: { ...context.campaign!, campaignId: otherCampaignId } },
        }),
      )
      .then(
        refusal(
          'phoneNumber',
          `the number is assigned to campaign ${campaignId}: unassign it first`,
          again,
        ),
      );
  });

  it('may try again after a failure', () => {
    const again = assignmentRequest();
    given([started, failed])
      .when(start({ request: again }))
      .then([
        {
          ...started,
          data: { ...started.data, requestId: again.requestId },
        },
      ]);
  });
});

describe("number assignment decider: the carrier's word", () => {
  it('started -> submitted (pending) -> assigned', () => {
    given([started]).when(report('pending', 'PENDING_ASSIGNMENT')).then([submitted]);
    given([started, submitted]).when(report('approved', 'ASSIGNED')).then([assigned]);
  });

  it('started -> assigned at once', () => {
    given([started]).when(report('approved', 'ASSIGNED')).then([assigned]);
  });

  it('started or submitted -> failed, with the reasons', () => {
    given([started]).when(report('rejected', 'FAILED_ASSIGNMENT')).then([failed]);
    given([started, submitted]).when(report('rejected', 'FAILED_ASSIGNMENT')).then([failed]);
  });

  it('a refused assign call fails it; only while started', () => {
    const refused: NumberAssignmentCommand = {
      type: 'RecordCarrierRefusal',
      carrierStatus: 'FAILED_ASSIGNMENT',
      reasons: [reason],
      now,
    };
    given([started]).when(refused).then([failed]);
    given([started, submitted]).when(refused).thenThrows(invariant);
  });

  it('takes the same pending report twice once', () => {
    given([started, submitted]).when(report('pending', 'PENDING_ASSIGNMENT')).thenNothingHappens();
  });

  it('a settled assignment ignores late reports', () => {
    given([started, assigned]).when(report('rejected', 'FAILED_ASSIGNMENT')).thenNothingHappens();
    given([started, failed]).when(report('approved', 'ASSIGNED')).thenNothingHappens();
  });

  it('refuses a report for an assignment never started', () => {
    given([]).when(report('approved', 'ASSIGNED')).thenThrows(invariant);
    given([]).when(absent).thenThrows(invariant);
  });

  it("the carrier's absence of the number changes no assignment (only a removal ends in it)", () => {
    given([started]).when(absent).thenNothingHappens();
    given([started, submitted]).when(absent).thenNothingHappens();
    given([started, assigned]).when(absent).thenNothingHappens();
    given([started, failed]).when(absent).thenNothingHappens();
  });
});

const removal = assignmentRequest();
const unassign = (r: NumberUnassignmentRequested = removal): NumberAssignmentCommand => ({
  type: 'StartUnassignment',
  request: r,
  now,
});
const unassignStarted: NumberAssignmentEvent = {
  type: 'registration.NumberUnassignmentStarted.v1',
  data: { ...subject, requestId: removal.requestId, startedAt: at },
};
const unassignSubmitted: NumberAssignmentEvent = {
  type: 'registration.NumberUnassignmentSubmitted.v1',
  data: { ...subject, carrierStatus: 'PENDING_UNASSIGNMENT', submittedAt: at },
};
const unassigned: NumberAssignmentEvent = {
  type: 'registration.NumberUnassigned.v1',
  data: { ...subject, carrierStatus: 'PENDING_UNASSIGNMENT', unassignedAt: at },
};
const unassignFailed: NumberAssignmentEvent = {
  type: 'registration.NumberUnassignmentFailed.v1',
  data: { ...subject, carrierStatus: 'FAILED_UNASSIGNMENT', reasons: [reason], failedAt: at },
};

describe('number assignment decider: the removal', () => {
  it('removes an assigned number from its campaign', () => {
    given([started, assigned]).when(unassign()).then([unassignStarted]);
  });

  it('takes a redelivered removal once', () => {
    given([started, assigned, unassignStarted]).when(unassign()).thenNothingHappens();
  });

  it('refuses a number on no campaign: never assigned, failed or removed already', () => {
    const notHere = refusal('phoneNumber', 'the number is not assigned to this campaign', removal);
    given([]).when(unassign()).then(notHere);
    given([started, failed]).when(unassign()).then(notHere);
    const again = assignmentRequest();
    given([started, assigned, unassignStarted, unassigned])
      .when(unassign(again))
      .then(refusal('phoneNumber', 'the number is not assigned to this campaign', again));
  });

  it('refuses a number assigned to another campaign', () => {
    given([started, assigned])
      .when(unassign({ ...removal, campaignId: otherCampaignId }))
      .then(
        refusal(
          'phoneNumber',
          `the number is assigned to campaign ${campaignId}, not this one`,
          removal,
        ),
      );
  });

  it('refuses a number still being assigned', () => {
    const message = 'the number is being assigned to this campaign: remove it once it is assigned';
    given([started])
      .when(unassign())
      .then(refusal('phoneNumber', message, removal));
    given([started, submitted])
      .when(unassign())
      .then(refusal('phoneNumber', message, removal));
    given([started])
      .when(unassign({ ...removal, campaignId: otherCampaignId }))
      .then(refusal('phoneNumber', 'the number is not assigned to this campaign', removal));
  });

  it('refuses a second removal while one is under way', () => {
    const again = assignmentRequest();
    given([started, assigned, unassignStarted])
      .when(unassign(again))
      .then(
        refusal('phoneNumber', 'the number is being removed from this campaign already', again),
      );
    given([started, assigned, unassignStarted, unassignSubmitted])
      .when(unassign({ ...again, campaignId: otherCampaignId }))
      .then(refusal('phoneNumber', 'the number is not assigned to this campaign', again));
  });

  it('refuses an assignment while the removal is under way; takes one once removed', () => {
    const again = assignmentRequest();
    given([started, assigned, unassignStarted])
      .when(start({ request: again }))
      .then(
        refusal(
          'phoneNumber',
          `the number is being removed from campaign ${campaignId}: assign it once removed`,
          again,
        ),
      );
    given([started, assigned, unassignStarted, unassigned])
      .when(start({ request: again }))
      .then([{ ...started, data: { ...started.data, requestId: again.requestId } }]);
  });
});

describe("number assignment decider: the carrier's word on a removal", () => {
  it('started -> submitted (pending) -> unassigned when the carrier no longer has it', () => {
    given([started, assigned, unassignStarted])
      .when(report('pending', 'PENDING_UNASSIGNMENT'))
      .then([unassignSubmitted]);
    given([started, assigned, unassignStarted, unassignSubmitted]).when(absent).then([unassigned]);
  });

  it('started -> unassigned at once (the delete answered 404: gone already)', () => {
    const { carrierStatus: _none, ...withoutStatus } = unassigned.data as { carrierStatus: string };
    given([started, assigned, unassignStarted])
      .when(absent)
      .then([
        { type: 'registration.NumberUnassigned.v1', data: withoutStatus } as NumberAssignmentEvent,
      ]);
  });

  it('takes the same pending report twice once', () => {
    given([started, assigned, unassignStarted, unassignSubmitted])
      .when(report('pending', 'PENDING_UNASSIGNMENT'))
      .thenNothingHappens();
  });

  it('the assignment as it stood, read before the carrier acted, changes nothing', () => {
    given([started, assigned, unassignStarted])
      .when(report('approved', 'ASSIGNED'))
      .thenNothingHappens();
    given([started, assigned, unassignStarted, unassignSubmitted])
      .when(report('approved', 'ASSIGNED'))
      .thenNothingHappens();
  });

  it('a failed removal keeps the number assigned, with the reasons', () => {
    given([started, assigned, unassignStarted, unassignSubmitted])
      .when(report('rejected', 'FAILED_UNASSIGNMENT'))
      .then([unassignFailed]);
    const again = assignmentRequest();
    given([started, assigned, unassignStarted, unassignFailed])
      .when(unassign(again))
      .then([
        { ...unassignStarted, data: { ...unassignStarted.data, requestId: again.requestId } },
      ]);
  });

  it('a refused delete call fails the removal; only before the carrier took it', () => {
    const refused: NumberAssignmentCommand = {
      type: 'RecordCarrierRefusal',
      carrierStatus: 'FAILED_UNASSIGNMENT',
      reasons: [reason],
      now,
    };
    given([started, assigned, unassignStarted]).when(refused).then([unassignFailed]);
    given([started, assigned, unassignStarted, unassignSubmitted])
      .when(refused)
      .thenThrows(invariant);
    given([started, assigned]).when(refused).thenThrows(invariant);
  });

  it('a removed number ignores late reports', () => {
    const done = [started, assigned, unassignStarted, unassignSubmitted, unassigned];
    given(done).when(report('approved', 'ASSIGNED')).thenNothingHappens();
    given(done).when(report('rejected', 'FAILED_UNASSIGNMENT')).thenNothingHappens();
    given(done).when(absent).thenNothingHappens();
  });
});
