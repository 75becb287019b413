import { requestSchemas } from '../http/request-schemas.js';
import {
  commonErrors,
  idempotencyKey,
  json,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';

const tenantId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};

/** The admin API: tenants, their sender numbers, compliance profiles and API keys. */
export const tenantsOperations: OpenApiOperations = {
  paths: {
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
        summary: 'Add a sender number to a tenant (admin token); adding one it has changes nothing',
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
    '/admin/v1/tenants/{id}/limits': {
      get: {
        operationId: 'getTenantLimits',
        summary: "The operator's throughput overrides of a tenant (admin token); {}: none",
        security: [{ adminToken: [] }],
        parameters: [tenantId],
        responses: {
          '200': { description: 'The overrides', content: json(ref('ThroughputLimits')) },
          '404': problem('No such tenant'),
          ...commonErrors,
        },
      },
      put: {
        operationId: 'setTenantLimits',
        summary:
          "Replace a tenant's throughput overrides (admin token); {} goes back to the carriers' limits",
        description:
          "Each value replaces the carriers' limit of the table (AT&T per campaign per minute, " +
          'T-Mobile per brand per day, toll-free per number per second, the carrier account per ' +
          'second) for this tenant: a positive integer, nothing unknown (400 naming the field, ' +
          'nothing recorded). Messaging paces by them once it has consumed the change.',
        security: [{ adminToken: [] }],
        parameters: [tenantId, idempotencyKey],
        requestBody: { required: true, content: json(ref('ThroughputLimits')) },
        responses: {
          '200': { description: 'The overrides as stored', content: json(ref('ThroughputLimits')) },
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
  schemas: {
    ThroughputLimits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        attPerMinute: {
          type: 'object',
          additionalProperties: false,
          properties: {
            sms: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
            mms: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
          },
        },
        tMobilePerDay: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
        tollFreePerNumberPerSecond: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
        accountPerSecond: {
          type: 'object',
          additionalProperties: false,
          properties: {
            sms: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
            mms: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
          },
        },
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
        settings: {
          type: 'object',
          description:
            'The settings the tenant set (PATCH /v1/settings); keys left out take their ' +
            'defaults, which GET /v1/settings fills in',
        },
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
    IssuedApiKey: {
      type: 'object',
      required: ['keyId'],
      properties: { keyId: { type: 'string', format: 'uuid' }, apiKey: { type: 'string' } },
    },
  },
};
