import type { ContactRecord, WireEventOf } from '@textplane/contracts';
import type { ContactResource } from './contact.resource.js';

/** Messaging's contact facts, the events of `messaging.contacts`. */
export type ContactFact = WireEventOf<
  | 'messaging.ContactUpserted.v1'
  | 'messaging.ContactDeleted.v1'
  | 'messaging.ContactRequestRejected.v1'
>;

const CONTACT_FACT_TYPES: ReadonlySet<string> = new Set<ContactFact['type']>([
  'messaging.ContactUpserted.v1',
  'messaging.ContactDeleted.v1',
  'messaging.ContactRequestRejected.v1',
]);

export function isContactFact(event: { type: string }): boolean {
  return CONTACT_FACT_TYPES.has(event.type);
}

/** A row of the gateway's `contacts` read model, its columns named as in the table. */
export interface ContactRow {
  tenant_id: string;
  contact_id: string;
  version: number;
  phone: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  company_name: string | null;
  time_zone: string | null;
  tags: string[];
  custom_fields: ContactRecord['customFields'];
  updated_at: string;
}

/** A row of `contact_request_outcomes`: what one API request came to. */
export interface ContactOutcomeRow {
  request_id: string;
  tenant_id: string;
  contact_id: string;
  type: ContactFact['type'];
  version: number | null;
  created: boolean | null;
  reason: 'version_mismatch' | 'not_found' | null;
  current_version: number | null;
  contact: ContactRecord | null;
  occurred_at: string;
}

/**
 * The one writer of `contacts`: `evolve(row | null, event) -> row | null` (null: no contact). A
 * fact older than the row (a version at or below it) changes nothing, so a redelivery or a
 * rebuild over surviving rows cannot move a contact back.
 */
export function evolveContactRow(row: ContactRow | null, event: ContactFact): ContactRow | null {
  switch (event.type) {
    case 'messaging.ContactUpserted.v1': {
      const d = event.data;
      if (row && row.version >= d.version) return row;
      const c = d.contact;
      return {
        tenant_id: d.tenantId,
        contact_id: d.contactId,
        version: d.version,
        phone: c.phone,
        first_name: c.firstName ?? null,
        last_name: c.lastName ?? null,
        email: c.email ?? null,
        company_name: c.companyName ?? null,
        time_zone: c.timeZone ?? null,
        tags: c.tags,
        custom_fields: c.customFields,
        updated_at: d.upsertedAt,
      };
    }
    case 'messaging.ContactDeleted.v1':
      if (row && row.version >= event.data.version) return row;
      return null;
    // A refusal changes no contact: it answers a request (see outcomeOf).
    case 'messaging.ContactRequestRejected.v1':
      return row;
  }
}

/** The one writer of `contact_request_outcomes`: a fact that answers a request, as its row. */
export function outcomeOf(event: ContactFact): ContactOutcomeRow | null {
  switch (event.type) {
    case 'messaging.ContactUpserted.v1': {
      const d = event.data;
      if (d.requestId === undefined) return null;
      return {
        request_id: d.requestId,
        tenant_id: d.tenantId,
        contact_id: d.contactId,
        type: event.type,
        version: d.version,
        created: d.created,
        reason: null,
        current_version: null,
        contact: d.contact,
        occurred_at: d.upsertedAt,
      };
    }
    case 'messaging.ContactDeleted.v1': {
      const d = event.data;
      if (d.requestId === undefined) return null;
      return {
        request_id: d.requestId,
        tenant_id: d.tenantId,
        contact_id: d.contactId,
        type: event.type,
        version: d.version,
        created: null,
        reason: null,
        current_version: null,
        contact: null,
        occurred_at: d.deletedAt,
      };
    }
    case 'messaging.ContactRequestRejected.v1': {
      const d = event.data;
      return {
        request_id: d.requestId,
        tenant_id: d.tenantId,
        contact_id: d.contactId,
        type: event.type,
        version: null,
        created: null,
        reason: d.reason,
        current_version: d.currentVersion,
        contact: null,
        occurred_at: d.rejectedAt,
      };
    }
  }
}

/** A contact as the API shows it, from its record and version. */
export function contactResourceOf(
  contactId: string,
  version: number,
  contact: ContactRecord,
  updatedAt: string,
): ContactResource {
  return {
    id: contactId,
    version,
    phone: contact.phone,
    firstName: contact.firstName ?? null,
    lastName: contact.lastName ?? null,
    email: contact.email ?? null,
    companyName: contact.companyName ?? null,
    timeZone: contact.timeZone ?? null,
    tags: contact.tags,
    customFields: contact.customFields,
    updatedAt,
  };
}

export function contactResourceOfRow(row: ContactRow): ContactResource {
  return {
    id: row.contact_id,
    version: row.version,
    phone: row.phone,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    companyName: row.company_name,
    timeZone: row.time_zone,
    tags: row.tags,
    customFields: row.custom_fields,
    updatedAt: row.updated_at,
  };
}
