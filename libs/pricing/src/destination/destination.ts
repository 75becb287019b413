import { NUMBERING_PLAN_ROWS } from './numbering-plan.data.js';

/** ISO 3166-1 alpha-2 region of a phone number, as libphonenumber names it ("US", "CA", "PR"). */
export type CountryCode = string;

interface PlanRegion {
  readonly region: CountryCode;
  readonly leadingDigits: RegExp | null;
  readonly pattern: RegExp | null;
}

function buildPlan(): ReadonlyMap<string, readonly PlanRegion[]> {
  const plan = new Map<string, PlanRegion[]>();
  for (const [region, callingCode, main, leadingDigits, pattern] of NUMBERING_PLAN_ROWS) {
    const entry: PlanRegion = {
      region,
      leadingDigits: leadingDigits === null ? null : new RegExp(`^(?:${leadingDigits})`),
      pattern: pattern === null ? null : new RegExp(`^(?:${pattern})$`),
    };
    const regions = plan.get(callingCode) ?? [];
    // The main country is tried first, as libphonenumber does.
    if (main) regions.unshift(entry);
    else regions.push(entry);
    plan.set(callingCode, regions);
  }
  return plan;
}

const PLAN = buildPlan();
const E164 = /^\+([1-9]\d{6,14})$/;

/**
 * The country a number belongs to, or null when the number is not E.164 or is not a valid number
 * of any region (an unassigned area code, a non-geographic +800 number).
 *
 * libphonenumber's own rule (getRegionCodeForNumber), over its metadata: calling codes are
 * prefix-free, so the first 1 to 3 digits name the candidates; a region claims the number by its
 * leading digits (+1 876 is Jamaica) or by one of its number-type patterns (a Canadian area
 * code), the main country first. So +1 toll-free numbers are "US", as libphonenumber says.
 */
export function countryOfNumber(e164: string): CountryCode | null {
  const digits = E164.exec(e164)?.[1];
  if (digits === undefined) return null;
  for (let length = 1; length <= 3; length += 1) {
    const regions = PLAN.get(digits.slice(0, length));
    if (regions === undefined) continue;
    const national = digits.slice(length);
    for (const { region, leadingDigits, pattern } of regions) {
      if (leadingDigits !== null && leadingDigits.test(national)) return region;
      if (pattern !== null && pattern.test(national)) return region;
    }
    return null;
  }
  return null;
}

/** Every region the numbering plan knows: the countries a rate card may price. */
export const KNOWN_COUNTRIES: ReadonlySet<CountryCode> = new Set(
  NUMBERING_PLAN_ROWS.map(([region]) => region),
);
