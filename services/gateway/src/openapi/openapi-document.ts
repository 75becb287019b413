import { CONSENT_HISTORY_CSV_COLUMNS } from '../consents/consent-history-csv.js';
import { requestSchemas } from '../http/request-schemas.js';
import { IDEMPOTENCY_KEY_MAX_LENGTH } from '../idempotency/idempotency-key.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a POST safe to retry: the same key and body within 24 h returns the first answer; ' +
    'the same key with another body is refused with 422. A key is scoped to the tenant (or ' +
    'the admin token) and the route template (e.g. POST /v1/messages): the same key on ' +
    'another route, or of another tenant, is another request. A gRPC method shares the scope ' +
    'of the REST route it mirrors.',
  schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH },
};

const tenantId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};

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
const complianceReason = {
  enum: [
    'recipient_opted_out',
    'no_marketing_consent',
    'dnd_active',
    'quiet_hours_held',
    'content_rejected',
    'sender_not_owned',
  ],
};

const commonErrors = {
  '400': problem('The request is malformed or a field is invalid (see `errors`)'),
  '401': problem('Missing or invalid credentials'),
  '413': problem('The request body is too large'),
  '415': problem(
    'The body is not application/json in UTF-8 (charset=utf-8 or none), or has a Content-Encoding other than identity',
  ),
  '422': problem('The request is well-formed but cannot be applied'),
};

