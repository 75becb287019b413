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

/**
 * Remove the number's assignment from the campaign (`DELETE /v1/trust/campaigns/{id}/numbers/
 * {phone}`): on the campaign's request stream, like the assignment it ends.
 */
export interface NumberUnassignmentRequested {
  requestId: string;
  tenantId: string;
  campaignId: string;
  phoneNumber: string;
  requestedAt: string;
}
export const NumberUnassignmentRequestedSchema = eventSchema(
  'gateway.NumberUnassignmentRequested.v1',
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

/**
 * The removal of the number's assignment was accepted and the carrier call (Telnyx's phone number
 * campaign delete) is about to be made: the attempt, recorded first. Until the carrier confirms,
 * the number is still on the campaign at the carriers. The gateway's request is
 * `gateway.NumberUnassignmentRequested`.
 */
export interface NumberUnassignmentStarted {
  tenantId: string;
  phoneNumber: string;
  campaignId: string;
  requestId: string;
  startedAt: string;
}
export const NumberUnassignmentStartedSchema = eventSchema(
  'registration.NumberUnassignmentStarted.v1',
  { tenantId: uuid, phoneNumber: e164, campaignId: uuid, requestId: uuid, startedAt: instant },
  ['tenantId', 'phoneNumber', 'campaignId', 'requestId', 'startedAt'],
);

/** The carrier took the removal (Telnyx: `PENDING_UNASSIGNMENT`); the carriers act on it next. */
export interface NumberUnassignmentSubmitted {
  tenantId: string;
  phoneNumber: string;
  campaignId: string;
  carrierStatus: string;
  submittedAt: string;
}
export const NumberUnassignmentSubmittedSchema = eventSchema(
  'registration.NumberUnassignmentSubmitted.v1',
  {
    tenantId: uuid,
    phoneNumber: e164,
    campaignId: uuid,
    carrierStatus: nonEmpty,
    submittedAt: instant,
  },
  ['tenantId', 'phoneNumber', 'campaignId', 'carrierStatus', 'submittedAt'],
);

/**
 * The number is on the campaign no more: the carrier holds no assignment for it. It may not send
 * as a 10DLC sender until it is assigned again.
 */
export interface NumberUnassigned {
  tenantId: string;
  phoneNumber: string;
  campaignId: string;
  /** The carrier's last word on the removal, when it said one (a removed assignment is gone). */
  carrierStatus?: string;
  unassignedAt: string;
}
export const NumberUnassignedSchema = eventSchema(
  'registration.NumberUnassigned.v1',
  {
    tenantId: uuid,
    phoneNumber: e164,
    campaignId: uuid,
    carrierStatus: nonEmpty,
    unassignedAt: instant,
  },
  ['tenantId', 'phoneNumber', 'campaignId', 'unassignedAt'],
);

/** The carrier refused or failed the removal (`FAILED_UNASSIGNMENT`): the number stays assigned. */
export interface NumberUnassignmentFailed {
  tenantId: string;
  phoneNumber: string;
  campaignId: string;
  carrierStatus: string;
  reasons: RegistrationReason[];
  failedAt: string;
}
export const NumberUnassignmentFailedSchema = eventSchema(
  'registration.NumberUnassignmentFailed.v1',
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
  resource:
    | 'brand'
    | 'campaign'
    | 'number_assignment'
    | 'toll_free_verification'
    | 'brand_otp'
    | 'brand_vetting';
  /**
   * The brand, campaign or verification id, or the phone number of an assignment or of its
   * removal (both `number_assignment`: one stream per number; an OTP or vetting request: its
   * brand's id).
   */
  resourceId: string;
  errors: RegistrationFieldError[];
  rejectedAt: string;
}
export const RegistrationRequestRejectedSchema = eventSchema(
  'registration.RegistrationRequestRejected.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    resource: {
      enum: [
        'brand',
        'campaign',
        'number_assignment',
        'toll_free_verification',
        'brand_otp',
        'brand_vetting',
      ],
    },
    resourceId: nonEmpty,
    errors: fieldErrors,
    rejectedAt: instant,
  },
  ['requestId', 'tenantId', 'resource', 'resourceId', 'errors', 'rejectedAt'],
);

