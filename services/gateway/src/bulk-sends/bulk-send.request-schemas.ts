/** The bulk-send request bodies (validation and the OpenAPI document). */
import { SendMessageRequestSchema } from '../messages/message.request-schemas.js';

/** Issue 11 §1: a bulk send names 1 to 100,000 contacts. */
export const MAX_BULK_CONTACT_IDS = 100_000;

const sendFields = SendMessageRequestSchema.properties;

const tagList = (what: string) =>
  ({
    type: 'array',
    minItems: 1,
    maxItems: 100,
    items: { type: 'string', minLength: 1, maxLength: 64 },
    description: what,
  }) as const;

const recipients = {
  type: 'object',
  additionalProperties: false,
  properties: {
    contactIds: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BULK_CONTACT_IDS,
      items: sendFields.contactId,
      description:
        'The contacts, 1 to 100,000, in the order batches take them; a later contact sharing a ' +
        'phone with an earlier one is skipped (duplicate_phone)',
    },
    tags: {
      type: 'object',
      additionalProperties: false,
      properties: {
        any: tagList('A contact has at least one of these'),
        all: tagList('A contact has every one of these'),
        none: tagList('A contact has none of these'),
      },
      description: 'The contacts whose tags pass every list given, in contact id order',
    },
    all: { const: true, description: 'Every contact of the tenant, in contact id order' },
  },
  description: 'Exactly one of contactIds, tags or all',
} as const;

/** The content object of DESIGN.md ("One shape for message content"), marketing by default. */
const message = {
  type: 'object',
  additionalProperties: false,
  properties: {
    body: sendFields.body,
    templateId: sendFields.templateId,
    templateVersion: sendFields.templateVersion,
    mediaUrls: sendFields.mediaUrls,
    purpose: {
      ...sendFields.purpose,
      description: 'Why the message is sent; decides which consent it needs. Default marketing.',
    },
    from: sendFields.from,
  },
  description: 'What to send: body or templateId (never both), as on POST /v1/messages',
} as const;

export const PreviewBulkSendRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['recipients', 'message', 'delivery'],
  properties: {
    recipients,
    message,
    delivery: {
      type: 'object',
      description:
        'When: {mode: "now"}, {mode: "schedule", at}, {mode: "schedule", localTime, timeZone: ' +
        '"recipient"|"tenant"|IANA}, or {mode: "drip", startAt, batchSize (1..10,000), every: ' +
        '{value, unit}, days?, window?: {start, end}, timeZone?} (issue 11 §1; every field is ' +
        'checked and named, e.g. delivery.batchSize)',
    },
  },
} as const;
