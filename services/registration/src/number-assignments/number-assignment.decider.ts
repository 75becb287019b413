import type {
  NumberAssignmentRequested,
  NumberUnassignmentRequested,
  RegistrationFieldError,
  RegistrationReason,
  RegistrationStatus,
} from '@textplane/contracts';
import { type CarrierReading, RegistrationInvariantError } from '../registration-status.js';
import type { NumberAssignmentEvent } from './number-assignment.events.js';

/** What the assignment needs to know of the campaign and the number, looked up by the caller. */
export interface AssignmentContext {
  /** Null when no such campaign is known. */
  campaign: {
    campaignId: string;
    tenantId: string;
    status: RegistrationStatus;
    /** Null until the carrier took the campaign. */
    carrierCampaignId: string | null;
  } | null;
  /** The number is one of the tenant's sender numbers. */
  tenantOwnsNumber: boolean;
  /** A toll-free number is verified, never assigned to a 10DLC campaign. */
  tollFree: boolean;
}

export type NumberAssignmentCommand =
  | {
      type: 'StartAssignment';
      request: NumberAssignmentRequested;
      context: AssignmentContext;
      now: Date;
    }
  /** Remove the number's assignment from the campaign the request names. */
  | { type: 'StartUnassignment'; request: NumberUnassignmentRequested; now: Date }
  /**
   * The carrier's answer to the assign or unassign call, or a status webhook or poll after it.
   * During a removal `pending` is the carrier working on it, `rejected` (and any other refusal)
   * its failure, `approved` the assignment as it stood before the carrier acted on the removal.
   */
  | { type: 'RecordCarrierStatus'; reading: CarrierReading; now: Date }
  /** The carrier holds no assignment for the number (Telnyx answers 404): removed, if removing. */
  | { type: 'RecordCarrierAbsence'; now: Date }
  /** The carrier refused the assign or unassign call (a 4xx with its reasons). */
  | {
      type: 'RecordCarrierRefusal';
      carrierStatus: string;
      reasons: RegistrationReason[];
      now: Date;
    };

interface AssignmentFacts {
  tenantId: string;
  phoneNumber: string;
  campaignId: string;
  requestId: string;
}

export type NumberAssignmentState =
  | { phase: 'none' }
  /** Recorded, the carrier call made or about to be made. */
  | ({ phase: 'started' } & AssignmentFacts)
  /** The carrier took it; provisioning at the carriers goes on. */
  | ({ phase: 'submitted'; carrierStatus: string } & AssignmentFacts)
  | ({ phase: 'assigned'; carrierStatus: string } & AssignmentFacts)
  /** Failed: a new request may try again, to this campaign or another. */
  | ({ phase: 'failed'; carrierStatus: string } & AssignmentFacts)
  /**
   * Being removed from `campaignId` (`requestId` is the removal's): still assigned at the
   * carriers until they confirm. `submitted` once the carrier took the removal.
   */
  | ({ phase: 'unassigning'; carrierStatus: string; submitted: boolean } & AssignmentFacts)
  /** Removed from `campaignId`: on no campaign, free to be assigned again. */
  | ({ phase: 'unassigned' } & AssignmentFacts);

export const initialState: NumberAssignmentState = { phase: 'none' };

/** Decides which facts a command adds to one number's assignment. Empty: nothing to do. */
export function decide(
  command: NumberAssignmentCommand,
  state: NumberAssignmentState,
): NumberAssignmentEvent[] {
  switch (command.type) {
    case 'StartAssignment':
      return startAssignment(command.request, command.context, state, command.now);
    case 'StartUnassignment':
      return startUnassignment(command.request, state, command.now);
    case 'RecordCarrierStatus': {
      const { reading, now } = command;
      switch (state.phase) {
        case 'none':
          throw new RegistrationInvariantError('a carrier status for an assignment never started');
        case 'assigned':
        case 'failed':
        case 'unassigned':
          // Settled: a late or repeated report changes nothing (an unassignment is its own request).
          return [];
        case 'unassigning':
          return unassignmentReport(state, reading, now);
        case 'started':
        case 'submitted':
          break;
      }
      const facts = factsOf(state);
      switch (reading.status) {
        case 'approved':
          return [
            {
              type: 'registration.NumberAssigned.v1',
              data: {
                ...facts,
                carrierStatus: reading.carrierStatus,
                assignedAt: now.toISOString(),
              },
            },
          ];
        case 'rejected':
        case 'suspended':
        case 'expired':
          return [failed(facts, reading.carrierStatus, reading.reasons, now)];
        case 'pending':
          if (state.phase === 'submitted' && state.carrierStatus === reading.carrierStatus)
            return [];
          return [
            {
              type: 'registration.NumberAssignmentSubmitted.v1',
              data: {
                ...facts,
                carrierStatus: reading.carrierStatus,
                submittedAt: now.toISOString(),
              },
            },
          ];
      }
      return [];
    }
    case 'RecordCarrierAbsence':
      return carrierAbsence(state, command.now);
    case 'RecordCarrierRefusal': {
      if (state.phase === 'unassigning' && !state.submitted) {
        return [unassignmentFailed(state, command.carrierStatus, command.reasons, command.now)];
      }
      if (state.phase !== 'started') {
        throw new RegistrationInvariantError(
          `a carrier refusal for an assignment in phase ${state.phase}`,
        );
      }
      return [failed(factsOf(state), command.carrierStatus, command.reasons, command.now)];
    }
  }
}

