import { areaCodeLocation } from './area-codes.js';

export interface RecipientLocale {
  timeZone: string;
  /** State (or Canadian province) of the number's area code; null when unknown. */
  state: string | null;
  /** Where `timeZone` came from. */
  source: 'contact' | 'area_code' | 'tenant';
}

/**
 * True for a zone name the runtime's IANA database knows ("America/New_York", "UTC").
 * Offset strings ("+05:00"), which newer Intl accepts, are not zones and are refused.
 */
export function isValidTimeZone(zone: string): boolean {
  if (zone.trim() === '' || /^[+-]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Zone: the contact's own zone when known and valid, else the area code's, else the tenant's.
 * State: always from the area code when known, since state law follows the number, not where
 * the contact says they are.
 */
export function recipientLocale(input: {
  phone: string;
  contactTimeZone?: string | undefined;
  tenantTimeZone: string;
}): RecipientLocale {
  const location = areaCodeLocation(input.phone);
  const state = location?.state ?? null;
  if (input.contactTimeZone !== undefined && isValidTimeZone(input.contactTimeZone)) {
    return { timeZone: input.contactTimeZone, state, source: 'contact' };
  }
  if (location) return { timeZone: location.timeZone, state, source: 'area_code' };
  return { timeZone: input.tenantTimeZone, state, source: 'tenant' };
}
