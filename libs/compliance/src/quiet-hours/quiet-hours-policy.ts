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

export function isWithinSendWindow(at: Date, locale: RecipientLocale): boolean {
  const rule = sendWindowFor(locale.state);
  const local = localMoment(at, locale.timeZone);
  const { weekday } = addCalendarDays(local, 0);
  return windowsOn(rule, weekday).some(
    (w) => local.minuteOfDay >= w.startMinute && local.minuteOfDay < w.endMinute,
  );
}

/**
 * `at` itself when a marketing send is allowed then; otherwise the start of the next allowed
 * window (local hh:mm:00 in the recipient's zone). The search walks local calendar days and
 * converts each window start with `fromZonedTime`, so DST days are handled by the zone database.
 * A window start that falls in a spring-forward gap resolves as date-fns-tz does (shifted later).
 */
export function nextAllowedSendTime(at: Date, locale: RecipientLocale): Date {
  if (isWithinSendWindow(at, locale)) return at;
  const rule = sendWindowFor(locale.state);
  const local = localMoment(at, locale.timeZone);
  for (let offset = 0; offset <= DAYS_SEARCHED; offset += 1) {
    const { date, weekday } = addCalendarDays(local, offset);
    const starts = windowsOn(rule, weekday)
      .map((w) => w.startMinute)
      .filter((start) => offset > 0 || start > local.minuteOfDay)
      .sort((a, b) => a - b);
    for (const start of starts) {
      const wallClock = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(Math.floor(start / 60))}:${pad(start % 60)}:00`;
      const candidate = fromZonedTime(wallClock, locale.timeZone);
      if (candidate.getTime() > at.getTime()) return candidate;
    }
  }
  throw new Error(`no send window within ${DAYS_SEARCHED} days for ${rule.jurisdiction}`);
}
