import { describe, expect, it } from 'vitest';
import { isValidTimeZone, recipientLocale } from './recipient-locale.js';

describe('recipientLocale', () => {
  const tenantTimeZone = 'America/Denver';

  it('uses the area code zone and state when the contact has no zone', () => {
    expect(recipientLocale({ phone: '+13055550123', tenantTimeZone })).toEqual({
      timeZone: 'America/New_York',
      timeZones: ['America/New_York'],
      state: 'FL',
      source: 'area_code',
    });
  });

  it("prefers the contact's zone but keeps the area code's state", () => {
    expect(
      recipientLocale({
        phone: '+13055550123',
        contactTimeZone: 'America/Los_Angeles',
        tenantTimeZone,
      }),
    ).toEqual({
      timeZone: 'America/Los_Angeles',
      timeZones: ['America/Los_Angeles'],
      state: 'FL',
      source: 'contact',
    });
  });

  it('ignores an invalid contact zone', () => {
    expect(
      recipientLocale({ phone: '+15125550123', contactTimeZone: 'Mars/Olympus', tenantTimeZone }),
    ).toEqual({
      timeZone: 'America/Chicago',
      timeZones: ['America/Chicago'],
      state: 'TX',
      source: 'area_code',
    });
  });

  it('falls back to the tenant zone, with no state, for unknown or non-NANP numbers', () => {
    for (const phone of ['+18005550123', '+442071234567']) {
      expect(recipientLocale({ phone, tenantTimeZone })).toEqual({
        timeZone: tenantTimeZone,
        timeZones: [tenantTimeZone],
        state: null,
        source: 'tenant',
      });
    }
  });

  it('uses a valid contact zone even when the number is unknown', () => {
    expect(
      recipientLocale({ phone: '+442071234567', contactTimeZone: 'Europe/London', tenantTimeZone }),
    ).toEqual({
      timeZone: 'Europe/London',
      timeZones: ['Europe/London'],
      state: null,
      source: 'contact',
    });
  });
});

describe('isValidTimeZone', () => {
  it.each(['America/New_York', 'Pacific/Honolulu', 'UTC', 'Europe/London'])(
    '%s is valid',
    (zone) => {
      expect(isValidTimeZone(zone)).toBe(true);
    },
  );

  it.each(['', ' ', 'Mars/Olympus', 'EST5EDT/Nowhere', '+05:00', '-0300'])('%j is not', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
  });
});
