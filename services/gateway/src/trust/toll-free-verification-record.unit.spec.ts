import type { TollFreeVerificationDetails } from '@textplane/contracts';
import { projectionSpecification } from '@textplane/testing';
import { describe, it } from 'vitest';
import {
  evolveTollFreeVerification,
  type TollFreeEvent,
  type TollFreeVerificationRow,
} from './toll-free-verification-record.js';

const TENANT = '0190c5a0-0000-7000-8000-0000000000aa';
const VERIFICATION = '0190c5a0-0000-7000-8000-000000000005';
const REQUEST = '0190c5a0-0000-7000-8000-000000000006';
const PHONE = '+18885550123';
const at = (minute: number) => `2026-12-03T10:${String(minute).padStart(2, '0')}:00.000Z`;

const details: TollFreeVerificationDetails = {
  businessName: 'Harbor Books LLC',
  corporateWebsite: 'https://harborbooks.com',
  businessAddr1: '1 Wacker Dr',
  businessCity: 'Chicago',
  businessState: 'Illinois',
  businessZip: '60601',
  businessContactFirstName: 'Ann',
  businessContactLastName: 'Lee',
  businessContactEmail: 'ann@harborbooks.com',
  businessContactPhone: '+13125550100',
  messageVolume: '1,000',
  phoneNumbers: [PHONE],
  useCase: 'Order Notifications',
  useCaseSummary: 'Order updates.',
  productionMessageContent: 'Harbor Books: your order is ready.',
  optInWorkflow: 'A consent box at checkout.',
  optInWorkflowImageURLs: ['https://harborbooks.com/optin.png'],
};

const requested: TollFreeEvent = {
  type: 'gateway.TollFreeVerificationRequested.v1',
  data: {
    requestId: REQUEST,
    tenantId: TENANT,
    verificationId: VERIFICATION,
    verification: details,
    requestedAt: at(0),
  },
};
const pending = (minute: number) => ({
  at: at(minute),
  status: 'pending' as const,
  carrierStatus: null,
  reasons: [],
  errors: [],
});
const requestedRow: TollFreeVerificationRow = {
  verification_id: VERIFICATION,
  tenant_id: TENANT,
  request_id: REQUEST,
  details,
  phone_numbers: [PHONE],
  verified_numbers: [],
  status: 'pending',
  carrier_status: null,
  carrier_verification_id: null,
  reasons: [],
  errors: [],
  history: [pending(0)],
  created_at: at(0),
  updated_at: at(0),
};
const reason = {
  code: 'opt_in_unclear',
  carrierReason: 'Opt-in workflow not provided',
  suggestedFix: 'Link a screenshot of the consent box',
};

describe('evolveTollFreeVerification', () => {
  const given = projectionSpecification(evolveTollFreeVerification);

  it('starts pending from the request; the carrier rejects it with its reasons', () => {
    given([requested]).then(requestedRow);
    given([
      requested,
      {
        type: 'registration.TollFreeVerificationSubmitted.v1',
        data: {
          verificationId: VERIFICATION,
          tenantId: TENANT,
          carrierVerificationId: 'tf-1',
          phoneNumbers: [PHONE],
          status: 'pending',
          carrierStatus: 'Waiting For Telnyx',
          submittedAt: at(1),
        },
      },
      {
        type: 'registration.TollFreeVerificationStatusChanged.v1',
        data: {
          verificationId: VERIFICATION,
          tenantId: TENANT,
          phoneNumbers: [PHONE],
          status: 'rejected',
          previousStatus: 'pending',
          carrierStatus: 'Rejected',
          reasons: [reason],
          changedAt: at(2),
        },
      },
    ]).then({
      ...requestedRow,
      status: 'rejected',
      carrier_status: 'Rejected',
      carrier_verification_id: 'tf-1',
      reasons: [reason],
      history: [
        pending(0),
        { ...pending(1), carrierStatus: 'Waiting For Telnyx' },
        { at: at(2), status: 'rejected', carrierStatus: 'Rejected', reasons: [reason], errors: [] },
      ],
      updated_at: at(2),
    });
  });

  it('lists each verified number once; a refusal of its request shows it rejected with the fields', () => {
    const verified: TollFreeEvent = {
      type: 'registration.TollFreeNumberVerified.v1',
      data: {
        tenantId: TENANT,
        phoneNumber: PHONE,
        verificationId: VERIFICATION,
        carrierStatus: 'Verified',
        verifiedAt: at(3),
      },
    };
    given([requested, verified, verified]).then({
      ...requestedRow,
      verified_numbers: [PHONE],
      updated_at: at(3),
    });
    const errors = [
      { field: 'phoneNumbers.0', message: 'is not a toll-free number of this tenant' },
    ];
    given([
      requested,
      {
        type: 'registration.RegistrationRequestRejected.v1',
        data: {
          requestId: REQUEST,
          tenantId: TENANT,
          resource: 'toll_free_verification',
          resourceId: VERIFICATION,
          errors,
          rejectedAt: at(1),
        },
      },
    ]).then({
      ...requestedRow,
      status: 'rejected',
      errors,
      history: [pending(0), { ...pending(1), status: 'rejected', errors }],
      updated_at: at(1),
    });
  });
});
