import { describe, expect, it } from 'vitest';
import { isWithinSendWindow, nextAllowedSendTime } from './quiet-hours-policy.js';
import { recipientLocale, type RecipientLocale } from './recipient-locale.js';
import { sendWindowFor } from './send-window.js';

const localeOf = (phone: string, contactTimeZone?: string): RecipientLocale =>
  recipientLocale({ phone, contactTimeZone, tenantTimeZone: 'America/Denver' });

const FLORIDA = localeOf('+13055550123');
const TEXAS = localeOf('+15125550123');
const RHODE_ISLAND = localeOf('+14015550123');
const CONNECTICUT = localeOf('+12035550123');
const NEW_YORK = localeOf('+12125550123');
const ARIZONA = localeOf('+16025550123');
const HAWAII = localeOf('+18085550123');

const at = (iso: string): Date => new Date(iso);

/** Dates: 2026-06-10 Wed, 06-13 Sat, 06-14 Sun, 06-15 Mon; 2026-03-08 and 11-01 are DST days. */
describe('nextAllowedSendTime', () => {
  it.each([
    [
      'FL 20:30 EDT → 08:00 next day',
      FLORIDA,
      '2026-06-10T20:30:00-04:00',
      '2026-06-11T08:00:00-04:00',
    ],
    ['FL 19:59 EDT is allowed', FLORIDA, '2026-06-10T19:59:00-04:00', '2026-06-10T19:59:00-04:00'],
    [
      'FL 20:00 EDT exactly is outside',
      FLORIDA,
      '2026-06-10T20:00:00-04:00',
      '2026-06-11T08:00:00-04:00',
    ],
    [
      'TX Sunday 10:00 CDT → 12:00 same day',
      TEXAS,
      '2026-06-14T10:00:00-05:00',
      '2026-06-14T12:00:00-05:00',
    ],
    [
      'TX Sunday 12:00 CDT is allowed',
      TEXAS,
      '2026-06-14T12:00:00-05:00',
      '2026-06-14T12:00:00-05:00',
    ],
    [
      'TX Saturday 08:30 CDT → 09:00',
      TEXAS,
      '2026-06-13T08:30:00-05:00',
      '2026-06-13T09:00:00-05:00',
    ],
    [
      'TX Saturday 21:00 → Sunday 12:00',
      TEXAS,
      '2026-06-13T21:00:00-05:00',
      '2026-06-14T12:00:00-05:00',
    ],
    [
      'RI Saturday 09:30 → 10:00',
      RHODE_ISLAND,
      '2026-06-13T09:30:00-04:00',
      '2026-06-13T10:00:00-04:00',
    ],
    [
      'RI Saturday 17:00 → Sunday 10:00',
      RHODE_ISLAND,
      '2026-06-13T17:00:00-04:00',
      '2026-06-14T10:00:00-04:00',
    ],
    [
      'RI Sunday 17:00 → Monday 09:00',
      RHODE_ISLAND,
      '2026-06-14T17:00:00-04:00',
      '2026-06-15T09:00:00-04:00',
    ],
    [
      'RI Friday 18:00 → Saturday 10:00',
      RHODE_ISLAND,
      '2026-06-12T18:00:00-04:00',
      '2026-06-13T10:00:00-04:00',
    ],
    [
      'RI Wednesday 17:59 is allowed',
      RHODE_ISLAND,
      '2026-06-10T17:59:00-04:00',
      '2026-06-10T17:59:00-04:00',
    ],
    ['CT 08:30 → 09:00', CONNECTICUT, '2026-06-10T08:30:00-04:00', '2026-06-10T09:00:00-04:00'],
    [
      'CT 20:00 → 09:00 next day',
      CONNECTICUT,
      '2026-06-10T20:00:00-04:00',
      '2026-06-11T09:00:00-04:00',
    ],
    [
      'NY 21:00 exactly → 08:00 next day',
      NEW_YORK,
      '2026-06-10T21:00:00-04:00',
      '2026-06-11T08:00:00-04:00',
    ],
    [
      'NY 07:59 → 08:00 same day',
      NEW_YORK,
      '2026-06-10T07:59:00-04:00',
      '2026-06-10T08:00:00-04:00',
    ],
    [
      'NY 07:59:59.999 → 08:00',
      NEW_YORK,
      '2026-06-10T07:59:59.999-04:00',
      '2026-06-10T08:00:00-04:00',
    ],
    [
      'NY 08:00 exactly is allowed',
      NEW_YORK,
      '2026-06-10T08:00:00-04:00',
      '2026-06-10T08:00:00-04:00',
    ],
    ['NY 20:59:59 is allowed', NEW_YORK, '2026-06-10T20:59:59-04:00', '2026-06-10T20:59:59-04:00'],
    [
      'NY 20:00 is allowed (federal, not FL)',
      NEW_YORK,
      '2026-06-10T20:00:00-04:00',
      '2026-06-10T20:00:00-04:00',
    ],
    [
      'NY spring forward: 22:00 EST Mar 7 → 08:00 EDT',
      NEW_YORK,
      '2026-03-07T22:00:00-05:00',
      '2026-03-08T12:00:00Z',
    ],
    [
      'NY spring forward: 03:30 EDT (after the gap) → 08:00 EDT',
      NEW_YORK,
      '2026-03-08T07:30:00Z',
      '2026-03-08T12:00:00Z',
    ],
    [
      'NY fall back: 22:00 EDT Oct 31 → 08:00 EST',
      NEW_YORK,
      '2026-10-31T22:00:00-04:00',
      '2026-11-01T13:00:00Z',
    ],
    [
      'NY fall back: first 01:30 (EDT) → 08:00 EST',
      NEW_YORK,
      '2026-11-01T05:30:00Z',
      '2026-11-01T13:00:00Z',
    ],
    [
      'NY fall back: second 01:30 (EST) → 08:00 EST',
      NEW_YORK,
      '2026-11-01T06:30:00Z',
      '2026-11-01T13:00:00Z',
    ],
    [
      'NY fall back: 21:00 EST Nov 1 → 08:00 EST Nov 2',
      NEW_YORK,
      '2026-11-01T21:00:00-05:00',
      '2026-11-02T13:00:00Z',
    ],
    [
      'AZ (no DST) 21:30 MST Mar 7 → 08:00 MST',
      ARIZONA,
      '2026-03-07T21:30:00-07:00',
      '2026-03-08T15:00:00Z',
    ],
    [
      'AZ (no DST) 06:00 MST in July → 08:00 MST',
      ARIZONA,
      '2026-07-01T06:00:00-07:00',
      '2026-07-01T15:00:00Z',
    ],
    ['HI 21:00 HST → 08:00 HST', HAWAII, '2026-06-10T21:00:00-10:00', '2026-06-11T18:00:00Z'],
  ])('%s', (_case, locale, atIso, expectedIso) => {
    expect(nextAllowedSendTime(at(atIso), locale).toISOString()).toBe(
      at(expectedIso).toISOString(),
    );
  });

  it('returns the very instant when sending is allowed', () => {
    const now = at('2026-06-10T12:34:56.789-04:00');
    expect(nextAllowedSendTime(now, NEW_YORK)).toBe(now);
  });

  it("applies the area code's state rule in the contact's own zone", () => {
    const floridaNumberInCalifornia = localeOf('+13055550123', 'America/Los_Angeles');
    expect(floridaNumberInCalifornia).toMatchObject({
      state: 'FL',
      timeZone: 'America/Los_Angeles',
    });
    // 20:30 Pacific: past Florida's 20:00 end, though federally allowed.
    expect(nextAllowedSendTime(at('2026-06-10T20:30:00-07:00'), floridaNumberInCalifornia)).toEqual(
      at('2026-06-11T08:00:00-07:00'),
    );
    // 19:30 Pacific is 22:30 in Miami, yet allowed: the contact's zone wins.
    expect(isWithinSendWindow(at('2026-06-10T19:30:00-07:00'), floridaNumberInCalifornia)).toBe(
      true,
    );
  });

  it('holds an unknown number to the federal window in the tenant zone', () => {
    const unknown = recipientLocale({ phone: '+442071234567', tenantTimeZone: 'America/Chicago' });
    expect(unknown).toEqual({
      timeZone: 'America/Chicago',
      timeZones: ['America/Chicago'],
      state: null,
      source: 'tenant',
    });
    expect(isWithinSendWindow(at('2026-06-10T20:30:00-05:00'), unknown)).toBe(true);
    expect(nextAllowedSendTime(at('2026-06-10T21:00:00-05:00'), unknown)).toEqual(
      at('2026-06-11T08:00:00-05:00'),
    );
  });

  it('always lands on a whole local minute inside the window, for every hour of a week', () => {
    for (const locale of [FLORIDA, TEXAS, RHODE_ISLAND, CONNECTICUT, NEW_YORK, ARIZONA, HAWAII]) {
      for (let hour = 0; hour < 24 * 7; hour += 1) {
        const start = at('2026-10-28T00:17:00Z').getTime() + hour * 3_600_000;
        const next = nextAllowedSendTime(new Date(start), locale);
        expect(next.getTime()).toBeGreaterThanOrEqual(start);
        expect(isWithinSendWindow(next, locale)).toBe(true);
        if (next.getTime() !== start) expect(next.getUTCSeconds()).toBe(0);
      }
    }
  });
});

