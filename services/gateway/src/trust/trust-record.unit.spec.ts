import type { BrandDetails, CampaignDetails, RegistrationStatus } from '@textplane/contracts';
import { projectionSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import { campaignNumbersOf } from './trust-read-model.js';
import {
  evolveBrand,
  evolveCampaign,
  evolveCampaignNumber,
  holdsNumber,
  isClosedCampaign,
  isTrustEventType,
  type NumberRemovalState,
  numberAssignmentTargetOf,
  type TrustBrandRow,
  type TrustCampaignNumberRow,
  type TrustCampaignRow,
  type TrustEvent,
} from './trust-record.js';
import { isTollFreeNumber } from './trust-center.application.js';

const TENANT = '0190c5a0-0000-7000-8000-0000000000aa';
const BRAND = '0190c5a0-0000-7000-8000-000000000001';
const CAMPAIGN = '0190c5a0-0000-7000-8000-000000000002';
const REQUEST = '0190c5a0-0000-7000-8000-000000000003';
const REQUEST_2 = '0190c5a0-0000-7000-8000-000000000004';
const PHONE = '+13125550123';
const at = (minute: number) => `2026-12-03T10:${String(minute).padStart(2, '0')}:00.000Z`;

const brand: BrandDetails = {
  entityType: 'PRIVATE_PROFIT',
  displayName: 'Harbor Books',
  companyName: 'Harbor Books LLC',
  ein: '12-3456789',
  phone: '+13125550100',
  street: '1 Wacker Dr',
  city: 'Chicago',
  state: 'IL',
  postalCode: '60601',
  country: 'US',
  email: 'support@harborbooks.com',
  vertical: 'RETAIL',
};

const campaign: CampaignDetails = {
  brandId: BRAND,
  usecase: 'ACCOUNT_NOTIFICATION',
  description: 'Order updates and pickup notices for customers of Harbor Books.',
  messageFlow: 'Customers check an SMS consent box at https://harborbooks.com/checkout.',
  sampleMessages: ['Harbor Books: your order is ready. Reply STOP to opt out.'],
  helpMessage: 'Harbor Books: email support@harborbooks.com.',
  optoutMessage: 'Harbor Books: you are unsubscribed.',
  helpKeywords: ['HELP'],
  optinKeywords: [],
  optoutKeywords: ['STOP'],
  embeddedLink: false,
  embeddedPhone: false,
  numberPool: false,
  ageGated: false,
  directLending: false,
};

const pending = (minute: number) => ({
  at: at(minute),
  status: 'pending' as const,
  carrierStatus: null,
  reasons: [],
  errors: [],
});

const brandRequested: TrustEvent = {
  type: 'gateway.BrandRegistrationRequested.v1',
  data: { requestId: REQUEST, tenantId: TENANT, brandId: BRAND, brand, requestedAt: at(0) },
};
const campaignRequested: TrustEvent = {
  type: 'gateway.CampaignSubmissionRequested.v1',
  data: {
    requestId: REQUEST,
    tenantId: TENANT,
    campaignId: CAMPAIGN,
    campaign,
    requestedAt: at(0),
  },
};
const numberRequested = (requestId: string, minute: number): TrustEvent => ({
  type: 'gateway.NumberAssignmentRequested.v1',
  data: {
    requestId,
    tenantId: TENANT,
    campaignId: CAMPAIGN,
    phoneNumber: PHONE,
    requestedAt: at(minute),
  },
});
const reason = {
  code: 'ein_mismatch',
  carrierReason: 'Tax ID does not match',
  suggestedFix: 'Give the legal name the IRS has for this EIN',
};

const requestedBrandRow: TrustBrandRow = {
  brand_id: BRAND,
  stream_version: 1,
  otp: null,
  vetting: null,
  tenant_id: TENANT,
  request_id: REQUEST,
  details: brand,
  status: 'pending',
  carrier_status: null,
  carrier_brand_id: null,
  tcr_brand_id: null,
  vetting_score: null,
  vetting_provider: null,
  vetted_at: null,
  reasons: [],
  errors: [],
  history: [pending(0)],
  created_at: at(0),
  updated_at: at(0),
};

describe('evolveBrand', () => {
  const given = projectionSpecification(evolveBrand);

  it('starts pending from the gateway’s request', () => {
    given([brandRequested]).then(requestedBrandRow);
  });

  it('adds the carrier’s registration, verdict with reasons and vetting score', () => {
    given([
      brandRequested,
      {
        type: 'registration.BrandRegistered.v1',
        data: {
          brandId: BRAND,
          tenantId: TENANT,
          carrierBrandId: 'carrier-1',
          tcrBrandId: 'BX1',
          status: 'pending',
          carrierStatus: 'REGISTRATION_PENDING',
          registeredAt: at(1),
        },
      },
      {
        type: 'registration.BrandStatusChanged.v1',
        data: {
          brandId: BRAND,
          tenantId: TENANT,
          status: 'rejected',
          previousStatus: 'pending',
          carrierStatus: 'REGISTRATION_FAILED',
          reasons: [reason],
          changedAt: at(2),
        },
      },
      {
        type: 'registration.BrandVetted.v1',
        data: { brandId: BRAND, tenantId: TENANT, vettingScore: 40, vettedAt: at(3) },
      },
    ]).then({
      ...requestedBrandRow,
      status: 'rejected',
      carrier_status: 'REGISTRATION_FAILED',
      carrier_brand_id: 'carrier-1',
      tcr_brand_id: 'BX1',
      vetting_score: 40,
      vetted_at: at(3),
      reasons: [reason],
      history: [
        pending(0),
        { ...pending(1), carrierStatus: 'REGISTRATION_PENDING' },
        {
          at: at(2),
          status: 'rejected',
          carrierStatus: 'REGISTRATION_FAILED',
          reasons: [reason],
          errors: [],
        },
      ],
      updated_at: at(3),
    });
  });

  it('shows a refusal of its request as rejected with the field errors; another request’s changes nothing', () => {
    const errors = [{ field: 'ein', message: 'must be 9 digits' }];
    const refusal = (requestId: string): TrustEvent => ({
      type: 'registration.RegistrationRequestRejected.v1',
      data: {
        requestId,
        tenantId: TENANT,
        resource: 'brand',
        resourceId: BRAND,
        errors,
        rejectedAt: at(1),
      },
    });
    given([brandRequested, refusal(REQUEST_2)]).then(requestedBrandRow);
    given([brandRequested, refusal(REQUEST)]).then({
      ...requestedBrandRow,
      status: 'rejected',
      errors,
      history: [pending(0), { ...pending(1), status: 'rejected', errors }],
      updated_at: at(1),
    });
  });

  it('starts from registration’s started fact for a brand not requested here; other facts of an unknown brand keep it unknown', () => {
    given([
      {
        type: 'registration.BrandRegistrationStarted.v1',
        data: { brandId: BRAND, tenantId: TENANT, requestId: REQUEST, brand, startedAt: at(0) },
      },
    ]).then({ ...requestedBrandRow, stream_version: 0 });
    given([
      {
        type: 'registration.BrandVetted.v1',
        data: { brandId: BRAND, tenantId: TENANT, vettingScore: 75, vettedAt: at(3) },
      },
    ]).then(null);
  });

  it('follows the latest OTP request: requested, sent, failed at verification with reasons; a stale fact changes nothing', () => {
    const otpRequested: TrustEvent = {
      type: 'gateway.BrandOtpRequested.v1',
      data: { requestId: REQUEST_2, tenantId: TENANT, brandId: BRAND, requestedAt: at(1) },
    };
    const sent: TrustEvent = {
      type: 'registration.BrandOtpSent.v1',
      data: {
        brandId: BRAND,
        tenantId: TENANT,
        requestId: REQUEST_2,
        referenceId: 'r1',
        sentAt: at(2),
      },
    };
    const stale: TrustEvent = {
      type: 'registration.BrandOtpVerified.v1',
      data: { brandId: BRAND, tenantId: TENANT, requestId: REQUEST, verifiedAt: at(3) },
    };
    const failed: TrustEvent = {
      type: 'registration.BrandOtpFailed.v1',
      data: {
        brandId: BRAND,
        tenantId: TENANT,
        requestId: REQUEST_2,
        step: 'verification',
        reasons: [reason],
        failedAt: at(4),
      },
    };
    given([brandRequested, otpRequested, sent, stale, failed]).then({
      ...requestedBrandRow,
      stream_version: 2,
      otp: {
        requestId: REQUEST_2,
        status: 'failed',
        failedStep: 'verification',
        reasons: [reason],
        errors: [],
        updatedAt: at(4),
      },
      updated_at: at(4),
    });
  });

  it('follows the latest vetting request; a refusal shows it rejected, the brand itself unchanged', () => {
    const errors = [{ field: 'brandId', message: 'the brand is not registered' }];
    given([
      brandRequested,
      {
        type: 'gateway.BrandVettingRequested.v1',
        data: { requestId: REQUEST_2, tenantId: TENANT, brandId: BRAND, requestedAt: at(1) },
      },
      {
        type: 'registration.RegistrationRequestRejected.v1',
        data: {
          requestId: REQUEST_2,
          tenantId: TENANT,
          resource: 'brand_vetting',
          resourceId: BRAND,
          errors,
          rejectedAt: at(2),
        },
      },
    ]).then({
      ...requestedBrandRow,
      stream_version: 2,
      vetting: {
        requestId: REQUEST_2,
        status: 'rejected',
        evpId: null,
        vettingClass: null,
        vettingId: null,
        reasons: [],
        errors,
        updatedAt: at(2),
      },
      updated_at: at(2),
    });
  });

  it('leaves a brand alone for campaign and number events', () => {
    expect(evolveBrand(requestedBrandRow, campaignRequested)).toBe(requestedBrandRow);
    expect(evolveBrand(requestedBrandRow, numberRequested(REQUEST, 1))).toBe(requestedBrandRow);
  });
});

const requestedCampaignRow: TrustCampaignRow = {
  campaign_id: CAMPAIGN,
  tenant_id: TENANT,
  brand_id: BRAND,
  request_id: REQUEST,
  details: campaign,
  status: 'pending',
  carrier_status: null,
  carrier_campaign_id: null,
  tcr_campaign_id: null,
  carrier_accepted: false,
  stream_version: 1,
  reasons: [],
  errors: [],
  history: [pending(0)],
  created_at: at(0),
  updated_at: at(0),
};

describe('evolveCampaign', () => {
  const given = projectionSpecification(evolveCampaign);

  it('counts its stream’s version: the request, then each number request', () => {
    given([campaignRequested]).then(requestedCampaignRow);
    given([campaignRequested, numberRequested(REQUEST, 1), numberRequested(REQUEST_2, 2)]).then({
      ...requestedCampaignRow,
      stream_version: 3,
    });
  });

  it('follows the carrier: submitted, accepted, approved', () => {
    given([
      campaignRequested,
      {
        type: 'registration.CampaignSubmitted.v1',
        data: {
          campaignId: CAMPAIGN,
          tenantId: TENANT,
          brandId: BRAND,
          carrierCampaignId: 'carrier-c1',
          status: 'pending',
          carrierStatus: 'TCR_PENDING',
          submittedAt: at(1),
        },
      },
      {
        type: 'registration.CampaignStatusChanged.v1',
        data: {
          campaignId: CAMPAIGN,
          tenantId: TENANT,
          status: 'approved',
          previousStatus: 'pending',
          carrierStatus: 'MNO_PROVISIONED',
          carrierAccepted: true,
          reasons: [],
          changedAt: at(2),
        },
      },
    ]).then({
      ...requestedCampaignRow,
      status: 'approved',
      carrier_status: 'MNO_PROVISIONED',
      carrier_campaign_id: 'carrier-c1',
      carrier_accepted: true,
      history: [
        pending(0),
        { ...pending(1), carrierStatus: 'TCR_PENDING' },
        { ...pending(2), status: 'approved', carrierStatus: 'MNO_PROVISIONED' },
      ],
      updated_at: at(2),
    });
  });

  it('shows a refusal of its request as rejected with the field errors', () => {
    const errors = [{ field: 'brandId', message: 'the brand is pending' }];
    given([
      campaignRequested,
      {
        type: 'registration.RegistrationRequestRejected.v1',
        data: {
          requestId: REQUEST,
          tenantId: TENANT,
          resource: 'campaign',
          resourceId: CAMPAIGN,
          errors,
          rejectedAt: at(1),
        },
      },
    ]).then({
      ...requestedCampaignRow,
      status: 'rejected',
      errors,
      history: [pending(0), { ...pending(1), status: 'rejected', errors }],
      updated_at: at(1),
    });
  });
});

const requestedNumberRow: TrustCampaignNumberRow = {
  request_id: REQUEST,
  campaign_id: CAMPAIGN,
  phone_number: PHONE,
  tenant_id: TENANT,
  status: 'pending',
  carrier_status: null,
  reasons: [],
  errors: [],
  history: [pending(1)],
  requested_at: at(1),
  started_at: null,
  removal: null,
  updated_at: at(1),
};

describe('evolveCampaignNumber', () => {
  const given = projectionSpecification(evolveCampaignNumber);
  const started: TrustEvent = {
    type: 'registration.NumberAssignmentStarted.v1',
    data: {
      tenantId: TENANT,
      phoneNumber: PHONE,
      campaignId: CAMPAIGN,
      carrierCampaignId: 'carrier-c1',
      requestId: REQUEST,
      startedAt: at(2),
    },
  };

  it('goes pending, submitted, assigned; provisioned changes nothing more', () => {
    given([
      numberRequested(REQUEST, 1),
      started,
      {
        type: 'registration.NumberAssignmentSubmitted.v1',
        data: {
          tenantId: TENANT,
          phoneNumber: PHONE,
          campaignId: CAMPAIGN,
          carrierStatus: 'PENDING',
          submittedAt: at(3),
        },
      },
      {
        type: 'registration.NumberAssigned.v1',
        data: {
          tenantId: TENANT,
          phoneNumber: PHONE,
          campaignId: CAMPAIGN,
          carrierStatus: 'ASSIGNED',
          assignedAt: at(4),
        },
      },
      {
        type: 'registration.CampaignNumberProvisioned.v1',
        data: { campaignId: CAMPAIGN, tenantId: TENANT, phoneNumber: PHONE, provisionedAt: at(5) },
      },
    ]).then({
      ...requestedNumberRow,
      status: 'approved',
      carrier_status: 'ASSIGNED',
      started_at: at(2),
      history: [
        pending(1),
        { ...pending(3), carrierStatus: 'PENDING' },
        { ...pending(4), status: 'approved', carrierStatus: 'ASSIGNED' },
      ],
      updated_at: at(4),
    });
  });

  it('is rejected by the carrier’s failure with its reasons, or by registration’s refusal', () => {
    given([
      numberRequested(REQUEST, 1),
      started,
      {
        type: 'registration.NumberAssignmentFailed.v1',
        data: {
          tenantId: TENANT,
          phoneNumber: PHONE,
          campaignId: CAMPAIGN,
          carrierStatus: 'FAILED',
          reasons: [reason],
          failedAt: at(3),
        },
      },
    ]).then({
      ...requestedNumberRow,
      status: 'rejected',
      carrier_status: 'FAILED',
      reasons: [reason],
      started_at: at(2),
      history: [
        pending(1),
        { ...pending(3), status: 'rejected', carrierStatus: 'FAILED', reasons: [reason] },
      ],
      updated_at: at(3),
    });
    const errors = [{ field: 'phoneNumber', message: 'is toll-free' }];
    given([
      numberRequested(REQUEST, 1),
      {
        type: 'registration.RegistrationRequestRejected.v1',
        data: {
          requestId: REQUEST,
          tenantId: TENANT,
          resource: 'number_assignment',
          resourceId: PHONE,
          errors,
          rejectedAt: at(2),
        },
      },
    ]).then({
      ...requestedNumberRow,
      status: 'rejected',
      errors,
      history: [pending(1), { ...pending(2), status: 'rejected', errors }],
      updated_at: at(2),
    });
  });

  it('routes a fact by the request it names, else to the latest started request of the number', () => {
    expect(numberAssignmentTargetOf(started)).toEqual({ kind: 'request', requestId: REQUEST });
    expect(
      numberAssignmentTargetOf({
        type: 'registration.NumberAssigned.v1',
        data: {
          tenantId: TENANT,
          phoneNumber: PHONE,
          campaignId: CAMPAIGN,
          carrierStatus: 'ASSIGNED',
          assignedAt: at(4),
        },
      }),
    ).toEqual({ kind: 'started', tenantId: TENANT, campaignId: CAMPAIGN, phoneNumber: PHONE });
    expect(numberAssignmentTargetOf(campaignRequested)).toBeNull();
  });

  it('shows a number of the campaign as its latest request, every request in its history', () => {
    const first = { ...requestedNumberRow, status: 'rejected' as const };
    const second = {
      ...requestedNumberRow,
      request_id: REQUEST_2,
      requested_at: at(5),
      history: [pending(5)],
    };
    expect(campaignNumbersOf([first, second])).toEqual([
      {
        phoneNumber: PHONE,
        status: 'pending',
        carrierStatus: null,
        reasons: [],
        errors: [],
        history: [pending(1), pending(5)],
        removal: null,
        requestedAt: at(5),
        updatedAt: at(1),
      },
    ]);
  });
});

describe('evolveCampaignNumber: a removal', () => {
  /** The assignment's row evolved by `events`. */
  const evolved = (row: TrustCampaignNumberRow, events: TrustEvent[]) =>
    events.reduce<TrustCampaignNumberRow | null>((r, e) => evolveCampaignNumber(r, e), row);
  const REMOVAL = '01936f4e-7c2a-7cc1-9a57-00000000d001';
  const subject = { tenantId: TENANT, phoneNumber: PHONE, campaignId: CAMPAIGN };
  const assignedRow: TrustCampaignNumberRow = {
    ...requestedNumberRow,
    status: 'approved',
    carrier_status: 'ASSIGNED',
    started_at: at(2),
    history: [pending(1), { ...pending(4), status: 'approved', carrierStatus: 'ASSIGNED' }],
    updated_at: at(4),
  };
  const requested: TrustEvent = {
    type: 'gateway.NumberUnassignmentRequested.v1',
    data: { ...subject, requestId: REMOVAL, requestedAt: at(10) },
  };
  const removalStarted: TrustEvent = {
    type: 'registration.NumberUnassignmentStarted.v1',
    data: { ...subject, requestId: REMOVAL, startedAt: at(11) },
  };
  const removalSubmitted: TrustEvent = {
    type: 'registration.NumberUnassignmentSubmitted.v1',
    data: { ...subject, carrierStatus: 'PENDING_UNASSIGNMENT', submittedAt: at(12) },
  };
  const removal = (status: NumberRemovalState['status'], updatedAt: string) => ({
    requestId: REMOVAL,
    status,
    carrierStatus: null,
    reasons: [],
    errors: [],
    requestedAt: at(10),
    updatedAt,
  });

  it('requested -> pending -> removed: the assignment is then expired and holds the number no more', () => {
    expect(evolved(assignedRow, [requested])).toEqual({
      ...assignedRow,
      removal: removal('requested', at(10)),
      updated_at: at(10),
    });
    expect(
      evolved(assignedRow, [
        requested,
        removalStarted,
        removalSubmitted,
        {
          type: 'registration.NumberUnassigned.v1',
          data: { ...subject, carrierStatus: 'PENDING_UNASSIGNMENT', unassignedAt: at(13) },
        },
      ]),
    ).toEqual({
      ...assignedRow,
      status: 'expired',
      carrier_status: 'PENDING_UNASSIGNMENT',
      history: [
        ...assignedRow.history,
        { ...pending(13), status: 'expired', carrierStatus: 'PENDING_UNASSIGNMENT' },
      ],
      removal: { ...removal('removed', at(13)), carrierStatus: 'PENDING_UNASSIGNMENT' },
      updated_at: at(13),
    });
    expect(holdsNumber('expired')).toBe(false);
  });

  it('a failed removal keeps the number approved, with the reasons', () => {
    const reasons = [
      { code: 'unspecified', carrierReason: 'Number is locked', suggestedFix: 'Retry' },
    ];
    expect(
      evolved(assignedRow, [
        requested,
        removalStarted,
        {
          type: 'registration.NumberUnassignmentFailed.v1',
          data: { ...subject, carrierStatus: 'FAILED_UNASSIGNMENT', reasons, failedAt: at(12) },
        },
      ]),
    ).toEqual({
      ...assignedRow,
      removal: {
        ...removal('failed', at(12)),
        carrierStatus: 'FAILED_UNASSIGNMENT',
        reasons,
      },
      updated_at: at(12),
    });
  });

  it("registration's refusal of the removal shows on it, not on the assignment", () => {
    const errors = [
      { field: 'phoneNumber', message: 'the number is not assigned to this campaign' },
    ];
    expect(
      evolved(assignedRow, [
        requested,
        {
          type: 'registration.RegistrationRequestRejected.v1',
          data: {
            requestId: REMOVAL,
            tenantId: TENANT,
            resource: 'number_assignment',
            resourceId: PHONE,
            errors,
            rejectedAt: at(11),
          },
        },
      ]),
    ).toEqual({
      ...assignedRow,
      removal: { ...removal('rejected', at(11)), errors },
      updated_at: at(11),
    });
  });

  it("registration's start of a removal the gateway's request did not reach (rebuilt) starts it", () => {
    expect(evolved(assignedRow, [removalStarted])).toEqual({
      ...assignedRow,
      removal: { ...removal('pending', at(11)), requestedAt: at(11) },
      updated_at: at(11),
    });
  });

  it('is taken once, and facts of a removal on a row without one change nothing', () => {
    expect(evolved(assignedRow, [requested, requested])).toEqual({
      ...assignedRow,
      removal: removal('requested', at(10)),
      updated_at: at(10),
    });
    expect(evolved(assignedRow, [removalSubmitted])).toEqual(assignedRow);
  });

  it('targets the latest request for the number on the campaign, and a refusal its removal', () => {
    expect(numberAssignmentTargetOf(requested)).toEqual({ kind: 'latest', ...subject });
    expect(numberAssignmentTargetOf(removalStarted)).toEqual({ kind: 'started', ...subject });
  });
});

describe('the rules of the routes', () => {
  it('knows every trust event type, and no other', () => {
    expect(isTrustEventType('registration.CampaignApproved.v1')).toBe(true);
    expect(isTrustEventType('gateway.NumberAssignmentRequested.v1')).toBe(true);
    expect(isTrustEventType('messaging.MessageQueued.v1')).toBe(false);
  });

  it('holds a number while its assignment is pending or approved; closes rejected or expired campaigns', () => {
    const statuses: RegistrationStatus[] = [
      'pending',
      'approved',
      'rejected',
      'suspended',
      'expired',
    ];
    expect(statuses.map((s) => [s, holdsNumber(s), isClosedCampaign(s)])).toEqual([
      ['pending', true, false],
      ['approved', true, false],
      ['rejected', false, true],
      ['suspended', false, false],
      ['expired', false, true],
    ]);
  });

  it('tells toll-free numbers (NANP 8XX) from long codes', () => {
    for (const tollFree of ['+18005550199', '+18885550123', '+18332345678', '+18772345678']) {
      expect(isTollFreeNumber(tollFree), tollFree).toBe(true);
    }
    for (const longCode of ['+13125550123', '+15125550100', '+14155550100', '+442071838750']) {
      expect(isTollFreeNumber(longCode), longCode).toBe(false);
    }
  });
});
