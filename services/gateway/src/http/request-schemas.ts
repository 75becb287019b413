/**
 * JSON Schemas (2020-12) of every request body. The same objects validate requests (REST and
 * gRPC) and describe them in the OpenAPI document, so the two cannot drift apart.
 */
/**
 * E.164, and for the North American Numbering Plan (+1) exactly ten digits with an area code
 * that does not start with 0 or 1: "+1415555" is a typo, not a number.
 */
export const E164_PATTERN = '^(?:\\+1[2-9][0-9]{9}|\\+[2-9][0-9]{1,14})$';

const e164 = {
  type: 'string',
  pattern: E164_PATTERN,
  description: 'Phone number in E.164 format, e.g. +15555550123',
  examples: ['+15555550123'],
} as const;

const mediaUrls = {
  type: 'array',
  maxItems: 10,
  items: { type: 'string', format: 'uri', pattern: '^https?://' },
  description: 'Media to send as MMS (public http(s) URLs)',
} as const;

const messagePurpose = {
  enum: ['conversational', 'transactional', 'marketing'],
  description: 'Why the message is sent; decides which consent it needs. Default conversational.',
} as const;

const recipientTimeZone = {
  type: 'string',
  minLength: 1,
  maxLength: 64,
  description:
    "The contact's IANA time zone (e.g. America/Denver) when you know it; quiet hours use it " +
    "before the number's area code",
} as const;

export const SendMessageRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['to'],
  properties: {
    to: e164,
    from: { ...e164, description: "Sender number; defaults to the tenant's default sender" },
    body: { type: 'string', maxLength: 1600, description: 'Text of the message' },
    mediaUrls,
    purpose: messagePurpose,
    recipientTimeZone: recipientTimeZone,
  },
} as const;

export const PreviewMessageRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['body'],
  properties: {
    body: { type: 'string', maxLength: 1600 },
    smartEncoding: {
      type: 'boolean',
      description:
        'Replace look-alike characters (curly quotes, dashes) with GSM-7 ones before counting',
    },
    to: {
      ...e164,
      description:
        "The recipient: adds consent, do-not-disturb and the recipient's quiet hours to the " +
        'compliance verdict, and tells whether this would be the first message to them. ' +
        'Without it consent is not judged; quiet hours are those of recipientTimeZone, else the tenant zone.',
    },
    purpose: messagePurpose,
    at: {
      type: 'string',
      format: 'date-time',
      description: 'Evaluate the verdict as if sent at this instant; default now',
    },
    mediaUrls: {
      ...mediaUrls,
      description: 'Media the message would carry; any makes it an MMS (channel mms)',
    },
    recipientTimeZone,
  },
} as const;

const complianceText = { type: 'string', minLength: 1, maxLength: 320 } as const;

/** A tenant's compliance profile: in the create body, and the whole body of the PUT. */
export const TenantComplianceProfileSchema = {
  type: 'object',
  additionalProperties: false,
  description:
    'Texts of the automatic compliance replies and the restricted-content policy; ' +
    'defaults apply to what is left out. The texts may use the placeholders {brand}, ' +
    '{supportContact} and {frequency} (no others). Refused with 400: a link through a ' +
    'public URL shortener or SHAFT/high-risk content in any text, any link in a ' +
    'confirmation (no marketing in confirmations), a reply over 320 characters as sent ' +
    '(placeholders filled, brand added), a HELP answer without a way to get help',
  properties: {
    supportContact: { ...complianceText, description: 'How a recipient gets help' },
    messageFrequency: { ...complianceText, description: 'e.g. "Up to 4 msgs/month"' },
    helpText: {
      ...complianceText,
      description:
        'The whole HELP answer; must say how to get help ({supportContact}, a phone ' +
        'number, e-mail or web address)',
    },
    optOutConfirmationText: {
      ...complianceText,
      description: 'The opt-out confirmation; no links',
    },
    optInConfirmationText: {
      ...complianceText,
      description: 'The opt-in confirmation; no links',
    },
    restrictedContent: {
      enum: ['flag', 'block'],
      description:
        'What happens to SHAFT and high-risk financial content: flagged, or blocked ' +
        '(default block)',
    },
  },
} as const;