describe('isWithinSendWindow', () => {
  it.each([
    [NEW_YORK, '2026-06-10T07:59:59-04:00', false],
    [NEW_YORK, '2026-06-10T08:00:00-04:00', true],
    [NEW_YORK, '2026-06-10T21:00:00-04:00', false],
    [TEXAS, '2026-06-14T11:59:00-05:00', false],
    [TEXAS, '2026-06-15T09:00:00-05:00', true],
    [RHODE_ISLAND, '2026-06-13T09:30:00-04:00', false],
    [RHODE_ISLAND, '2026-06-10T09:30:00-04:00', true],
  ] as const)('%o at %s → %s', (locale, iso, expected) => {
    expect(isWithinSendWindow(at(iso), locale)).toBe(expected);
  });
});

describe('sendWindowFor', () => {
  it('is federal 8–21 for null and states without a stricter rule', () => {
    for (const state of [null, 'NY', 'CA', 'ON', 'ZZ']) {
      const rule = sendWindowFor(state);
      expect(rule.jurisdiction).toBe('US');
      for (const day of rule.windows) expect(day).toEqual([{ startMinute: 480, endMinute: 1260 }]);
    }
  });

  it.each(['FL', 'OK', 'MD', 'MS', 'NJ', 'WA', 'MA'])('%s is 8–20 every day', (state) => {
    const rule = sendWindowFor(state);
    expect(rule.jurisdiction).toBe(state);
    for (const day of rule.windows) expect(day).toEqual([{ startMinute: 480, endMinute: 1200 }]);
  });

  it('encodes CT, TX and RI', () => {
    expect(sendWindowFor('CT').windows[3]).toEqual([{ startMinute: 540, endMinute: 1200 }]);
    expect(sendWindowFor('TX').windows[0]).toEqual([{ startMinute: 720, endMinute: 1260 }]);
    expect(sendWindowFor('TX').windows[6]).toEqual([{ startMinute: 540, endMinute: 1260 }]);
    expect(sendWindowFor('RI').windows[1]).toEqual([{ startMinute: 540, endMinute: 1080 }]);
    expect(sendWindowFor('RI').windows[0]).toEqual([{ startMinute: 600, endMinute: 1020 }]);
    expect(sendWindowFor('RI').windows[6]).toEqual([{ startMinute: 600, endMinute: 1020 }]);
  });
});
