import { describe, expect, it } from 'vitest';
import { topicForEventType } from '../event-types.js';
import { Topics } from '../topics.js';
import { validateEventData } from '../validation.js';

const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const campaignId = '01936f4e-7c2a-7cc1-9a57-00000000c001';
const at = '2026-12-02T14:00:00.000Z';

const changed = {
  campaignId,
  tenantId,
  status: 'rejected',
  previousStatus: 'pending',
  carrierStatus: 'MNO_REJECTED',
  carrierAccepted: false,
  reasons: [
    {
      code: 'missing_opt_out_language',
      carrierReason: 'Sample messages must include opt-out language',
      suggestedFix: 'End a sample message with "Reply STOP to opt out."',
      field: 'sampleMessages',
    },
  ],
  changedAt: at,
};

describe('registration contracts', () => {
  it("puts requests on the gateway topic and facts on registration's", () => {
    expect(topicForEventType('gateway.CampaignSubmissionRequested.v1')).toBe(
      Topics.gatewayRegistrationRequests,
    );
    expect(topicForEventType('registration.CampaignApproved.v1')).toBe(
      Topics.registrationRegistrations,
    );
  });

  it("accepts a status change with the raw status beside textplane's, and its reasons", () => {
    expect(validateEventData('registration.CampaignStatusChanged.v1', changed)).toEqual({
      valid: true,
    });
  });

  it("refuses a status outside textplane's five, a reason without its fix, no carrierStatus", () => {
    for (const bad of [
      { ...changed, status: 'MNO_REJECTED' },
      { ...changed, reasons: [{ code: 'x', carrierReason: 'y' }] },
      { ...changed, carrierStatus: '' },
    ]) {
      expect(validateEventData('registration.CampaignStatusChanged.v1', bad).valid).toBe(false);
    }
  });

  it('an approval names at least one provisioned number', () => {
    const approved = {
      campaignId,
      tenantId,
      brandId: '01936f4e-7c2a-7cc1-9a57-00000000b001',
      usecase: 'ACCOUNT_NOTIFICATION',
      carrierStatus: 'MNO_PROVISIONED',
      phoneNumbers: ['+15125550142'],
      approvedAt: at,
    };
    expect(validateEventData('registration.CampaignApproved.v1', approved)).toEqual({
      valid: true,
    });
    expect(
      validateEventData('registration.CampaignApproved.v1', { ...approved, phoneNumbers: [] })
        .valid,
    ).toBe(false);
  });

  it('a refused request names its fields', () => {
    const rejected = {
      requestId: '01936f4e-7c2a-7cc1-9a57-000000000001',
      tenantId,
      resource: 'number_assignment',
      resourceId: '+15125550142',
      errors: [
        { field: 'phoneNumber', message: "the number is not one of the tenant's sender numbers" },
      ],
      rejectedAt: at,
    };
    expect(validateEventData('registration.RegistrationRequestRejected.v1', rejected)).toEqual({
      valid: true,
    });
    expect(
      validateEventData('registration.RegistrationRequestRejected.v1', { ...rejected, errors: [] })
        .valid,
    ).toBe(false);
  });

  it("toll-free verification: the request on the gateway topic, its facts on registration's", () => {
    expect(topicForEventType('gateway.TollFreeVerificationRequested.v1')).toBe(
      Topics.gatewayRegistrationRequests,
    );
    for (const type of [
      'gateway.BrandOtpRequested.v1',
      'gateway.BrandOtpVerificationRequested.v1',
      'gateway.BrandVettingRequested.v1',
    ]) {
      expect(topicForEventType(type)).toBe(Topics.gatewayRegistrationRequests);
    }
    expect(topicForEventType('registration.TollFreeNumberVerified.v1')).toBe(
      Topics.registrationRegistrations,
    );
  });

  it("a toll-free status change carries textplane's status beside Telnyx's raw one, and its numbers", () => {
    const changedTf = {
      verificationId: '01936f4e-7c2a-7cc1-9a57-00000000f001',
      tenantId,
      phoneNumbers: ['+18885550100'],
      status: 'rejected',
      previousStatus: 'pending',
      carrierStatus: 'Rejected',
      reasons: [
        {
          code: 'opt_in_image_missing',
          carrierReason: 'Opt-in workflow images are missing',
          suggestedFix: 'Add a screenshot of the opt-in form.',
          field: 'optInWorkflowImageURLs',
        },
      ],
      changedAt: at,
    };
    expect(
      validateEventData('registration.TollFreeVerificationStatusChanged.v1', changedTf),
    ).toEqual({ valid: true });
    for (const bad of [
      { ...changedTf, status: 'Rejected' },
      { ...changedTf, phoneNumbers: [] },
      { ...changedTf, phoneNumbers: ['8885550100'] },
      { ...changedTf, carrierStatus: '' },
    ]) {
      expect(
        validateEventData('registration.TollFreeVerificationStatusChanged.v1', bad).valid,
      ).toBe(false);
    }
  });

  it('a toll-free request body names every field Telnyx requires, and no unknown one', () => {
    const verification = {
      businessName: 'Acme Dental LLC',
      corporateWebsite: 'https://acmedental.com',
      businessAddr1: '100 Congress Ave',
      businessCity: 'Austin',
      businessState: 'Texas',
      businessZip: '78701',
      businessContactFirstName: 'Ana',
      businessContactLastName: 'Diaz',
      businessContactEmail: 'ana@acmedental.com',
      businessContactPhone: '+15125550100',
      messageVolume: '1,000',
      phoneNumbers: ['+18885550100'],
      useCase: 'Appointments',
      useCaseSummary: 'Appointment reminders for patients.',
      productionMessageContent: 'Acme Dental: your cleaning is Tue 3 PM. Reply STOP to opt out.',
      optInWorkflow: 'Patients tick an SMS consent box on the booking form.',
      optInWorkflowImageURLs: ['https://acmedental.com/optin.png'],
    };
    const request = {
      requestId: '01936f4e-7c2a-7cc1-9a57-000000000002',
      tenantId,
      verificationId: '01936f4e-7c2a-7cc1-9a57-00000000f001',
      verification,
      requestedAt: at,
    };
    expect(validateEventData('gateway.TollFreeVerificationRequested.v1', request)).toEqual({
      valid: true,
    });
    const { optInWorkflow: _omitted, ...withoutWorkflow } = verification;
    for (const bad of [
      { ...request, verification: withoutWorkflow },
      { ...request, verification: { ...verification, sample1: 'x' } },
    ]) {
      expect(validateEventData('gateway.TollFreeVerificationRequested.v1', bad).valid).toBe(false);
    }
  });

  it('an OTP failure names its step and at least one reason', () => {
    const failed = {
      brandId: '01936f4e-7c2a-7cc1-9a57-00000000b001',
      tenantId,
      requestId: '01936f4e-7c2a-7cc1-9a57-000000000003',
      step: 'verification',
      reasons: [{ code: 'otp_invalid', carrierReason: 'Invalid OTP pin', suggestedFix: 'Retry.' }],
      failedAt: at,
    };
    expect(validateEventData('registration.BrandOtpFailed.v1', failed)).toEqual({ valid: true });
    expect(
      validateEventData('registration.BrandOtpFailed.v1', { ...failed, step: 'other' }).valid,
    ).toBe(false);
    expect(
      validateEventData('registration.BrandOtpFailed.v1', { ...failed, reasons: [] }).valid,
    ).toBe(false);
  });

  it("a number's removal: the request on the gateway topic, its facts on registration's", () => {
    const subject = { tenantId, campaignId, phoneNumber: '+15555550101' };
    expect(topicForEventType('gateway.NumberUnassignmentRequested.v1')).toBe(
      Topics.gatewayRegistrationRequests,
    );
    for (const type of [
      'registration.NumberUnassignmentStarted.v1',
      'registration.NumberUnassignmentSubmitted.v1',
      'registration.NumberUnassigned.v1',
      'registration.NumberUnassignmentFailed.v1',
    ] as const) {
      expect(topicForEventType(type)).toBe(Topics.registrationRegistrations);
    }
    const requestId = '01936f4e-7c2a-7cc1-9a57-000000000004';
    expect(
      validateEventData('gateway.NumberUnassignmentRequested.v1', {
        ...subject,
        requestId,
        requestedAt: at,
      }),
    ).toEqual({ valid: true });
    // A removed assignment is gone at the carrier: its last status may be unknown.
    expect(
      validateEventData('registration.NumberUnassigned.v1', { ...subject, unassignedAt: at }),
    ).toEqual({ valid: true });
    expect(
      validateEventData('registration.NumberUnassigned.v1', {
        ...subject,
        phoneNumber: '5555550101',
        unassignedAt: at,
      }).valid,
    ).toBe(false);
    const failed = {
      ...subject,
      carrierStatus: 'FAILED_UNASSIGNMENT',
      reasons: [{ code: 'unspecified', carrierReason: 'no', suggestedFix: 'Retry.' }],
      failedAt: at,
    };
    expect(validateEventData('registration.NumberUnassignmentFailed.v1', failed)).toEqual({
      valid: true,
    });
    const { reasons: _reasons, ...withoutReasons } = failed;
    expect(
      validateEventData('registration.NumberUnassignmentFailed.v1', withoutReasons).valid,
    ).toBe(false);
  });
});
