/**
 * The Trust Center's request bodies (validation and the OpenAPI document). The schemas check the
 * JSON's shape (an object, each field's type, no unknown field: 400 naming the field); the
 * registration rules — what an entity type or use case requires, the EIN, 1 to 5 samples of at
 * most 1,024 characters, the use cases — are @textplane/trust-rules' parseBrand / parseCampaign
 * (422 naming each field), the same functions registration applies again.
 */
import { CAMPAIGN_USECASES, ENTITY_TYPES, VERTICALS } from '@textplane/trust-rules';
import { e164 } from '../http/schema-parts.js';

const text = (description: string) => ({ type: 'string', description }) as const;
const flag = (description: string) => ({ type: 'boolean', description }) as const;
const keywords = (description: string) =>
  ({
    type: ['string', 'array'],
    items: { type: 'string' },
    description: `${description}: an array of words, or Telnyx's comma-separated string`,
  }) as const;

export const CreateBrandRequestSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    "A brand to register (Telnyx's fields, camelCase). Required for every entity type: " +
    'entityType, displayName, phone, street, city, state, postalCode, country, email, vertical; ' +
    'companyName and ein for every entity but SOLE_PROPRIETOR (which must not give an ein); ' +
    'stockSymbol, stockExchange and businessContactEmail for PUBLIC_PROFIT; firstName, lastName ' +
    'and mobilePhone for SOLE_PROPRIETOR. Refusals name each field (422).',
  properties: {
    entityType: text(`One of ${ENTITY_TYPES.join(', ')}`),
    displayName: text('The brand name recipients know (at most 255 characters)'),
    companyName: text('The legal company name'),
    ein: text('The US EIN, XX-XXXXXXX (nine digits; the hyphen is filled in)'),
    phone: text('The brand’s phone, E.164'),
    street: text('Street address'),
    city: text('City'),
    state: text('State (a two-letter code in the US)'),
    postalCode: text('Postal code (a ZIP code in the US)'),
    country: text('ISO 3166-1 alpha-2 country code, e.g. US'),
    email: text('Contact e-mail'),
    website: text('http(s) URL'),
    vertical: text(`One of ${VERTICALS.join(', ')}`),
    stockSymbol: text('PUBLIC_PROFIT: the ticker'),
    stockExchange: text('PUBLIC_PROFIT: the exchange (e.g. NASDAQ, NYSE)'),
    businessContactEmail: text('PUBLIC_PROFIT: a business contact e-mail'),
    firstName: text('SOLE_PROPRIETOR: first name'),
    lastName: text('SOLE_PROPRIETOR: last name'),
    mobilePhone: text('SOLE_PROPRIETOR: the mobile number (E.164) the OTP is sent to'),
  },
} as const;

const campaignProperties = {
  brandId: text('The brand, as POST /v1/trust/brands returned its id'),
  usecase: text(`Telnyx's use case: one of ${CAMPAIGN_USECASES.join(', ')}`),
  description: text('What the campaign sends (40 to 4,096 characters)'),
  messageFlow: text('Where and how each recipient consents (40 to 2,048 characters)'),
  sampleMessages: {
    type: 'array',
    items: { type: 'string' },
    description: '1 to 5 sample messages of at most 1,024 characters (Telnyx sample1..sample5)',
  },
  helpMessage: text('The answer to HELP (at most 320 characters)'),
  optinMessage: text('The answer to an opt-in keyword (required with optinKeywords)'),
  optoutMessage: text('The answer to STOP (at most 320 characters)'),
  helpKeywords: keywords('Help keywords, HELP among them (default HELP)'),
  optinKeywords: keywords('Opt-in keywords'),
  optoutKeywords: keywords('Opt-out keywords, STOP among them (default STOP)'),
  embeddedLink: flag('The messages carry links (default false)'),
  embeddedPhone: flag('The messages carry phone numbers (default false)'),
  numberPool: flag('More than 49 numbers send for the campaign (default false)'),
  ageGated: flag('Age-gated content (default false)'),
  directLending: flag('Direct lending or loan arrangement (default false)'),
} as const;

export const CreateCampaignRequestSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    "A 10DLC campaign to submit (Telnyx's fields, camelCase; sampleMessages in place of " +
    'sample1..sample5). Required: brandId, usecase, description, messageFlow, sampleMessages, ' +
    'helpMessage, optoutMessage. Refusals name each field (422).',
  properties: campaignProperties,
} as const;

