import { e164, eventSchema, instant, nonEmpty, uuid } from './schema-parts.js';

/**
 * A2P 10DLC registration (issue 12 §1). The gateway's requests travel on
 * `gateway.registration-requests.events.v1`; registration's facts on
 * `registration.registrations.events.v1`, one stream per brand (`brand-<brandId>`), campaign
 * (`campaign-<campaignId>`) and tenant number (`number-assignment-<tenantId>-<phone>`).
 *
 * Every resource has textplane's own `status` and, beside it, the carrier's raw value as
 * `carrierStatus` (Telnyx's `TCR_PENDING`, `MNO_PROVISIONED`, `ASSIGNED`, ...), named as such.
 * Field names of brands and campaigns follow Telnyx's, in camelCase; the body rules are
 * @textplane/trust-rules' parseBrand / parseCampaign, applied by the gateway and again by
 * registration before anything is recorded.
 */

/** textplane's status of a brand, campaign or number assignment. */
export type RegistrationStatus = 'pending' | 'approved' | 'rejected' | 'suspended' | 'expired';
export const registrationStatus = {
  enum: ['pending', 'approved', 'rejected', 'suspended', 'expired'],
} as const;

/** One reason the carrier gave, with textplane's suggested fix. */
export interface RegistrationReason {
  /** textplane's code for the reason (`ein_mismatch`, a lint code, `unspecified`, ...). */
  code: string;
  /** The carrier's words, verbatim. */
  carrierReason: string;
  /** What to change before resubmitting. */
  suggestedFix: string;
  /** The body field the reason is about, when known. */
  field?: string;
}
const registrationReason = {
  type: 'object',
  properties: {
    code: nonEmpty,
    carrierReason: { type: 'string' },
    suggestedFix: nonEmpty,
    field: nonEmpty,
  },
  required: ['code', 'carrierReason', 'suggestedFix'],
  additionalProperties: false,
} as const;
const reasons = { type: 'array', items: registrationReason } as const;

/** A field a request was refused for (the gateway's problem+json `errors` item). */
export interface RegistrationFieldError {
  field: string;
  message: string;
}
const fieldErrors = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    properties: { field: { type: 'string' }, message: nonEmpty },
    required: ['field', 'message'],
    additionalProperties: false,
  },
} as const;

/** A brand as registered: Telnyx's fields (see @textplane/trust-rules `Brand`). */
export interface BrandDetails {
  entityType: string;
  displayName: string;
  companyName?: string;
  ein?: string;
  phone: string;
  street: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  email: string;
  website?: string;
  vertical: string;
  stockSymbol?: string;
  stockExchange?: string;
  businessContactEmail?: string;
  firstName?: string;
  lastName?: string;
  mobilePhone?: string;
}
const text = { type: 'string' } as const;
const brandDetails = {
  type: 'object',
  properties: {
    entityType: nonEmpty,
    displayName: nonEmpty,
    companyName: text,
    ein: text,
    phone: text,
    street: text,
    city: text,
    state: text,
    postalCode: text,
    country: text,
    email: text,
    website: text,
    vertical: nonEmpty,
    stockSymbol: text,
    stockExchange: text,
    businessContactEmail: text,
    firstName: text,
    lastName: text,
    mobilePhone: text,
  },
  required: [
    'entityType',
    'displayName',
    'phone',
    'street',
    'city',
    'state',
    'postalCode',
    'country',
    'email',
    'vertical',
  ],
  additionalProperties: false,
} as const;

/** A campaign as submitted: Telnyx's fields, `sampleMessages` in place of `sample1`..`sample5`. */
export interface CampaignDetails {
  /** textplane's brand id. */
  brandId: string;
  usecase: string;
  description: string;
  messageFlow: string;
  sampleMessages: string[];
  helpMessage: string;
  optinMessage?: string;
  optoutMessage: string;
  helpKeywords: string[];
  optinKeywords: string[];
  optoutKeywords: string[];
  embeddedLink: boolean;
  embeddedPhone: boolean;
  numberPool: boolean;
  ageGated: boolean;
  directLending: boolean;
}
const keywords = { type: 'array', items: nonEmpty } as const;
const campaignDetails = {
  type: 'object',
  properties: {
    brandId: uuid,
    usecase: nonEmpty,
    description: nonEmpty,
    messageFlow: nonEmpty,
    sampleMessages: { type: 'array', minItems: 1, maxItems: 5, items: nonEmpty },
    helpMessage: nonEmpty,
    optinMessage: text,
    optoutMessage: nonEmpty,
    helpKeywords: keywords,
    optinKeywords: keywords,
    optoutKeywords: keywords,
    embeddedLink: { type: 'boolean' },
    embeddedPhone: { type: 'boolean' },
    numberPool: { type: 'boolean' },
    ageGated: { type: 'boolean' },
    directLending: { type: 'boolean' },
  },
  required: [
    'brandId',
    'usecase',
    'description',
    'messageFlow',
    'sampleMessages',
    'helpMessage',
    'optoutMessage',
    'helpKeywords',
    'optinKeywords',
    'optoutKeywords',
    'embeddedLink',
    'embeddedPhone',
    'numberPool',
    'ageGated',
    'directLending',
  ],
  additionalProperties: false,
} as const;

