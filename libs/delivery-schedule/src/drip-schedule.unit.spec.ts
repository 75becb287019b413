import { describe, expect, it } from 'vitest';
import {
  dripBatches,
  dripPreview,
  isDripAllowed,
  nextDripBatchAt,
  nextDripOpening,
  type DripSchedule,
  type Weekday,
} from './drip-schedule.js';

/**
 * Dates used: 2026-03-02 is a Monday. DST in America/New_York: 2026-03-08 02:00 EST → 03:00 EDT
 * (07:00Z) and 2026-11-01 02:00 EDT → 01:00 EST (06:00Z). Europe/London: 2026-03-29 01:00 GMT →
 * 02:00 BST (01:00Z) and 2026-10-25 02:00 BST → 01:00 GMT (01:00Z). Every expected instant below
 * was worked out by hand and is written with its local offset.
 */
const NY = 'America/New_York';
const LONDON = 'Europe/London';
const ALL_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

interface Given {
  startAt: string;
  every: DripSchedule['every'];
  timeZone: string;
  window?: DripSchedule['window'];
  days?: Weekday[];
  batchSize?: number;
}

const scheduleOf = (given: Given): DripSchedule => ({
  startAt: new Date(given.startAt),
  batchSize: given.batchSize ?? 1,
  every: given.every,
  days: given.days ?? ALL_DAYS,
  window: given.window ?? { start: '00:00', end: '24:00' },
  timeZone: given.timeZone,
});

const iso = (text: string): string => new Date(text).toISOString();
const timesOf = (given: Given, batches: number): string[] =>
  [...dripBatches(scheduleOf(given), batches * (given.batchSize ?? 1))].map((b) =>
    b.at.toISOString(),
  );

