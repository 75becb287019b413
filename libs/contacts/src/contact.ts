import {
  canonicalDate,
  canonicalTimeZone,
  E164_MESSAGE,
  echoed,
  emailProblem,
  isContactId,
  isE164,
  textProblem,
} from './contact-values.js';

/**
 * A custom field date: `YYYY-MM-DD` (a calendar date, no zone) or a UTC instant
 * (`2026-12-24T09:30:00.000Z`). Tagged as an object so that a text that happens to look like a
 * date stays text, and JSON carries the type.
 */
export interface ContactDate {
  date: string;
}

export type CustomFieldValue = string | number | boolean | ContactDate;

/** A contact as stored: the CRM's record, validated and canonical. */
export interface Contact {
  /** The CRM's own id, `^[A-Za-z0-9_.:-]{1,128}$`. */
  id: string;
  /** E.164. */
  phone: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  companyName?: string;
  /** Canonical IANA name. */
  timeZone?: string;
  /** Trimmed, duplicates collapsed, first spelling and order kept; `[]` when none. */
  tags: string[];
  /** `{}` when none. */
  customFields: Record<string, CustomFieldValue>;
}

/** One thing wrong with a contact, the shape of the gateway's problem+json `errors` items. */
export interface ContactFieldError {
  /** `phone`, `tags[3]`, `customFields.plan`, `(contact)` for the whole record. */
  field: string;
  message: string;
}

export type ParsedContact =
  { ok: true; contact: Contact } | { ok: false; errors: ContactFieldError[] };

export const CONTACT_LIMITS = {
  firstName: 100,
  lastName: 100,
  companyName: 200,
  email: 254,
  tags: 100,
  tagLength: 64,
  customFields: 200,
  customFieldText: 1_000,
} as const;

/**
 * Names a custom field may never take: the merge fields every contact has (`contact.first_name`,
 * ...), and the record's own members, so `{{ contact.<key> }}` is never ambiguous.
 */
export const RESERVED_CUSTOM_FIELD_KEYS = [
  'first_name',
  'last_name',
  'full_name',
  'email',
  'phone',
  'company_name',
  'time_zone',
  'tags',
  'id',
] as const;

export const CUSTOM_FIELD_KEY_PATTERN = '^[a-z][a-z0-9_]{0,63}$';
const CUSTOM_FIELD_KEY = new RegExp(CUSTOM_FIELD_KEY_PATTERN, 'u');
const reserved: ReadonlySet<string> = new Set(RESERVED_CUSTOM_FIELD_KEYS);

/** The reason a custom field key is refused, or `undefined` when it is a good key. */
export function customFieldKeyProblem(key: string): string | undefined {
  if (!CUSTOM_FIELD_KEY.test(key)) {
    return `key must match ${CUSTOM_FIELD_KEY_PATTERN} (lower-case letter, then lower-case letters, digits, _; at most 64)`;
  }
  if (reserved.has(key)) return 'key is a built-in contact field name';
  return undefined;
}

/** The members a contact body may have (besides `id`, which must equal the path's id). */
export const CONTACT_FIELDS = [
  'phone',
  'firstName',
  'lastName',
  'email',
  'companyName',
  'timeZone',
  'tags',
  'customFields',
] as const;

export type ContactField = (typeof CONTACT_FIELDS)[number];

const knownFields: ReadonlySet<string> = new Set<string>([...CONTACT_FIELDS, 'id']);
const TEXT_FIELDS = ['firstName', 'lastName', 'companyName'] as const;

/**
 * The contact record's rules, shared by the REST edge (PUT replaces the contact as a whole) and
 * the import. Every problem is reported, each naming its field. `null` or absence means "none"
 * for every optional field; an unknown member is refused.
 */