/**
 * The carrier holds no assignment for the number: a removal is done. Assigning, the carrier may
 * not have the number yet (a poll before the call went through); settled, nothing is awaited.
 */
function carrierAbsence(state: NumberAssignmentState, now: Date): NumberAssignmentEvent[] {
  switch (state.phase) {
    case 'none':
      throw new RegistrationInvariantError('a carrier status for an assignment never started');
    case 'unassigning':
      return [unassigned(state, now)];
    case 'started':
    case 'submitted':
    case 'assigned':
    case 'failed':
    case 'unassigned':
      return [];
  }
}

/**
 * A removal's carrier report: `pending` is the carrier at work on it, a refusal its failure (the
 * number stays assigned); `approved` is the assignment as it stood before the carrier acted on
 * the removal, which is what a poll between the request and the delete call reads.
 */
function unassignmentReport(
  state: Extract<NumberAssignmentState, { phase: 'unassigning' }>,
  reading: CarrierReading,
  now: Date,
): NumberAssignmentEvent[] {
  switch (reading.status) {
    case 'approved':
      return [];
    case 'pending':
      if (state.submitted && state.carrierStatus === reading.carrierStatus) return [];
      return [
        {
          type: 'registration.NumberUnassignmentSubmitted.v1',
          data: {
            ...factsOf(state),
            carrierStatus: reading.carrierStatus,
            submittedAt: now.toISOString(),
          },
        },
      ];
    case 'rejected':
    case 'suspended':
    case 'expired':
      return [unassignmentFailed(state, reading.carrierStatus, reading.reasons, now)];
  }
}

function startUnassignment(
  request: NumberUnassignmentRequested,
  state: NumberAssignmentState,
  now: Date,
): NumberAssignmentEvent[] {
  if (state.phase !== 'none' && state.requestId === request.requestId) return [];
  const refuse = (message: string) => [rejected(request, [{ field: 'phoneNumber', message }], now)];
  const here = state.phase !== 'none' && state.campaignId === request.campaignId;
  switch (state.phase) {
    case 'assigned':
      if (here) break;
      return refuse(`the number is assigned to campaign ${state.campaignId}, not this one`);
    case 'started':
    case 'submitted':
      return refuse(
        here
          ? 'the number is being assigned to this campaign: remove it once it is assigned'
          : 'the number is not assigned to this campaign',
      );
    case 'unassigning':
      return refuse(
        here
          ? 'the number is being removed from this campaign already'
          : 'the number is not assigned to this campaign',
      );
    case 'none':
    case 'failed':
    case 'unassigned':
      return refuse('the number is not assigned to this campaign');
  }
  return [
    {
      type: 'registration.NumberUnassignmentStarted.v1',
      data: {
        tenantId: request.tenantId,
        phoneNumber: request.phoneNumber,
        campaignId: request.campaignId,
        requestId: request.requestId,
        startedAt: now.toISOString(),
      },
    },
  ];
}

function unassigned(
  state: Extract<NumberAssignmentState, { phase: 'unassigning' }>,
  now: Date,
): NumberAssignmentEvent {
  return {
    type: 'registration.NumberUnassigned.v1',
    data: {
      ...factsOf(state),
      ...(state.submitted ? { carrierStatus: state.carrierStatus } : {}),
      unassignedAt: now.toISOString(),
    },
  };
}

function unassignmentFailed(
  state: AssignmentFacts,
  carrierStatus: string,
  reasons: RegistrationReason[],
  now: Date,
): NumberAssignmentEvent {
  return {
    type: 'registration.NumberUnassignmentFailed.v1',
    data: { ...factsOf(state), carrierStatus, reasons, failedAt: now.toISOString() },
  };
}