// ---------------------------------------------------------------------------------------------
// The gateway's requests (gateway.registration-requests.events.v1)
// ---------------------------------------------------------------------------------------------

export interface BrandRegistrationRequested {
  requestId: string;
  tenantId: string;
  /** textplane's id of the new brand, chosen by the gateway. */
  brandId: string;
  /** The request body as the client sent it; registration parses it again. */
  brand: BrandDetails;
  requestedAt: string;
}
export const BrandRegistrationRequestedSchema = eventSchema(
  'gateway.BrandRegistrationRequested.v1',
  { requestId: uuid, tenantId: uuid, brandId: uuid, brand: brandDetails, requestedAt: instant },
  ['requestId', 'tenantId', 'brandId', 'brand', 'requestedAt'],
);

export interface CampaignSubmissionRequested {
  requestId: string;
  tenantId: string;
  /** textplane's id of the new campaign, chosen by the gateway. */
  campaignId: string;
  campaign: CampaignDetails;
  requestedAt: string;
}
export const CampaignSubmissionRequestedSchema = eventSchema(
  'gateway.CampaignSubmissionRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    campaignId: uuid,
    campaign: campaignDetails,
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'campaignId', 'campaign', 'requestedAt'],
);

export interface NumberAssignmentRequested {
  requestId: string;
  tenantId: string;
  campaignId: string;
  phoneNumber: string;
  requestedAt: string;
}
export const NumberAssignmentRequestedSchema = eventSchema(
  'gateway.NumberAssignmentRequested.v1',
  { requestId: uuid, tenantId: uuid, campaignId: uuid, phoneNumber: e164, requestedAt: instant },
  ['requestId', 'tenantId', 'campaignId', 'phoneNumber', 'requestedAt'],
);

// ---------------------------------------------------------------------------------------------
// Registration's facts (registration.registrations.events.v1)
// ---------------------------------------------------------------------------------------------

/** The brand was accepted for registration and the carrier call is about to be made. */
export interface BrandRegistrationStarted {
  brandId: string;
  tenantId: string;
  requestId: string;
  brand: BrandDetails;
  startedAt: string;
}
export const BrandRegistrationStartedSchema = eventSchema(
  'registration.BrandRegistrationStarted.v1',
  { brandId: uuid, tenantId: uuid, requestId: uuid, brand: brandDetails, startedAt: instant },
  ['brandId', 'tenantId', 'requestId', 'brand', 'startedAt'],
);

/** The carrier created the brand; its review goes on (status `pending`). */
export interface BrandRegistered {
  brandId: string;
  tenantId: string;
  /** The carrier's id of the brand (Telnyx's `brandId`). */
  carrierBrandId: string;
  /** The Campaign Registry's id, when the carrier gave it already. */
  tcrBrandId?: string;
  status: RegistrationStatus;
  carrierStatus: string;
  registeredAt: string;
}
export const BrandRegisteredSchema = eventSchema(
  'registration.BrandRegistered.v1',
  {
    brandId: uuid,
    tenantId: uuid,
    carrierBrandId: nonEmpty,
    tcrBrandId: nonEmpty,
    status: registrationStatus,
    carrierStatus: nonEmpty,
    registeredAt: instant,
  },
  ['brandId', 'tenantId', 'carrierBrandId', 'status', 'carrierStatus', 'registeredAt'],
);

