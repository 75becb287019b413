import { type ContactRecord, CONTACT_ID_SCHEMA_PATTERN } from './contacts.events.js';
import { eventSchema, instant, nonEmpty, uuid } from './schema-parts.js';

/**
 * Contact imports (`POST /v1/contact-imports`). The gateway parses and validates the upload and
 * records the whole job on `contact-import-<tenantId>-<importId>` (topic
 * `gateway.contact-imports`) in one transaction, as it reads the upload: the rows it rejected
 * and the valid rows in chunks bounded in bytes (each Kafka record stays far below 1 MB), then
 * the job's start with its totals. Messaging upserts a chunk's contacts in one transaction
 * through the contact decider and answers with one fact per chunk on `messaging.contact-imports`.
 */

export type ContactImportFormatName = 'csv' | 'ndjson';

const contactId = { type: 'string', pattern: CONTACT_ID_SCHEMA_PATTERN } as const;
const count = { type: 'integer', minimum: 0 } as const;
const rowNumber = { type: 'integer', minimum: 1 } as const;

/** A row the import did not upsert: its number (from 1) and why. */
export interface ContactImportRejectedRow {
  row: number;
  reason: string;
  message: string;
  field?: string;
}
const rejectedRow = {
  type: 'object',
  properties: { row: rowNumber, reason: nonEmpty, message: { type: 'string' }, field: nonEmpty },
  required: ['row', 'reason', 'message'],
  additionalProperties: false,
} as const;

/** The job as accepted, after its rows in the stream: how many were read, rejected here, and in how many chunks. */
export interface ContactImportStarted {
  importId: string;
  tenantId: string;
  format: ContactImportFormatName;
  rowsRead: number;
  /** Rows the gateway rejected (parsing, the contact's rules); listed by ContactImportRowsRejected. */
  rejectedRows: number;
  /** Valid rows, sent to messaging in `chunks` ContactImportChunkSubmitted events. */
  submittedRows: number;
  chunks: number;
  startedAt: string;
}
export const ContactImportStartedSchema = eventSchema(
  'gateway.ContactImportStarted.v1',
  {
    importId: uuid,
    tenantId: uuid,
    format: { enum: ['csv', 'ndjson'] },
    rowsRead: count,
    rejectedRows: count,
    submittedRows: count,
    chunks: count,
    startedAt: instant,
  },
  [
    'importId',
    'tenantId',
    'format',
    'rowsRead',
    'rejectedRows',
    'submittedRows',
    'chunks',
    'startedAt',
  ],
);

/** Rows the gateway rejected, in row order, a byte-bounded batch of them. */
export interface ContactImportRowsRejected {
  importId: string;
  tenantId: string;
  rows: ContactImportRejectedRow[];
}
export const ContactImportRowsRejectedSchema = eventSchema(
  'gateway.ContactImportRowsRejected.v1',
  { importId: uuid, tenantId: uuid, rows: { type: 'array', items: rejectedRow, minItems: 1 } },
  ['importId', 'tenantId', 'rows'],
);

/** One row of a chunk: its number in the upload, and the contact it holds. */
export interface ContactImportChunkRow {
  row: number;
  contactId: string;
  contact: ContactRecord;
  /** The upsert's request id, derived from the import and the row, so a redelivery is the same request. */
  requestId: string;
}

/** Valid rows for messaging to upsert, in row order; `chunk` counts from 0. */
export interface ContactImportChunkSubmitted {
  importId: string;
  tenantId: string;
  chunk: number;
  rows: ContactImportChunkRow[];
  requestedAt: string;
}
export const ContactImportChunkSubmittedSchema = eventSchema(
  'gateway.ContactImportChunkSubmitted.v1',
  {
    importId: uuid,
    tenantId: uuid,
    chunk: count,
    rows: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        // The record's field rules are parseContact's, applied at the edge; the contact
        // events' schema checks the record again when messaging publishes the upsert.
        properties: { row: rowNumber, contactId, contact: { type: 'object' }, requestId: uuid },
        required: ['row', 'contactId', 'contact', 'requestId'],
        additionalProperties: false,
      },
    },
    requestedAt: instant,
  },
  ['importId', 'tenantId', 'chunk', 'rows', 'requestedAt'],
);

/** Messaging's answer to one chunk: how many rows it upserted and which it refused. */
export interface ContactImportChunkProcessed {
  importId: string;
  tenantId: string;
  chunk: number;
  upserted: number;
  rejected: ContactImportRejectedRow[];
  processedAt: string;
}
export const ContactImportChunkProcessedSchema = eventSchema(
  'messaging.ContactImportChunkProcessed.v1',
  {
    importId: uuid,
    tenantId: uuid,
    chunk: count,
    upserted: count,
    rejected: { type: 'array', items: rejectedRow },
    processedAt: instant,
  },
  ['importId', 'tenantId', 'chunk', 'upserted', 'rejected', 'processedAt'],
);
