/**
 * T-Mobile counts a brand's daily 10DLC cap per calendar day in Pacific time: the count resets at
 * midnight America/Los_Angeles (T-Mobile's 10DLC daily cap, as Telnyx and Twilio document it), so a
 * day is 23 hours on the spring-forward Sunday and 25 hours on the fall-back Sunday.
 *
 * US clocks change at 02:00 local, so midnight itself is never skipped nor repeated; the instant of
 * a local midnight is found by trying the zone's two offsets (PST, UTC−8, and PDT, UTC−7) and
 * keeping the one the zone's own clock confirms. The offsets come from the runtime's ICU
 * (`Intl.DateTimeFormat`), so a change to US DST rules arrives with the tzdata, not with this code.
 */

export const TMOBILE_TIME_ZONE = 'America/Los_Angeles';

const HOUR_MS = 3_600_000;
const PACIFIC_OFFSETS_HOURS = [8, 7] as const;

const pacificFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: TMOBILE_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface PacificClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function pacificClock(ms: number): PacificClock {
  const clock: PacificClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of pacificFormatter.formatToParts(ms)) {
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'hour':
      case 'minute':
      case 'second':
        clock[part.type] = Number(part.value);
        break;
      default:
        break;
    }
  }
  return clock;
}

/** The instant of 00:00 Pacific on the given calendar date (month 1..12; day may overflow). */
function pacificMidnight(year: number, month: number, day: number): number {
  const utcMidnight = Date.UTC(year, month - 1, day);
  const date = new Date(utcMidnight);
  for (const offset of PACIFIC_OFFSETS_HOURS) {
    const candidate = utcMidnight + offset * HOUR_MS;
    const clock = pacificClock(candidate);
    if (
      clock.hour === 0 &&
      clock.minute === 0 &&
      clock.second === 0 &&
      clock.day === date.getUTCDate() &&
      clock.month === date.getUTCMonth() + 1 &&
      clock.year === date.getUTCFullYear()
    ) {
      return candidate;
    }
  }
  // Unreachable while the zone keeps offsets −8/−7 and changes clocks away from midnight.
  throw new Error(`no midnight in ${TMOBILE_TIME_ZONE} on ${date.toISOString().slice(0, 10)}`);
}

export interface TMobileDay {
  /** The Pacific calendar date, `YYYY-MM-DD`: the key the day's count is kept under. */
  date: string;
  /** The day's first instant (midnight Pacific). */
  start: Date;
  /** The next day's first instant: when the count resets. */
  end: Date;
}

/** The T-Mobile day `now` falls in. */
export function tMobileDayOf(now: Date): TMobileDay {
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('tMobileDayOf: now is an invalid Date');
  const clock = pacificClock(ms);
  const start = pacificMidnight(clock.year, clock.month, clock.day);
  const end = pacificMidnight(clock.year, clock.month, clock.day + 1);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return {
    date: `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`,
    start: new Date(start),
    end: new Date(end),
  };
}

/** The next reset after `now` (a `now` exactly at midnight is in the new day: the reset after it). */
export function nextTMobileReset(now: Date): Date {
  return tMobileDayOf(now).end;
}
