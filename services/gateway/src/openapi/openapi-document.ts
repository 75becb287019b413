import { requestSchemas } from '../http/request-schemas.js';

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
    'the same key with another body is refused with 422.',
  schema: { type: 'string', maxLength: 255 },
};

const tenantId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};

const commonErrors = {
  '400': problem('The request is malformed or a field is invalid (see `errors`)'),
  '401': problem('Missing or invalid credentials'),
  '413': problem('The request body is too large'),
  '415': problem('The body is not JSON'),
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
      '/webhooks/telnyx': {
        post: {
          operationId: 'receiveTelnyxWebhook',
          summary: 'Telnyx messaging webhooks (Ed25519-signed)',
          security: [],
          responses: {
            '200': { description: 'Received (or recognised as a redelivery)' },
            '401': problem('Bad signature or timestamp out of tolerance'),
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
            '409': problem('A tenant with this id exists with other details'),
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
              enum: ['queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'received'],
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
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
            sentAt: nullable('string', { format: 'date-time' }),
            deliveredAt: nullable('string', { format: 'date-time' }),
          },
        },
        MessagePreview: {
          type: 'object',
          required: ['encoding', 'segments', 'characters'],
          properties: {
            encoding: { enum: ['GSM-7', 'UCS-2'] },
            segments: { type: 'integer' },
            characters: { type: 'integer' },
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
