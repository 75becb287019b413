import { describe, expect, it } from 'vitest';
import { localTimeInstant, resolveZone, type ZoneSources } from './recipient-schedule.js';

const NY = 'America/New_York';
const LONDON = 'Europe/London';

describe('localTimeInstant: each recipient at the wall-clock time in their own zone', () => {
  it.each<[string, string, string, string]>([
    ['New York, Christmas Eve 10:00 EST', '2026-12-24T10:00', NY, '2026-12-24T10:00:00-05:00'],
    ['London, Christmas Eve 10:00 GMT', '2026-12-24T10:00', LONDON, '2026-12-24T10:00:00+00:00'],
    [
      'Tokyo, Christmas Eve 10:00 JST',
      '2026-12-24T10:00',
      'Asia/Tokyo',
      '2026-12-24T10:00:00+09:00',
    ],
    ['New York, summer, with seconds', '2026-07-04T09:00:30', NY, '2026-07-04T09:00:30-04:00'],
    [
      'New York, 02:30 in the spring-forward gap → 03:00 EDT',
      '2026-03-08T02:30',
      NY,
      '2026-03-08T03:00:00-04:00',
    ],
    [
      'London, the same 02:30 exists (GMT, the change is 3 weeks later)',
      '2026-03-08T02:30',
      LONDON,
      '2026-03-08T02:30:00+00:00',
    ],
    [
      'London, 01:30 in its gap → 02:00 BST',
      '2026-03-29T01:30',
      LONDON,
      '2026-03-29T02:00:00+01:00',
    ],
    [
      'New York, 01:30 twice on fall-back → the first (EDT)',
      '2026-11-01T01:30',
      NY,
      '2026-11-01T01:30:00-04:00',
    ],
    [
      'London, 01:30 twice on fall-back → the first (BST)',
      '2026-10-25T01:30',
      LONDON,
      '2026-10-25T01:30:00+01:00',
    ],
  ])('%s', (_name, localTime, zone, expected) => {
    expect(localTimeInstant(localTime, zone).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('given two recipients in two zones, when scheduled at the same local time, then each at their own instant', () => {
    const tenantZone = 'America/Chicago';
    const recipients: ZoneSources[] = [
      { keyword: 'recipient', contactZone: NY, tenantZone },
      { keyword: 'recipient', contactZone: null, areaCodeZone: 'America/Los_Angeles', tenantZone },
      { keyword: 'recipient', tenantZone },
    ];
    expect(
      recipients.map((sources) =>
        localTimeInstant('2026-12-24T10:00', resolveZone(sources)).toISOString(),
      ),
    ).toEqual(
      ['2026-12-24T10:00:00-05:00', '2026-12-24T10:00:00-08:00', '2026-12-24T10:00:00-06:00'].map(
        (text) => new Date(text).toISOString(),
      ),
    );
  });

  it('given a bad local time or zone, then it throws (parseDelivery refuses them first)', () => {
    expect(() => localTimeInstant('2026-12-24T10:00Z', NY)).toThrow(RangeError);
    expect(() => localTimeInstant('2026-12-24T10:00', 'Nowhere/City')).toThrow(RangeError);
  });
});

describe('resolveZone', () => {
  it.each<[string, ZoneSources, string]>([
    [
      'recipient: the contact zone first',
      { keyword: 'recipient', contactZone: NY, areaCodeZone: 'America/Denver', tenantZone: LONDON },
      NY,
    ],
    [
      'recipient: else the area code zone',
      { keyword: 'recipient', areaCodeZone: 'America/Denver', tenantZone: LONDON },
      'America/Denver',
    ],
    [
      'recipient: else the tenant zone',
      { keyword: 'recipient', contactZone: null, areaCodeZone: null, tenantZone: LONDON },
      LONDON,
    ],
    [
      'tenant: the tenant zone, whatever the contact has',
      { keyword: 'tenant', contactZone: NY, tenantZone: LONDON },
      LONDON,
    ],
    [
      'an IANA name: itself',
      { keyword: 'Asia/Tokyo', contactZone: NY, tenantZone: LONDON },
      'Asia/Tokyo',
    ],
  ])('%s', (_name, sources, expected) => {
    expect(resolveZone(sources)).toBe(expected);
  });
});