describe('dripBatches: when each batch goes out', () => {
  it.each<[string, Given, string[]]>([
    [
      'seconds are elapsed time',
      { startAt: '2026-03-02T14:00:00Z', every: { value: 5, unit: 'seconds' }, timeZone: 'UTC' },
      ['2026-03-02T14:00:00Z', '2026-03-02T14:00:05Z', '2026-03-02T14:00:10Z'],
    ],
    [
      'every 15 minutes, no window',
      { startAt: '2026-03-02T14:00:00Z', every: { value: 15, unit: 'minutes' }, timeZone: 'UTC' },
      ['2026-03-02T14:00:00Z', '2026-03-02T14:15:00Z', '2026-03-02T14:30:00Z'],
    ],
    [
      'every 3 hours in 09:00–17:00: the 18:00 batch waits for 09:00 next day, the rest follow from there',
      {
        startAt: '2026-03-02T09:00:00-05:00',
        every: { value: 3, unit: 'hours' },
        timeZone: NY,
        window: { start: '09:00', end: '17:00' },
      },
      [
        '2026-03-02T09:00:00-05:00',
        '2026-03-02T12:00:00-05:00',
        '2026-03-02T15:00:00-05:00',
        '2026-03-03T09:00:00-05:00',
        '2026-03-03T12:00:00-05:00',
        '2026-03-03T15:00:00-05:00',
      ],
    ],
    [
      'every 2 hours in 08:00–12:00: the end is excluded, no burst after the wait',
      {
        startAt: '2026-03-02T08:00:00-05:00',
        every: { value: 2, unit: 'hours' },
        timeZone: NY,
        window: { start: '08:00', end: '12:00' },
      },
      [
        '2026-03-02T08:00:00-05:00',
        '2026-03-02T10:00:00-05:00',
        '2026-03-03T08:00:00-05:00',
        '2026-03-03T10:00:00-05:00',
        '2026-03-04T08:00:00-05:00',
      ],
    ],
    [
      'daily on mon/wed/fri: a disallowed day waits for the next allowed opening (across DST: 09:00 EDT)',
      {
        startAt: '2026-03-02T10:00:00-05:00',
        every: { value: 1, unit: 'days' },
        timeZone: NY,
        window: { start: '09:00', end: '17:00' },
        days: ['mon', 'wed', 'fri'],
      },
      [
        '2026-03-02T10:00:00-05:00',
        '2026-03-04T09:00:00-05:00',
        '2026-03-06T09:00:00-05:00',
        '2026-03-09T09:00:00-04:00',
      ],
    ],
    [
      'a start before the window opens waits for the opening',
      {
        startAt: '2026-03-02T06:30:00-05:00',
        every: { value: 30, unit: 'minutes' },
        timeZone: NY,
        window: { start: '08:00', end: '20:00' },
      },
      ['2026-03-02T08:00:00-05:00', '2026-03-02T08:30:00-05:00', '2026-03-02T09:00:00-05:00'],
    ],
    [
      'a start after the window closes waits for the next day',
      {
        startAt: '2026-03-02T21:00:00-05:00',
        every: { value: 30, unit: 'minutes' },
        timeZone: NY,
        window: { start: '08:00', end: '20:00' },
      },
      ['2026-03-03T08:00:00-05:00', '2026-03-03T08:30:00-05:00'],
    ],
    [
      'a start on a Saturday with weekdays only waits for Monday (after the spring change: EDT)',
      {
        startAt: '2026-03-07T10:00:00-05:00',
        every: { value: 1, unit: 'hours' },
        timeZone: NY,
        window: { start: '08:00', end: '20:00' },
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      },
      ['2026-03-09T08:00:00-04:00', '2026-03-09T09:00:00-04:00'],
    ],
    [
      'end "24:00" is the end of the day: 23:30 goes, 00:30 waits for 22:00',
      {
        startAt: '2026-03-02T22:30:00-05:00',
        every: { value: 1, unit: 'hours' },
        timeZone: NY,
        window: { start: '22:00', end: '24:00' },
      },
      ['2026-03-02T22:30:00-05:00', '2026-03-02T23:30:00-05:00', '2026-03-03T22:00:00-05:00'],
    ],
    [
      'New York spring-forward, days: 09:00 stays 09:00 local',
      { startAt: '2026-03-06T09:00:00-05:00', every: { value: 1, unit: 'days' }, timeZone: NY },
      [
        '2026-03-06T09:00:00-05:00',
        '2026-03-07T09:00:00-05:00',
        '2026-03-08T09:00:00-04:00',
        '2026-03-09T09:00:00-04:00',
      ],
    ],
    [
      'New York spring-forward, hours: elapsed time (01:30 EST + 1 h = 03:30 EDT)',
      { startAt: '2026-03-08T00:30:00-05:00', every: { value: 1, unit: 'hours' }, timeZone: NY },
      [
        '2026-03-08T00:30:00-05:00',
        '2026-03-08T01:30:00-05:00',
        '2026-03-08T03:30:00-04:00',
        '2026-03-08T04:30:00-04:00',
      ],
    ],
    [
      'New York fall-back, days: 09:00 stays 09:00 local',
      { startAt: '2026-10-30T09:00:00-04:00', every: { value: 1, unit: 'days' }, timeZone: NY },
      [
        '2026-10-30T09:00:00-04:00',
        '2026-10-31T09:00:00-04:00',
        '2026-11-01T09:00:00-05:00',
        '2026-11-02T09:00:00-05:00',
      ],
    ],
    [
      'New York fall-back, hours: elapsed time (01:30 twice)',
      { startAt: '2026-11-01T00:30:00-04:00', every: { value: 1, unit: 'hours' }, timeZone: NY },
      [
        '2026-11-01T00:30:00-04:00',
        '2026-11-01T01:30:00-04:00',
        '2026-11-01T01:30:00-05:00',
        '2026-11-01T02:30:00-05:00',
      ],
    ],
    [
      'London spring-forward, days: 09:00 stays 09:00 local',
      { startAt: '2026-03-27T09:00:00+00:00', every: { value: 1, unit: 'days' }, timeZone: LONDON },
      [
        '2026-03-27T09:00:00+00:00',
        '2026-03-28T09:00:00+00:00',
        '2026-03-29T09:00:00+01:00',
        '2026-03-30T09:00:00+01:00',
      ],
    ],
    [
      'London spring-forward, hours: elapsed time (00:30 GMT + 1 h = 02:30 BST)',
      {
        startAt: '2026-03-29T00:30:00+00:00',
        every: { value: 1, unit: 'hours' },
        timeZone: LONDON,
      },
      ['2026-03-29T00:30:00+00:00', '2026-03-29T02:30:00+01:00', '2026-03-29T03:30:00+01:00'],
    ],
    [
      'London fall-back, days: 09:00 stays 09:00 local',
      { startAt: '2026-10-23T09:00:00+01:00', every: { value: 1, unit: 'days' }, timeZone: LONDON },
      [
        '2026-10-23T09:00:00+01:00',
        '2026-10-24T09:00:00+01:00',
        '2026-10-25T09:00:00+00:00',
        '2026-10-26T09:00:00+00:00',
      ],
    ],
    [
      'London fall-back, hours: elapsed time (01:30 twice)',
      {
        startAt: '2026-10-25T00:30:00+01:00',
        every: { value: 1, unit: 'hours' },
        timeZone: LONDON,
      },
      [
        '2026-10-25T00:30:00+01:00',
        '2026-10-25T01:30:00+01:00',
        '2026-10-25T01:30:00+00:00',
        '2026-10-25T02:30:00+00:00',
      ],
    ],
    [
      'New York: a window opening at 02:30, inside the spring-forward gap, opens at 03:00 EDT (end of the gap); daily from there',
      {
        startAt: '2026-03-07T06:00:00-05:00',
        every: { value: 1, unit: 'days' },
        timeZone: NY,
        window: { start: '02:30', end: '05:00' },
      },
      ['2026-03-08T03:00:00-04:00', '2026-03-09T03:00:00-04:00'],
    ],
    [
      'London: a window opening at 01:30, inside the spring-forward gap, opens at 02:00 BST',
      {
        startAt: '2026-03-28T12:00:00+00:00',
        every: { value: 1, unit: 'days' },
        timeZone: LONDON,
        window: { start: '01:30', end: '04:00' },
      },
      ['2026-03-29T02:00:00+01:00', '2026-03-30T02:00:00+01:00'],
    ],
    [
      'New York: a window opening at 01:30 on the fall-back day opens at its first occurrence (EDT)',
      {
        startAt: '2026-10-31T12:00:00-04:00',
        every: { value: 1, unit: 'days' },
        timeZone: NY,
        window: { start: '01:30', end: '03:00' },
      },
      ['2026-11-01T01:30:00-04:00', '2026-11-02T01:30:00-05:00'],
    ],
    [
      'London: a window opening at 01:15 on the fall-back day opens at its first occurrence (BST)',
      {
        startAt: '2026-10-24T12:00:00+01:00',
        every: { value: 1, unit: 'days' },
        timeZone: LONDON,
        window: { start: '01:15', end: '04:00' },
      },
      ['2026-10-25T01:15:00+01:00', '2026-10-26T01:15:00+00:00'],
    ],
    [
      'New York fall-back: the repeated hour puts the wall clock back inside 01:00–01:30, so the window is open again',
      {
        startAt: '2026-11-01T01:00:00-04:00',
        every: { value: 45, unit: 'minutes' },
        timeZone: NY,
        window: { start: '01:00', end: '01:30' },
      },
      ['2026-11-01T01:00:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-02T01:00:00-05:00'],
    ],
    [
      'New York fall-back: 01:15–01:45 opens again at the second 01:15 (EST) after the clock falls back to 01:00',
      {
        startAt: '2026-11-01T01:15:00-04:00',
        every: { value: 35, unit: 'minutes' },
        timeZone: NY,
        window: { start: '01:15', end: '01:45' },
      },
      ['2026-11-01T01:15:00-04:00', '2026-11-01T01:15:00-05:00', '2026-11-02T01:15:00-05:00'],
    ],
    [
      'New York fall-back: in 00:30–01:20, a batch due 01:25 EDT goes when the clock falls back to 01:00 EST',
      {
        startAt: '2026-11-01T00:30:00-04:00',
        every: { value: 55, unit: 'minutes' },
        timeZone: NY,
        window: { start: '00:30', end: '01:20' },
      },
      ['2026-11-01T00:30:00-04:00', '2026-11-01T01:00:00-05:00', '2026-11-02T00:30:00-05:00'],
    ],
    [
      'New York: a window wholly inside the spring-forward gap (02:00–02:45) does not open that day',
      {
        startAt: '2026-03-07T03:00:00-05:00',
        every: { value: 10, unit: 'minutes' },
        timeZone: NY,
        window: { start: '02:00', end: '02:45' },
      },
      ['2026-03-09T02:00:00-04:00', '2026-03-09T02:10:00-04:00'],
    ],
  ])('%s', (_name, given, expected) => {
    expect(timesOf(given, expected.length)).toEqual(expected.map(iso));
  });
});

