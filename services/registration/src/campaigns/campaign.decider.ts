import type {
  CampaignDetails,
  CampaignSubmissionRequested,
  RegistrationFieldError,
  RegistrationReason,
  RegistrationStatus,
} from '@textplane/contracts';
import { type EntityType, lintCampaign, parseCampaign } from '@textplane/trust-rules';
import {
  type CampaignCarrierReading,
  isAllowedTransition,
  RegistrationInvariantError,
} from '../registration-status.js';
import type { CampaignEvent } from './campaign.events.js';

/** What the submission needs to know of the campaign's brand, looked up by the caller. */
export interface CampaignBrand {
  brandId: string;
  tenantId: string;
  status: RegistrationStatus;
  /** Null until the carrier created the brand. */
  carrierBrandId: string | null;
  entityType: EntityType;
  displayName: string;
  companyName?: string;
  email?: string;
  phone?: string;
  /** Campaigns the brand already has, this one not counted (a sole proprietor may have one). */
  campaignCount: number;
}

export type CampaignCommand =
  | {
      type: 'StartSubmission';
      request: CampaignSubmissionRequested;
      /** Null when no such brand is known. */
      brand: CampaignBrand | null;
      now: Date;
    }
  | {
      type: 'RecordCarrierSubmission';
      carrierCampaignId: string;
      tcrCampaignId?: string;
      reading: CampaignCarrierReading;
      now: Date;
    }
  | {
      type: 'RecordCarrierRefusal';
      carrierStatus: string;
      reasons: RegistrationReason[];
      now: Date;
    }
  | { type: 'RecordCarrierStatus'; reading: CampaignCarrierReading; now: Date }
  /** A number's assignment to this campaign is provisioned (from its assignment stream). */
  | { type: 'RecordNumberProvisioned'; phoneNumber: string; now: Date };

interface CampaignFacts {
  campaignId: string;
  tenantId: string;
  brandId: string;
  requestId: string;
  campaign: CampaignDetails;
  status: RegistrationStatus;
}

export type CampaignState =
  | { phase: 'none' }
  | ({ phase: 'started' } & CampaignFacts)
  | ({
      phase: 'submitted';
      carrierCampaignId: string;
      carrierStatus: string;
      carrierAccepted: boolean;
      provisionedNumbers: readonly string[];
    } & CampaignFacts);

export const initialState: CampaignState = { phase: 'none' };

type Submitted = Extract<CampaignState, { phase: 'submitted' }>;

