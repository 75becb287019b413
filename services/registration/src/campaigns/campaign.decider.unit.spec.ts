import type { RegistrationReason, RegistrationStatus } from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import {
  at,
  brandId,
  campaignBody,
  campaignId,
  campaignRequest,
  now,
  otherTenantId,
  tenantId,
  tenantNumber,
} from '../../test/fixtures.js';
import { type CampaignCarrierReading, RegistrationInvariantError } from '../registration-status.js';
import {
  type CampaignBrand,
  type CampaignCommand,
  type CampaignState,
  decide,
  evolve,
  initialState,
} from './campaign.decider.js';
import type { CampaignEvent } from './campaign.events.js';

const given = deciderSpecification<CampaignCommand, CampaignEvent, CampaignState>({
  decide,
  evolve,
  initialState,
});

const carrierBrandId = '4b20017f-8da9-a992-a6c0-683072fb7729';
const carrierCampaignId = '4b300178-131c-d902-d54e-72d90ba1620j';
const brand: CampaignBrand = {
  brandId,
  tenantId,
  status: 'approved',
  carrierBrandId,
  entityType: 'PRIVATE_PROFIT',
  displayName: 'Acme Dental',
  companyName: 'Acme Dental LLC',
  email: 'support@acmedental.com',
  phone: '+15125550100',
  campaignCount: 0,
};
const request = campaignRequest();
const start = (overrides: Partial<Extract<CampaignCommand, { type: 'StartSubmission' }>> = {}) =>
  ({ type: 'StartSubmission', request, brand, now, ...overrides }) as CampaignCommand;

const started: CampaignEvent = {
  type: 'registration.CampaignSubmissionStarted.v1',
  data: {
    campaignId,
    tenantId,
    requestId: request.requestId,
    carrierBrandId,
    campaign: campaignBody,
    startedAt: at,
  },
};
const submitted: CampaignEvent = {
  type: 'registration.CampaignSubmitted.v1',
  data: {
    campaignId,
    tenantId,
    brandId,
    carrierCampaignId,
    tcrCampaignId: 'CX4ABCD',
    status: 'pending',
    carrierStatus: 'TCR_PENDING',
    submittedAt: at,
  },
};
const provisioned = (phoneNumber = tenantNumber): CampaignEvent => ({
  type: 'registration.CampaignNumberProvisioned.v1',
  data: { campaignId, tenantId, phoneNumber, provisionedAt: at },
});
function changed(
  previousStatus: RegistrationStatus,
  status: RegistrationStatus,
  carrierStatus: string,
  carrierAccepted: boolean,
  reasons: RegistrationReason[] = [],
): CampaignEvent {
  return {
    type: 'registration.CampaignStatusChanged.v1',
    data: {
      campaignId,
      tenantId,
      status,
      previousStatus,
      carrierStatus,
      carrierAccepted,
      reasons,
      changedAt: at,
    },
  };
}
const approved = (carrierStatus: string, phoneNumbers = [tenantNumber]): CampaignEvent => ({
  type: 'registration.CampaignApproved.v1',
  data: {
    campaignId,
    tenantId,
    brandId,
    usecase: 'ACCOUNT_NOTIFICATION',
    carrierStatus,
    phoneNumbers,
    approvedAt: at,
  },
});
const reading = (
  status: CampaignCarrierReading['status'],
  carrierStatus: string,
  carrierAccepted = false,
  reasons: RegistrationReason[] = [],
): CampaignCarrierReading => ({ status, carrierStatus, carrierAccepted, reasons });
const report = (r: CampaignCarrierReading): CampaignCommand => ({
  type: 'RecordCarrierStatus',
  reading: r,
  now,
});
const numberProvisioned = (phoneNumber = tenantNumber): CampaignCommand => ({
  type: 'RecordNumberProvisioned',
  phoneNumber,
  now,
});
const invariant = (error: unknown) => error instanceof RegistrationInvariantError;
const optOutReason: RegistrationReason = {
  code: 'missing_opt_out_language',
  carrierReason: 'Sample messages must include opt-out language',
  suggestedFix: 'End a sample message with "Reply STOP to opt out."',
  field: 'sampleMessages',
};

function rejectionOf(command: CampaignCommand, history: CampaignEvent[] = []) {
  const events = decide(command, history.reduce(evolve, initialState));
  expect(events).toHaveLength(1);
  const [event] = events;
  if (event?.type !== 'registration.RegistrationRequestRejected.v1') {
    throw new Error(`expected a rejection, got ${event?.type ?? 'nothing'}`);
  }
  expect(event.data).toMatchObject({ resource: 'campaign', resourceId: campaignId, tenantId });
  return event.data.errors;
}

