/**
 * The value rules a contact's fields are built from. Each check is pure and answers the message
 * that names what is wrong, or `undefined` when the value is good.
 */

/** How much of a caller's value an error repeats back (the gateway's `ECHO_LIMIT`). */
export const ECHO_LIMIT = 100;

/**
 * A caller's text as an error may quote it: whole up to `ECHO_LIMIT` code points, else cut there
 * with an ellipsis (cut between code points), lone surrogates replaced so the error itself is
 * well-formed. The same rule as the gateway's `echoed`.
 */
export function echoed(value: string, limit: number = ECHO_LIMIT): string {
  const text = value.toWellFormed();
  if (text.length <= limit) return text;
  let kept = '';
  let count = 0;
  for (const codePoint of text) {
    if (count === limit) return `${kept}…`;
    kept += codePoint;
    count += 1;
  }
  return text;
}

/** Length in code points, the unit JSON Schema's `maxLength` (and so the gateway) counts. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * C0 controls, DEL and C1 controls. Single-line fields refuse all of them; multi-line text
 * (custom field strings) keeps tab, line feed and carriage return.
 */
function hasControlCharacter(text: string, kind: TextKind): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x20 && code < 0x7f) continue;
    if (code > 0x9f) continue;
    if (kind === 'multi-line' && (code === 0x09 || code === 0x0a || code === 0x0d)) continue;
    return true;
  }
  return false;
}

const NOT_BLANK = /\S/u;

export type TextKind = 'single-line' | 'multi-line';

/** Why a text cannot be stored: not well-formed UTF-16, a control character, blank, too long. */
export function textProblem(text: string, maxLength: number, kind: TextKind): string | undefined {
  if (!text.isWellFormed()) return 'must be well-formed Unicode (no unpaired surrogates)';
  if (hasControlCharacter(text, kind)) {
    return kind === 'single-line'
      ? 'must not contain control characters (U+0000–U+001F, U+007F–U+009F)'
      : 'must not contain control characters other than tab, line feed and carriage return';
  }
  if (!NOT_BLANK.test(text)) return 'must not be blank (leave the field out, or send null)';
  if (text.length > maxLength && codePointLength(text) > maxLength) {
    return `must be at most ${maxLength} characters`;
  }
  return undefined;
}

/**
 * E.164, and for the North American Numbering Plan (+1) exactly ten digits with an area code
 * that does not start with 0 or 1: "+1415555" is a typo, not a number. The same rule as the
 * gateway's `E164_PATTERN` (services/gateway/src/http/request-schemas.ts), which is stricter
 * than the bare `^\+[1-9]\d{1,14}$` for +1 numbers; a lib cannot import a service, so it is
 * written here and the two must change together.
 */
export const E164_PATTERN = '^(?:\\+1[2-9][0-9]{9}|\\+[2-9][0-9]{1,14})$';
const E164 = new RegExp(E164_PATTERN, 'u');

export const E164_MESSAGE =
  'must be an E.164 phone number such as +15555550123 (+1 and ten digits in North America)';

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

/** The CRM's own contact id. */
export const CONTACT_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,128}$';
const CONTACT_ID = new RegExp(CONTACT_ID_PATTERN, 'u');

export function isContactId(id: string): boolean {
  return CONTACT_ID.test(id);
}

export const EMAIL_MAX_LENGTH = 254;
const EMAIL_LOCAL_MAX_LENGTH = 64;
// Dot-atom local part (RFC 5322 without quoted strings or comments, which no CRM sends), and a
// domain of at least two labels, letters in any script (internationalised domains), the last
// label not all digits (an address literal is not an email a business texts from).
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** A sane email address check, not RFC 5322 in full: `local@domain.tld`, ≤ 254 characters. */
export function emailProblem(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const good =
    at > 0 &&
    email.length <= EMAIL_MAX_LENGTH &&
    local.length <= EMAIL_LOCAL_MAX_LENGTH &&
    EMAIL_LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    !/^\d+$/u.test(labels.at(-1) ?? '');
  if (good) return undefined;
  return email.length > EMAIL_MAX_LENGTH
    ? `must be at most ${EMAIL_MAX_LENGTH} characters`
    : 'must be an email address such as ana@example.com';
}

const zoneCache = new Map<string, string | null>();
const ZONE_CACHE_LIMIT = 2_000;

/**
 * The canonical IANA name of a zone (`america/new_york` → `America/New_York`, `US/Eastern` →
 * `America/New_York`, as ICU resolves it), or `undefined` when it is not one. Offsets
 * (`+05:00`), which `Intl` would take, are refused: a zone is a place, not an offset.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  const cached = zoneCache.get(zone);
  if (cached !== undefined) return cached ?? undefined;
  let canonical: string | null = null;
  if (zone.length <= 64 && /^[A-Za-z]/u.test(zone)) {
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      canonical = null;
    }
  }
  // Bounded: an import of 100,000 distinct junk zones must not grow it without end.
  if (zoneCache.size < ZONE_CACHE_LIMIT) zoneCache.set(zone, canonical);
  return canonical ?? undefined;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/u;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/iu;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/**
 * A custom field date in canonical form: a calendar date `YYYY-MM-DD` stays as it is (a
 * birthday has no zone); an instant (ISO 8601 with `Z` or an offset; seconds and fractions
 * optional) becomes its UTC form `2026-12-24T09:30:00.000Z`. A local time without an offset is
 * refused: which instant it means is unknown. `undefined` when it is neither.
 */
export function canonicalDate(text: string): string | undefined {
  const date = CALENDAR_DATE.exec(text);
  if (date) {
    return isRealDate(Number(date[1]), Number(date[2]), Number(date[3])) ? text : undefined;
  }
  const instant = INSTANT.exec(text);
  if (!instant) return undefined;
  const [, year, month, day, hour, minute, second, , zone, offsetHours, offsetMinutes] = instant;
  const fieldsGood =
    isRealDate(Number(year), Number(month), Number(day)) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second ?? '0') <= 59 &&
    (zone?.toUpperCase() === 'Z' || (Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59));
  if (!fieldsGood) return undefined;
  const parsed = new Date(text);
  if (Number.isNaN(parsed.getTime())) return undefined;
  const canonical = parsed.toISOString();
  // An offset can push 9999-12-31 past year 9999 (ISO's six-digit form): not a date we keep.
  return /^\d{4}-/u.test(canonical) ? canonical : undefined;
}
