/** The contact fields every contact has; `full_name` is derived from the first and last names. */
export const BUILT_IN_CONTACT_FIELDS = [
  'first_name',
  'last_name',
  'full_name',
  'email',
  'phone',
  'company_name',
] as const;

export type BuiltInContactField = (typeof BUILT_IN_CONTACT_FIELDS)[number];

/** The roots a template may name; anything else is refused at save, send and preview. */
export const MERGE_ROOTS = ['contact', 'custom_values', 'business'] as const;

export type MergeRoot = (typeof MERGE_ROOTS)[number];

const KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/u;
const builtIns: ReadonlySet<string> = new Set(BUILT_IN_CONTACT_FIELDS);

/** A custom field key: `^[a-z][a-z0-9_]{0,63}$` and not one of the built-in contact fields. */
export function isCustomFieldKey(key: string): boolean {
  return KEY_PATTERN.test(key) && !builtIns.has(key);
}

/** A custom value key (business-wide): `^[a-z][a-z0-9_]{0,63}$`. */
export function isCustomValueKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export function isBuiltInContactField(key: string): key is BuiltInContactField {
  return builtIns.has(key);
}

/** A custom field's value as the contact API stores it; a `Date` renders as its ISO instant. */
export type CustomFieldValue = string | number | boolean | Date;

/** A contact as the contact API shapes it (the fields merge fields can name). */
export interface ContactFields {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  companyName?: string | null;
  customFields?: Readonly<Record<string, CustomFieldValue | null | undefined>>;
}

/** Everything one render reads. Rendering is a pure function of the body and this. */
export interface MergeContext {
  /** Absent for a message to a bare phone number: every `contact.*` is then missing. */
  contact?: ContactFields | null;
  customValues?: Readonly<Record<string, string | null | undefined>>;
  business?: { name?: string | null } | null;
  /** The recipient's IANA zone: the `date` filter shows instants in it. */
  timeZone: string;
  /** The clock reading `"now"` and `"today"` stand for in the `date` filter. */
  now: Date;
}

/** A merge value as Liquid sees it; `undefined` means the variable resolves to nothing. */
export type MergeValue = string | number | boolean;

/**
 * Nothing = absent, null, or a string that is empty or only whitespace ("Hi  ," is never what
 * the sender meant). `false` and `0` are values.
 */
export function presentValue(value: CustomFieldValue | null | undefined): MergeValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  return value;
}

/** The value of `contact.<key>` for one contact. */
export function contactValue(
  contact: ContactFields | null | undefined,
  key: string,
): MergeValue | undefined {
  if (contact === null || contact === undefined) return undefined;
  switch (key) {
    case 'first_name':
      return presentValue(contact.firstName);
    case 'last_name':
      return presentValue(contact.lastName);
    case 'full_name': {
      const parts = [presentValue(contact.firstName), presentValue(contact.lastName)].filter(
        (part) => part !== undefined,
      );
      return parts.length === 0 ? undefined : parts.map(String).join(' ');
    }
    case 'email':
      return presentValue(contact.email);
    case 'phone':
      return presentValue(contact.phone);
    case 'company_name':
      return presentValue(contact.companyName);
    default: {
      const fields = contact.customFields;
      if (fields === undefined || !Object.hasOwn(fields, key)) return undefined;
      return presentValue(fields[key]);
    }
  }
}
