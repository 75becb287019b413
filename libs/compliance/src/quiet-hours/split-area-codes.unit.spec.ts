import { describe, expect, it } from 'vitest';
import { AREA_CODES, areaCodeLocation } from './area-codes.js';
import { isWithinSendWindow, nextAllowedSendTime } from './quiet-hours-policy.js';
import { isValidTimeZone, recipientLocale, type RecipientLocale } from './recipient-locale.js';

const localeOf = (code: string, contactTimeZone?: string): RecipientLocale =>
  recipientLocale({ phone: `+1${code}5550123`, contactTimeZone, tenantTimeZone: 'America/Denver' });

const at = (iso: string): Date => new Date(iso);

/** Dates: 2026-06-10 is a Wednesday; 2026-03-08 and 2026-11-01 are US DST days. */
describe('area codes that span time zones', () => {
  it.each([
    ['850', 'FL', ['America/Chicago', 'America/New_York']],
    ['448', 'FL', ['America/Chicago', 'America/New_York']],
    ['812', 'IN', ['America/Indiana/Indianapolis', 'America/Chicago']],
    ['930', 'IN', ['America/Indiana/Indianapolis', 'America/Chicago']],
    ['219', 'IN', ['America/Chicago', 'America/New_York']],
    ['574', 'IN', ['America/Indiana/Indianapolis', 'America/Chicago']],
    ['270', 'KY', ['America/Chicago', 'America/New_York']],
    ['364', 'KY', ['America/Chicago', 'America/New_York']],
    ['606', 'KY', ['America/New_York', 'America/Chicago']],
    ['423', 'TN', ['America/New_York', 'America/Chicago']],
    ['906', 'MI', ['America/Detroit', 'America/Chicago']],
    ['308', 'NE', ['America/Chicago', 'America/Denver']],
    ['620', 'KS', ['America/Chicago', 'America/Denver']],
    ['785', 'KS', ['America/Chicago', 'America/Denver']],
    ['605', 'SD', ['America/Chicago', 'America/Denver']],
    ['701', 'ND', ['America/Chicago', 'America/Denver']],
    ['208', 'ID', ['America/Boise', 'America/Los_Angeles']],
    ['986', 'ID', ['America/Boise', 'America/Los_Angeles']],
    ['541', 'OR', ['America/Los_Angeles', 'America/Boise']],
    ['458', 'OR', ['America/Los_Angeles', 'America/Boise']],
    ['775', 'NV', ['America/Los_Angeles', 'America/Denver']],
    ['928', 'AZ', ['America/Phoenix', 'America/Denver']],
    ['907', 'AK', ['America/Anchorage', 'America/Adak']],
  ])('%s (%s) keeps every zone, the primary first', (code, state, timeZones) => {
    expect(areaCodeLocation(`+1${code}5550123`)).toEqual({
      state,
      timeZone: timeZones[0],
      timeZones,
    });
    expect(localeOf(code)).toEqual({
      timeZone: timeZones[0],
      timeZones,
      state,
      source: 'area_code',
    });
  });

  it.each(['305', '512', '915', '432', '931', '260', '402', '520', '602', '212'])(
    '%s spans one zone',
    (code) => {
      const location = areaCodeLocation(`+1${code}5550123`);
      expect(location?.timeZones).toEqual([location?.timeZone]);
    },
  );

  it('lists only zones the runtime knows, without repeats, the primary first', () => {
    for (const [code, location] of AREA_CODES) {
      expect(location.timeZones[0], code).toBe(location.timeZone);
      expect(new Set(location.timeZones).size, code).toBe(location.timeZones.length);
      for (const zone of location.timeZones) expect(isValidTimeZone(zone), zone).toBe(true);
    }
  });

  it("uses the contact's single zone, not the area code's zones", () => {
    expect(localeOf('812', 'America/Chicago')).toEqual({
      timeZone: 'America/Chicago',
      timeZones: ['America/Chicago'],
      state: 'IN',
      source: 'contact',
    });
    expect(
      isWithinSendWindow(at('2026-06-10T08:30:00-04:00'), localeOf('812', 'America/New_York')),
    ).toBe(true);
  });

  it('gives the tenant zone alone for an unknown number', () => {
    expect(recipientLocale({ phone: '+18005550123', tenantTimeZone: 'America/Chicago' })).toEqual({
      timeZone: 'America/Chicago',
      timeZones: ['America/Chicago'],
      state: null,
      source: 'tenant',
    });
  });
});

