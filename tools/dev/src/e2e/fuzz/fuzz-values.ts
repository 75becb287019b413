import fc from 'fast-check';

/**
 * Values that have broken parsers, validators and databases before: NUL and lone surrogates
 * (Postgres jsonb refuses both), dates JavaScript accepts and Postgres does not, addresses a
 * server must not fetch, injection attempts, numbers that are not numbers.
 */
export const nastyStrings: readonly string[] = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'STOP\u0000',
  'hello\u0000world',
  '\ud800',
  'a\udfffb',
  '\udc00\ud800',
  '\uffff',
  '\ufffd',
  '\ufeff',
  '\u202eevil',
  '\u001b[31m',
  '💥👨‍👩‍👧🇺🇸',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '%00',
  '%ff',
  '%',
  '../../etc/passwd',
  "' OR 1=1 --",
  '"; DROP TABLE messages; --',
  '<script>alert(1)</script>',
  '{{ 7 * 7 }}',
  '${7*7}',
  '__proto__',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'http://127.0.0.1:5432/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[::1]:8080/',
  'http://localhost/x.png',
  'ftp://example.com/a.png',
  'https://example.com/a.png',
  '+1555',
  '+15555550100',
  '+10000000000',
  '+999999999999999999',
  '1',
  '2026',
  '2026-02-30T00:00:00Z',
  '-271821-04-20T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2026-12-01T25:61:61Z',
  'America/Chicago',
  '+1555',
  'Etc/GMT+14',
  'Mars/Olympus_Mons',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '------------------------------------',
  'x'.repeat(256),
  'y'.repeat(5_000),
  'z'.repeat(70_000),
];

/** Any UTF-16 code unit, so lone surrogates and NUL come up too. */
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));

export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nastyStrings) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: utf16Unit, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 400 }) },
);

/** Any JSON value, strings nasty. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: anyString },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -0,
      -1,
      1.5,
      2 ** 31,
      2 ** 53 + 1,
      -(2 ** 63),
      1e308,
      [],
      {},
      [null],
      { '': '' },
    ),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.integer() },
);

/** Header values Node's HTTP client can send (no CR, LF or other control characters). */
const headerChar = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.constant(0x09),
  fc.integer({ min: 0x80, max: 0xff }),
);
export const anyHeaderValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: headerChar.map((c) => String.fromCharCode(c)) }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', ' ', 'x'.repeat(300), 'é'.repeat(50), '\u00ff\u00fe'),
  },
);

const tokenChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyz0123456789-_.!#$%&*+^`|~'.split(''),
);
export const anyHeaderName: fc.Arbitrary<string> = fc
  .string({ unit: tokenChar, minLength: 1, maxLength: 20 })
  .map((name) => `x-${name}`);

/** What a cursor or page token could be: issued-looking ones with bad positions, and junk. */
export const anyCursor: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.constantFrom<unknown>(
            '1',
            '2026',
            '2026-02-30T00:00:00.000Z',
            '-271821-04-20T00:00:00.000Z',
            '+275760-09-13T00:00:00.000Z',
            '0000-01-01T00:00:00.000Z',
            '2026-12-01T00:00:00Z',
            null,
            0,
            [],
          ),
          fc
            .date({ noInvalidDate: true, min: new Date(-8.64e15), max: new Date(8.64e15) })
            .map((d) => d.toISOString()),
          anyString,
        ),
        fc.oneof(fc.uuid(), fc.constant('-'.repeat(36)), fc.constant(''), anyString, anyJson),
      )
      .chain(([at, id]) =>
        fc.constantFrom<unknown>(
          [at, id],
          [at],
          [at, id, 1],
          { at, id },
          `${String(at)},${String(id)}`,
        ),
      )
      .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 120 }) },
  { weight: 1, arbitrary: anyString },
);

/**
 * encodeURIComponent for any string: it throws on a lone surrogate, which is sent as UTF-8
 * would carry it (U+FFFD), like a client that encodes first.
 */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.!~*'()]/.test(String.fromCharCode(byte)) && byte < 0x80
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}