describe('campaign decider: submission', () => {
  it('starts a submission for an approved brand, naming its carrier id', () => {
    given([]).when(start()).then([started]);
  });

  it('takes a redelivered request once, and refuses a second campaign of the same id', () => {
    given([started]).when(start()).thenNothingHappens();
    expect(rejectionOf(start({ request: campaignRequest() }), [started])).toEqual([
      { field: 'campaignId', message: 'a campaign with this id exists' },
    ]);
  });

  it("refuses an unknown brand, or another tenant's", () => {
    const noBrand = [{ field: 'brandId', message: 'no such brand' }];
    expect(rejectionOf(start({ brand: null }))).toEqual(noBrand);
    expect(rejectionOf(start({ brand: { ...brand, tenantId: otherTenantId } }))).toEqual(noBrand);
  });

  it.each(['pending', 'rejected', 'suspended', 'expired'] as const)(
    'refuses a brand that is %s',
    (brandStatus) => {
      expect(rejectionOf(start({ brand: { ...brand, status: brandStatus } }))).toEqual([
        {
          field: 'brandId',
          message: `the brand is ${brandStatus}: a campaign needs an approved brand`,
        },
      ]);
    },
  );

  it('refuses what the field rules refuse (0 or 6 samples, an unknown use case), every field', () => {
    const bad = campaignRequest({
      campaign: { ...campaignBody, sampleMessages: [], usecase: 'NOT_A_USECASE' },
    });
    const fields = rejectionOf(start({ request: bad })).map((e) => e.field);
    expect(fields).toContain('sampleMessages');
    expect(fields).toContain('usecase');
    const six = campaignRequest({
      campaign: {
        ...campaignBody,
        sampleMessages: Array.from({ length: 6 }, () => campaignBody.sampleMessages[0] ?? ''),
      },
    });
    expect(rejectionOf(start({ request: six })).map((e) => e.field)).toContain('sampleMessages');
  });

  it("refuses a sole proprietor's second campaign", () => {
    const sole = { ...brand, entityType: 'SOLE_PROPRIETOR' as const, campaignCount: 1 };
    const soleCampaign = campaignRequest({
      campaign: { ...campaignBody, usecase: 'SOLE_PROPRIETOR' },
    });
    given([])
      .when(start({ brand: { ...sole, campaignCount: 0 }, request: soleCampaign }))
      .then([
        {
          ...started,
          data: {
            ...started.data,
            requestId: soleCampaign.requestId,
            campaign: soleCampaign.campaign,
          },
        },
      ]);
    expect(rejectionOf(start({ brand: sole, request: soleCampaign })).map((e) => e.field)).toEqual([
      'brandId',
    ]);
  });

  it("refuses what the lint finds, with the finding's code and field, before any fee", () => {
    const noOptOut = campaignRequest({
      campaign: {
        ...campaignBody,
        sampleMessages: ['Acme Dental: your cleaning is booked for Tue 3 PM.'],
      },
    });
    const errors = rejectionOf(start({ request: noOptOut }));
    expect(errors.map((e) => e.field)).toEqual(['sampleMessages.0']);
    expect(errors[0]?.message).toMatch(/^missing_opt_out_language: /);
  });
});

describe("campaign decider: the carrier's answer to the submission", () => {
  const answer = (r: CampaignCarrierReading): CampaignCommand => ({
    type: 'RecordCarrierSubmission',
    carrierCampaignId,
    tcrCampaignId: 'CX4ABCD',
    reading: r,
    now,
  });

  it('records the carrier ids, pending', () => {
    given([started])
      .when(answer(reading('pending', 'TCR_PENDING')))
      .then([submitted]);
  });

  it('records a decision given with the answer', () => {
    given([started])
      .when(answer(reading('rejected', 'TCR_FAILED', false, [optOutReason])))
      .then([
        { ...submitted, data: { ...submitted.data, carrierStatus: 'TCR_FAILED' } },
        changed('pending', 'rejected', 'TCR_FAILED', false, [optOutReason]),
      ] as CampaignEvent[]);
  });

  it('takes the same answer twice once; refuses another id, or no submission', () => {
    given([started, submitted])
      .when(answer(reading('pending', 'TCR_PENDING')))
      .thenNothingHappens();
    given([started, submitted])
      .when({
        ...answer(reading('pending', 'TCR_PENDING')),
        carrierCampaignId: 'other',
      } as CampaignCommand)
      .thenThrows(invariant);
    given([])
      .when(answer(reading('pending', 'TCR_PENDING')))
      .thenThrows(invariant);
  });

  it('records a refused submission as rejected with its reasons, once', () => {
    const refusal: CampaignCommand = {
      type: 'RecordCarrierRefusal',
      carrierStatus: 'TCR_FAILED',
      reasons: [optOutReason],
      now,
    };
    const rejectedAtSubmission = changed('pending', 'rejected', 'TCR_FAILED', false, [
      optOutReason,
    ]);
    given([started]).when(refusal).then([rejectedAtSubmission]);
    given([started, rejectedAtSubmission]).when(refusal).thenNothingHappens();
    given([started, submitted]).when(refusal).thenThrows(invariant);
  });
});

