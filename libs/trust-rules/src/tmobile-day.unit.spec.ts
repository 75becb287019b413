import { describe, expect, it } from 'vitest';
import { nextTMobileReset, tMobileDayOf } from './tmobile-day.js';

const at = (iso: string): Date => new Date(iso);
const HOUR_MS = 3_600_000;

describe('tMobileDayOf: the Pacific calendar day the T-Mobile cap counts in', () => {
  it.each([
    // [now, date, start, end, hours]
    [
      '2026-01-15T20:00:00.000Z',
      '2026-01-15',
      '2026-01-15T08:00:00.000Z',
      '2026-01-16T08:00:00.000Z',
      24,
    ],
    [
      '2026-07-04T06:59:59.999Z',
      '2026-07-03',
      '2026-07-03T07:00:00.000Z',
      '2026-07-04T07:00:00.000Z',
      24,
    ],
    [
      '2026-07-04T07:00:00.000Z',
      '2026-07-04',
      '2026-07-04T07:00:00.000Z',
      '2026-07-05T07:00:00.000Z',
      24,
    ],
    // Spring forward, Sunday 8 March 2026: 02:00 PST becomes 03:00 PDT, a 23-hour day.
    [
      '2026-03-08T09:59:59.000Z',
      '2026-03-08',
      '2026-03-08T08:00:00.000Z',
      '2026-03-09T07:00:00.000Z',
      23,
    ],
    [
      '2026-03-08T10:00:00.000Z',
      '2026-03-08',
      '2026-03-08T08:00:00.000Z',
      '2026-03-09T07:00:00.000Z',
      23,
    ],
    [
      '2026-03-09T06:59:59.999Z',
      '2026-03-08',
      '2026-03-08T08:00:00.000Z',
      '2026-03-09T07:00:00.000Z',
      23,
    ],
    [
      '2026-03-09T07:00:00.000Z',
      '2026-03-09',
      '2026-03-09T07:00:00.000Z',
      '2026-03-10T07:00:00.000Z',
      24,
    ],
    // The day before spring forward starts in PST and ends at a PST midnight.
    [
      '2026-03-07T12:00:00.000Z',
      '2026-03-07',
      '2026-03-07T08:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
      24,
    ],
    // Fall back, Sunday 1 November 2026: 02:00 PDT becomes 01:00 PST, a 25-hour day.
    [
      '2026-11-01T08:30:00.000Z',
      '2026-11-01',
      '2026-11-01T07:00:00.000Z',
      '2026-11-02T08:00:00.000Z',
      25,
    ],
    [
      '2026-11-01T09:30:00.000Z',
      '2026-11-01',
      '2026-11-01T07:00:00.000Z',
      '2026-11-02T08:00:00.000Z',
      25,
    ],
    [
      '2026-11-02T07:59:59.999Z',
      '2026-11-01',
      '2026-11-01T07:00:00.000Z',
      '2026-11-02T08:00:00.000Z',
      25,
    ],
    [
      '2026-11-02T08:00:00.000Z',
      '2026-11-02',
      '2026-11-02T08:00:00.000Z',
      '2026-11-03T08:00:00.000Z',
      24,
    ],
    // The day before fall back is a PDT day.
    [
      '2026-10-31T19:00:00.000Z',
      '2026-10-31',
      '2026-10-31T07:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
      24,
    ],
    // Across the year end, and a leap day.
    [
      '2027-01-01T07:59:59.000Z',
      '2026-12-31',
      '2026-12-31T08:00:00.000Z',
      '2027-01-01T08:00:00.000Z',
      24,
    ],
    [
      '2028-02-29T12:00:00.000Z',
      '2028-02-29',
      '2028-02-29T08:00:00.000Z',
      '2028-03-01T08:00:00.000Z',
      24,
    ],
  ])('%s is in %s [%s, %s), %i hours', (now, date, start, end, hours) => {
    const day = tMobileDayOf(at(now));
    expect(day).toEqual({ date, start: at(start), end: at(end) });
    expect((day.end.getTime() - day.start.getTime()) / HOUR_MS).toBe(hours);
  });

  it('refuses an invalid Date', () => {
    expect(() => tMobileDayOf(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('nextTMobileReset: the next midnight America/Los_Angeles', () => {
  it.each([
    ['2026-01-15T20:00:00.000Z', '2026-01-16T08:00:00.000Z'],
    ['2026-03-08T12:00:00.000Z', '2026-03-09T07:00:00.000Z'],
    ['2026-11-01T08:30:00.000Z', '2026-11-02T08:00:00.000Z'],
    ['2026-11-01T09:30:00.000Z', '2026-11-02T08:00:00.000Z'],
    // Exactly at a reset, the next one is a day later.
    ['2026-11-02T08:00:00.000Z', '2026-11-03T08:00:00.000Z'],
    ['2026-03-09T07:00:00.000Z', '2026-03-10T07:00:00.000Z'],
  ])('after %s: %s', (now, reset) => {
    expect(nextTMobileReset(at(now))).toEqual(at(reset));
  });
});