// ---------------------------------------------------------------------------------------------
// Toll-free verification (stream `toll-free-verification-<verificationId>`)
// ---------------------------------------------------------------------------------------------

/**
 * A toll-free verification request: Telnyx's `messagingTollfree.verification.requests` body,
 * its field names in camelCase as Telnyx spells them, except that `phoneNumbers` and
 * `optInWorkflowImageURLs` are plain arrays of strings (Telnyx: `[{phoneNumber}]`, `[{url}]`).
 * Registration's field rules (`parseTollFreeVerification`) decide what is accepted.
 */
export interface TollFreeVerificationDetails {
  businessName: string;
  corporateWebsite: string;
  businessAddr1: string;
  businessAddr2?: string;
  businessCity: string;
  /** The full state name, as Telnyx asks ("Texas", not "TX"). */
  businessState: string;
  businessZip: string;
  businessContactFirstName: string;
  businessContactLastName: string;
  businessContactEmail: string;
  /** E.164. */
  businessContactPhone: string;
  /** Telnyx's volume enum: `10`, `100`, `1,000`, ..., `10,000,000+` (messages a month). */
  messageVolume: string;
  /** The tenant's own toll-free numbers (E.164), at least one. */
  phoneNumbers: string[];
  /** Telnyx's toll-free use case category (`2FA`, `Appointments`, `General Marketing`, ...). */
  useCase: string;
  useCaseSummary: string;
  productionMessageContent: string;
  /** How end users opt in: where, and what they see. */
  optInWorkflow: string;
  /** Public URLs of images (screenshots) showing the opt-in workflow. */
  optInWorkflowImageURLs: string[];
  additionalInformation?: string;
  entityType?: string;
  doingBusinessAs?: string;
  businessRegistrationNumber?: string;
  businessRegistrationType?: string;
  businessRegistrationCountry?: string;
  helpMessageResponse?: string;
  optInConfirmationResponse?: string;
  optInKeywords?: string;
  privacyPolicyURL?: string;
  termsAndConditionURL?: string;
  ageGatedContent?: boolean;
}
const tollFreeVerificationDetails = {
  type: 'object',
  properties: {
    businessName: text,
    corporateWebsite: text,
    businessAddr1: text,
    businessAddr2: text,
    businessCity: text,
    businessState: text,
    businessZip: text,
    businessContactFirstName: text,
    businessContactLastName: text,
    businessContactEmail: text,
    businessContactPhone: text,
    messageVolume: text,
    phoneNumbers: { type: 'array', items: text },
    useCase: text,
    useCaseSummary: text,
    productionMessageContent: text,
    optInWorkflow: text,
    optInWorkflowImageURLs: { type: 'array', items: text },
    additionalInformation: text,
    entityType: text,
    doingBusinessAs: text,
    businessRegistrationNumber: text,
    businessRegistrationType: text,
    businessRegistrationCountry: text,
    helpMessageResponse: text,
    optInConfirmationResponse: text,
    optInKeywords: text,
    privacyPolicyURL: text,
    termsAndConditionURL: text,
    ageGatedContent: { type: 'boolean' },
  },
  required: [
    'businessName',
    'corporateWebsite',
    'businessAddr1',
    'businessCity',
    'businessState',
    'businessZip',
    'businessContactFirstName',
    'businessContactLastName',
    'businessContactEmail',
    'businessContactPhone',
    'messageVolume',
    'phoneNumbers',
    'useCase',
    'useCaseSummary',
    'productionMessageContent',
    'optInWorkflow',
    'optInWorkflowImageURLs',
  ],
  additionalProperties: false,
} as const;
const tollFreeNumbers = { type: 'array', minItems: 1, items: e164 } as const;