/** The OpenAPI 3.1 description of the public and admin REST API, served at /openapi.json. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'textplane API',
      version: '1.0.0',
      description:
        'Send and track SMS/MMS for your CRM contacts. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: serverUrl }],
    security: [{ apiKey: [] }],
    paths: {
      '/v1/messages': {
        post: {
          operationId: 'sendMessage',
          summary: 'Send a message',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('SendMessageRequest')) },
          responses: {
            '202': { description: 'Accepted for delivery', content: json(ref('Message')) },
            ...commonErrors,
          },
        },
      },
      '/v1/messages/preview': {
        post: {
          operationId: 'previewMessage',
          summary: 'Count the encoding and segments of a body without sending it',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('PreviewMessageRequest')) },
          responses: {
            '200': { description: 'The count', content: json(ref('MessagePreview')) },
            ...commonErrors,
          },
        },
      },
      '/v1/messages/{id}': {
        get: {
          operationId: 'getMessage',
          summary: 'Get a message and its delivery status',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          responses: {
            '200': { description: 'The message', content: json(ref('Message')) },
            '401': problem('Missing or invalid API key'),
            '404': problem('No such message for this tenant'),
          },
        },
      },
      '/v1/conversations/{phone}/messages': {
        get: {
          operationId: 'listConversationMessages',
          summary: 'Messages exchanged with one contact, both directions, newest first',
          parameters: [
            {
              name: 'phone',
              in: 'path',
              required: true,
              schema: requestSchemas.SendMessageRequest.properties.to,
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
            '200': { description: 'One page', content: json(ref('ConversationPage')) },
            '400': problem('Invalid phone number, cursor or limit'),
            '401': problem('Missing or invalid API key'),
          },
        },
      },
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
      '/webhooks/telnyx': {
        post: {
          operationId: 'receiveTelnyxWebhook',
          summary: 'Telnyx messaging webhooks (Ed25519-signed)',
          security: [],
          responses: {
            '200': { description: 'Received (or recognised as a redelivery)' },
            '400': problem('Correctly signed, but not a Telnyx messaging event in JSON'),
            '401': problem(
              'Bad signature or timestamp out of tolerance (checked first, whatever the body)',
            ),
          },
        },
      },
      '/admin/v1/tenants': {
        post: {
          operationId: 'createTenant',
          summary: 'Create a tenant (admin token)',
          security: [{ adminToken: [] }],
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('CreateTenantRequest')) },
          responses: {
            '201': { description: 'Created', content: json(ref('Tenant')) },
            '200': {
              description: 'Already existed with the same details',
              content: json(ref('Tenant')),
            },
            '409': problem(
              'A tenant with this id exists with other details (code tenant_exists), or one of ' +
                'the senderNumbers belongs to another tenant (code sender_number_taken; nothing ' +
                'is recorded)',
            ),
            ...commonErrors,
          },
        },
      },
      '/admin/v1/tenants/{id}': {
        get: {
          operationId: 'getTenant',
          summary: 'Get a tenant (admin token)',
          security: [{ adminToken: [] }],
          parameters: [tenantId],
          responses: {
            '200': { description: 'The tenant', content: json(ref('Tenant')) },
            '401': problem('Missing or invalid admin token'),
            '404': problem('No such tenant'),
          },
        },
      },
      '/admin/v1/tenants/{id}/sender-numbers': {
        post: {
          operationId: 'addSenderNumber',
          summary:
            'Add a sender number to a tenant (admin token); adding one it has changes nothing',
          security: [{ adminToken: [] }],
          parameters: [tenantId],
          requestBody: { required: true, content: json(ref('AddSenderNumberRequest')) },
          responses: {
            '200': {
              description: 'The tenant with its sender numbers',
              content: json(ref('Tenant')),
            },
            '404': problem('No such tenant'),
            '409': problem(
              'The number belongs to another tenant (code sender_number_taken): a number ' +
                'belongs to at most one tenant; release it there first',
            ),
            ...commonErrors,
          },
        },
      },
      '/admin/v1/tenants/{id}/sender-numbers/{number}': {
        delete: {
          operationId: 'removeSenderNumber',
          summary: 'Release a sender number (admin token), so that another tenant may claim it',
          description:
            'The tenant no longer sends from the number, and texts to it no longer reach the ' +
            'tenant, once messaging and consent have consumed the change (normally within a ' +
            'second). The default sender cannot be released.',
          security: [{ adminToken: [] }],
          parameters: [
            tenantId,
            {
              name: 'number',
              in: 'path',
              required: true,
              description: 'The sender number, E.164 (the + may be sent as %2B)',
              schema: requestSchemas.AddSenderNumberRequest.properties.phoneNumber,
            },
          ],
          responses: {
            '200': {
              description: 'The tenant with its remaining sender numbers',
              content: json(ref('Tenant')),
            },
            '400': problem('The number is not an E.164 phone number'),
            '401': problem('Missing or invalid admin token'),
            '404': problem('No such tenant, or the number is not one of its sender numbers'),
            '409': problem(
              "The number is the tenant's default sender (code default_sender_not_removable)",
            ),
          },
        },
      },
      '/admin/v1/tenants/{id}/compliance': {
        put: {
          operationId: 'setTenantCompliance',
          summary:
            "Replace a tenant's compliance profile (admin token); fields left out take the " +
            'defaults, and setting the profile it has changes nothing',
          description:
            'Checked exactly as the `compliance` of createTenant. The reply texts are used by ' +
            'the consent service, and the restricted-content policy by messaging, once they ' +
            'have consumed the change (normally within a second).',
          security: [{ adminToken: [] }],
          parameters: [
            tenantId,
            {
              ...idempotencyKey,
              description:
                'The same key and body within 24 h returns the first answer without setting the ' +
                'profile again (a late retry does not undo a later change); the same key with ' +
                'another body is refused with 422.',
            },
          ],
          requestBody: { required: true, content: json(ref('TenantComplianceProfile')) },
          responses: {
            '200': {
              description: 'The tenant with its new compliance profile',
              content: json(ref('Tenant')),
            },
            '404': problem('No such tenant'),
            ...commonErrors,
          },
        },
      },
      '/admin/v1/tenants/{id}/api-keys': {
        post: {
          operationId: 'issueApiKey',
          summary: 'Issue an API key (shown once)',
          security: [{ adminToken: [] }],
          parameters: [tenantId],
          requestBody: { required: true, content: json(ref('IssueApiKeyRequest')) },
          responses: {
            '201': { description: 'Issued', content: json(ref('IssuedApiKey')) },
            '200': {
              description: 'That key already belongs to the tenant',
              content: json(ref('IssuedApiKey')),
            },
            '404': problem('No such tenant'),
            ...commonErrors,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'TEXTPLANE_ADMIN_TOKEN' },
      },
      schemas: {
        ...requestSchemas,
        Message: {
          type: 'object',
          required: [
            'id',
            'direction',
            'status',
            'to',
            'from',
            'body',
            'encoding',
            'segments',
            'createdAt',
          ],
          properties: {
            id: { type: 'string', format: 'uuid' },
            direction: { enum: ['outbound', 'inbound'] },
            status: {
              enum: [
                'queued',
                'scheduled',
                'sending',
                'sent',
                'delivered',
                'failed',
                'undelivered',
                'received',
                'blocked',
              ],
              description:
                'blocked: a compliance check refused it (see reason); scheduled: held for the ' +
                "recipient's quiet hours until sendAt",
            },
            to: { type: 'string' },
            from: { type: 'string' },
            body: { type: 'string' },
            mediaUrls: { type: 'array', items: { type: 'string' } },
            purpose: nullable('string'),
            encoding: { enum: ['GSM-7', 'UCS-2'] },
            segments: { type: 'integer' },
            carrierMessageId: nullable('string'),
            errorCode: nullable('string', {
              description: "The carrier's error code when failed or undelivered",
            }),
            errorDetail: nullable('string'),
            reason: {
              oneOf: [complianceReason, { type: 'null' }],
              description:
                'Why compliance stopped it: the first reason of a blocked message, or ' +
                'quiet_hours_held for a scheduled one',
            },
            reasons: { type: 'array', items: complianceReason },
            reasonDetail: nullable('string'),
            sendAt: nullable('string', {
              format: 'date-time',
              description: 'When a message held for quiet hours goes out',
            }),
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
            sentAt: nullable('string', { format: 'date-time' }),
            deliveredAt: nullable('string', { format: 'date-time' }),
          },
        },
        MessagePreview: {
          type: 'object',
          required: ['encoding', 'segments', 'characters', 'compliance'],
          description:
            'Counts are of the body as it would be sent, compliance additions included. ' +
            'Without `to` consent is not judged; quiet hours are those of `recipientTimeZone`, else the tenant zone.',
          properties: {
            encoding: { enum: ['GSM-7', 'UCS-2'] },
            segments: { type: 'integer' },
            characters: { type: 'integer' },
            compliance: {
              type: 'object',
              required: ['verdict', 'reasons', 'flags'],
              properties: {
                verdict: { enum: ['send', 'hold', 'block'] },
                reasons: { type: 'array', items: complianceReason },
                sendAt: {
                  type: 'string',
                  format: 'date-time',
                  description: 'When a held message would go out',
                },
                added: {
                  type: 'string',
                  description: 'Text compliance would add (business name, opt-out language)',
                },
                detail: { type: 'string', description: 'Why it would be blocked' },
                flags: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'Findings that do not block under your policy',
                },
              },
            },
          },
        },
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
        ConversationPage: {
          type: 'object',
          required: ['items', 'nextCursor'],
          properties: {
            items: { type: 'array', items: ref('Message') },
            nextCursor: nullable('string'),
          },
        },
        Tenant: {
          type: 'object',
          properties: {
            id: { type: 'string', format: 'uuid' },
            name: { type: 'string' },
            brandName: { type: 'string' },
            timeZone: { type: 'string' },
            defaultSender: { type: 'string' },
            senderNumbers: { type: 'array', items: { type: 'string' } },
            compliance: ref('TenantComplianceProfile'),
            createdAt: { type: 'string', format: 'date-time' },
          },
        },
        IssuedApiKey: {
          type: 'object',
          required: ['keyId'],
          properties: { keyId: { type: 'string', format: 'uuid' }, apiKey: { type: 'string' } },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string' },
            instance: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  };
}
