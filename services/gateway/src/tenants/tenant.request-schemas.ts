/** The admin API's request bodies (validation and the OpenAPI document). */
import { e164, ianaTimeZone, requiredText } from '../http/schema-parts.js';

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
