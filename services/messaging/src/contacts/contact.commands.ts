import type { ContactRecord } from '@textplane/contracts';

interface ContactRequest {
  tenantId: string;
  contactId: string;
  requestId: string;
  /** The version the client last saw (`If-Match`); absent: whatever is stored. */
  expectedVersion?: number;
  requestedAt: Date;
  now: Date;
}

/** Create the contact, or replace it as a whole. */
export interface UpsertContact extends ContactRequest {
  type: 'UpsertContact';
  contact: ContactRecord;
}

export interface DeleteContact extends ContactRequest {
  type: 'DeleteContact';
}

export type ContactCommand = UpsertContact | DeleteContact;
