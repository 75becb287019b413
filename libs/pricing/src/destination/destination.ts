import { getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** ISO 3166-1 alpha-2 region of a phone number, as libphonenumber names it ("US", "CA", "PR"). */
export type CountryCode = string;

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The country a number belongs to, or null when the number is not E.164 or belongs to no region
 * (an unassigned area code, a non-geographic +800 number). libphonenumber's own rule over its
 * full ("max") metadata: a region claims a number by its leading digits (+1 876 is
 * Jamaica) or by its number patterns (a Canadian area code), the main country first, so +1
 * toll-free numbers are "US".
 */
export function countryOfNumber(e164: string): CountryCode | null {
  if (!E164.test(e164)) return null;
  const parsed = parsePhoneNumberFromString(e164);
  // The region by calling code and leading digits, as libphonenumber assigns it; a number whose
  // digits fit no region (an unassigned area code) has none.
  return parsed?.country ?? null;
}

/** Every region the numbering plan knows: the countries a rate card may price. */
export const KNOWN_COUNTRIES: ReadonlySet<CountryCode> = new Set(getCountries());
