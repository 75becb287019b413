import {
  commonErrors,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';
import { ContactRequestSchema } from './contact.request-schemas.js';

const contactId = {
  name: 'contactId',
  in: 'path',
  required: true,
  description: "The CRM's own contact id, ^[A-Za-z0-9_.:-]{1,128}$",
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
};

const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  description:
    'The ETag of the version the client last saw ("3"): the write applies only if the contact ' +
    'is still at that version, else 412.',
  schema: { type: 'string' },
};

const etag = {
  ETag: { description: 'The contact version, "<version>"', schema: { type: 'string' } },
};
const location = { Location: { schema: { type: 'string' } } };

const pending = (what: string) => ({
  description:
    `${what} accepted, not confirmed by messaging (which owns contacts) within the ` +
    'confirmation timeout (GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS). Location: the contact.',
  headers: location,
  content: json(ref('ContactRequestPending')),
});

const preconditionFailed = problem(
  'If-Match names another version than the stored one (version_mismatch), or no contact exists (contact_not_found)',
);

const contactProperties = {
  id: { type: 'string' },
  version: { type: 'integer', minimum: 1, description: 'Counts the contact’s changes; the ETag' },
  phone: { type: 'string' },
  firstName: nullable('string'),
  lastName: nullable('string'),
  email: nullable('string'),
  companyName: nullable('string'),
  timeZone: nullable('string'),
  tags: { type: 'array', items: { type: 'string' } },
  customFields: { type: 'object', additionalProperties: true },
  updatedAt: { type: 'string', format: 'date-time' },
};
const contactRequired = Object.keys(contactProperties);

/** The contacts context on REST. */
export const contactsOperations: OpenApiOperations = {
  paths: {
    '/v1/contacts': {
      get: {
        operationId: 'listContacts',
        summary: 'List contacts, by contact id',
        parameters: [
          { name: 'tag', in: 'query', schema: { type: 'string' }, description: 'Has this tag' },
          {
            name: 'q',
            in: 'query',
            schema: { type: 'string' },
            description: 'Part of a first or last name, full name, email or company name, any case',
          },
          { name: 'phone', in: 'query', schema: { type: 'string' }, description: 'E.164' },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: {
          '200': { description: 'A page of contacts', content: json(ref('ContactPage')) },
          ...commonErrors,
        },
      },
    },
    '/v1/contacts/{contactId}': {
      put: {
        operationId: 'upsertContact',
        summary: 'Create or replace a contact by its CRM id',
        description:
          'The body is the contact as a whole. Messaging owns contacts: the gateway records the ' +
          'request and answers once messaging stored it, so the answer and a GET right after show ' +
          'the stored contact. Invalid input records nothing.',
        parameters: [contactId, ifMatch],
        requestBody: { required: true, content: json(ref('ContactRequest')) },
        responses: {
          '200': {
            description: 'Replaced',
            headers: { ...etag, ...location },
            content: json(ref('Contact')),
          },
          '201': {
            description: 'Created',
            headers: { ...etag, ...location },
            content: json(ref('Contact')),
          },
          '202': pending('The write'),
          '412': preconditionFailed,
          ...commonErrors,
        },
      },
      get: {
        operationId: 'getContact',
        summary: 'A contact, with its consent standing and last message time',
        parameters: [contactId],
        responses: {
          '200': { description: 'The contact', headers: etag, content: json(ref('ContactDetail')) },
          '404': problem('No such contact'),
          ...commonErrors,
        },
      },
      delete: {
        operationId: 'deleteContact',
        summary: 'Delete a contact',
        parameters: [contactId, ifMatch],
        responses: {
          '204': { description: 'Deleted' },
          '202': pending('The deletion'),
          '404': problem('No such contact'),
          '412': preconditionFailed,
          ...commonErrors,
        },
      },
    },
  },
  schemas: {
    ContactRequest: ContactRequestSchema,
    Contact: { type: 'object', required: contactRequired, properties: contactProperties },
    ContactDetail: {
      type: 'object',
      required: [...contactRequired, 'consent', 'lastMessageAt'],
      properties: {
        ...contactProperties,
        // The number's consent standing, as GET /v1/consents/{phone} shows it.
        consent: ref('ConsentState'),
        lastMessageAt: nullable('string', { format: 'date-time' }),
      },
    },
    ContactPage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: ref('Contact') },
        nextCursor: nullable('string'),
      },
    },
    ContactRequestPending: {
      type: 'object',
      required: ['status', 'requestId', 'contactId'],
      properties: {
        status: { const: 'pending' },
        requestId: { type: 'string', format: 'uuid' },
        contactId: { type: 'string' },
      },
    },
  },
};