/** The brand's vetting score (0–100), which sets its throughput class. */
export interface BrandVetted {
  brandId: string;
  tenantId: string;
  vettingScore: number;
  /** Who vetted it (Telnyx's `evpId`, e.g. `AEGIS`), when known. */
  vettingProvider?: string;
  vettedAt: string;
}
export const BrandVettedSchema = eventSchema(
  'registration.BrandVetted.v1',
  {
    brandId: uuid,
    tenantId: uuid,
    vettingScore: { type: 'integer', minimum: 0, maximum: 100 },
    vettingProvider: nonEmpty,
    vettedAt: instant,
  },
  ['brandId', 'tenantId', 'vettingScore', 'vettedAt'],
);

export interface BrandStatusChanged {
  brandId: string;
  tenantId: string;
  status: RegistrationStatus;
  /** The status before the change. */
  previousStatus: RegistrationStatus;
  carrierStatus: string;
  reasons: RegistrationReason[];
  changedAt: string;
}
export const BrandStatusChangedSchema = eventSchema(
  'registration.BrandStatusChanged.v1',
  {
    brandId: uuid,
    tenantId: uuid,
    status: registrationStatus,
    previousStatus: registrationStatus,
    carrierStatus: nonEmpty,
    reasons,
    changedAt: instant,
  },
  ['brandId', 'tenantId', 'status', 'previousStatus', 'carrierStatus', 'reasons', 'changedAt'],
);

/** The campaign was accepted for submission and the carrier call is about to be made. */
export interface CampaignSubmissionStarted {
  campaignId: string;
  tenantId: string;
  requestId: string;
  /** The brand's carrier id the submission names. */
  carrierBrandId: string;
  campaign: CampaignDetails;
  startedAt: string;
}
export const CampaignSubmissionStartedSchema = eventSchema(
  'registration.CampaignSubmissionStarted.v1',
  {
    campaignId: uuid,
    tenantId: uuid,
    requestId: uuid,
    carrierBrandId: nonEmpty,
    campaign: campaignDetails,
    startedAt: instant,
  },
  ['campaignId', 'tenantId', 'requestId', 'carrierBrandId', 'campaign', 'startedAt'],
);

/** The carrier took the campaign; the registry's and the carriers' reviews go on. */
export interface CampaignSubmitted {
  campaignId: string;
  tenantId: string;
  brandId: string;
  /** The carrier's id of the campaign (Telnyx's `campaignId`). */
  carrierCampaignId: string;
  tcrCampaignId?: string;
  status: RegistrationStatus;
  carrierStatus: string;
  submittedAt: string;
}
export const CampaignSubmittedSchema = eventSchema(
  'registration.CampaignSubmitted.v1',
  {
    campaignId: uuid,
    tenantId: uuid,
    brandId: uuid,
    carrierCampaignId: nonEmpty,
    tcrCampaignId: nonEmpty,
    status: registrationStatus,
    carrierStatus: nonEmpty,
    submittedAt: instant,
  },
  [
    'campaignId',
    'tenantId',
    'brandId',
    'carrierCampaignId',
    'status',
    'carrierStatus',
    'submittedAt',
  ],
);

export interface CampaignStatusChanged {
  campaignId: string;
  tenantId: string;
  status: RegistrationStatus;
  previousStatus: RegistrationStatus;
  carrierStatus: string;
  /**
   * The carriers accepted the campaign (`approved` then waits only for a provisioned number
   * assignment). Always set by registration; optional so that a reader tolerates its absence.
   */
  carrierAccepted?: boolean;
  reasons: RegistrationReason[];
  changedAt: string;
}
export const CampaignStatusChangedSchema = eventSchema(
  'registration.CampaignStatusChanged.v1',
  {
    campaignId: uuid,
    tenantId: uuid,
    status: registrationStatus,
    previousStatus: registrationStatus,
    carrierStatus: nonEmpty,
    carrierAccepted: { type: 'boolean' },
    reasons,
    changedAt: instant,
  },
  ['campaignId', 'tenantId', 'status', 'previousStatus', 'carrierStatus', 'reasons', 'changedAt'],
);

/** A number's assignment to the campaign is provisioned at the carriers. */
export interface CampaignNumberProvisioned {
  campaignId: string;
  tenantId: string;
  phoneNumber: string;
  provisionedAt: string;
}
export const CampaignNumberProvisionedSchema = eventSchema(
  'registration.CampaignNumberProvisioned.v1',
  { campaignId: uuid, tenantId: uuid, phoneNumber: e164, provisionedAt: instant },
  ['campaignId', 'tenantId', 'phoneNumber', 'provisionedAt'],
);

