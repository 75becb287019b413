import type { ContactFieldError } from '../contact.js';

/** Why a whole import is refused. Nothing of a refused import may be recorded. */
export type ContactImportFailureCode =
  /** The format is neither `csv` nor `ndjson`. */
  | 'unsupported_format'
  /** The bytes are not UTF-8 (a CSV saved as Windows-1252, a binary file). */
  | 'not_utf8'
  /** The CSV cannot be split into records (an unclosed quote, a record over the size limit). */
  | 'malformed_csv'
  /** A CSV header that is missing `id`/`phone`, names an unknown or duplicate column. */
  | 'bad_header'
  /** No data row at all: an empty file, or a header only. */
  | 'empty_import'
  /** More data rows than `maxRows`. */
  | 'too_many_rows'
  /** More bytes than `maxBytes`. */
  | 'too_large';

export interface ContactImportFailure {
  code: ContactImportFailureCode;
  message: string;
  /** The CSV column at fault (`bad_header`), as the file names it (cut at 100 characters). */
  field?: string;
}

/** Thrown by `parseContactImport` when the import as a whole is refused. */
export class ContactImportError extends Error {
  constructor(readonly failure: ContactImportFailure) {
    super(failure.message);
    this.name = 'ContactImportError';
  }

  get code(): ContactImportFailureCode {
    return this.failure.code;
  }

  static of(code: ContactImportFailureCode, message: string, field?: string): ContactImportError {
    return new ContactImportError(
      field === undefined ? { code, message } : { code, message, field },
    );
  }
}

/** Why one row is rejected; the rows around it go on. */
export type ContactRowRejectionReason =
  /** The contact breaks a rule: `errors` lists every problem, `field`/`message` the first. */
  | 'invalid_contact'
  /** An NDJSON line that is not JSON. */
  | 'invalid_json'
  /** An NDJSON line that is JSON but not an object (`[1]`, `"x"`). */
  | 'not_an_object'
  /** A CSV record with more or fewer cells than the header. */
  | 'wrong_column_count'
  /** An NDJSON line longer than `maxRowLength`. */
  | 'row_too_large';

export interface ContactRowRejection {
  reason: ContactRowRejectionReason;
  message: string;
  field?: string;
  errors?: ContactFieldError[];
}
