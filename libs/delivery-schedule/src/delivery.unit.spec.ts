import { describe, expect, it } from 'vitest';
import { parseDelivery } from './delivery.js';

const now = new Date('2026-03-02T12:00:00Z');
const context = { now, tenantTimeZone: 'America/Chicago' };
const parse = (input: unknown) => parseDelivery(input, context);

const drip = (overrides: Record<string, unknown> = {}) => ({
  mode: 'drip',
  startAt: '2026-03-03T09:00:00-05:00',
  batchSize: 100,
  every: { value: 5, unit: 'minutes' },
  ...overrides,
});

describe('parseDelivery: accepted', () => {
  it('given {mode: now}, then now', () => {
    expect(parse({ mode: 'now' })).toEqual({ ok: true, delivery: { mode: 'now' } });
  });

  it.each<[string, string, string]>([
    ['an instant with an offset', '2026-12-24T10:00:00+01:00', '2026-12-24T09:00:00.000Z'],
    ['60 s in the past (clock skew)', '2026-03-02T11:59:00Z', '2026-03-02T11:59:00.000Z'],
    ['400 days ahead exactly', '2027-04-06T12:00:00Z', '2027-04-06T12:00:00.000Z'],
  ])('given schedule at %s, then that instant', (_name, at, expected) => {
    expect(parse({ mode: 'schedule', at })).toEqual({
      ok: true,
      delivery: { mode: 'schedule', at: new Date(expected) },
    });
  });

  it.each<[string, unknown, string, string]>([
    ['recipient, no seconds', 'recipient', '2026-12-24T10:00', '2026-12-24T10:00:00'],
    ['tenant, with seconds', 'tenant', '2026-12-24T10:00:30', '2026-12-24T10:00:30'],
    [
      'an IANA name, canonical spelling',
      'america/new_york',
      '2026-12-24T10:00',
      '2026-12-24T10:00:00',
    ],
  ])(
    'given schedule localTime with %s, then the local time and zone',
    (_name, timeZone, localTime, expected) => {
      const result = parse({ mode: 'schedule', localTime, timeZone });
      expect(result).toEqual({
        ok: true,
        delivery: {
          mode: 'schedule',
          localTime: expected,
          timeZone: timeZone === 'america/new_york' ? 'America/New_York' : timeZone,
        },
      });
    },
  );

  it('given a drip with only the required fields, then every day, the whole day, the tenant zone', () => {
    expect(parse(drip())).toEqual({
      ok: true,
      delivery: {
        mode: 'drip',
        startAt: new Date('2026-03-03T14:00:00Z'),
        batchSize: 100,
        every: { value: 5, unit: 'minutes' },
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        window: { start: '00:00', end: '24:00' },
        timeZone: 'America/Chicago',
      },
    });
  });

  it.each<[number, string]>([
    [400, 'days'],
    [9_600, 'hours'],
    [34_560_000, 'seconds'],
  ])('given every %i %s (400 days), then accepted', (value, unit) => {
    const result = parse(drip({ every: { value, unit } }));
    expect(
      result.ok && result.delivery.mode === 'drip' ? result.delivery.every : undefined,
    ).toEqual({ value, unit });
  });

  it('given a full drip, then it as given (limits 1 and 10,000 inclusive)', () => {
    for (const batchSize of [1, 10_000]) {
      const result = parse(
        drip({
          batchSize,
          every: { value: 1, unit: 'days' },
          days: ['fri', 'mon'],
          window: { start: '09:00', end: '24:00' },
          timeZone: 'Europe/London',
        }),
      );
      expect(result).toEqual({
        ok: true,
        delivery: {
          mode: 'drip',
          startAt: new Date('2026-03-03T14:00:00Z'),
          batchSize,
          every: { value: 1, unit: 'days' },
          days: ['fri', 'mon'],
          window: { start: '09:00', end: '24:00' },
          timeZone: 'Europe/London',
        },
      });
    }
  });
});