/** The gateway's request (gateway.registration-requests.events.v1). */
export interface TollFreeVerificationRequested {
  requestId: string;
  tenantId: string;
  /** textplane's id of the new verification, chosen by the gateway. */
  verificationId: string;
  /** The request body as the client sent it; registration parses it again. */
  verification: TollFreeVerificationDetails;
  requestedAt: string;
}
export const TollFreeVerificationRequestedSchema = eventSchema(
  'gateway.TollFreeVerificationRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    verificationId: uuid,
    verification: tollFreeVerificationDetails,
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'verificationId', 'verification', 'requestedAt'],
);

/** The verification was accepted and the carrier call is about to be made (the attempt). */
export interface TollFreeVerificationStarted {
  verificationId: string;
  tenantId: string;
  requestId: string;
  /** As the field rules normalised it. */
  verification: TollFreeVerificationDetails;
  startedAt: string;
}
export const TollFreeVerificationStartedSchema = eventSchema(
  'registration.TollFreeVerificationStarted.v1',
  {
    verificationId: uuid,
    tenantId: uuid,
    requestId: uuid,
    verification: tollFreeVerificationDetails,
    startedAt: instant,
  },
  ['verificationId', 'tenantId', 'requestId', 'verification', 'startedAt'],
);

/** The carrier took the request; its review goes on. */
export interface TollFreeVerificationSubmitted {
  verificationId: string;
  tenantId: string;
  /** The carrier's id of the request (Telnyx's `id`). */
  carrierVerificationId: string;
  phoneNumbers: string[];
  status: RegistrationStatus;
  /** Telnyx's raw `verificationStatus` (`Waiting For Telnyx`, `In Progress`, ...). */
  carrierStatus: string;
  submittedAt: string;
}
export const TollFreeVerificationSubmittedSchema = eventSchema(
  'registration.TollFreeVerificationSubmitted.v1',
  {
    verificationId: uuid,
    tenantId: uuid,
    carrierVerificationId: nonEmpty,
    phoneNumbers: tollFreeNumbers,
    status: registrationStatus,
    carrierStatus: nonEmpty,
    submittedAt: instant,
  },
  [
    'verificationId',
    'tenantId',
    'carrierVerificationId',
    'phoneNumbers',
    'status',
    'carrierStatus',
    'submittedAt',
  ],
);

/**
 * textplane's status or the carrier's raw one changed (`Waiting For Telnyx`, `In Progress`,
 * `Waiting For Customer`, `Verified`, `Rejected`), with the carrier's reasons and textplane's
 * fix for each. It names the numbers, so a reader can close a number's gate on it.
 */
export interface TollFreeVerificationStatusChanged {
  verificationId: string;
  tenantId: string;
  phoneNumbers: string[];
  status: RegistrationStatus;
  previousStatus: RegistrationStatus;
  carrierStatus: string;
  reasons: RegistrationReason[];
  changedAt: string;
}
export const TollFreeVerificationStatusChangedSchema = eventSchema(
  'registration.TollFreeVerificationStatusChanged.v1',
  {
    verificationId: uuid,
    tenantId: uuid,
    phoneNumbers: tollFreeNumbers,
    status: registrationStatus,
    previousStatus: registrationStatus,
    carrierStatus: nonEmpty,
    reasons,
    changedAt: instant,
  },
  [
    'verificationId',
    'tenantId',
    'phoneNumbers',
    'status',
    'previousStatus',
    'carrierStatus',
    'reasons',
    'changedAt',
  ],
);

/**
 * One toll-free number may carry traffic: its verification is approved. One per number, each
 * time the verification becomes approved; messaging's sender gate opens on it.
 */
