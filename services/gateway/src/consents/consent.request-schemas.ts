/** The consent context's request bodies (validation and the OpenAPI document). */
import { e164, HTTP_URL_PATTERN, requiredText } from '../http/schema-parts.js';

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