describe('allowed(t) and next(t)', () => {
  const lateWindow = scheduleOf({
    startAt: '2026-03-02T00:00:00Z',
    every: { value: 1, unit: 'hours' },
    timeZone: NY,
    window: { start: '22:00', end: '24:00' },
    days: ['mon'],
  });

  it.each<[string, string, boolean]>([
    ['22:00 Monday, the start, is allowed', '2026-03-02T22:00:00-05:00', true],
    ['21:59:59 is not', '2026-03-02T21:59:59-05:00', false],
    ['23:59:59 is (end 24:00)', '2026-03-02T23:59:59-05:00', true],
    ['00:00 Tuesday is not', '2026-03-03T00:00:00-05:00', false],
    ['22:30 Tuesday is not (a disallowed day)', '2026-03-03T22:30:00-05:00', false],
    ['22:30 Monday in UTC is 17:30 in New York: not', '2026-03-02T22:30:00Z', false],
  ])('%s', (_name, at, expected) => {
    expect(isDripAllowed(lateWindow, new Date(at))).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['allowed: t itself', '2026-03-02T23:15:00-05:00', '2026-03-02T23:15:00-05:00'],
    ['before the opening: the opening', '2026-03-02T12:00:00-05:00', '2026-03-02T22:00:00-05:00'],
    [
      'after the close: next Monday (EDT by then)',
      '2026-03-03T00:00:00-05:00',
      '2026-03-09T22:00:00-04:00',
    ],
  ])('next: %s', (_name, at, expected) => {
    expect(nextDripOpening(lateWindow, new Date(at)).toISOString()).toBe(iso(expected));
  });
});

