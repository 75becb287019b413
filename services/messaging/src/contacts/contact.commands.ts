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
  /**
   * A row of a contact import: no API call waits for this upsert (the import's chunk answer
   * reports it), so the fact names no request and the gateway keeps no outcome row for it.
   */
  imported?: true;
}

export interface DeleteContact extends ContactRequest {
  type: 'DeleteContact';
}

export type ContactCommand = UpsertContact | DeleteContact;