export interface TollFreeNumberVerified {
  tenantId: string;
  phoneNumber: string;
  verificationId: string;
  carrierStatus: string;
  verifiedAt: string;
}
export const TollFreeNumberVerifiedSchema = eventSchema(
  'registration.TollFreeNumberVerified.v1',
  {
    tenantId: uuid,
    phoneNumber: e164,
    verificationId: uuid,
    carrierStatus: nonEmpty,
    verifiedAt: instant,
  },
  ['tenantId', 'phoneNumber', 'verificationId', 'carrierStatus', 'verifiedAt'],
);

// ---------------------------------------------------------------------------------------------
// Sole proprietor OTP and external vetting (on the brand's stream `brand-<brandId>`)
// ---------------------------------------------------------------------------------------------

/**
 * Send the sole proprietor's brand an OTP to its `mobilePhone` (Telnyx: POST
 * /10dlc/brand/{brandId}/smsOtp). Without texts, registration writes them with the brand's name.
 */
export interface BrandOtpRequested {
  requestId: string;
  tenantId: string;
  brandId: string;
  /** The text carrying the PIN; must contain `@OTP_PIN@`. */
  pinSms?: string;
  /** The text sent once the PIN is verified. */
  successSms?: string;
  requestedAt: string;
}
export const BrandOtpRequestedSchema = eventSchema(
  'gateway.BrandOtpRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    brandId: uuid,
    pinSms: nonEmpty,
    successSms: nonEmpty,
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'brandId', 'requestedAt'],
);

/** The PIN the sole proprietor received, to verify (Telnyx: PUT /10dlc/brand/{brandId}/smsOtp). */
export interface BrandOtpVerificationRequested {
  requestId: string;
  tenantId: string;
  brandId: string;
  otpPin: string;
  requestedAt: string;
}
export const BrandOtpVerificationRequestedSchema = eventSchema(
  'gateway.BrandOtpVerificationRequested.v1',
  { requestId: uuid, tenantId: uuid, brandId: uuid, otpPin: nonEmpty, requestedAt: instant },
  ['requestId', 'tenantId', 'brandId', 'otpPin', 'requestedAt'],
);

/** An external vetting to order for the brand (Telnyx: POST /10dlc/brand/{brandId}/externalVetting). */
export interface BrandVettingRequested {
  requestId: string;
  tenantId: string;
  brandId: string;
  /** The vetting provider (Telnyx's `evpId`); registration defaults to `AEGIS`. */
  evpId?: string;
  /** Registration defaults to `STANDARD`. */
  vettingClass?: string;
  requestedAt: string;
}
export const BrandVettingRequestedSchema = eventSchema(
  'gateway.BrandVettingRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    brandId: uuid,
    evpId: nonEmpty,
    vettingClass: nonEmpty,
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'brandId', 'requestedAt'],
);

/** The OTP is about to be sent (the attempt, recorded first). */
export interface BrandOtpSendStarted {
  brandId: string;
  tenantId: string;
  requestId: string;
  pinSms: string;
  successSms: string;
  startedAt: string;
}
export const BrandOtpSendStartedSchema = eventSchema(
  'registration.BrandOtpSendStarted.v1',
  {
    brandId: uuid,
    tenantId: uuid,
    requestId: uuid,
    pinSms: nonEmpty,
    successSms: nonEmpty,
    startedAt: instant,
  },
  ['brandId', 'tenantId', 'requestId', 'pinSms', 'successSms', 'startedAt'],
);

/** The carrier sent the OTP to the brand's mobile phone. */
export interface BrandOtpSent {
  brandId: string;
  tenantId: string;
  requestId: string;
  /** The carrier's reference of the OTP (Telnyx's `referenceId`). */
  referenceId: string;
  sentAt: string;
}
export const BrandOtpSentSchema = eventSchema(
  'registration.BrandOtpSent.v1',
  { brandId: uuid, tenantId: uuid, requestId: uuid, referenceId: nonEmpty, sentAt: instant },
  ['brandId', 'tenantId', 'requestId', 'referenceId', 'sentAt'],
);

