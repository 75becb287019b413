import { e164, eventSchema, instant, nonEmpty, uuid } from './schema-parts.js';

/**
 * Contacts: the CRM's contact records, owned by messaging. The gateway records what a client
 * asked for on `contact-requests-<tenantId>-<contactId>` (topic `gateway.contact-requests`), so
 * one contact's requests stay in order; messaging decides on `contact-<tenantId>-<contactId>`
 * and publishes the facts on `messaging.contacts`.
 */

/** A custom field's value: text, number, boolean, or a tagged calendar date or UTC instant. */
export type ContactFieldValue = string | number | boolean | { date: string };

/** A contact's fields, as `@textplane/contacts`' parseContact stores them (without the id). */
export interface ContactRecord {
  phone: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  companyName?: string;
  /** Canonical IANA zone. */
  timeZone?: string;
  tags: string[];
  customFields: Record<string, ContactFieldValue>;
}

export const CONTACT_ID_SCHEMA_PATTERN = '^[A-Za-z0-9_.:-]{1,128}$';
const contactId = { type: 'string', pattern: CONTACT_ID_SCHEMA_PATTERN } as const;
const version = { type: 'integer', minimum: 1 } as const;

/** The record's shape only: the field rules are parseContact's, applied at the edge. */
const contactRecord = {
  type: 'object',
  properties: {
    phone: e164,
    firstName: nonEmpty,
    lastName: nonEmpty,
    email: nonEmpty,
    companyName: nonEmpty,
    timeZone: nonEmpty,
    tags: { type: 'array', items: nonEmpty, maxItems: 100 },
    customFields: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9_]{0,63}$' },
      maxProperties: 200,
      additionalProperties: {
        oneOf: [
          { type: 'string' },
          { type: 'number' },
          { type: 'boolean' },
          {
            type: 'object',
            properties: { date: nonEmpty },
            required: ['date'],
            additionalProperties: false,
          },
        ],
      },
    },
  },
  required: ['phone', 'tags', 'customFields'],
  additionalProperties: false,
} as const;

/** A client's PUT of a contact (create or replace as a whole). */
export interface ContactUpsertRequested {
  requestId: string;
  tenantId: string;
  contactId: string;
  contact: ContactRecord;
  /** From `If-Match`: the version the client last saw; absent means whatever is stored. */
  expectedVersion?: number;
  requestedAt: string;
}
export const ContactUpsertRequestedSchema = eventSchema(
  'gateway.ContactUpsertRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    contactId,
    contact: contactRecord,
    expectedVersion: version,
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'contactId', 'contact', 'requestedAt'],
);

/** A client's DELETE of a contact. */
export interface ContactDeletionRequested {
  requestId: string;
  tenantId: string;
  contactId: string;
  expectedVersion?: number;
  requestedAt: string;
}
export const ContactDeletionRequestedSchema = eventSchema(
  'gateway.ContactDeletionRequested.v1',
  { requestId: uuid, tenantId: uuid, contactId, expectedVersion: version, requestedAt: instant },
  ['requestId', 'tenantId', 'contactId', 'requestedAt'],
);

/**
 * The contact as it now stands. `version` counts the contact's changes (upserts and deletions),
 * so a contact created again after a deletion goes on counting and an old `If-Match` never
 * matches it. `created`: there was no contact before (never, or deleted).
 */
export interface ContactUpserted {
  tenantId: string;
  contactId: string;
  version: number;
  contact: ContactRecord;
  created: boolean;
  /** The gateway request that caused it, when one did. */
  requestId?: string;
  upsertedAt: string;
}
export const ContactUpsertedSchema = eventSchema(
  'messaging.ContactUpserted.v1',
  {
    tenantId: uuid,
    contactId,
    version,
    contact: contactRecord,
    created: { type: 'boolean' },
    requestId: uuid,
    upsertedAt: instant,
  },
  ['tenantId', 'contactId', 'version', 'contact', 'created', 'upsertedAt'],
);

export interface ContactDeleted {
  tenantId: string;
  contactId: string;
  /** The version the deletion is (one past the last upsert). */
  version: number;
  requestId?: string;
  deletedAt: string;
}
export const ContactDeletedSchema = eventSchema(
  'messaging.ContactDeleted.v1',
  { tenantId: uuid, contactId, version, requestId: uuid, deletedAt: instant },
  ['tenantId', 'contactId', 'version', 'deletedAt'],
);

export type ContactRejectionReason = 'version_mismatch' | 'not_found';

/**
 * A request changed nothing: its `expectedVersion` is not the stored one (`version_mismatch`),
 * or there is no contact to delete or to match (`not_found`). `currentVersion`: the stored
 * contact's version, `null` when there is none.
 */
export interface ContactRequestRejected {
  tenantId: string;
  contactId: string;
  requestId: string;
  reason: ContactRejectionReason;
  currentVersion: number | null;
  requestedAt: string;
  rejectedAt: string;
}
export const ContactRequestRejectedSchema = eventSchema(
  'messaging.ContactRequestRejected.v1',
  {
    tenantId: uuid,
    contactId,
    requestId: uuid,
    reason: { enum: ['version_mismatch', 'not_found'] },
    currentVersion: { oneOf: [version, { type: 'null' }] },
    requestedAt: instant,
    rejectedAt: instant,
  },
  ['tenantId', 'contactId', 'requestId', 'reason', 'currentVersion', 'requestedAt', 'rejectedAt'],
);
