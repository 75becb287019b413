import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  instantsOfLocal,
  localDateTimeAt,
  offsetAt,
  type LocalDateTime,
} from './local-time.js';

const NY = 'America/New_York';
const local = (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second = 0,
): LocalDateTime => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
  millisecond: 0,
});

describe('localDateTimeAt', () => {
  it.each<[string, number, string, LocalDateTime & { millisecond: number }]>([
    [
      'New York, just before the spring jump',
      Date.parse('2026-03-08T06:59:59.999Z'),
      NY,
      { ...local(2026, 3, 8, 1, 59, 59), millisecond: 999 },
    ],
    ['New York, at the jump', Date.parse('2026-03-08T07:00:00Z'), NY, local(2026, 3, 8, 3, 0)],
    [
      'New York, midnight reads 00, not 24',
      Date.parse('2026-03-03T05:00:00Z'),
      NY,
      local(2026, 3, 3, 0, 0),
    ],
    [
      'Tokyo, the next local day',
      Date.parse('2026-12-31T15:30:00Z'),
      'Asia/Tokyo',
      local(2027, 1, 1, 0, 30),
    ],
    // Before year 1000 the slower formatToParts path answers.
    ['UTC, year 999', Date.UTC(999, 5, 1, 12, 0), 'UTC', local(999, 6, 1, 12, 0)],
  ])('%s', (_name, ms, zone, expected) => {
    expect(localDateTimeAt(ms, zone)).toEqual(expected);
  });

  it('a year before 1 AD is read with its era (astronomical numbering: 1 BC = year 0)', () => {
    const date = new Date(0);
    date.setUTCFullYear(0, 6, 1);
    date.setUTCHours(12, 0, 0, 0);
    expect(localDateTimeAt(date.getTime(), 'UTC')).toEqual(local(0, 7, 1, 12, 0));
  });
});

describe('offsetAt and instantsOfLocal', () => {
  it('New York is −5 h in winter and −4 h in summer', () => {
    expect(offsetAt(Date.parse('2026-01-15T12:00:00Z'), NY)).toBe(-5 * 3_600_000);
    expect(offsetAt(Date.parse('2026-07-15T12:00:00Z'), NY)).toBe(-4 * 3_600_000);
  });

  it.each<[string, LocalDateTime, string, { kind: string; first: string; last: string }]>([
    [
      'an ordinary time',
      local(2026, 3, 2, 9, 0),
      NY,
      { kind: 'unique', first: '2026-03-02T09:00:00-05:00', last: '2026-03-02T09:00:00-05:00' },
    ],
    [
      'a time in the gap',
      local(2026, 3, 8, 2, 15),
      NY,
      { kind: 'gap', first: '2026-03-08T03:00:00-04:00', last: '2026-03-08T03:00:00-04:00' },
    ],
    [
      'a time that occurs twice',
      local(2026, 11, 1, 1, 15),
      NY,
      { kind: 'ambiguous', first: '2026-11-01T01:15:00-04:00', last: '2026-11-01T01:15:00-05:00' },
    ],
    [
      'London, a time in the gap',
      local(2026, 3, 29, 1, 0),
      'Europe/London',
      { kind: 'gap', first: '2026-03-29T02:00:00+01:00', last: '2026-03-29T02:00:00+01:00' },
    ],
  ])('%s', (_name, wall, zone, expected) => {
    const found = instantsOfLocal(wall, zone);
    expect({
      kind: found.kind,
      first: new Date(found.first).toISOString(),
      last: new Date(found.last).toISOString(),
    }).toEqual({
      kind: expected.kind,
      first: new Date(expected.first).toISOString(),
      last: new Date(expected.last).toISOString(),
    });
  });
});

describe('canonicalTimeZone', () => {
  it.each<[string, string | undefined]>([
    ['america/new_york', 'America/New_York'],
    ['UTC', 'UTC'],
    ['+05:00', undefined],
    ['Mars/Olympus', undefined],
    ['', undefined],
  ])('%s → %s', (zone, expected) => {
    expect(canonicalTimeZone(zone)).toBe(expected);
  });
});