function startAssignment(
  request: NumberAssignmentRequested,
  context: AssignmentContext,
  state: NumberAssignmentState,
  now: Date,
): NumberAssignmentEvent[] {
  if (state.phase !== 'none' && state.requestId === request.requestId) return [];
  const refuse = (field: string, message: string) => [rejected(request, [{ field, message }], now)];
  const { campaign } = context;
  if (!campaign || campaign.tenantId !== request.tenantId) {
    return refuse('campaignId', 'no such campaign');
  }
  if (!context.tenantOwnsNumber) {
    return refuse('phoneNumber', "the number is not one of the tenant's sender numbers");
  }
  if (context.tollFree) {
    return refuse(
      'phoneNumber',
      'a toll-free number cannot join a 10DLC campaign: verify it as toll-free instead',
    );
  }
  if (campaign.carrierCampaignId === null) {
    return refuse('campaignId', 'the campaign is not submitted to the carrier yet');
  }
  if (
    campaign.status === 'rejected' ||
    campaign.status === 'expired' ||
    campaign.status === 'suspended'
  ) {
    return refuse('campaignId', `the campaign is ${campaign.status}`);
  }
  switch (state.phase) {
    case 'started':
    case 'submitted':
      return refuse(
        'phoneNumber',
        state.campaignId === request.campaignId
          ? 'the number is being assigned to this campaign already'
          : `the number is being assigned to campaign ${state.campaignId}`,
      );
    case 'assigned':
      return refuse(
        'phoneNumber',
        state.campaignId === request.campaignId
          ? 'the number is assigned to this campaign already'
          : `the number is assigned to campaign ${state.campaignId}: unassign it first`,
      );
    case 'unassigning':
      return refuse(
        'phoneNumber',
        `the number is being removed from campaign ${state.campaignId}: assign it once removed`,
      );
    case 'none':
    case 'failed':
    case 'unassigned':
      break;
  }
  return [
    {
      type: 'registration.NumberAssignmentStarted.v1',
      data: {
        tenantId: request.tenantId,
        phoneNumber: request.phoneNumber,
        campaignId: request.campaignId,
        carrierCampaignId: campaign.carrierCampaignId,
        requestId: request.requestId,
        startedAt: now.toISOString(),
      },
    },
  ];
}

function factsOf(state: AssignmentFacts): Omit<AssignmentFacts, 'requestId'> {
  return { tenantId: state.tenantId, phoneNumber: state.phoneNumber, campaignId: state.campaignId };
}

function failed(
  facts: Omit<AssignmentFacts, 'requestId'>,
  carrierStatus: string,
  reasons: RegistrationReason[],
  now: Date,
): NumberAssignmentEvent {
  return {
    type: 'registration.NumberAssignmentFailed.v1',
    data: { ...facts, carrierStatus, reasons, failedAt: now.toISOString() },
  };
}

function rejected(
  request: NumberAssignmentRequested | NumberUnassignmentRequested,
  errors: RegistrationFieldError[],
  now: Date,
): NumberAssignmentEvent {
  return {
    type: 'registration.RegistrationRequestRejected.v1',
    data: {
      requestId: request.requestId,
      tenantId: request.tenantId,
      resource: 'number_assignment',
      resourceId: request.phoneNumber,
      errors,
      rejectedAt: now.toISOString(),
    },
  };
}

export function evolve(
  state: NumberAssignmentState,
  event: NumberAssignmentEvent,
): NumberAssignmentState {
  switch (event.type) {
    case 'registration.NumberAssignmentStarted.v1': {
      const e = event.data;
      return {
        phase: 'started',
        tenantId: e.tenantId,
        phoneNumber: e.phoneNumber,
        campaignId: e.campaignId,
        requestId: e.requestId,
      };
    }
    case 'registration.NumberAssignmentSubmitted.v1':
      return state.phase === 'none'
        ? state
        : { ...state, phase: 'submitted', carrierStatus: event.data.carrierStatus };
    case 'registration.NumberAssigned.v1':
      return state.phase === 'none'
        ? state
        : { ...state, phase: 'assigned', carrierStatus: event.data.carrierStatus };
    case 'registration.NumberAssignmentFailed.v1':
      return state.phase === 'none'
        ? state
        : { ...state, phase: 'failed', carrierStatus: event.data.carrierStatus };
    case 'registration.NumberUnassignmentStarted.v1':
      return state.phase === 'none'
        ? state
        : {
            phase: 'unassigning',
            tenantId: state.tenantId,
            phoneNumber: state.phoneNumber,
            campaignId: state.campaignId,
            requestId: event.data.requestId,
            carrierStatus: 'carrierStatus' in state ? state.carrierStatus : '',
            submitted: false,
          };
    case 'registration.NumberUnassignmentSubmitted.v1':
      return state.phase === 'unassigning'
        ? { ...state, carrierStatus: event.data.carrierStatus, submitted: true }
        : state;
    case 'registration.NumberUnassigned.v1':
      return state.phase === 'unassigning'
        ? {
            phase: 'unassigned',
            tenantId: state.tenantId,
            phoneNumber: state.phoneNumber,
            campaignId: state.campaignId,
            requestId: state.requestId,
          }
        : state;
    case 'registration.NumberUnassignmentFailed.v1':
      // The removal failed: the number stays assigned, as the carrier says.
      return state.phase === 'unassigning'
        ? {
            phase: 'assigned',
            tenantId: state.tenantId,
            phoneNumber: state.phoneNumber,
            campaignId: state.campaignId,
            requestId: state.requestId,
            carrierStatus: event.data.carrierStatus,
          }
        : state;
    case 'registration.RegistrationRequestRejected.v1':
      return state;
  }
}