describe('batch sizes', () => {
  const every = { value: 1, unit: 'minutes' } as const;
  it.each<[string, number, number, number[]]>([
    ['10 recipients by 3: the last batch smaller', 10, 3, [3, 3, 3, 1]],
    ['6 by 3: two full batches', 6, 3, [3, 3]],
    ['2 by 10,000: one batch of 2', 2, 10_000, [2]],
    ['no recipients: no batches', 0, 5, []],
  ])('%s', (_name, recipients, batchSize, sizes) => {
    const schedule = scheduleOf({
      startAt: '2026-03-02T14:00:00Z',
      every,
      timeZone: 'UTC',
      batchSize,
    });
    const batches = [...dripBatches(schedule, recipients)];
    expect(batches.map((b) => b.size)).toEqual(sizes);
    expect(batches.map((b) => b.index)).toEqual(sizes.map((_, index) => index));
  });
});

describe('dripPreview', () => {
  it('given 100,000 recipients by 1 every minute, when previewed, then 1,000 batches are listed and lastAt is the 100,000th', () => {
    const schedule = scheduleOf({
      startAt: '2026-03-02T00:00:00Z',
      every: { value: 1, unit: 'minutes' },
      timeZone: 'UTC',
    });
    const preview = dripPreview(schedule, 100_000);
    expect(preview.total).toBe(100_000);
    expect(preview.batches).toHaveLength(1_000);
    expect(preview.batches[0]).toEqual({ index: 0, at: new Date('2026-03-02T00:00:00Z'), size: 1 });
    // 999 minutes = 16 h 39 min.
    expect(preview.batches[999]).toEqual({
      index: 999,
      at: new Date('2026-03-02T16:39:00Z'),
      size: 1,
    });
    // 99,999 minutes = 69 days 10 h 39 min; 2026-03-02 + 69 days = 2026-05-10.
    expect(preview.lastAt?.toISOString()).toBe('2026-05-10T10:39:00.000Z');
  });

  it('given a window, when 100,000 batches are previewed, then lastAt follows the window', () => {
    // 08:00–20:00 UTC every day, every hour: 12 batches a day, 100,000 batches = 8,333 days + 4.
    const schedule = scheduleOf({
      startAt: '2026-03-02T08:00:00Z',
      every: { value: 1, unit: 'hours' },
      timeZone: 'UTC',
      window: { start: '08:00', end: '20:00' },
    });
    const preview = dripPreview(schedule, 100_000);
    expect(preview.batches).toHaveLength(1_000);
    // Batch 999 = day 83 (996 = 83 × 12), hour 3: 2026-03-02 + 83 days = 2026-05-24, 11:00.
    expect(preview.batches[999]?.at.toISOString()).toBe('2026-05-24T11:00:00.000Z');
    // Batch 99,999 = day 8,333 (99,996), hour 3. 2026-03-02 + 8,333 days = 2049-03-02 (23 years with
    // 6 leap days, 2028…2048, = 8,401 days) − 68 days = 2048-12-24, 11:00.
    expect(preview.lastAt?.toISOString()).toBe('2048-12-24T11:00:00.000Z');
  });

  it('given fewer than 1,000 batches, when previewed, then all are listed and lastAt is the last', () => {
    const schedule = scheduleOf({
      startAt: '2026-03-02T14:00:00Z',
      every: { value: 10, unit: 'minutes' },
      timeZone: 'UTC',
      batchSize: 4,
    });
    const preview = dripPreview(schedule, 10);
    expect(preview).toEqual({
      batches: [
        { index: 0, at: new Date('2026-03-02T14:00:00Z'), size: 4 },
        { index: 1, at: new Date('2026-03-02T14:10:00Z'), size: 4 },
        { index: 2, at: new Date('2026-03-02T14:20:00Z'), size: 2 },
      ],
      total: 3,
      lastAt: new Date('2026-03-02T14:20:00Z'),
    });
  });

  it('given no recipients, when previewed, then no batches and no lastAt', () => {
    const schedule = scheduleOf({
      startAt: '2026-03-02T14:00:00Z',
      every: { value: 1, unit: 'days' },
      timeZone: NY,
    });
    expect(dripPreview(schedule, 0)).toEqual({ batches: [], total: 0, lastAt: null });
  });
});

