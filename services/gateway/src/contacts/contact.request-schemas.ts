/**
 * The contact context's request body, for the OpenAPI document. Validation is
 * `@textplane/contacts`' parseContact (the same rules as the import, every problem named by
 * field); this schema describes those rules and must not be stricter or looser than they are.
 */
import { CONTACT_LIMITS, RESERVED_CUSTOM_FIELD_KEYS } from '@textplane/contacts';
import { E164_PATTERN, ianaTimeZone } from '../http/schema-parts.js';

const text = (maxLength: number, description: string) =>
  ({ type: ['string', 'null'], minLength: 1, maxLength, description }) as const;

export const ContactRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['phone'],
  description:
    'A contact as a whole (PUT replaces every field). null or absence means none. Text holds ' +
    'no control character and is not blank; lengths count code points.',
  properties: {
    id: {
      type: 'string',
      description: 'Optional; when given it must equal the contact id in the path',
    },
    phone: { type: 'string', pattern: E164_PATTERN, description: 'E.164' },
    firstName: text(CONTACT_LIMITS.firstName, 'First name'),
    lastName: text(CONTACT_LIMITS.lastName, 'Last name'),
    email: text(CONTACT_LIMITS.email, 'Email address (local@domain)'),
    companyName: text(CONTACT_LIMITS.companyName, 'Company name'),
    timeZone: {
      ...ianaTimeZone('IANA time zone, stored canonical (US/Eastern → America/New_York)'),
      type: ['string', 'null'],
    },
    tags: {
      type: ['array', 'null'],
      maxItems: CONTACT_LIMITS.tags,
      items: { type: 'string', minLength: 1, maxLength: CONTACT_LIMITS.tagLength },
      description: 'Trimmed, exact duplicates collapsed, no ";"',
    },
    customFields: {
      type: ['object', 'null'],
      maxProperties: CONTACT_LIMITS.customFields,
      propertyNames: {
        pattern: '^[a-z][a-z0-9_]{0,63}$',
        not: { enum: [...RESERVED_CUSTOM_FIELD_KEYS] },
      },
      additionalProperties: {
        oneOf: [
          { type: 'string', minLength: 1, maxLength: CONTACT_LIMITS.customFieldText },
          { type: 'number' },
          { type: 'boolean' },
          { type: 'null', description: 'drops the key' },
          {
            type: 'object',
            additionalProperties: false,
            required: ['date'],
            properties: {
              date: {
                type: 'string',
                description: 'YYYY-MM-DD (a calendar date) or an ISO 8601 instant with offset',
              },
            },
          },
        ],
      },
    },
  },
} as const;
