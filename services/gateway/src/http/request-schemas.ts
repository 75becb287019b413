/**
 * JSON Schemas (2020-12) of every request body. The same objects validate requests (REST and
 * gRPC) and describe them in the OpenAPI document, so the two cannot drift apart.
 */
export const E164_PATTERN = '^\\+[1-9][0-9]{1,14}$';

const e164 = {
  type: 'string',
  pattern: E164_PATTERN,
  description: 'Phone number in E.164 format, e.g. +15555550123',
  examples: ['+15555550123'],
} as const;

export const SendMessageRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['to'],
  properties: {
    to: e164,
    from: { ...e164, description: "Sender number; defaults to the tenant's default sender" },
    body: { type: 'string', maxLength: 1600, description: 'Text of the message' },
    mediaUrls: {
      type: 'array',
      maxItems: 10,
      items: { type: 'string', format: 'uri', pattern: '^https?://' },
      description: 'Media to send as MMS (public http(s) URLs)',
    },
    purpose: {
      enum: ['conversational', 'transactional', 'marketing'],
      description:
        'Why the message is sent; decides which consent it needs. Default conversational.',
    },
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

export const requestSchemas = {
  SendMessageRequest: SendMessageRequestSchema,
  PreviewMessageRequest: PreviewMessageRequestSchema,
  CreateTenantRequest: CreateTenantRequestSchema,
  IssueApiKeyRequest: IssueApiKeyRequestSchema,
  AddSenderNumberRequest: AddSenderNumberRequestSchema,
} as const;

export type RequestSchemaName = keyof typeof requestSchemas;