describe('campaign decider: approval needs acceptance AND a provisioned number', () => {
  it('stays pending while the registry and carriers review it', () => {
    given([started, submitted])
      .when(report(reading('pending', 'TELNYX_ACCEPTED')))
      .then([changed('pending', 'pending', 'TELNYX_ACCEPTED', false)]);
  });

  it('accepted by the carriers without a number: pending, acceptance noted', () => {
    given([started, submitted])
      .when(report(reading('pending', 'MNO_PROVISIONED', true)))
      .then([changed('pending', 'pending', 'MNO_PROVISIONED', true)]);
  });

  it('then the first provisioned number approves it', () => {
    given([started, submitted, changed('pending', 'pending', 'MNO_PROVISIONED', true)])
      .when(numberProvisioned())
      .then([
        provisioned(),
        changed('pending', 'approved', 'MNO_PROVISIONED', true),
        approved('MNO_PROVISIONED'),
      ]);
  });

  it('a number provisioned first: acceptance then approves it with that number', () => {
    given([started, submitted, provisioned()])
      .when(report(reading('pending', 'MNO_PROVISIONED', true)))
      .then([changed('pending', 'approved', 'MNO_PROVISIONED', true), approved('MNO_PROVISIONED')]);
  });

  it('a provisioned number alone does not approve it', () => {
    given([started, submitted]).when(numberProvisioned()).then([provisioned()]);
  });

  it('a further number on an approved campaign is recorded, not approved twice', () => {
    const history = [
      started,
      submitted,
      provisioned(),
      changed('pending', 'approved', 'MNO_PROVISIONED', true),
      approved('MNO_PROVISIONED'),
    ];
    given(history)
      .when(numberProvisioned('+15125550143'))
      .then([provisioned('+15125550143')]);
    given(history).when(numberProvisioned()).thenNothingHappens();
    given(history)
      .when(report(reading('pending', 'MNO_PROVISIONED', true)))
      .thenNothingHappens();
  });

  it('a number provisioned on a rejected campaign does not approve it', () => {
    given([started, submitted, changed('pending', 'rejected', 'MNO_REJECTED', false)])
      .when(numberProvisioned())
      .then([provisioned()]);
  });

  it('refuses a provisioned number or a report for a campaign not submitted', () => {
    given([started]).when(numberProvisioned()).thenThrows(invariant);
    given([])
      .when(report(reading('pending', 'TCR_PENDING')))
      .thenThrows(invariant);
  });
});

describe('campaign decider: status transitions after submission', () => {
  const approvedHistory: CampaignEvent[] = [
    started,
    submitted,
    provisioned(),
    changed('pending', 'approved', 'MNO_PROVISIONED', true),
    approved('MNO_PROVISIONED'),
  ];

  it('pending -> rejected, with the reasons', () => {
    given([started, submitted])
      .when(report(reading('rejected', 'MNO_REJECTED', false, [optOutReason])))
      .then([changed('pending', 'rejected', 'MNO_REJECTED', false, [optOutReason])]);
  });

  it('approved -> suspended -> approved again (the gate reopens)', () => {
    const suspended = changed('approved', 'suspended', 'TCR_SUSPENDED', false);
    given(approvedHistory)
      .when(report(reading('suspended', 'TCR_SUSPENDED')))
      .then([suspended]);
    given([...approvedHistory, suspended])
      .when(report(reading('pending', 'MNO_PROVISIONED', true)))
      .then([
        changed('suspended', 'approved', 'MNO_PROVISIONED', true),
        approved('MNO_PROVISIONED'),
      ]);
  });

  it('approved -> expired, and nothing after an expiry', () => {
    const expired = changed('approved', 'expired', 'TCR_EXPIRED', false);
    given(approvedHistory)
      .when(report(reading('expired', 'TCR_EXPIRED')))
      .then([expired]);
    given([...approvedHistory, expired])
      .when(report(reading('pending', 'MNO_PROVISIONED', true)))
      .thenNothingHappens();
    given([...approvedHistory, expired])
      .when(report(reading('suspended', 'TCR_SUSPENDED')))
      .thenNothingHappens();
  });

  it('rejected -> pending (resubmitted), and rejected -> suspended refused', () => {
    const rejected = changed('pending', 'rejected', 'MNO_REJECTED', false);
    given([started, submitted, rejected])
      .when(report(reading('pending', 'MNO_PENDING')))
      .then([changed('rejected', 'pending', 'MNO_PENDING', false)]);
    given([started, submitted, rejected])
      .when(report(reading('suspended', 'TCR_SUSPENDED')))
      .thenNothingHappens();
  });

  it('approved -> rejected withdraws the acceptance: a new number does not approve it', () => {
    const rejected = changed('approved', 'rejected', 'MNO_REJECTED', false);
    given([...approvedHistory, rejected])
      .when(numberProvisioned('+15125550143'))
      .then([provisioned('+15125550143')]);
  });

  it('takes the same report twice once', () => {
    given([started, submitted])
      .when(report(reading('pending', 'TCR_PENDING')))
      .thenNothingHappens();
  });
});
