import { requestSchemas } from '../http/request-schemas.js';
import {
  commonErrors,
  idempotencyKey,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';
import { CONSENT_HISTORY_CSV_COLUMNS } from './consent-history-csv.js';

const phone = {
  name: 'phone',
  in: 'path',
  required: true,
  description: 'The contact, E.164 (the + may be sent as %2B)',
  schema: requestSchemas.GrantConsentRequest.properties.phone,
};

/** The answers of a consent write: the ledger fact once recorded, or accepted-and-pending. */
const consentWriteResponses = (what: string) => ({
  '201': {
    description: `${what} recorded by the consent service: the ledger entry. Location: the history.`,
    headers: { Location: { schema: { type: 'string' } } },
    content: json(ref('ConsentLedgerEntry')),
  },
  '202': {
    description:
      `${what} accepted, not recorded within the confirmation timeout ` +
      '(GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS); it appears in the history under requestId. ' +
      'Location: the history.',
    headers: { Location: { schema: { type: 'string' } } },
    content: json(ref('ConsentRequestPending')),
  },
});

const channelState = {
  type: 'object',
  required: ['consented', 'allowed'],
  properties: {
    consented: {
      type: 'boolean',
      description: 'A grant for this purpose and channel is on the ledger and not withdrawn',
    },
    allowed: {
      type: 'boolean',
      description: 'A message of this purpose may go out on this channel now (quiet hours aside)',
    },
  },
};
const purposeState = {
  type: 'object',
  required: ['sms', 'mms'],
  properties: { sms: channelState, mms: channelState },
};
const channelFlags = {
  type: 'object',
  required: ['sms', 'mms'],
  properties: { sms: { type: 'boolean' }, mms: { type: 'boolean' } },
};

/** The consent context on REST: the ledger, DND and revocation reviews. */
export const consentsOperations: OpenApiOperations = {
  paths: {
    '/v1/consents': {
      post: {
        operationId: 'grantConsent',
        summary: 'Record that a contact consented, with the evidence',
        description:
          'The consent service keeps the ledger. The gateway records the request and waits ' +
          'for the ledger fact it causes: 201 with the entry, or 202 if it is not recorded ' +
          'within the confirmation timeout. Invalid input records nothing.',
        parameters: [idempotencyKey],
        requestBody: { required: true, content: json(ref('GrantConsentRequest')) },
        responses: { ...consentWriteResponses('Consent'), ...commonErrors },
      },
    },
    '/v1/consents/{phone}': {
      get: {
        operationId: 'getConsent',
        summary: "A number's current consent per purpose and channel",
        description: 'A number with no ledger has no consent: 200 with nothing granted.',
        parameters: [phone],
        responses: {
          '200': { description: 'The consent state', content: json(ref('ConsentState')) },
          '400': problem('Not an E.164 number'),
          '401': problem('Missing or invalid API key'),
        },
      },
    },
    '/v1/consents/{phone}/history': {
      get: {
        operationId: 'getConsentHistory',
        summary: "Every fact of a number's consent ledger, in order, with its evidence",
        description:
          'JSON by default; `Accept: text/csv` gives a CSV for auditors (header row, one row ' +
          'per fact, RFC 4180 quoting; cells starting with = + - @ are prefixed with a single ' +
          'quote so spreadsheets do not run them).',
        parameters: [phone],
        responses: {
          '200': {
            description: 'The ledger',
            content: {
              ...json(ref('ConsentHistory')),
              'text/csv': {
                schema: { type: 'string' },
                example: CONSENT_HISTORY_CSV_COLUMNS.join(','),
              },
            },
          },
          '400': problem('Not an E.164 number'),
          '401': problem('Missing or invalid API key'),
        },
      },
    },
    '/v1/consents/{phone}/revocations': {
      post: {
        operationId: 'revokeConsent',
        summary: 'Revoke consent (an opt-out, or marketing only)',
        parameters: [phone, idempotencyKey],
        requestBody: { required: false, content: json(ref('RevokeConsentRequest')) },
        responses: { ...consentWriteResponses('Revocation'), ...commonErrors },
      },
    },
    '/v1/consents/{phone}/dnd/{channel}': {
      parameters: [
        phone,
        {
          name: 'channel',
          in: 'path',
          required: true,
          schema: { enum: ['sms', 'mms', 'all'] },
        },
      ],
      put: {
        operationId: 'setDnd',
        summary: 'Turn do-not-disturb on for a channel',
        parameters: [idempotencyKey],
        responses: { ...consentWriteResponses('DND'), ...commonErrors },
      },
      delete: {
        operationId: 'clearDnd',
        summary: 'Turn do-not-disturb off for a channel',
        parameters: [idempotencyKey],
        responses: { ...consentWriteResponses('DND'), ...commonErrors },
      },
    },
    '/v1/consent-reviews': {
      get: {
        operationId: 'listRevocationReviews',
        summary: 'Replies that may mean "stop", waiting for (or given) an agent\'s decision',
        parameters: [
          {
            name: 'status',
            in: 'query',
            required: false,
            description: 'Only reviews in this status; all when absent',
            schema: { enum: ['open', 'resolved'] },
          },
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
          },
        ],
        responses: {
          '200': {
            description: 'One page, oldest first',
            content: json(ref('RevocationReviewPage')),
          },
          '400': problem('Invalid status, cursor or limit'),
          '401': problem('Missing or invalid API key'),
        },
      },
    },
    '/v1/consent-reviews/{reviewId}/resolution': {
      post: {
        operationId: 'resolveRevocationReview',
        summary: 'Decide whether a reply revoked consent',
        parameters: [
          {
            name: 'reviewId',
            in: 'path',
            required: true,
            schema: { type: 'string', format: 'uuid' },
          },
          idempotencyKey,
        ],
        requestBody: { required: true, content: json(ref('ResolveRevocationReviewRequest')) },
        responses: {
          ...consentWriteResponses('Decision'),
          '404': problem('No such review for this tenant'),
          '409': problem(
            'The review was already resolved, or another resolution of it was accepted (code review_already_resolved)',
          ),
          ...commonErrors,
        },
      },
    },
  },
  schemas: {
    ConsentLedgerEntry: {
      type: 'object',
      required: ['sequence', 'type', 'occurredAt', 'eventId'],
      description:
        'One ledger fact: its position, short type and time, then every field of the fact ' +
        'as recorded (evidence, causing message, method, keyword, requestId, ...).',
      additionalProperties: true,
      properties: {
        sequence: { type: 'integer', minimum: 1 },
        type: {
          type: 'string',
          examples: ['ConsentGranted', 'ConsentRevoked', 'DndSet', 'RevocationReviewOpened'],
        },
        occurredAt: { type: 'string', format: 'date-time' },
        eventId: { type: 'string', format: 'uuid' },
        requestId: { type: 'string', format: 'uuid' },
        evidence: requestSchemas.GrantConsentRequest.properties.evidence,
      },
    },
    ConsentRequestPending: {
      type: 'object',
      required: ['status', 'requestId', 'phone', 'history'],
      properties: {
        status: { const: 'pending' },
        requestId: { type: 'string', format: 'uuid' },
        phone: { type: 'string' },
        history: { type: 'string', description: 'Where the fact will appear' },
      },
    },
    ConsentHistory: {
      type: 'object',
      required: ['phone', 'entries'],
      properties: {
        phone: { type: 'string' },
        entries: { type: 'array', items: ref('ConsentLedgerEntry') },
      },
    },
    ConsentState: {
      type: 'object',
      required: [
        'phone',
        'marketing',
        'transactional',
        'optedOut',
        'dnd',
        'optedOutAt',
        'updatedAt',
        'openReviewCount',
      ],
      properties: {
        phone: { type: 'string' },
        marketing: purposeState,
        transactional: purposeState,
        optedOut: channelFlags,
        dnd: channelFlags,
        optedOutAt: nullable('string', { format: 'date-time' }),
        updatedAt: nullable('string', { format: 'date-time' }),
        openReviewCount: { type: 'integer', minimum: 0 },
      },
    },
    RevocationReview: {
      type: 'object',
      required: ['id', 'phone', 'message', 'confidence', 'cue', 'status', 'openedAt'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        phone: { type: 'string' },
        message: {
          type: 'object',
          properties: {
            messageId: { type: 'string', format: 'uuid' },
            body: { type: 'string' },
            receivedAt: { type: 'string', format: 'date-time' },
          },
        },
        confidence: { type: 'number', minimum: 0, maximum: 1 },
        cue: { type: 'string' },
        status: { enum: ['open', 'resolved'] },
        decision: { enum: ['revoke', 'dismiss', null] },
        resolvedBy: nullable('string'),
        note: nullable('string'),
        openedAt: { type: 'string', format: 'date-time' },
        resolvedAt: nullable('string', { format: 'date-time' }),
      },
    },
    RevocationReviewPage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: ref('RevocationReview') },
        nextCursor: nullable('string'),
      },
    },
  },
};
