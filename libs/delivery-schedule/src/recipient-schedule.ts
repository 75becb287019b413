import { canonicalTimeZone, instantOfLocal, type LocalDateTime } from './local-time.js';

/** `"recipient"`, `"tenant"`, or an IANA zone name (DESIGN.md's zone keywords). */
export type ZoneKeyword = 'recipient' | 'tenant' | (string & {});

export interface ZoneSources {
  keyword: ZoneKeyword;
  /** The contact's own zone, if it has one. */
  contactZone?: string | null | undefined;
  /** The zone of the phone number's area code, if it is known. */
  areaCodeZone?: string | null | undefined;
  tenantZone: string;
}

/**
 * The zone a recipient's local time is read in: `"recipient"` → the contact's zone, else the
 * number's area-code zone, else the tenant's; `"tenant"` → the tenant's; otherwise the IANA name
 * itself. Looking up the contact and the area code is the caller's job.
 */
export function resolveZone(sources: ZoneSources): string {
  switch (sources.keyword) {
    case 'recipient':
      return sources.contactZone ?? sources.areaCodeZone ?? sources.tenantZone;
    case 'tenant':
      return sources.tenantZone;
    default:
      return sources.keyword;
  }
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/u;

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** `YYYY-MM-DDTHH:MM[:SS]` (no offset, no fraction) as a wall-clock reading, or undefined. */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const match = LOCAL_TIME.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match
    .slice(1)
    .map((part) => Number(part ?? '0')) as [number, number, number, number, number, number];
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  return { year, month, day, hour, minute, second, millisecond: 0 };
}

/**
 * The instant a `{mode: "schedule", localTime}` send goes out in `zone` (an IANA name: for
 * `"recipient"`, each recipient's zone from `resolveZone`). A local time in a spring-forward gap
 * goes out at the end of the gap (the first valid instant after it); one that occurs twice
 * (fall-back) at its first occurrence.
 */
export function localTimeInstant(localTime: string | LocalDateTime, zone: string): Date {
  const local = typeof localTime === 'string' ? parseLocalDateTime(localTime) : localTime;
  if (local === undefined)
    throw new RangeError(`not a local date-time: ${JSON.stringify(localTime)}`);
  const canonical = canonicalTimeZone(zone);
  if (canonical === undefined) throw new RangeError(`not an IANA time zone: ${zone}`);
  return new Date(instantOfLocal(local, canonical));
}
