import {
  DAY_MS,
  addCalendarDays,
  instantOfLocal,
  instantsOfLocal,
  localDateTimeAt,
  msOfDay,
  offsetAt,
  offsetChangeBetween,
  wallMs,
  weekdayOf,
  type LocalDateTime,
} from './local-time.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const CADENCE_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
export type CadenceUnit = (typeof CADENCE_UNITS)[number];

/** `HH:MM` local; `end` may be `24:00` (the end of the day). The window is [start, end). */
export interface DripWindow {
  start: string;
  end: string;
}

/** A validated drip (see `parseDelivery`): every field filled in, `timeZone` canonical IANA. */
export interface DripSchedule {
  startAt: Date;
  batchSize: number;
  every: { value: number; unit: CadenceUnit };
  days: readonly Weekday[];
  window: DripWindow;
  timeZone: string;
}

export interface DripBatch {
  index: number;
  at: Date;
  size: number;
}

export interface DripPreview {
  /** The first `limit` batches (all of them when there are no more). */
  batches: DripBatch[];
  /** How many batches there are in all. */
  total: number;
  /** When the last batch goes out; null when there are no recipients. */
  lastAt: Date | null;
}

export const PREVIEW_BATCH_LIMIT = 1_000;

/** Days searched ahead for an opening: a week, plus room for a window a DST gap swallowed. */
const DAYS_SEARCHED = 15;

const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000 } as const;