export function parseContact(contactId: string, input: unknown): ParsedContact {
  const errors: ContactFieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });

  if (typeof contactId !== 'string' || !isContactId(contactId)) {
    fail('id', 'must match ^[A-Za-z0-9_.:-]{1,128}$');
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    fail('(contact)', 'must be a JSON object');
    return { ok: false, errors };
  }
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) {
    if (!knownFields.has(key)) fail(echoed(key), 'is not a known field');
  }
  if (Object.hasOwn(body, 'id') && body.id !== contactId) {
    fail('id', "must equal the contact's id when given in the body");
  }

  const contact: Contact = { id: contactId, phone: '', tags: [], customFields: {} };

  const phone = body.phone;
  if (phone === undefined || phone === null) fail('phone', 'is required');
  else if (typeof phone !== 'string' || !isE164(phone)) fail('phone', E164_MESSAGE);
  else contact.phone = phone;

  for (const field of TEXT_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      fail(field, 'must be a string');
      continue;
    }
    const problem = textProblem(value, CONTACT_LIMITS[field], 'single-line');
    if (problem) fail(field, problem);
    else contact[field] = value;
  }

  const email = body.email;
  if (email !== undefined && email !== null) {
    const problem =
      typeof email !== 'string'
        ? 'must be a string'
        : (textProblem(email, CONTACT_LIMITS.email, 'single-line') ?? emailProblem(email));
    if (problem) fail('email', problem);
    else contact.email = email as string;
  }

  const timeZone = body.timeZone;
  if (timeZone !== undefined && timeZone !== null) {
    const canonical = typeof timeZone === 'string' ? canonicalTimeZone(timeZone) : undefined;
    if (canonical === undefined)
      fail('timeZone', 'must be an IANA time zone such as America/New_York');
    else contact.timeZone = canonical;
  }

  const tags = parseTags(body.tags, fail);
  if (tags) contact.tags = tags;
  const customFields = parseCustomFields(body.customFields, fail);
  if (customFields) contact.customFields = customFields;

  if (errors.length === 0) return { ok: true, contact };
  if (errors.length <= MAX_REPORTED_ERRORS) return { ok: false, errors };
  const more = errors.length - MAX_REPORTED_ERRORS;
  return {
    ok: false,
    errors: [
      ...errors.slice(0, MAX_REPORTED_ERRORS),
      { field: '(contact)', message: `and ${more} more problems` },
    ],
  };
}

/** A body with thousands of bad members gets a bounded answer, not thousands of lines. */
export const MAX_REPORTED_ERRORS = 100;

type Fail = (field: string, message: string) => void;

function parseTags(value: unknown, fail: Fail): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    fail('tags', 'must be an array of strings');
    return undefined;
  }
  // Checking each of a million items would make a million errors: past ten times the limit the
  // array is refused as a whole.
  if (value.length > CONTACT_LIMITS.tags * 10) {
    fail('tags', `must hold at most ${CONTACT_LIMITS.tags} tags`);
    return undefined;
  }
  const tags = new Set<string>();
  let good = true;
  value.forEach((item: unknown, index) => {
    const field = `tags[${index}]`;
    if (typeof item !== 'string') {
      fail(field, 'must be a string');
      good = false;
      return;
    }
    const tag = item.trim();
    const problem =
      tag === ''
        ? 'must not be blank'
        : tag.includes(';')
          ? 'must not contain ";" (the CSV tag separator)'
          : textProblem(tag, CONTACT_LIMITS.tagLength, 'single-line');
    if (problem) {
      fail(field, problem);
      good = false;
      return;
    }
    tags.add(tag);
  });
  if (tags.size > CONTACT_LIMITS.tags) {
    fail('tags', `must hold at most ${CONTACT_LIMITS.tags} distinct tags (got ${tags.size})`);
    return undefined;
  }
  return good ? [...tags] : undefined;
}

function parseCustomFields(
  value: unknown,
  fail: Fail,
): Record<string, CustomFieldValue> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    fail('customFields', 'must be an object of key: value');
    return undefined;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > CONTACT_LIMITS.customFields) {
    fail('customFields', `must hold at most ${CONTACT_LIMITS.customFields} fields`);
    return undefined;
  }
  // The key pattern leaves out `__proto__`, so plain assignment cannot reach a prototype.
  const fields: Record<string, CustomFieldValue> = {};
  let good = true;
  for (const [key, item] of entries) {
    const field = `customFields.${echoed(key)}`;
    const keyProblem = customFieldKeyProblem(key);
    if (keyProblem) {
      fail(field, keyProblem);
      good = false;
      continue;
    }
    if (item === null || item === undefined) continue;
    const parsed = customFieldValue(item);
    if (typeof parsed === 'object' && 'problem' in parsed) {
      fail(field, parsed.problem);
      good = false;
      continue;
    }
    fields[key] = parsed;
  }
  return good ? fields : undefined;
}

function customFieldValue(item: unknown): CustomFieldValue | { problem: string } {
  switch (typeof item) {
    case 'string': {
      const problem = textProblem(item, CONTACT_LIMITS.customFieldText, 'multi-line');
      return problem ? { problem } : item;
    }
    case 'number':
      return Number.isFinite(item) ? item : { problem: 'must be a finite number' };
    case 'boolean':
      return item;
    case 'object': {
      if (Array.isArray(item)) return { problem: VALUE_MESSAGE };
      const keys = Object.keys(item as object);
      const date = (item as { date?: unknown }).date;
      if (keys.length === 1 && keys[0] === 'date') {
        const canonical = typeof date === 'string' ? canonicalDate(date) : undefined;
        if (canonical !== undefined) return { date: canonical };
      }
      return { problem: DATE_MESSAGE };
    }
    default:
      return { problem: VALUE_MESSAGE };
  }
}

const VALUE_MESSAGE = 'must be a string, a number, a boolean or {"date": "YYYY-MM-DD"}';
const DATE_MESSAGE =
  'a date must be {"date": "YYYY-MM-DD"} or {"date": "<ISO 8601 instant with Z or an offset>"}';
