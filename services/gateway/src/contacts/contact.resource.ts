import type { ContactFieldValue } from '@textplane/contracts';
import type { ConsentStateResource } from '../consents/consent.resource.js';

/** A contact as the API shows it: the stored record, its version (the ETag) and when it changed. */
export interface ContactResource {
  id: string;
  version: number;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  companyName: string | null;
  timeZone: string | null;
  tags: string[];
  customFields: Record<string, ContactFieldValue>;
  updatedAt: string;
}

/** GET of one contact: the record with what the gateway knows of the number. */
export interface ContactDetailResource extends ContactResource {
  /** The number's consent standing, as `GET /v1/consents/{phone}` shows it. */
  consent: ConsentStateResource;
  /** The newest message to or from the contact's number, if any. */
  lastMessageAt: string | null;
}

export interface ContactPage {
  items: ContactResource[];
  nextCursor: string | null;
}

/** What a PUT or DELETE came to, once messaging decided or the confirmation timeout passed. */
export interface PendingContactRequest {
  status: 'pending';
  requestId: string;
  contactId: string;
}
export type ContactUpsertOutcome =
  { status: 'upserted'; created: boolean; contact: ContactResource } | PendingContactRequest;
export type ContactDeleteOutcome =
  { status: 'deleted'; contactId: string; version: number } | PendingContactRequest;