export const LintCampaignRequestSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'The campaign body of POST /v1/trust/campaigns, any field left out; without brandId the ' +
    'brand-name checks are skipped.',
  properties: campaignProperties,
} as const;

export const AssignCampaignNumberRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['phoneNumber'],
  properties: {
    phoneNumber: {
      ...e164,
      description: 'One of your sender numbers, a US long code (toll-free numbers are verified)',
    },
  },
} as const;

export const RequestBrandVettingRequestSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'An external vetting to order for a registered brand (not a SOLE_PROPRIETOR one)',
  properties: {
    evpId: text("The vetting provider (Telnyx's evpId); default AEGIS"),
    vettingClass: text('The vetting class; default STANDARD'),
  },
} as const;

/** The placeholder Telnyx replaces with the PIN. */
export const OTP_PIN_PLACEHOLDER = '@OTP_PIN@';

export const RequestBrandOtpRequestSchema = {
  type: 'object',
  additionalProperties: false,
  description: "Send the SOLE_PROPRIETOR brand's mobilePhone a one-time PIN",
  properties: {
    pinSms: text(`The text carrying the PIN; must contain ${OTP_PIN_PLACEHOLDER}`),
    successSms: text('The text sent once the PIN is verified'),
  },
} as const;

export const VerifyBrandOtpRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['otpPin'],
  properties: {
    otpPin: {
      type: 'string',
      pattern: '^[0-9A-Za-z]{1,32}$',
      description: 'The PIN the sole proprietor received',
    },
  },
} as const;

const strings = (description: string) =>
  ({ type: 'array', items: { type: 'string' }, description }) as const;

export const CreateTollFreeVerificationRequestSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    "A toll-free verification request (Telnyx's messagingTollfree.verification.requests body, " +
    'camelCase; phoneNumbers and optInWorkflowImageURLs as plain arrays). Required: ' +
    'businessName, corporateWebsite, businessAddr1, businessCity, businessState, businessZip, ' +
    'businessContactFirstName, businessContactLastName, businessContactEmail, ' +
    'businessContactPhone, messageVolume, phoneNumbers, useCase, useCaseSummary, ' +
    'productionMessageContent, optInWorkflow, optInWorkflowImageURLs. Refusals name each ' +
    'field (422).',
  properties: {
    businessName: text('The legal business name'),
    corporateWebsite: text('The business website'),
    businessAddr1: text('Street address'),
    businessAddr2: text('Street address, second line'),
    businessCity: text('City'),
    businessState: text('The full state name (e.g. Texas)'),
    businessZip: text('Postal code'),
    businessContactFirstName: text('Contact first name'),
    businessContactLastName: text('Contact last name'),
    businessContactEmail: text('Contact e-mail'),
    businessContactPhone: text('Contact phone, E.164'),
    messageVolume: text("Telnyx's monthly volume: 10, 100, 1,000, ... 10,000,000+"),
    phoneNumbers: strings('Your toll-free sender numbers (E.164), at least one'),
    useCase: text("Telnyx's toll-free use case (2FA, Appointments, General Marketing, ...)"),
    useCaseSummary: text('What the messages are for'),
    productionMessageContent: text('A message as it will be sent'),
    optInWorkflow: text('How end users opt in: where, and what they see'),
    optInWorkflowImageURLs: strings(
      'Public http(s) URLs of screenshots of the opt-in, at least one',
    ),
    additionalInformation: text('Anything else the reviewer should know'),
    entityType: text('The business entity type'),
    doingBusinessAs: text('DBA name'),
    businessRegistrationNumber: text('EIN or other registration number'),
    businessRegistrationType: text('EIN, ...'),
    businessRegistrationCountry: text('ISO 3166-1 alpha-2'),
    helpMessageResponse: text('The answer to HELP'),
    optInConfirmationResponse: text('The answer to an opt-in'),
    optInKeywords: text('Opt-in keywords, comma-separated'),
    privacyPolicyURL: text('Privacy policy URL'),
    termsAndConditionURL: text('Terms and conditions URL'),
    ageGatedContent: flag('Age-gated content'),
  },
} as const;

/** The fields a toll-free verification request must have (the contract's required list). */
export const TOLL_FREE_REQUIRED_FIELDS = [
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
] as const;