describe('parseDelivery: refused, naming the field (issue 11 §3)', () => {
  it.each<[string, unknown, string]>([
    ['batchSize 0', drip({ batchSize: 0 }), 'delivery.batchSize'],
    ['batchSize 10,001', drip({ batchSize: 10_001 }), 'delivery.batchSize'],
    ['batchSize 1.5', drip({ batchSize: 1.5 }), 'delivery.batchSize'],
    ['batchSize missing', drip({ batchSize: undefined }), 'delivery.batchSize'],
    ['every.value 0', drip({ every: { value: 0, unit: 'minutes' } }), 'delivery.every.value'],
    ['every.value 2.5', drip({ every: { value: 2.5, unit: 'minutes' } }), 'delivery.every.value'],
    ['every 401 days', drip({ every: { value: 401, unit: 'days' } }), 'delivery.every.value'],
    [
      'every 34,560,001 seconds (400 days + 1 s)',
      drip({ every: { value: 34_560_001, unit: 'seconds' } }),
      'delivery.every.value',
    ],
    ['an unknown unit', drip({ every: { value: 1, unit: 'weeks' } }), 'delivery.every.unit'],
    ['every missing', drip({ every: undefined }), 'delivery.every'],
    ['an unknown weekday', drip({ days: ['mon', 'tue', 'funday'] }), 'delivery.days.2'],
    ['a repeated weekday', drip({ days: ['mon', 'tue', 'mon'] }), 'delivery.days.2'],
    ['no days at all', drip({ days: [] }), 'delivery.days'],
    [
      'window.start = window.end',
      drip({ window: { start: '09:00', end: '09:00' } }),
      'delivery.window',
    ],
    [
      'window.start > window.end',
      drip({ window: { start: '18:00', end: '09:00' } }),
      'delivery.window',
    ],
    [
      'window.start 24:00',
      drip({ window: { start: '24:00', end: '24:00' } }),
      'delivery.window.start',
    ],
    ['window.end 25:00', drip({ window: { start: '09:00', end: '25:00' } }), 'delivery.window.end'],
    [
      'window.start 9:00 (not HH:MM)',
      drip({ window: { start: '9:00', end: '17:00' } }),
      'delivery.window.start',
    ],
    ['an unknown drip time zone', drip({ timeZone: 'Mars/Olympus' }), 'delivery.timeZone'],
    ['an offset as drip time zone', drip({ timeZone: '+05:00' }), 'delivery.timeZone'],
    ['"recipient" as drip time zone', drip({ timeZone: 'recipient' }), 'delivery.timeZone'],
    ['startAt without offset', drip({ startAt: '2026-03-03T09:00:00' }), 'delivery.startAt'],
    ['startAt in the past', drip({ startAt: '2026-03-02T11:58:59Z' }), 'delivery.startAt'],
    ['at in the past beyond 60 s', { mode: 'schedule', at: '2026-03-02T11:58:59Z' }, 'delivery.at'],
    [
      'at more than 400 days ahead',
      { mode: 'schedule', at: '2027-04-06T12:00:01Z' },
      'delivery.at',
    ],
    ['at without offset', { mode: 'schedule', at: '2026-12-24T10:00' }, 'delivery.at'],
    ['at on 30 February', { mode: 'schedule', at: '2027-02-30T10:00:00Z' }, 'delivery.at'],
    ['at not a string', { mode: 'schedule', at: 1_700_000_000 }, 'delivery.at'],
    [
      'both at and localTime',
      { mode: 'schedule', at: '2026-12-24T10:00:00Z', localTime: '2026-12-24T10:00' },
      'delivery.localTime',
    ],
    ['schedule with neither at nor localTime', { mode: 'schedule' }, 'delivery.at'],
    [
      'localTime with an offset',
      { mode: 'schedule', localTime: '2026-12-24T10:00+01:00', timeZone: 'tenant' },
      'delivery.localTime',
    ],
    [
      'localTime a date only',
      { mode: 'schedule', localTime: '2026-12-24', timeZone: 'tenant' },
      'delivery.localTime',
    ],
    [
      'localTime 25:00',
      { mode: 'schedule', localTime: '2026-12-24T25:00', timeZone: 'tenant' },
      'delivery.localTime',
    ],
    [
      'localTime on 31 April',
      { mode: 'schedule', localTime: '2026-04-31T10:00', timeZone: 'tenant' },
      'delivery.localTime',
    ],
    [
      'localTime with a fraction',
      { mode: 'schedule', localTime: '2026-12-24T10:00:00.5', timeZone: 'tenant' },
      'delivery.localTime',
    ],
    [
      'localTime with an unknown zone',
      { mode: 'schedule', localTime: '2026-12-24T10:00', timeZone: 'Nowhere/City' },
      'delivery.timeZone',
    ],
    [
      'localTime without a zone',
      { mode: 'schedule', localTime: '2026-12-24T10:00' },
      'delivery.timeZone',
    ],
    ['an unknown mode', { mode: 'later' }, 'delivery.mode'],
    ['no mode', {}, 'delivery.mode'],
    ['not an object', 'now', 'delivery'],
    ['a member of another mode', { mode: 'now', batchSize: 5 }, 'delivery.batchSize'],
    ['a misspelled drip member', drip({ batchsize: 5 }), 'delivery.batchsize'],
  ])('given %s, then one error naming %s', (_name, input, field) => {
    const result = parse(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.field)).toEqual([field]);
    expect(result.errors[0]?.message).toMatch(/\S/u);
  });

  it('given several problems, then every one is reported', () => {
    const result = parse(
      drip({
        batchSize: 0,
        every: { value: 0, unit: 'fortnights' },
        days: ['mon', 'xyz'],
        window: { start: '17:00', end: '09:00' },
        timeZone: 'Bad/Zone',
      }),
    );
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual([
      'delivery.batchSize',
      'delivery.every.value',
      'delivery.every.unit',
      'delivery.days.1',
      'delivery.window',
      'delivery.timeZone',
    ]);
  });

  it('given another root field name, then errors use it', () => {
    const result = parseDelivery({ mode: 'drip' }, { ...context, field: 'body.delivery' });
    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual([
      'body.delivery.startAt',
      'body.delivery.batchSize',
      'body.delivery.every',
    ]);
  });
});
