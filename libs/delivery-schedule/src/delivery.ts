import {
  CADENCE_UNITS,
  WEEKDAYS,
  type CadenceUnit,
  type DripSchedule,
  type DripWindow,
  type Weekday,
} from './drip-schedule.js';
import { canonicalTimeZone } from './local-time.js';
import { parseLocalDateTime } from './recipient-schedule.js';

/** A bulk send's `delivery`, validated. Instants are `Date`s; zones canonical IANA names. */
export type Delivery =
  | { mode: 'now' }
  | { mode: 'schedule'; at: Date }
  | {
      mode: 'schedule';
      /** `YYYY-MM-DDTHH:MM:SS`, seconds filled in. */
      localTime: string;
      /** `recipient`, `tenant`, or a canonical IANA name. */
      timeZone: string;
    }
  | ({ mode: 'drip' } & DripSchedule);

/** The gateway's problem+json `errors` item. */
export interface DeliveryFieldError {
  field: string;
  message: string;
}

export type ParsedDelivery =
  { ok: true; delivery: Delivery } | { ok: false; errors: DeliveryFieldError[] };

export interface DeliveryContext {
  /** The clock, passed in. */
  now: Date;
  /** The tenant's zone: a drip's default `timeZone`. */
  tenantTimeZone: string;
  /** The name the errors use for the object (default `delivery`). */
  field?: string;
}

export const DELIVERY_LIMITS = {
  batchSize: { min: 1, max: 10_000 },
  /** As `sendAt`: up to 60 s in the past is the caller's clock skew. */
  pastToleranceSeconds: 60,
  maxAheadDays: 400,
} as const;

const MODES = ['now', 'schedule', 'drip'] as const;
const HH_MM = /^(\d{2}):(\d{2})$/u;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/iu;
const DAY_MS = 86_400_000;
const CADENCE_UNIT_MS: Record<CadenceUnit, number> = {
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: DAY_MS,
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const quoted = (value: unknown): string => {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
};

/** Minutes of an `HH:MM` (`24:00` only when `allowEndOfDay`), or undefined. */
function clockMinutes(value: unknown, allowEndOfDay: boolean): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = HH_MM.exec(value);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (allowEndOfDay && hours === 24 && minutes === 0) return 24 * 60;
  if (hours > 23 || minutes > 59) return undefined;
  return hours * 60 + minutes;
}

/** An RFC 3339 instant with `Z` or an offset, as epoch ms, or undefined. */
function instantMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = INSTANT.exec(value);
  if (!match) return undefined;
  const [, , month, day, hour, minute, second, , , offsetHours, offsetMinutes] = match;
  const fieldsGood =
    Number(month) >= 1 &&
    Number(month) <= 12 &&
    Number(day) >= 1 &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second ?? '0') <= 59 &&
    Number(offsetHours ?? '0') <= 23 &&
    Number(offsetMinutes ?? '0') <= 59;
  if (!fieldsGood) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return undefined;
  // Date.parse rolls 2026-02-30 over to March: refuse a day the month does not have.
  const local = value.slice(0, 10);
  const check = new Date(Date.UTC(Number(local.slice(0, 4)), Number(month) - 1, Number(day)));
  return check.getUTCDate() === Number(day) ? ms : undefined;
}

/**
 * Validates a bulk send's `delivery` object: `{mode: "now"}`, `{mode: "schedule", at}`,
 * `{mode: "schedule", localTime, timeZone}`, or `{mode: "drip", ...}`. Every problem is reported,
 * each naming its field (`delivery.batchSize`, `delivery.days.2`, ...). A member that does not
 * belong to the mode is refused, so a typo (`batchsize`) is not silently a default.
 */
