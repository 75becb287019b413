import { areaCodeLocation } from './area-codes.js';

export interface RecipientLocale {
  /** The zone to show: the contact's, the area code's primary zone, or the tenant's. */
  timeZone: string;
  /**
   * Every zone the recipient may be in, `timeZone` first. Several only when the zone comes from an
   * area code that spans zones; quiet hours then hold to all of them.
   */
  timeZones: readonly string[];
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
 * Zone: the contact's own zone when known and valid, else the area code's (all of them for a code
 * that spans zones), else the tenant's.
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
    const timeZone = input.contactTimeZone;
    return { timeZone, timeZones: [timeZone], state, source: 'contact' };
  }
  if (location) {
    const { timeZone, timeZones } = location;
    return { timeZone, timeZones, state, source: 'area_code' };
  }
  return {
    timeZone: input.tenantTimeZone,
    timeZones: [input.tenantTimeZone],
    state,
    source: 'tenant',
  };
}