/**
 * The campaign may carry traffic: the carriers accepted it and a number's assignment is
 * provisioned. Messaging's sender gate opens on it.
 */
export interface CampaignApproved {
  campaignId: string;
  tenantId: string;
  brandId: string;
  usecase: string;
  carrierStatus: string;
  /** The provisioned numbers at approval; later ones arrive as CampaignNumberProvisioned. */
  phoneNumbers: string[];
  approvedAt: string;
}
export const CampaignApprovedSchema = eventSchema(
  'registration.CampaignApproved.v1',
  {
    campaignId: uuid,
    tenantId: uuid,
    brandId: uuid,
    usecase: nonEmpty,
    carrierStatus: nonEmpty,
    phoneNumbers: { type: 'array', minItems: 1, items: e164 },
    approvedAt: instant,
  },
  ['campaignId', 'tenantId', 'brandId', 'usecase', 'carrierStatus', 'phoneNumbers', 'approvedAt'],
);

/**
 * The number's assignment was accepted for the campaign and the carrier call is about to be
 * made (the attempt, recorded first). The gateway's request is `gateway.NumberAssignmentRequested`.
 */
export interface NumberAssignmentStarted {
  tenantId: string;
  phoneNumber: string;
  campaignId: string;
  carrierCampaignId: string;
  requestId: string;
  startedAt: string;
}
export const NumberAssignmentStartedSchema = eventSchema(
  'registration.NumberAssignmentStarted.v1',
  {
    tenantId: uuid,
    phoneNumber: e164,
    campaignId: uuid,
    carrierCampaignId: nonEmpty,
    requestId: uuid,
    startedAt: instant,
  },
  ['tenantId', 'phoneNumber', 'campaignId', 'carrierCampaignId', 'requestId', 'startedAt'],
);

/** The carrier took the assignment; provisioning at the carriers goes on. */
export interface NumberAssignmentSubmitted {
  tenantId: string;
  phoneNumber: string;
  campaignId: string;
  carrierStatus: string;
  submittedAt: string;
}
export const NumberAssignmentSubmittedSchema = eventSchema(
  'registration.NumberAssignmentSubmitted.v1',
  {
    tenantId: uuid,
    phoneNumber: e164,
    campaignId: uuid,
    carrierStatus: nonEmpty,
    submittedAt: instant,
  },
  ['tenantId', 'phoneNumber', 'campaignId', 'carrierStatus', 'submittedAt'],
);

export interface NumberAssigned {
  tenantId: string;
  phoneNumber: string;
  campaignId: string;
  carrierStatus: string;
  assignedAt: string;
}
export const NumberAssignedSchema = eventSchema(
  'registration.NumberAssigned.v1',
  {
    tenantId: uuid,
    phoneNumber: e164,
    campaignId: uuid,
    carrierStatus: nonEmpty,
    assignedAt: instant,
  },
  ['tenantId', 'phoneNumber', 'campaignId', 'carrierStatus', 'assignedAt'],
);

export interface NumberAssignmentFailed {
  tenantId: string;
  phoneNumber: string;
  campaignId: string;
  carrierStatus: string;
  reasons: RegistrationReason[];
  failedAt: string;
}
export const NumberAssignmentFailedSchema = eventSchema(
  'registration.NumberAssignmentFailed.v1',
  {
    tenantId: uuid,
    phoneNumber: e164,
    campaignId: uuid,
    carrierStatus: nonEmpty,
    reasons,
    failedAt: instant,
  },
  ['tenantId', 'phoneNumber', 'campaignId', 'carrierStatus', 'reasons', 'failedAt'],
);

/** A request refused before anything was sent to the carrier: the fields and why. */
export interface RegistrationRequestRejected {
  requestId: string;
  tenantId: string;
  resource: 'brand' | 'campaign' | 'number_assignment';
  /** The brand or campaign id, or the phone number of an assignment. */
  resourceId: string;
  errors: RegistrationFieldError[];
  rejectedAt: string;
}
export const RegistrationRequestRejectedSchema = eventSchema(
  'registration.RegistrationRequestRejected.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    resource: { enum: ['brand', 'campaign', 'number_assignment'] },
    resourceId: nonEmpty,
    errors: fieldErrors,
    rejectedAt: instant,
  },
  ['requestId', 'tenantId', 'resource', 'resourceId', 'errors', 'rejectedAt'],
);
