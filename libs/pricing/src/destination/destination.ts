import { getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import metadata from 'libphonenumber-js/max/metadata';

/** ISO 3166-1 alpha-2 region of a phone number, as libphonenumber names it ("US", "CA", "PR"). */
export type CountryCode = string;

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The country a number is priced in, or null when the number is not E.164 or its calling code
 * belongs to no country (a non-geographic +800 number, an unassigned calling code).
 * libphonenumber's own rule over its full ("max") metadata: a region claims a number by its
 * leading digits (+1 876 is Jamaica) or by its number patterns (a Canadian area code), the main
 * country first, so +1 toll-free numbers are "US". A number no region claims (an area code not
 * assigned, such as +1 555) is priced in its calling code's main country, as a carrier's prefix
 * rate deck prices it: +1 falls to the US rate.
 */
export function countryOfNumber(e164: string): CountryCode | null {
  if (!E164.test(e164)) return null;
  const parsed = parsePhoneNumberFromString(e164);
  if (parsed === undefined) return null;
  return parsed.country ?? metadata.country_calling_codes[parsed.countryCallingCode]?.[0] ?? null;
}

/** Every region the numbering plan knows: the countries a rate card may price. */
export const KNOWN_COUNTRIES: ReadonlySet<CountryCode> = new Set(getCountries());