/**
 * The PIN is about to be checked at the carrier (the attempt). The PIN is kept: the carrier call
 * needs it, and it is worthless once used or expired.
 */
export interface BrandOtpVerificationStarted {
  brandId: string;
  tenantId: string;
  requestId: string;
  otpPin: string;
  startedAt: string;
}
export const BrandOtpVerificationStartedSchema = eventSchema(
  'registration.BrandOtpVerificationStarted.v1',
  { brandId: uuid, tenantId: uuid, requestId: uuid, otpPin: nonEmpty, startedAt: instant },
  ['brandId', 'tenantId', 'requestId', 'otpPin', 'startedAt'],
);

/** The carrier accepted the PIN: the sole proprietor's brand may now be approved. */
export interface BrandOtpVerified {
  brandId: string;
  tenantId: string;
  requestId: string;
  verifiedAt: string;
}
export const BrandOtpVerifiedSchema = eventSchema(
  'registration.BrandOtpVerified.v1',
  { brandId: uuid, tenantId: uuid, requestId: uuid, verifiedAt: instant },
  ['brandId', 'tenantId', 'requestId', 'verifiedAt'],
);

/** The carrier refused to send the OTP, or refused the PIN (wrong, expired), with its reasons. */
export interface BrandOtpFailed {
  brandId: string;
  tenantId: string;
  requestId: string;
  step: 'send' | 'verification';
  reasons: RegistrationReason[];
  failedAt: string;
}
export const BrandOtpFailedSchema = eventSchema(
  'registration.BrandOtpFailed.v1',
  {
    brandId: uuid,
    tenantId: uuid,
    requestId: uuid,
    step: { enum: ['send', 'verification'] },
    reasons: { ...reasons, minItems: 1 },
    failedAt: instant,
  },
  ['brandId', 'tenantId', 'requestId', 'step', 'reasons', 'failedAt'],
);

/** The external vetting is about to be ordered (the attempt). */
export interface BrandVettingStarted {
  brandId: string;
  tenantId: string;
  requestId: string;
  evpId: string;
  vettingClass: string;
  startedAt: string;
}
export const BrandVettingStartedSchema = eventSchema(
  'registration.BrandVettingStarted.v1',
  {
    brandId: uuid,
    tenantId: uuid,
    requestId: uuid,
    evpId: nonEmpty,
    vettingClass: nonEmpty,
    startedAt: instant,
  },
  ['brandId', 'tenantId', 'requestId', 'evpId', 'vettingClass', 'startedAt'],
);

/** The carrier ordered the vetting; its score arrives later as BrandVetted. */
export interface BrandVettingOrdered {
  brandId: string;
  tenantId: string;
  requestId: string;
  evpId: string;
  vettingClass: string;
  /** The carrier's id of the vetting, when it gave one. */
  vettingId?: string;
  orderedAt: string;
}
export const BrandVettingOrderedSchema = eventSchema(
  'registration.BrandVettingOrdered.v1',
  {
    brandId: uuid,
    tenantId: uuid,
    requestId: uuid,
    evpId: nonEmpty,
    vettingClass: nonEmpty,
    vettingId: nonEmpty,
    orderedAt: instant,
  },
  ['brandId', 'tenantId', 'requestId', 'evpId', 'vettingClass', 'orderedAt'],
);

/** The carrier refused the vetting order, with its reasons. */
export interface BrandVettingFailed {
  brandId: string;
  tenantId: string;
  requestId: string;
  reasons: RegistrationReason[];
  failedAt: string;
}
export const BrandVettingFailedSchema = eventSchema(
  'registration.BrandVettingFailed.v1',
  {
    brandId: uuid,
    tenantId: uuid,
    requestId: uuid,
    reasons: { ...reasons, minItems: 1 },
    failedAt: instant,
  },
  ['brandId', 'tenantId', 'requestId', 'reasons', 'failedAt'],
);
