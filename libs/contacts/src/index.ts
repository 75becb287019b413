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
} from './contact-values.js';
