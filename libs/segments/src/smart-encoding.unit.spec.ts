import { describe, expect, it } from 'vitest';
import { isGsm7 } from './gsm7-alphabet.js';
import { SMART_ENCODING_MAP, toSmartEncoding } from './smart-encoding.js';

describe('toSmartEncoding', () => {
  it.each([
    ['‘single’ “double”', '\'single\' "double"'],
    ['en – em — dash', 'en - em - dash'],
    ['wait…', 'wait...'],
    ['non\u00a0breaking\u202fspaces', 'non breaking spaces'],
    ['• bullet', '- bullet'],
    ['«guillemets» ‹single›', '"guillemets" <single>'],
    ['½ price', '1/2 price'],
    ['ＦＵＬＬ１２', 'FULL12'],
    ['zero\u200bwidth\ufeff', 'zerowidth'],
    ['cafe\u0301', 'café'],
    ['emoji 😀 stays', 'emoji 😀 stays'],
  ])('given %j, then %j', (text, expected) => {
    expect(toSmartEncoding(text)).toBe(expected);
  });

  it('given every mapped look-alike, then its replacement is GSM-7 and the look-alike is not', () => {
    expect(SMART_ENCODING_MAP.size).toBeGreaterThan(200);
    for (const [lookAlike, replacement] of SMART_ENCODING_MAP) {
      expect(
        isGsm7(replacement),
        `replacement of U+${lookAlike.codePointAt(0)?.toString(16)}`,
      ).toBe(true);
      expect(
        isGsm7(lookAlike),
        `U+${lookAlike.codePointAt(0)?.toString(16)} is already GSM-7`,
      ).toBe(false);
    }
  });
});