/** Decides which facts a command adds to one campaign. An empty list means "nothing to do". */
export function decide(command: CampaignCommand, state: CampaignState): CampaignEvent[] {
  switch (command.type) {
    case 'StartSubmission':
      return startSubmission(command.request, command.brand, state, command.now);
    case 'RecordCarrierSubmission': {
      if (state.phase === 'submitted') {
        if (state.carrierCampaignId === command.carrierCampaignId) return [];
        throw new RegistrationInvariantError(
          `campaign ${state.campaignId} is submitted as ${state.carrierCampaignId}, not ${command.carrierCampaignId}`,
        );
      }
      if (state.phase === 'none') {
        throw new RegistrationInvariantError('a carrier submission for a campaign never started');
      }
      const submitted: CampaignEvent = {
        type: 'registration.CampaignSubmitted.v1',
        data: {
          campaignId: state.campaignId,
          tenantId: state.tenantId,
          brandId: state.brandId,
          carrierCampaignId: command.carrierCampaignId,
          ...(command.tcrCampaignId ? { tcrCampaignId: command.tcrCampaignId } : {}),
          status: 'pending',
          carrierStatus: command.reading.carrierStatus,
          submittedAt: command.now.toISOString(),
        },
      };
      const { reading } = command;
      // The carrier may answer with its word already (a rejection at submission): no number
      // is provisioned yet, so it cannot be an approval.
      if (reading.status === 'pending' && !reading.carrierAccepted) return [submitted];
      return [
        submitted,
        {
          type: 'registration.CampaignStatusChanged.v1',
          data: {
            campaignId: state.campaignId,
            tenantId: state.tenantId,
            status: reading.status,
            previousStatus: 'pending',
            carrierStatus: reading.carrierStatus,
            carrierAccepted: reading.carrierAccepted,
            reasons: reading.reasons,
            changedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordCarrierRefusal': {
      if (state.phase !== 'started') {
        throw new RegistrationInvariantError(
          `a carrier refusal for a campaign in phase ${state.phase}`,
        );
      }
      if (state.status === 'rejected') return [];
      return [
        {
          type: 'registration.CampaignStatusChanged.v1',
          data: {
            campaignId: state.campaignId,
            tenantId: state.tenantId,
            status: 'rejected',
            previousStatus: state.status,
            carrierStatus: command.carrierStatus,
            carrierAccepted: false,
            reasons: command.reasons,
            changedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordCarrierStatus': {
      if (state.phase !== 'submitted') {
        throw new RegistrationInvariantError(
          `a carrier status for a campaign in phase ${state.phase}`,
        );
      }
      return statusChange(state, command.reading, command.now);
    }
    case 'RecordNumberProvisioned': {
      if (state.phase !== 'submitted') {
        throw new RegistrationInvariantError(
          `a provisioned number for a campaign in phase ${state.phase}`,
        );
      }
      if (state.provisionedNumbers.includes(command.phoneNumber)) return [];
      const provisioned: CampaignEvent = {
        type: 'registration.CampaignNumberProvisioned.v1',
        data: {
          campaignId: state.campaignId,
          tenantId: state.tenantId,
          phoneNumber: command.phoneNumber,
          provisionedAt: command.now.toISOString(),
        },
      };
      const after = evolve(state, provisioned) as Submitted;
      return [
        provisioned,
        ...statusChange(
          after,
          {
            status: after.status === 'approved' ? 'pending' : after.status,
            carrierAccepted: after.carrierAccepted,
            carrierStatus: after.carrierStatus,
            reasons: [],
          },
          command.now,
        ),
      ];
    }
  }
}

/**
 * The status the carriers' word makes: `approved` once they accepted the campaign and a
 * number's assignment is provisioned, else what they said.
 */
function statusOf(state: Submitted, reading: CampaignCarrierReading): RegistrationStatus {
  return reading.status === 'pending' &&
    reading.carrierAccepted &&
    state.provisionedNumbers.length > 0
    ? 'approved'
    : reading.status;
}

function statusChange(
  state: Submitted,
  reading: CampaignCarrierReading,
  now: Date,
): CampaignEvent[] {
  const status = statusOf(state, reading);
  if (status === state.status && reading.carrierStatus === state.carrierStatus) return [];
  // A stale or out-of-order report (after an expiry) changes nothing.
  if (!isAllowedTransition(state.status, status)) return [];
  const changed: CampaignEvent = {
    type: 'registration.CampaignStatusChanged.v1',
    data: {
      campaignId: state.campaignId,
      tenantId: state.tenantId,
      status,
      previousStatus: state.status,
      carrierStatus: reading.carrierStatus,
      carrierAccepted: reading.carrierAccepted,
      reasons: reading.reasons,
      changedAt: now.toISOString(),
    },
  };
  // Each time the campaign becomes approved (again, after a suspension) the gate reopens.
  if (status !== 'approved' || state.status === 'approved') return [changed];
  return [
    changed,
    {
      type: 'registration.CampaignApproved.v1',
      data: {
        campaignId: state.campaignId,
        tenantId: state.tenantId,
        brandId: state.brandId,
        usecase: state.campaign.usecase,
        carrierStatus: reading.carrierStatus,
        phoneNumbers: [...state.provisionedNumbers],
        approvedAt: now.toISOString(),
      },
    },
  ];
}

function startSubmission(
  request: CampaignSubmissionRequested,
  brand: CampaignBrand | null,
  state: CampaignState,
  now: Date,
): CampaignEvent[] {
  if (state.phase !== 'none') {
    if (state.requestId === request.requestId) return [];
    return [
      rejected(request, [{ field: 'campaignId', message: 'a campaign with this id exists' }], now),
    ];
  }
  if (!brand || brand.tenantId !== request.tenantId) {
    return [rejected(request, [{ field: 'brandId', message: 'no such brand' }], now)];
  }
  const parsed = parseCampaign(request.campaign, {
    brandEntityType: brand.entityType,
    brandCampaignCount: brand.campaignCount,
  });
  if (!parsed.ok) return [rejected(request, parsed.errors, now)];
  if (brand.status !== 'approved' || brand.carrierBrandId === null) {
    return [
      rejected(
        request,
        [
          {
            field: 'brandId',
            message: `the brand is ${brand.status}: a campaign needs an approved brand`,
          },
        ],
        now,
      ),
    ];
  }
  // The lint runs before every submission: what it finds gets campaigns rejected, fee paid.
  const findings = lintCampaign(parsed.campaign, {
    displayName: brand.displayName,
    ...(brand.companyName ? { companyName: brand.companyName } : {}),
    ...(brand.email ? { email: brand.email } : {}),
    ...(brand.phone ? { phone: brand.phone } : {}),
  });
  if (findings.length > 0) {
    return [
      rejected(
        request,
        findings.map((f) => ({ field: f.field, message: `${f.code}: ${f.message}` })),
        now,
      ),
    ];
  }
  const campaign = parsed.campaign;
  return [
    {
      type: 'registration.CampaignSubmissionStarted.v1',
      data: {
        campaignId: request.campaignId,
        tenantId: request.tenantId,
        requestId: request.requestId,
        carrierBrandId: brand.carrierBrandId,
        campaign: {
          ...campaign,
          ...(campaign.optinMessage === undefined ? {} : { optinMessage: campaign.optinMessage }),
        },
        startedAt: now.toISOString(),
      },
    },
  ];
}

function rejected(
  request: CampaignSubmissionRequested,
  errors: RegistrationFieldError[],
  now: Date,
): CampaignEvent {
  return {
    type: 'registration.RegistrationRequestRejected.v1',
    data: {
      requestId: request.requestId,
      tenantId: request.tenantId,
      resource: 'campaign',
      resourceId: request.campaignId,
      errors,
      rejectedAt: now.toISOString(),
    },
  };
}

export function evolve(state: CampaignState, event: CampaignEvent): CampaignState {
  switch (event.type) {
    case 'registration.CampaignSubmissionStarted.v1': {
      const e = event.data;
      return {
        phase: 'started',
        campaignId: e.campaignId,
        tenantId: e.tenantId,
        brandId: e.campaign.brandId,
        requestId: e.requestId,
        campaign: e.campaign,
        status: 'pending',
      };
    }
    case 'registration.CampaignSubmitted.v1': {
      if (state.phase !== 'started') return state;
      const e = event.data;
      return {
        ...state,
        phase: 'submitted',
        carrierCampaignId: e.carrierCampaignId,
        carrierStatus: e.carrierStatus,
        carrierAccepted: false,
        provisionedNumbers: [],
        status: e.status,
      };
    }
    case 'registration.CampaignStatusChanged.v1': {
      switch (state.phase) {
        case 'none':
          return state;
        case 'started':
          return { ...state, status: event.data.status };
        case 'submitted':
          return {
            ...state,
            status: event.data.status,
            carrierStatus: event.data.carrierStatus,
            carrierAccepted: event.data.carrierAccepted ?? state.carrierAccepted,
          };
      }
      return state;
    }
    case 'registration.CampaignNumberProvisioned.v1':
      return state.phase === 'submitted'
        ? { ...state, provisionedNumbers: [...state.provisionedNumbers, event.data.phoneNumber] }
        : state;
    case 'registration.CampaignApproved.v1':
    case 'registration.RegistrationRequestRejected.v1':
      return state;
  }
}