describe('nextDripBatchAt: a runner stepping batch by batch agrees with the preview', () => {
  it('given the 09:00–17:00 every-3-hours drip, when stepped from each batch, then the same instants', () => {
    const schedule = scheduleOf({
      startAt: '2026-03-02T09:00:00-05:00',
      every: { value: 3, unit: 'hours' },
      timeZone: NY,
      window: { start: '09:00', end: '17:00' },
    });
    const stepped = [nextDripOpening(schedule, schedule.startAt)];
    for (let index = 1; index < 6; index += 1) {
      stepped.push(nextDripBatchAt(schedule, stepped[index - 1] as Date));
    }
    expect(stepped.map((at) => at.toISOString())).toEqual(
      [...dripBatches(schedule, 6)].map((batch) => batch.at.toISOString()),
    );
    expect(stepped[3]?.toISOString()).toBe(iso('2026-03-03T09:00:00-05:00'));
  });

  it('given a drip resumed at 16:10 after a pause, when the next batch is due, then at 16:10 and 09:00 next day', () => {
    const schedule = scheduleOf({
      startAt: '2026-03-02T09:00:00-05:00',
      every: { value: 3, unit: 'hours' },
      timeZone: NY,
      window: { start: '09:00', end: '17:00' },
    });
    const resumed = nextDripOpening(schedule, new Date('2026-03-02T16:10:00-05:00'));
    expect(resumed.toISOString()).toBe(iso('2026-03-02T16:10:00-05:00'));
    expect(nextDripBatchAt(schedule, resumed).toISOString()).toBe(iso('2026-03-03T09:00:00-05:00'));
  });
});