describe('quiet hours for a split area code: allowed only when allowed in every zone', () => {
  it.each([
    // Evansville (Central) is at 07:30 when Indianapolis is at 08:30.
    [
      'IN 812 08:30 EDT (07:30 CDT) → 09:00 EDT',
      '812',
      '2026-06-10T08:30:00-04:00',
      '2026-06-10T09:00:00-04:00',
    ],
    // Tallahassee (Eastern) is at 20:30, past Florida's 20:00 end, when Pensacola is at 19:30.
    [
      'FL 850 19:30 CDT (20:30 EDT) → 08:00 CDT next day',
      '850',
      '2026-06-10T19:30:00-05:00',
      '2026-06-11T08:00:00-05:00',
    ],
    [
      'FL 850 07:30 CDT (08:30 EDT) → 08:00 CDT',
      '850',
      '2026-06-10T07:30:00-05:00',
      '2026-06-10T08:00:00-05:00',
    ],
    // Rapid City (Mountain) is at 07:30 when Sioux Falls is at 08:30.
    [
      'SD 605 08:30 CDT (07:30 MDT) → 09:00 CDT',
      '605',
      '2026-06-10T08:30:00-05:00',
      '2026-06-10T09:00:00-05:00',
    ],
    [
      'ND 701 08:30 CDT → 09:00 CDT',
      '701',
      '2026-06-10T08:30:00-05:00',
      '2026-06-10T09:00:00-05:00',
    ],
    [
      'NE 308 08:30 CDT → 09:00 CDT',
      '308',
      '2026-06-10T08:30:00-05:00',
      '2026-06-10T09:00:00-05:00',
    ],
    [
      // Goodland (Mountain) opens at 08:00 MDT, an hour after Topeka (Central).
      'KS 785 20:30 MDT (21:30 CDT) → 08:00 MDT next day',
      '785',
      '2026-06-10T20:30:00-06:00',
      '2026-06-11T08:00:00-06:00',
    ],
    // The Idaho panhandle (Pacific) is at 07:30 when Boise is at 08:30.
    [
      'ID 208 08:30 MDT (07:30 PDT) → 09:00 MDT',
      '208',
      '2026-06-10T08:30:00-06:00',
      '2026-06-10T09:00:00-06:00',
    ],
    // Ontario, Oregon (Mountain) is at 21:30 when Portland is at 20:30.
    [
      'OR 541 20:30 PDT (21:30 MDT) → 08:00 PDT next day',
      '541',
      '2026-06-10T20:30:00-07:00',
      '2026-06-11T08:00:00-07:00',
    ],
    [
      'NV 775 20:30 PDT (21:30 MDT) → 08:00 PDT next day',
      '775',
      '2026-06-10T20:30:00-07:00',
      '2026-06-11T08:00:00-07:00',
    ],
    [
      'MI 906 08:30 EDT (07:30 CDT) → 09:00 EDT',
      '906',
      '2026-06-10T08:30:00-04:00',
      '2026-06-10T09:00:00-04:00',
    ],
    [
      'KY 270 20:30 CDT (21:30 EDT) → 08:00 CDT next day',
      '270',
      '2026-06-10T20:30:00-05:00',
      '2026-06-11T08:00:00-05:00',
    ],
    [
      'TN 423 08:30 EDT (07:30 CDT) → 09:00 EDT',
      '423',
      '2026-06-10T08:30:00-04:00',
      '2026-06-10T09:00:00-04:00',
    ],
    // Summer: the Navajo Nation (MDT) is an hour ahead of the rest of Arizona (MST).
    [
      'AZ 928 20:30 MST in June (21:30 MDT) → 08:00 MST next day',
      '928',
      '2026-06-10T20:30:00-07:00',
      '2026-06-11T08:00:00-07:00',
    ],
    [
      'AK 907 08:30 AKDT (07:30 HDT on Adak) → 09:00 AKDT',
      '907',
      '2026-06-10T08:30:00-08:00',
      '2026-06-10T09:00:00-08:00',
    ],
    // DST: on the fall-back day Evansville is at 06:30 CST when Indianapolis is at 07:30 EST.
    [
      'IN 812 fall back: 07:30 EST Nov 1 → 08:00 CST (09:00 EST)',
      '812',
      '2026-11-01T07:30:00-05:00',
      '2026-11-01T14:00:00Z',
    ],
    [
      'SD 605 spring forward: 07:30 CDT Mar 8 (06:30 MDT) → 08:00 MDT',
      '605',
      '2026-03-08T07:30:00-05:00',
      '2026-03-08T14:00:00Z',
    ],
    // Winter: Arizona and the Navajo Nation agree, so 20:30 MST is allowed in both...
    [
      'AZ 928 20:30 MST Mar 7 (no DST anywhere yet) is allowed',
      '928',
      '2026-03-07T20:30:00-07:00',
      '2026-03-07T20:30:00-07:00',
    ],
    // ...but from the spring-forward day the Navajo Nation is an hour ahead.
    [
      'AZ 928 20:30 MST Mar 9 (21:30 MDT) → 08:00 MST',
      '928',
      '2026-03-09T20:30:00-07:00',
      '2026-03-10T08:00:00-07:00',
    ],
  ])('%s', (_case, code, atIso, expectedIso) => {
    const locale = localeOf(code);
    expect(nextAllowedSendTime(at(atIso), locale).toISOString()).toBe(
      at(expectedIso).toISOString(),
    );
    expect(isWithinSendWindow(at(atIso), locale)).toBe(atIso === expectedIso);
  });

  it('holds each repro until the last zone opens, never one minute earlier', () => {
    for (const [code, atIso] of [
      ['812', '2026-06-10T08:30:00-04:00'],
      ['850', '2026-06-10T19:30:00-05:00'],
      ['605', '2026-06-10T08:30:00-05:00'],
    ] as const) {
      const locale = localeOf(code);
      const next = nextAllowedSendTime(at(atIso), locale);
      expect(isWithinSendWindow(next, locale)).toBe(true);
      expect(isWithinSendWindow(new Date(next.getTime() - 60_000), locale)).toBe(false);
    }
  });

  it('returns the very instant when every zone allows it', () => {
    const now = at('2026-06-10T12:34:56.789-04:00');
    expect(nextAllowedSendTime(now, localeOf('812'))).toBe(now);
  });

  it('leaves a single-zone state rule alone (TX 512 Sunday 10:00 CDT → 12:00)', () => {
    expect(localeOf('512').timeZones).toEqual(['America/Chicago']);
    expect(nextAllowedSendTime(at('2026-06-14T10:00:00-05:00'), localeOf('512'))).toEqual(
      at('2026-06-14T12:00:00-05:00'),
    );
  });

  it('accepts a locale built without `timeZones` (the primary zone alone)', () => {
    const legacy = { timeZone: 'America/Chicago', state: 'FL', source: 'area_code' } as const;
    expect(isWithinSendWindow(at('2026-06-10T19:30:00-05:00'), legacy)).toBe(true);
  });

  it('always lands inside the window of every zone, for every hour of a week', () => {
    for (const code of ['850', '812', '605', '208', '541', '906', '928', '907', '423']) {
      const locale = localeOf(code);
      for (let hour = 0; hour < 24 * 7; hour += 1) {
        const start = at('2026-10-28T00:17:00Z').getTime() + hour * 3_600_000;
        const next = nextAllowedSendTime(new Date(start), locale);
        expect(next.getTime()).toBeGreaterThanOrEqual(start);
        expect(isWithinSendWindow(next, locale), `${code} ${next.toISOString()}`).toBe(true);
        if (next.getTime() !== start) {
          expect(next.getUTCSeconds()).toBe(0);
          expect(isWithinSendWindow(new Date(next.getTime() - 60_000), locale)).toBe(false);
        }
      }
    }
  });
});