export function parseDelivery(input: unknown, context: DeliveryContext): ParsedDelivery {
  const root = context.field ?? 'delivery';
  const errors: DeliveryFieldError[] = [];
  const fail = (field: string, message: string): void => {
    errors.push({ field: field === '' ? root : `${root}.${field}`, message });
  };
  if (!isObject(input)) {
    fail('', 'must be an object with a mode: now, schedule or drip');
    return { ok: false, errors };
  }
  const refuseUnknown = (known: readonly string[]): void => {
    for (const key of Object.keys(input)) {
      if (!known.includes(key)) fail(key, `is not a known field of mode ${String(input.mode)}`);
    }
  };

  /** An instant no more than 60 s past and no more than 400 days ahead. */
  const scheduledInstant = (field: string): Date | undefined => {
    const value = input[field];
    const ms = instantMs(value);
    if (ms === undefined) {
      fail(
        field,
        value === undefined
          ? 'is required: an instant with its offset, e.g. 2026-07-04T09:00:00-04:00'
          : `must be an instant with its offset, e.g. 2026-07-04T09:00:00-04:00 (got ${quoted(value)})`,
      );
      return undefined;
    }
    const now = context.now.getTime();
    if (ms < now - DELIVERY_LIMITS.pastToleranceSeconds * 1000) {
      fail(field, `must not be more than ${DELIVERY_LIMITS.pastToleranceSeconds} s in the past`);
      return undefined;
    }
    if (ms > now + DELIVERY_LIMITS.maxAheadDays * DAY_MS) {
      fail(field, `must be at most ${DELIVERY_LIMITS.maxAheadDays} days ahead`);
      return undefined;
    }
    return new Date(ms);
  };

  const ianaZone = (field: string, value: unknown, keywords: boolean): string | undefined => {
    if (keywords && (value === 'recipient' || value === 'tenant')) return value;
    const zone = typeof value === 'string' ? canonicalTimeZone(value) : undefined;
    if (zone === undefined) {
      fail(
        field,
        value === undefined
          ? `is required: ${keywords ? '"recipient", "tenant" or ' : ''}an IANA time zone such as America/New_York`
          : `must be ${keywords ? '"recipient", "tenant" or ' : ''}an IANA time zone such as America/New_York (got ${quoted(value)})`,
      );
    }
    return zone;
  };

  switch (input.mode) {
    case 'now': {
      refuseUnknown(['mode']);
      return errors.length > 0 ? { ok: false, errors } : { ok: true, delivery: { mode: 'now' } };
    }
    case 'schedule': {
      if ('at' in input) {
        if ('localTime' in input) {
          fail('localTime', 'give either at (an instant) or localTime with timeZone, not both');
        }
        refuseUnknown(['mode', 'at', 'localTime']);
        const at = scheduledInstant('at');
        return errors.length > 0 || at === undefined
          ? { ok: false, errors }
          : { ok: true, delivery: { mode: 'schedule', at } };
      }
      if (!('localTime' in input)) {
        fail('at', 'is required (or localTime with timeZone): when to send');
        return { ok: false, errors };
      }
      refuseUnknown(['mode', 'localTime', 'timeZone']);
      const local =
        typeof input.localTime === 'string' ? parseLocalDateTime(input.localTime) : undefined;
      if (local === undefined) {
        fail(
          'localTime',
          `must be a local date-time YYYY-MM-DDTHH:MM[:SS] with no offset, e.g. 2026-12-24T10:00 (got ${quoted(input.localTime)})`,
        );
      }
      const timeZone = ianaZone('timeZone', input.timeZone, true);
      if (errors.length > 0 || local === undefined || timeZone === undefined)
        return { ok: false, errors };
      const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
      const localTime = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}`;
      return { ok: true, delivery: { mode: 'schedule', localTime, timeZone } };
    }
    case 'drip':
      return parseDrip(input, context, errors, fail, refuseUnknown, scheduledInstant, ianaZone);
    default:
      fail('mode', `must be one of ${MODES.join(', ')} (got ${quoted(input.mode)})`);
      return { ok: false, errors };
  }
}

function parseDrip(
  input: Record<string, unknown>,
  context: DeliveryContext,
  errors: DeliveryFieldError[],
  fail: (field: string, message: string) => void,
  refuseUnknown: (known: readonly string[]) => void,
  scheduledInstant: (field: string) => Date | undefined,
  ianaZone: (field: string, value: unknown, keywords: boolean) => string | undefined,
): ParsedDelivery {
  refuseUnknown(['mode', 'startAt', 'batchSize', 'every', 'days', 'window', 'timeZone']);
  const startAt = scheduledInstant('startAt');

  const { batchSize } = input;
  const { min, max } = DELIVERY_LIMITS.batchSize;
  if (
    typeof batchSize !== 'number' ||
    !Number.isInteger(batchSize) ||
    batchSize < min ||
    batchSize > max
  ) {
    fail('batchSize', `must be an integer from ${min} to ${max} (got ${quoted(batchSize)})`);
  }

  let every: DripSchedule['every'] | undefined;
  if (!isObject(input.every)) {
    fail('every', 'must be an object {value, unit}, e.g. {"value": 5, "unit": "minutes"}');
  } else {
    const { value, unit } = input.every;
    for (const key of Object.keys(input.every)) {
      if (key !== 'value' && key !== 'unit') fail(`every.${key}`, 'is not a known field');
    }
    const valueGood = typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
    if (!valueGood) fail('every.value', `must be an integer ≥ 1 (got ${quoted(value)})`);
    const unitGood =
      typeof unit === 'string' && (CADENCE_UNITS as readonly string[]).includes(unit);
    if (!unitGood)
      fail('every.unit', `must be one of ${CADENCE_UNITS.join(', ')} (got ${quoted(unit)})`);
    if (valueGood && unitGood) {
      // A cadence longer than the furthest a send may be scheduled ahead is a mistake, and would
      // let 100,000 batches run past the end of time that a Date can hold.
      const maxValue =
        DELIVERY_LIMITS.maxAheadDays * (DAY_MS / CADENCE_UNIT_MS[unit as CadenceUnit]);
      if (value > maxValue) {
        fail(
          'every.value',
          `must be at most ${maxValue} ${String(unit)} (${DELIVERY_LIMITS.maxAheadDays} days)`,
        );
      } else {
        every = { value, unit: unit as CadenceUnit };
      }
    }
  }

  let days: Weekday[] = [...WEEKDAYS.slice(1), 'sun'];
  if (input.days !== undefined) {
    if (!Array.isArray(input.days) || input.days.length === 0) {
      fail(
        'days',
        'must be a non-empty array of mon, tue, wed, thu, fri, sat, sun (leave it out for every day)',
      );
    } else {
      const seen = new Set<string>();
      input.days.forEach((day: unknown, index) => {
        if (typeof day !== 'string' || !(WEEKDAYS as readonly string[]).includes(day)) {
          fail(
            `days.${index}`,
            `must be one of mon, tue, wed, thu, fri, sat, sun (got ${quoted(day)})`,
          );
        } else if (seen.has(day)) {
          fail(`days.${index}`, `repeats ${day}`);
        } else {
          seen.add(day);
        }
      });
      days = [...seen] as Weekday[];
    }
  }

  let window: DripWindow = { start: '00:00', end: '24:00' };
  if (input.window !== undefined) {
    if (!isObject(input.window)) {
      fail('window', 'must be an object {start: "HH:MM", end: "HH:MM"}');
    } else {
      for (const key of Object.keys(input.window)) {
        if (key !== 'start' && key !== 'end') fail(`window.${key}`, 'is not a known field');
      }
      const start = clockMinutes(input.window.start, false);
      const end = clockMinutes(input.window.end, true);
      if (start === undefined) {
        fail(
          'window.start',
          `must be a local time HH:MM from 00:00 to 23:59 (got ${quoted(input.window.start)})`,
        );
      }
      if (end === undefined) {
        fail(
          'window.end',
          `must be a local time HH:MM from 00:01 to 24:00 (got ${quoted(input.window.end)})`,
        );
      }
      if (start !== undefined && end !== undefined) {
        if (start >= end)
          fail(
            'window',
            `start (${String(input.window.start)}) must be before end (${String(input.window.end)})`,
          );
        else window = { start: input.window.start as string, end: input.window.end as string };
      }
    }
  }

  const timeZone =
    input.timeZone === undefined
      ? canonicalTimeZone(context.tenantTimeZone)
      : ianaZone('timeZone', input.timeZone, false);
  if (timeZone === undefined && input.timeZone === undefined) {
    fail(
      'timeZone',
      `is required: the tenant's zone (${quoted(context.tenantTimeZone)}) is not an IANA zone`,
    );
  }

  if (errors.length > 0 || startAt === undefined || every === undefined || timeZone === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    delivery: {
      mode: 'drip',
      startAt,
      batchSize: batchSize as number,
      every,
      days,
      window,
      timeZone,
    },
  };
}
