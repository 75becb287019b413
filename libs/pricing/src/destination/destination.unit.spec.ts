import { describe, expect, it } from 'vitest';
import { countryOfNumber } from './destination.js';

describe('countryOfNumber', () => {
  it.each([
    ['+14155550123', 'US'], // San Francisco
    ['+12125550123', 'US'], // New York
    ['+18005550123', 'US'], // NANP toll-free is filed under the main country
    ['+14165550123', 'CA'], // Toronto
    ['+16045550123', 'CA'], // Vancouver
    ['+15145550123', 'CA'], // Montreal
    ['+17875550123', 'PR'], // Puerto Rico: its own region, not US
    ['+18765550123', 'JM'], // Jamaica shares +1
    ['+12425550123', 'BS'], // Bahamas
    ['+447400123456', 'GB'],
    ['+447911123456', 'GG'], // 7911 1 is a Guernsey mobile range: GB's patterns leave it out
    ['+33612345678', 'FR'],
    ['+61412345678', 'AU'],
    ['+79123456789', 'RU'],
    ['+77012345678', 'KZ'], // shares +7 with Russia, claimed by leading digits
    ['+4915112345678', 'DE'],
    ['+525512345678', 'MX'],
    // No region claims these: the calling code's main country, as a prefix rate deck prices them.
    ['+12005550123', 'US'], // unassigned NANP area code
    ['+15555550100', 'US'], // 555, the fictional area code of the platform's simulator
    ['+447000123456', 'GB'], // +44 70 personal numbers: no region's patterns, +44's main country
  ])('%s is %s', (number, country) => {
    expect(countryOfNumber(number)).toBe(country);
  });

  it.each([
    ['not E.164', '4155550123'],
    ['spaces', '+1 415 555 0123'],
    ['leading zero', '+04155550123'],
    ['too short', '+12345'],
    ['too long', '+1415555012345678'],
    ['non-geographic +800', '+80012345678'],
    ['unassigned calling code', '+9991234567'],
  ])('%s → null', (_label, number) => {
    expect(countryOfNumber(number)).toBeNull();
  });
});
