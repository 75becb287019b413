import type {
  BrandDetails,
  BrandRegistrationRequested,
  CampaignDetails,
  CampaignSubmissionRequested,
  NumberAssignmentRequested,
  TollFreeVerificationDetails,
  TollFreeVerificationRequested,
} from '@textplane/contracts';

/** Bodies the field rules and the lint accept, shared by the service's tests. */

export const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
export const otherTenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c99';
export const brandId = '01936f4e-7c2a-7cc1-9a57-00000000b001';
export const campaignId = '01936f4e-7c2a-7cc1-9a57-00000000c001';
export const tenantNumber = '+15125550142';
export const verificationId = '01936f4e-7c2a-7cc1-9a57-00000000f001';
export const tollFreeNumber = '+18885550100';
export const secondTollFreeNumber = '+18775550101';
export const now = new Date('2026-12-02T14:00:00.000Z');
export const at = now.toISOString();

let sequence = 0;
export function requestId(): string {
  sequence += 1;
  return `01936f4e-7c2a-7cc1-9a57-${String(sequence).padStart(12, '0')}`;
}

export const brandBody: BrandDetails = {
  entityType: 'PRIVATE_PROFIT',
  displayName: 'Acme Dental',
  companyName: 'Acme Dental LLC',
  ein: '12-3456789',
  phone: '+15125550100',
  street: '100 Congress Ave',
  city: 'Austin',
  state: 'TX',
  postalCode: '78701',
  country: 'US',
  email: 'support@acmedental.com',
  website: 'https://acmedental.com',
  vertical: 'HEALTHCARE',
};

export const campaignBody: CampaignDetails = {
  brandId,
  usecase: 'ACCOUNT_NOTIFICATION',
  description: 'Appointment reminders and confirmations for patients of Acme Dental.',
  messageFlow:
    'Patients check an SMS consent box on the booking form at https://acmedental.com/book to receive appointment reminders.',
  sampleMessages: [
    'Acme Dental: your cleaning is booked for Tue 3 PM. Reply STOP to opt out.',
    'Acme Dental: reminder, your appointment is tomorrow at 9 AM. Reply C to confirm.',
  ],
  helpMessage:
    'Acme Dental: for help email support@acmedental.com or call 512-555-0100. Reply STOP to opt out.',
  optinMessage:
    'Acme Dental: you will get appointment reminders. Msg & data rates may apply. Reply HELP for help, STOP to opt out.',
  optoutMessage: 'Acme Dental: you are unsubscribed and will receive no more messages.',
  helpKeywords: ['HELP'],
  optinKeywords: ['START'],
  optoutKeywords: ['STOP'],
  embeddedLink: false,
  embeddedPhone: false,
  numberPool: false,
  ageGated: false,
  directLending: false,
};

export function brandRequest(
  overrides: Partial<BrandRegistrationRequested> = {},
): BrandRegistrationRequested {
  return {
    requestId: requestId(),
    tenantId,
    brandId,
    brand: brandBody,
    requestedAt: at,
    ...overrides,
  };
}

export function campaignRequest(
  overrides: Partial<CampaignSubmissionRequested> = {},
): CampaignSubmissionRequested {
  return {
    requestId: requestId(),
    tenantId,
    campaignId,
    campaign: campaignBody,
    requestedAt: at,
    ...overrides,
  };
}

export function assignmentRequest(
  overrides: Partial<NumberAssignmentRequested> = {},
): NumberAssignmentRequested {
  return {
    requestId: requestId(),
    tenantId,
    campaignId,
    phoneNumber: tenantNumber,
    requestedAt: at,
    ...overrides,
  };
}

export const tollFreeBody: TollFreeVerificationDetails = {
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
  phoneNumbers: [tollFreeNumber],
  useCase: 'Appointments',
  useCaseSummary: 'Appointment reminders and confirmations for patients of Acme Dental.',
  productionMessageContent:
    'Acme Dental: your cleaning is booked for Tue 3 PM. Reply STOP to opt out.',
  optInWorkflow:
    'Patients tick an SMS consent box on the booking form at https://acmedental.com/book; the box reads "Text me appointment reminders".',
  optInWorkflowImageURLs: ['https://acmedental.com/img/sms-consent.png'],
};

export function tollFreeRequest(
  overrides: Partial<TollFreeVerificationRequested> = {},
): TollFreeVerificationRequested {
  return {
    requestId: requestId(),
    tenantId,
    verificationId,
    verification: tollFreeBody,
    requestedAt: at,
    ...overrides,
  };
}
