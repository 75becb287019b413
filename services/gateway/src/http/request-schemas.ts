/**
 * JSON Schemas (2020-12) of every request body. The same objects validate requests (REST and
 * gRPC) and describe them in the OpenAPI document, so the two cannot drift apart.
 */
/**
 * E.164, and for the North American Numbering Plan (+1) exactly ten digits with an area code
 * that does not start with 0 or 1: "+1415555" is a typo, not a number.
 */
export const E164_PATTERN = '^(?:\\+1[2-9][0-9]{9}|\\+[2-9][0-9]{1,14})$';

/** A required text must say something: blanks alone (" ", a tab, U+00A0) are refused. */
export const NOT_BLANK_PATTERN = '\\S';

/** Only web addresses: `javascript:`, `file:`, `data:` and the like are refused. */
export const HTTP_URL_PATTERN = '^https?://';

/** IANA zone names only (America/New_York, UTC); offsets such as "+1555" are refused. */
export const IANA_TIME_ZONE_FORMAT = 'iana-time-zone';

/** A text that is required: not empty, not only blanks. */
const requiredText = (maxLength: number, description?: string) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength,
    pattern: NOT_BLANK_PATTERN,
    ...(description ? { description } : {}),
  }) as const;

const ianaTimeZone = (description: string) =>
  ({ type: 'string', format: IANA_TIME_ZONE_FORMAT, maxLength: 64, description }) as const;

const e164 = {
  type: 'string',
  pattern: E164_PATTERN,
  description: 'Phone number in E.164 format, e.g. +15555550123',
  examples: ['+15555550123'],
} as const;

const mediaUrls = {
  type: 'array',
  maxItems: 10,
  items: { type: 'string', format: 'uri', pattern: HTTP_URL_PATTERN, maxLength: 2000 },
  description:
    'Media to send as MMS: public http(s) URLs. Refused with 400: other schemes, localhost and ' +
    'literal IP addresses that are private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), ' +
    'link-local (169.254/16, fe80::/10, the cloud metadata address), unspecified or loopback ' +
    '(loopback only allowed when the gateway runs with MEDIA_FETCH_ALLOW_LOOPBACK=true). Host ' +
    'names are not resolved at the edge',
} as const;

const messagePurpose = {
  enum: ['conversational', 'transactional', 'marketing'],
  description: 'Why the message is sent; decides which consent it needs. Default conversational.',
} as const;

const recipientTimeZone = ianaTimeZone(
  "The contact's IANA time zone (e.g. America/Denver) when you know it; quiet hours use it " +
    "before the number's area code",
);

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

const complianceText = requiredText(320);

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
    name: requiredText(200),
    brandName: requiredText(100),
    timeZone: ianaTimeZone('IANA time zone, e.g. America/New_York'),
    senderNumbers: {
      type: 'array',
      items: e164,
      minItems: 1,
      maxItems: 1000,
      description:
        'The numbers the tenant sends from and receives on. A number belongs to at most one ' +
        'tenant: one another tenant has is refused with 409 sender_number_taken',
    },
    defaultSender: e164,
    compliance: TenantComplianceProfileSchema,
  },
} as const;

export const IssueApiKeyRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['label'],
  properties: {
    label: requiredText(200),
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
    text: requiredText(10_000, 'The exact consent language the person agreed to'),
    capturedAt: {
      type: 'string',
      format: 'date-time',
      description:
        'When the person consented: from 2000-01-01T00:00:00Z up to now (a minute ahead of ' +
        "the gateway's clock is taken as clock skew)",
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
    pageUrl: {
      type: 'string',
      format: 'uri',
      pattern: HTTP_URL_PATTERN,
      maxLength: 2000,
      description: 'The http(s) page the consent was given on',
    },
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
    resolvedBy: requiredText(200),
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
