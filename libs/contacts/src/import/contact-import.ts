import type { Readable } from 'node:stream';
import type { Contact } from '../contact.js';
import {
  ContactImportError,
  type ContactImportFailure,
  type ContactRowRejection,
} from './contact-import-errors.js';
import { csvContactRows } from './csv-contact-rows.js';
import { importText, type ContactImportChunk } from './import-text.js';
import { ndjsonContactRows } from './ndjson-contact-rows.js';

export const CONTACT_IMPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ContactImportFormat = (typeof CONTACT_IMPORT_FORMATS)[number];

export interface ContactImportLimits {
  /** Data rows (the CSV header and blank lines are not rows). */
  maxRows: number;
  /** Bytes of the whole input, as sent. */
  maxBytes: number;
  /** Characters of one record: a guard against a file with no line ends held whole. */
  maxRowLength: number;
}

export const CONTACT_IMPORT_LIMITS: Readonly<ContactImportLimits> = Object.freeze({
  maxRows: 100_000,
  maxBytes: 50 * 1024 * 1024,
  maxRowLength: 1024 * 1024,
});

/** Anything that yields the import's bytes (or text): a `Readable`, an async generator. */
export type ContactImportSource = AsyncIterable<ContactImportChunk> | Readable;

/** One data row: the contact it holds, or why it is rejected. `row` counts from 1. */
export type ContactImportRow =
  { row: number; contact: Contact } | { row: number; error: ContactRowRejection };

/**
 * The rows of a contact import, parsed as they stream in; memory stays bounded by one record
 * whatever the input's size. A bad row is yielded as a rejection and the rows after it go on.
 *
 * A problem with the import as a whole throws a `ContactImportError` (see its `code`): an
 * unsupported format, bytes that are not UTF-8, a bad CSV header (before any row), a CSV that
 * cannot be split into records, no rows (after the last), and `too_many_rows`/`too_large` as
 * soon as the limit is crossed, after the rows before it were yielded. A caller that must
 * refuse such an import as a whole, recording nothing, runs `checkContactImport` over the
 * stored input first (see the README: the import job is two passes over the stored upload).
 */
export function parseContactImport(
  source: ContactImportSource,
  format: ContactImportFormat,
  limits: Partial<ContactImportLimits> = {},
): AsyncIterable<ContactImportRow> {
  const { maxRows, maxBytes, maxRowLength } = { ...CONTACT_IMPORT_LIMITS, ...limits };
  if (!(CONTACT_IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw ContactImportError.of(
      'unsupported_format',
      `A contact import is CSV (text/csv) or NDJSON (application/x-ndjson), not ${String(format)}`,
    );
  }
  const text = importText(source as AsyncIterable<unknown>, maxBytes);
  const options = { maxRows, maxRowLength };
  return format === 'csv' ? csvContactRows(text, options) : ndjsonContactRows(text, options);
}

export type ContactImportCheck =
  | { ok: true; rows: number; accepted: number; rejected: number }
  | { ok: false; failure: ContactImportFailure };

/**
 * The first pass of an import job: reads the whole input, holding nothing but counts, and says
 * whether the import as a whole is acceptable, and how many rows it would accept and reject.
 * Errors of the source itself (a failed read) are thrown, not reported as a failure.
 */
export async function checkContactImport(
  source: ContactImportSource,
  format: ContactImportFormat,
  limits: Partial<ContactImportLimits> = {},
): Promise<ContactImportCheck> {
  let rows = 0;
  let rejected = 0;
  try {
    for await (const row of parseContactImport(source, format, limits)) {
      rows += 1;
      if ('error' in row) rejected += 1;
    }
  } catch (error) {
    if (error instanceof ContactImportError) return { ok: false, failure: error.failure };
    throw error;
  }
  return { ok: true, rows, accepted: rows - rejected, rejected };
}

/**
 * The import format of an HTTP `Content-Type`, or `undefined` when it is neither CSV nor NDJSON
 * (or names a charset other than UTF-8).
 */
export function contactImportFormatOf(
  contentType: string | undefined,
): ContactImportFormat | undefined {
  if (contentType === undefined) return undefined;
  const [mediaType = '', ...parameters] = contentType
    .split(';')
    .map((part) => part.trim().toLowerCase());
  const charset = parameters.find((parameter) => parameter.startsWith('charset='));
  if (
    charset !== undefined &&
    !['charset=utf-8', 'charset="utf-8"', 'charset=utf8'].includes(charset)
  ) {
    return undefined;
  }
  switch (mediaType) {
    case 'text/csv':
      return 'csv';
    case 'application/x-ndjson':
    case 'application/ndjson':
    case 'application/jsonl':
      return 'ndjson';
    default:
      return undefined;
  }
}
