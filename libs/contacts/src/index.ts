export {
  CONTACT_FIELDS,
  CONTACT_LIMITS,
  CUSTOM_FIELD_KEY_PATTERN,
  MAX_REPORTED_ERRORS,
  RESERVED_CUSTOM_FIELD_KEYS,
  customFieldKeyProblem,
  parseContact,
  type Contact,
  type ContactDate,
  type ContactField,
  type ContactFieldError,
  type CustomFieldValue,
  type ParsedContact,
} from './contact.js';
export {
  CONTACT_ID_PATTERN,
  E164_PATTERN,
  canonicalDate,
  canonicalTimeZone,
  isContactId,
  isE164,
  textProblem,
  type TextKind,
} from './contact-values.js';
export {
  CONTACT_IMPORT_FORMATS,
  CONTACT_IMPORT_LIMITS,
  checkContactImport,
  contactImportFormatOf,
  parseContactImport,
  type ContactImportCheck,
  type ContactImportFormat,
  type ContactImportLimits,
  type ContactImportRow,
  type ContactImportSource,
} from './import/contact-import.js';
export {
  ContactImportError,
  type ContactImportFailure,
  type ContactImportFailureCode,
  type ContactRowRejection,
  type ContactRowRejectionReason,
} from './import/contact-import-errors.js';
export { CSV_CUSTOM_FIELD_TYPES, type CsvCustomFieldType } from './import/csv-contact-rows.js';
export type { ContactImportChunk } from './import/import-text.js';
