import { consentsOperations } from '../consents/consents.openapi.js';
import { contactsOperations } from '../contacts/contacts.openapi.js';
import { contactImportsOperations } from '../contact-imports/contact-imports.openapi.js';
import { conversationsOperations } from '../conversations/conversations.openapi.js';
import { customValuesOperations } from '../custom-values/custom-values.openapi.js';
import { requestSchemas } from '../http/request-schemas.js';
import { messagesOperations } from '../messages/messages.openapi.js';
import { settingsOperations } from '../settings/settings.openapi.js';
import { templatesOperations } from '../templates/templates.openapi.js';
import { tenantsOperations } from '../tenants/tenants.openapi.js';
import { webhooksOperations } from '../webhooks/webhooks.openapi.js';
import { bulkSendsOperations } from '../bulk-sends/bulk-sends.openapi.js';
import { workflowActionsOperations } from '../workflow-actions/workflow-actions.openapi.js';
import { trustOperations } from '../trust/trust.openapi.js';
import { numberLookupsOperations } from '../number-lookups/number-lookups.openapi.js';
import { billingOperations } from '../billing/billing.openapi.js';
import type { OpenApiOperations } from './openapi-parts.js';

/** Each context declares its operations beside its controller; the document lists them in this order. */
const contexts: readonly OpenApiOperations[] = [
  messagesOperations,
  consentsOperations,
  contactsOperations,
  contactImportsOperations,
  conversationsOperations,
  templatesOperations,
  customValuesOperations,
  settingsOperations,
  webhooksOperations,
  tenantsOperations,
  workflowActionsOperations,
  bulkSendsOperations,
  trustOperations,
  numberLookupsOperations,
  billingOperations,
];

/** The schemas every context's errors name. */
const sharedSchemas = {
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
};

/** One object from several, refusing a name two of them declare (one would silently win). */
function merged(what: string, parts: readonly Record<string, object>[]): Record<string, object> {
  const result: Record<string, object> = {};
  for (const part of parts) {
    for (const [name, value] of Object.entries(part)) {
      if (Object.hasOwn(result, name)) throw new Error(`OpenAPI ${what} ${name} is declared twice`);
      result[name] = value;
    }
  }
  return result;
}

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
    paths: merged(
      'path',
      contexts.map((context) => context.paths),
    ),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'A tenant API key' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'TEXTPLANE_ADMIN_TOKEN' },
      },
      schemas: merged('schema', [
        requestSchemas,
        ...contexts.map((context) => context.schemas),
        sharedSchemas,
      ]),
    },
  };
}
