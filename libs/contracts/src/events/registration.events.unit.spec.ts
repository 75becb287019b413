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
});