export const CreateTenantRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'brandName', 'timeZone', 'senderNumbers', 'defaultSender'],
  properties: {
    id: {
      type: 'string',
      format: 'uuid',
      description: 'Choose the id (makes creation repeatable)',
    },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    brandName: { type: 'string', minLength: 1, maxLength: 100 },
    timeZone: {
      type: 'string',
      minLength: 1,
      description: 'IANA time zone, e.g. America/New_York',
    },
    senderNumbers: { type: 'array', items: e164, minItems: 1, maxItems: 1000 },
    defaultSender: e164,
    compliance: TenantComplianceProfileSchema,
  },
} as const;

export const IssueApiKeyRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['label'],
  properties: {
    label: { type: 'string', maxLength: 200 },
    key: {
      type: 'string',
      minLength: 32,
      maxLength: 200,
      pattern: '^[A-Za-z0-9_\\-]+$',
      description: 'Bring your own key (e.g. for a demo); generated when absent',
    },
  },
} as const;

export const AddSenderNumberRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['phoneNumber'],
  properties: { phoneNumber: e164 },
} as const;

const consentChannel = {
  enum: ['sms', 'mms', 'all'],
  description: 'The channel it applies to; default all',
} as const;

const shortText = (maxLength: number, description?: string) =>
  ({ type: 'string', maxLength, ...(description ? { description } : {}) }) as const;

export const ConsentEvidenceSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source', 'text', 'capturedAt'],
  description: 'How consent was captured, kept verbatim for an auditor',
  properties: {
    source: {
      enum: ['web_form', 'keyword', 'paper', 'import', 'verbal', 'other'],
      description: 'Where the consent was given',
    },
    text: {
      type: 'string',
      minLength: 1,
      maxLength: 10_000,
      description: 'The exact consent language the person agreed to',
    },
    capturedAt: {
      type: 'string',
      format: 'date-time',
      description: 'When the person consented (not in the future)',
    },
    textVersion: shortText(200, 'Version of the consent language'),
    checkboxDefaultUnchecked: {
      type: 'boolean',
      description: 'Whether the consent checkbox was unchecked by default',
    },
    ip: {
      type: 'string',
      anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }],
      description: 'IP address the consent came from',
    },
    userAgent: shortText(1000),
    pageUrl: { type: 'string', format: 'uri', maxLength: 2000 },
  },
} as const;

export const GrantConsentRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['phone', 'purpose', 'evidence'],
  properties: {
    phone: e164,
    purpose: { enum: ['marketing', 'transactional'], description: 'What the consent is for' },
    channel: consentChannel,
    evidence: ConsentEvidenceSchema,
  },
} as const;

export const RevokeConsentRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    scope: {
      enum: ['all', 'marketing'],
      description:
        'all: an opt-out of every message; marketing: marketing consent only. Default all',
    },
    channel: consentChannel,
    method: {
      enum: ['api', 'support_agent'],
      description:
        "Who revoked: your system, or a support agent on the person's behalf. Default api",
    },
    note: shortText(1000),
  },
} as const;

export const ResolveRevocationReviewRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['decision'],
  properties: {
    decision: {
      enum: ['revoke', 'dismiss'],
      description: 'revoke: the reply meant stop (an opt-out is recorded); dismiss: it did not',
    },
    resolvedBy: { type: 'string', minLength: 1, maxLength: 200 },
    note: shortText(1000),
  },
} as const;

export const requestSchemas = {
  SendMessageRequest: SendMessageRequestSchema,
  PreviewMessageRequest: PreviewMessageRequestSchema,
  CreateTenantRequest: CreateTenantRequestSchema,
  TenantComplianceProfile: TenantComplianceProfileSchema,
  IssueApiKeyRequest: IssueApiKeyRequestSchema,
  AddSenderNumberRequest: AddSenderNumberRequestSchema,
  GrantConsentRequest: GrantConsentRequestSchema,
  RevokeConsentRequest: RevokeConsentRequestSchema,
  ResolveRevocationReviewRequest: ResolveRevocationReviewRequestSchema,
} as const;

export type RequestSchemaName = keyof typeof requestSchemas;
