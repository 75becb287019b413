import { describe, expect, it } from 'vitest';
import { AREA_CODES, CANADIAN_REGIONS, areaCodeLocation } from './area-codes.js';
import { isValidTimeZone } from './recipient-locale.js';

describe('area code table', () => {
  const entries = [...AREA_CODES.entries()];

  it('covers the US (≈ 330+ geographic codes) and Canada', () => {
    const us = entries.filter(([, l]) => !CANADIAN_REGIONS.has(l.state));
    expect(us.length).toBeGreaterThanOrEqual(330);
    expect(entries.length - us.length).toBeGreaterThanOrEqual(40);
    const states = new Set(us.map(([, l]) => l.state));
    expect(states.size).toBe(50 + 1 + 5); // states, DC, PR VI GU AS MP
  });

  it('uses only NANP-shaped codes and zones the runtime knows', () => {
    for (const [code, location] of entries) {
      expect(code).toMatch(/^[2-9]\d{2}$/);
      expect(isValidTimeZone(location.timeZone), `${code} ${location.timeZone}`).toBe(true);
    }
  });

  it.each([
    ['305', 'FL', 'America/New_York'],
    ['786', 'FL', 'America/New_York'],
    ['954', 'FL', 'America/New_York'],
    ['561', 'FL', 'America/New_York'],
    ['813', 'FL', 'America/New_York'],
    ['407', 'FL', 'America/New_York'],
    ['850', 'FL', 'America/Chicago'],
    ['214', 'TX', 'America/Chicago'],
    ['512', 'TX', 'America/Chicago'],
    ['713', 'TX', 'America/Chicago'],
    ['915', 'TX', 'America/Denver'],
    ['212', 'NY', 'America/New_York'],
    ['206', 'WA', 'America/Los_Angeles'],
    ['401', 'RI', 'America/New_York'],
    ['203', 'CT', 'America/New_York'],
    ['860', 'CT', 'America/New_York'],
    ['617', 'MA', 'America/New_York'],
    ['907', 'AK', 'America/Anchorage'],
    ['808', 'HI', 'Pacific/Honolulu'],
    ['602', 'AZ', 'America/Phoenix'],
    ['787', 'PR', 'America/Puerto_Rico'],
    ['202', 'DC', 'America/New_York'],
    ['416', 'ON', 'America/Toronto'],
    ['604', 'BC', 'America/Vancouver'],
    ['306', 'SK', 'America/Regina'],
  ])('%s → %s %s', (code, state, timeZone) => {
    expect(areaCodeLocation(`+1${code}5550123`)).toMatchObject({ state, timeZone });
  });
});

describe('areaCodeLocation', () => {
  it('tolerates formatting characters in an E.164 number', () => {
    expect(areaCodeLocation('+1 (212) 555-0123')).toEqual({
      state: 'NY',
      timeZone: 'America/New_York',
      timeZones: ['America/New_York'],
    });
  });

  it.each([
    ['non-NANP', '+442071234567'],
    ['toll-free', '+18005550123'],
    ['Jamaica (NANP, not US/CA)', '+18765550123'],
    ['no plus', '12125550123'],
    ['too short', '+1212555012'],
    ['area code starting with 1', '+11125550123'],
    ['exchange starting with 1', '+12121550123'],
    ['empty', ''],
  ])('%s → null', (_case, phone) => {
    expect(areaCodeLocation(phone)).toBeNull();
  });
});
