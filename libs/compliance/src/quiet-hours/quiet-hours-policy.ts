import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { RecipientLocale } from './recipient-locale.js';
import { sendWindowFor, type LocalWindow, type SendWindowRule } from './send-window.js';

/** Days searched ahead: any weekly rule with at least one window has one within 8 local days. */
const DAYS_SEARCHED = 8;

interface LocalMoment {
  year: number;
  month: number;
  day: number;
  minuteOfDay: number;
}

function localMoment(at: Date, timeZone: string): LocalMoment {
  const [year, month, day, hour, minute] = formatInTimeZone(at, timeZone, 'yyyy M d H m')
    .split(' ')
    .map(Number) as [number, number, number, number, number];
  return { year, month, day, minuteOfDay: hour * 60 + minute };
}

/** Calendar arithmetic on a local date (no instants involved, so DST cannot shift it). */
function addCalendarDays(moment: LocalMoment, days: number): { date: Date; weekday: number } {
  const date = new Date(Date.UTC(moment.year, moment.month - 1, moment.day + days));
  return { date, weekday: date.getUTCDay() };
}

const pad = (n: number): string => String(n).padStart(2, '0');

function windowsOn(rule: SendWindowRule, weekday: number): readonly LocalWindow[] {
  return rule.windows[weekday] ?? [];
}

/**
 * What the policy reads of a `RecipientLocale`. `timeZones` is optional so that a locale built by
 * hand with one `timeZone`, as before split area codes were modelled, still type-checks.
 */
export type SendWindowLocale = Pick<RecipientLocale, 'timeZone' | 'state'> & {
  readonly timeZones?: readonly string[] | undefined;
};

/** Passes of the per-zone search before giving up; each pass moves to a later window start. */
const MAX_PASSES = 32;

function candidateZones(locale: SendWindowLocale): readonly string[] {
  return [...new Set([locale.timeZone, ...(locale.timeZones ?? [])])];
}

function isWithinZoneWindow(at: Date, rule: SendWindowRule, timeZone: string): boolean {
  const local = localMoment(at, timeZone);
  const { weekday } = addCalendarDays(local, 0);
  return windowsOn(rule, weekday).some(
    (w) => local.minuteOfDay >= w.startMinute && local.minuteOfDay < w.endMinute,
  );
}

/**
 * True only when `at` is inside the window in every zone the recipient may be in (the
 * intersection, for an area code that spans zones).
 */
export function isWithinSendWindow(at: Date, locale: SendWindowLocale): boolean {
  const rule = sendWindowFor(locale.state);
  return candidateZones(locale).every((zone) => isWithinZoneWindow(at, rule, zone));
}

/**
 * `at` itself when a marketing send is allowed then; otherwise the earliest later instant that is
 * inside the window in every candidate zone: each zone's next allowed time is taken, the latest
 * of them becomes the new candidate, and this repeats until all zones agree (a later zone's start
 * can fall after an earlier zone's end).
 */
export function nextAllowedSendTime(at: Date, locale: SendWindowLocale): Date {
  const rule = sendWindowFor(locale.state);
  const zones = candidateZones(locale);
  let candidate = at;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    const latest = zones
      .map((zone) => nextAllowedInZone(candidate, rule, zone))
      .reduce((a, b) => (b.getTime() > a.getTime() ? b : a));
    if (latest.getTime() === candidate.getTime()) return candidate;
    candidate = latest;
  }
  throw new Error(`no send window shared by ${zones.join(', ')} for ${rule.jurisdiction}`);
}

/**
 * `at` itself when allowed in `timeZone`; otherwise the start of the next window there (local
 * hh:mm:00). The search walks local calendar days and converts each window start with
 * `fromZonedTime`, so DST days are handled by the zone database. A window start that falls in a
 * spring-forward gap resolves as date-fns-tz does (shifted later).
 */
function nextAllowedInZone(at: Date, rule: SendWindowRule, timeZone: string): Date {
  if (isWithinZoneWindow(at, rule, timeZone)) return at;
  const local = localMoment(at, timeZone);
  for (let offset = 0; offset <= DAYS_SEARCHED; offset += 1) {
    const { date, weekday } = addCalendarDays(local, offset);
    const starts = windowsOn(rule, weekday)
      .map((w) => w.startMinute)
      .filter((start) => offset > 0 || start > local.minuteOfDay)
      .sort((a, b) => a - b);
    for (const start of starts) {
      const wallClock = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(Math.floor(start / 60))}:${pad(start % 60)}:00`;
      const windowStart = fromZonedTime(wallClock, timeZone);
      if (windowStart.getTime() > at.getTime()) return windowStart;
    }
  }
  throw new Error(`no send window within ${DAYS_SEARCHED} days for ${rule.jurisdiction}`);
}