function minutesOf(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

/** The schedule's rules in the form the loop reads them: allowed days, window in ms of the day. */
export class DripCalendar {
  private readonly allowedDays: readonly boolean[];
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly startMinute: number;

  constructor(readonly schedule: Pick<DripSchedule, 'days' | 'window' | 'timeZone'>) {
    const days = new Set(schedule.days);
    this.allowedDays = WEEKDAYS.map((day) => days.has(day));
    this.startMinute = minutesOf(schedule.window.start);
    this.startMs = this.startMinute * 60_000;
    this.endMs = minutesOf(schedule.window.end) * 60_000;
  }

  /** Every day allowed and the window the whole day: every instant is allowed. */
  get alwaysOpen(): boolean {
    return this.allowedDays.every(Boolean) && this.startMs === 0 && this.endMs === DAY_MS;
  }

  /** t's local weekday is an allowed day and `start ≤ local time < end`. */
  allowed(ms: number): boolean {
    return this.allowedLocal(localDateTimeAt(ms, this.schedule.timeZone));
  }

  private allowedLocal(local: LocalDateTime): boolean {
    if (this.allowedDays[weekdayOf(local)] !== true) return false;
    const time = msOfDay(local);
    return time >= this.startMs && time < this.endMs;
  }

  /**
   * `ms` if allowed, else the first later instant that is allowed: a window opening (`start` on an
   * allowed day; in a spring-forward gap the end of the gap, in a fall-back overlap the first
   * occurrence), or the moment a fall-back puts the wall clock back inside the window.
   */
  next(ms: number): number {
    const zone = this.schedule.timeZone;
    const local = localDateTimeAt(ms, zone);
    if (this.allowedLocal(local)) return ms;
    const midnight: LocalDateTime = { ...local, hour: 0, minute: 0, second: 0, millisecond: 0 };
    for (let offset = 0; offset < DAYS_SEARCHED; offset += 1) {
      const day = addCalendarDays(midnight, offset);
      const candidates: number[] = [];
      if (this.allowedDays[weekdayOf(day)] === true) {
        const opening = instantsOfLocal(
          { ...day, hour: Math.floor(this.startMinute / 60), minute: this.startMinute % 60 },
          zone,
        );
        candidates.push(opening.first, opening.last);
      }
      const change = this.offsetChangeOn(day);
      if (change !== undefined) candidates.push(change);
      const found = candidates
        .filter((candidate) => candidate > ms && this.allowed(candidate))
        .sort((a, b) => a - b)[0];
      if (found !== undefined) return found;
    }
    throw new Error(`no opening within ${DAYS_SEARCHED} days of ${new Date(ms).toISOString()}`);
  }

  /** The instant the zone's offset changes during the local day `day` (at midnight), if it does. */
  private offsetChangeOn(day: LocalDateTime): number | undefined {
    const zone = this.schedule.timeZone;
    // Offsets lie within ±14 h, so the local day is inside [wall − 1 day, wall + 2 days]: the
    // same offset at both ends means no change that day, for two offset reads.
    const wall = wallMs(day);
    if (offsetAt(wall - DAY_MS, zone) === offsetAt(wall + 2 * DAY_MS, zone)) return undefined;
    const dayStart = instantOfLocal(day, zone);
    const dayEnd = instantOfLocal(addCalendarDays(day, 1), zone);
    return offsetChangeBetween(dayStart, dayEnd, zone);
  }

  /** `ms` plus the cadence: elapsed time, or calendar days at the same local time. */
  advance(ms: number, every: DripSchedule['every']): number {
    if (every.unit === 'days') {
      const zone = this.schedule.timeZone;
      return instantOfLocal(addCalendarDays(localDateTimeAt(ms, zone), every.value), zone);
    }
    return ms + every.value * UNIT_MS[every.unit];
  }
}

/** `allowed(t)` of the drip schedule. */
export function isDripAllowed(schedule: DripSchedule, at: Date): boolean {
  return new DripCalendar(schedule).allowed(at.getTime());
}

/** `next(t)` of the drip schedule. */
export function nextDripOpening(schedule: DripSchedule, at: Date): Date {
  return new Date(new DripCalendar(schedule).next(at.getTime()));
}

/**
 * When the batch after one released at `previousAt` goes out: `next(previousAt + every)`. With
 * `nextDripOpening` for the first batch (or for a resume: `next(resumedAt)`, so a resumed drip
 * keeps its cadence from the resume), a runner that checkpoints each batch's instant continues
 * exactly where the preview says.
 */
export function nextDripBatchAt(schedule: DripSchedule, previousAt: Date): Date {
  const calendar = new DripCalendar(schedule);
  return new Date(calendar.next(calendar.advance(previousAt.getTime(), schedule.every)));
}

/** The batch count for `recipientCount` recipients. */
export function dripBatchCount(
  schedule: Pick<DripSchedule, 'batchSize'>,
  recipientCount: number,
): number {
  return Math.ceil(Math.max(0, recipientCount) / schedule.batchSize);
}

/** Epoch ms of batch 0, 1, …: t0 = next(startAt), t(k+1) = next(t(k) + every). */
function* batchInstants(schedule: DripSchedule, count: number): Generator<number> {
  if (count === 0) return;
  const calendar = new DripCalendar(schedule);
  const open = calendar.alwaysOpen;
  let at = open ? schedule.startAt.getTime() : calendar.next(schedule.startAt.getTime());
  for (let index = 0; index < count; index += 1) {
    if (index > 0) {
      const due = calendar.advance(at, schedule.every);
      at = open ? due : calendar.next(due);
    }
    yield at;
  }
}

function sizeOf(index: number, count: number, batchSize: number, recipientCount: number): number {
  return index < count - 1 ? batchSize : recipientCount - batchSize * (count - 1);
}

/**
 * The batches of a drip, lazily: `batchSize` recipients each, the last one smaller. One `Date`
 * is made per batch as it is read, so a consumer that stops early pays for what it read.
 */
export function* dripBatches(schedule: DripSchedule, recipientCount: number): Generator<DripBatch> {
  const count = dripBatchCount(schedule, recipientCount);
  let index = 0;
  for (const at of batchInstants(schedule, count)) {
    yield {
      index,
      at: new Date(at),
      size: sizeOf(index, count, schedule.batchSize, recipientCount),
    };
    index += 1;
  }
}

/**
 * The preview's schedule: the first `limit` batches, then how many there are and when the last
 * one goes out. Batches past the limit are stepped through as numbers, never kept.
 */
export function dripPreview(
  schedule: DripSchedule,
  recipientCount: number,
  limit: number = PREVIEW_BATCH_LIMIT,
): DripPreview {
  const total = dripBatchCount(schedule, recipientCount);
  const batches: DripBatch[] = [];
  let last: number | null = null;
  let index = 0;
  for (const at of batchInstants(schedule, total)) {
    if (index < limit) {
      batches.push({
        index,
        at: new Date(at),
        size: sizeOf(index, total, schedule.batchSize, recipientCount),
      });
    }
    last = at;
    index += 1;
  }
  return { batches, total, lastAt: last === null ? null : new Date(last) };
}
