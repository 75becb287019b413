import { describe, expect, it } from 'vitest';
import { countSegments, MAX_SEGMENTS, type SegmentCount } from './segment-counter.js';

const a = (n: number): string => 'a'.repeat(n);
/** A UCS-2 message: one 'ж' (not in GSM-7) followed by n - 1 ASCII letters, n code units in all. */
const ucs2 = (n: number): string => 'ж' + a(n - 1);

type Expected = Pick<SegmentCount, 'encoding' | 'segments' | 'unitsUsed' | 'unitsPerSegment'>;

describe('countSegments: segment boundaries', () => {
  const cases: ReadonlyArray<{ given: string; text: string; then: Expected }> = [
    {
      given: '160 basic GSM-7 characters',
      text: a(160),
      then: { encoding: 'GSM-7', segments: 1, unitsUsed: 160, unitsPerSegment: 160 },
    },
    {
      given: '161 basic GSM-7 characters',
      text: a(161),
      then: { encoding: 'GSM-7', segments: 2, unitsUsed: 161, unitsPerSegment: 153 },
    },
    {
      given: '306 basic GSM-7 characters',
      text: a(306),
      then: { encoding: 'GSM-7', segments: 2, unitsUsed: 306, unitsPerSegment: 153 },
    },
    {
      given: '307 basic GSM-7 characters',
      text: a(307),
      then: { encoding: 'GSM-7', segments: 3, unitsUsed: 307, unitsPerSegment: 153 },
    },
    {
      given: '1530 basic GSM-7 characters',
      text: a(1530),
      then: { encoding: 'GSM-7', segments: 10, unitsUsed: 1530, unitsPerSegment: 153 },
    },
    {
      given: '159 basic characters and a euro sign',
      text: a(159) + '€',
      then: { encoding: 'GSM-7', segments: 2, unitsUsed: 161, unitsPerSegment: 153 },
    },
    {
      given: '158 basic characters and a euro sign',
      text: a(158) + '€',
      then: { encoding: 'GSM-7', segments: 1, unitsUsed: 160, unitsPerSegment: 160 },
    },
    {
      given: '80 extension characters',
      text: '{'.repeat(80),
      then: { encoding: 'GSM-7', segments: 1, unitsUsed: 160, unitsPerSegment: 160 },
    },
    {
      given: '70 UCS-2 code units',
      text: ucs2(70),
      then: { encoding: 'UCS-2', segments: 1, unitsUsed: 70, unitsPerSegment: 70 },
    },
    {
      given: '71 UCS-2 code units',
      text: ucs2(71),
      then: { encoding: 'UCS-2', segments: 2, unitsUsed: 71, unitsPerSegment: 67 },
    },
    {
      given: '134 UCS-2 code units',
      text: ucs2(134),
      then: { encoding: 'UCS-2', segments: 2, unitsUsed: 134, unitsPerSegment: 67 },
    },
    {
      given: '135 UCS-2 code units',
      text: ucs2(135),
      then: { encoding: 'UCS-2', segments: 3, unitsUsed: 135, unitsPerSegment: 67 },
    },
    {
      given: 'an emoji and 68 characters (70 units)',
      text: '😜' + a(68),
      then: { encoding: 'UCS-2', segments: 1, unitsUsed: 70, unitsPerSegment: 70 },
    },
    {
      given: 'an emoji and 68 extension characters in UCS-2 (one unit each)',
      text: '😀' + ']'.repeat(68),
      then: { encoding: 'UCS-2', segments: 1, unitsUsed: 70, unitsPerSegment: 70 },
    },
    {
      given: 'an emoji and 69 extension characters in UCS-2',
      text: '😀' + ']'.repeat(69),
      then: { encoding: 'UCS-2', segments: 2, unitsUsed: 71, unitsPerSegment: 67 },
    },
    {
      given: 'an empty text',
      text: '',
      then: { encoding: 'GSM-7', segments: 0, unitsUsed: 0, unitsPerSegment: 160 },
    },
  ];

  it.each(cases)('given $given, then $then.segments segment(s)', ({ text, then }) => {
    const count = countSegments(text);
    expect({
      encoding: count.encoding,
      segments: count.segments,
      unitsUsed: count.unitsUsed,
      unitsPerSegment: count.unitsPerSegment,
    }).toEqual(then);
    expect(count.segmentTexts?.join('')).toBe(text);
    expect(count.segmentTexts).toHaveLength(then.segments);
  });
});

describe('countSegments: GSM-7 alphabet', () => {
  it.each(['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\f'])(
    'given the extension character %j, then it costs 2 septets',
    (char) => {
      expect(countSegments(char)).toMatchObject({ encoding: 'GSM-7', unitsUsed: 2, characters: 1 });
    },
  );

  it('given every basic-table character, then the text stays GSM-7 at one septet each', () => {
    const text = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà';
    expect(countSegments(text)).toMatchObject({ encoding: 'GSM-7', unitsUsed: text.length });
  });

  it.each(['ç', 'á', 'í', 'ó', 'ú', 'Á', 'ê', '`', '\t', 'ж', '中'])(
    'given one %j among GSM-7 text, then the whole message is UCS-2',
    (char) => {
      const count = countSegments(`Hello ${char} world`);
      expect(count).toMatchObject({ encoding: 'UCS-2', unitsUsed: 13 });
    },
  );

  it('given the capital Ç, then it is GSM-7 (the small ç is not)', () => {
    expect(countSegments('Ça va').encoding).toBe('GSM-7');
    expect(countSegments('ça va').encoding).toBe('UCS-2');
  });

  it('given a decomposed é (e + combining acute), then it is UCS-2 and one character', () => {
    expect(countSegments('e\u0301')).toMatchObject({
      encoding: 'UCS-2',
      characters: 1,
      unitsUsed: 2,
    });
  });

  it('given CR LF line breaks, then each is one septet and one character', () => {
    expect(countSegments('\rabcde\r\n123')).toMatchObject({
      encoding: 'GSM-7',
      unitsUsed: 11,
      characters: 11,
    });
  });
});

describe('countSegments: escape pairs never split', () => {
  it('given 152 basic characters then "{" and more text, then the pair opens segment 2', () => {
    const count = countSegments(a(152) + '{' + a(20));
    expect(count.segments).toBe(2);
    expect(count.segmentTexts).toEqual([a(152), '{' + a(20)]);
  });

  it('given 151 basic characters then "€", then the pair ends segment 1 exactly', () => {
    const count = countSegments(a(151) + '€' + a(20));
    expect(count.segmentTexts).toEqual([a(151) + '€', a(20)]);
  });

  it('given a pair at the 153 boundary that pushes the text over two segments, then 3 segments', () => {
    // 152 + 2 + 152 = 306 septets, but the moved pair leaves segment 1 one septet short.
    const count = countSegments(a(152) + '|' + a(152));
    expect(count.unitsUsed).toBe(306);
    expect(count.segments).toBe(3);
  });
});

describe('countSegments: grapheme clusters never split in UCS-2', () => {
  it('given a surrogate pair straddling position 67, then it moves whole to segment 2', () => {
    const text = 'ж' + a(65) + '😀' + a(10);
    const count = countSegments(text);
    expect(count.segments).toBe(2);
    expect(count.segmentTexts).toEqual(['ж' + a(65), '😀' + a(10)]);
  });

  it('given a surrogate pair ending exactly at 67, then it stays in segment 1', () => {
    const count = countSegments('ж' + a(64) + '😀' + a(10));
    expect(count.segmentTexts).toEqual(['ж' + a(64) + '😀', a(10)]);
  });

  const family = '👩‍👩‍👧‍👦';
  const cases: ReadonlyArray<{ given: string; cluster: string; units: number }> = [
    { given: 'a family ZWJ sequence', cluster: family, units: 11 },
    { given: 'a flag', cluster: '🇺🇸', units: 4 },
    { given: 'a skin-tone modified emoji', cluster: '👍🏽', units: 4 },
    { given: 'a keycap', cluster: '1️⃣', units: 3 },
    { given: 'a rainbow flag', cluster: '🏳️‍🌈', units: 6 },
    { given: 'a letter with three combining accents', cluster: 'é\u0301\u0301\u0301', units: 4 },
  ];

  it.each(cases)('given $given at the 67 boundary, then it is not split', ({ cluster, units }) => {
    expect(cluster.length).toBe(units);
    const text = 'ж' + a(64) + cluster + a(30);
    const count = countSegments(text);
    expect(count.segmentTexts).toEqual(['ж' + a(64), cluster + a(30)]);
    expect(count.characters).toBe(65 + 1 + 30);
  });

  it('given the family emoji, then it is one character of 11 code units', () => {
    expect(countSegments(family)).toMatchObject({
      encoding: 'UCS-2',
      characters: 1,
      unitsUsed: 11,
      segments: 1,
    });
  });

  it('given a rainbow flag and 64 digits (Twilio: 1 segment), then 1 segment; one more digit, then 2', () => {
    expect(countSegments('🏳️‍🌈' + '4'.repeat(64)).segments).toBe(1);
    expect(countSegments('🏳️‍🌈' + '4'.repeat(65)).segments).toBe(2);
  });

  it('given a grapheme longer than a segment, then it is cut between code points', () => {
    const stacked = 'a' + '\u0301'.repeat(99); // one grapheme, 100 code units
    const count = countSegments(stacked + a(5));
    expect(count).toMatchObject({ characters: 6, segments: 2 });
    expect(count.segmentTexts?.map((segment) => segment.length)).toEqual([67, 38]);
  });

  it('given a grapheme longer than a segment made of surrogate pairs, then no pair is split', () => {
    const tagSequence = '🏴' + '\u{E0067}'.repeat(40); // one grapheme, 82 code units
    const count = countSegments(tagSequence);
    expect(count).toMatchObject({ characters: 1, segments: 2 });
    expect(count.segmentTexts?.map((segment) => segment.length)).toEqual([66, 16]);
    expect(count.segmentTexts?.every((segment) => segment.isWellFormed())).toBe(true);
  });
});

describe('countSegments: smart encoding', () => {
  it('given curly quotes and an em dash, when smart encoding is on, then GSM-7', () => {
    const text = '“Hello” — it’s ready…';
    expect(countSegments(text).encoding).toBe('UCS-2');
    const smart = countSegments(text, { smartEncoding: true });
    expect(smart).toMatchObject({ encoding: 'GSM-7', unitsUsed: 23, segments: 1 });
    expect(smart.segmentTexts).toEqual(['"Hello" - it\'s ready...']);
  });

  it('given a 160-character text with one curly apostrophe, when smart encoding is on, then 1 segment instead of 3', () => {
    const text = a(159) + '’';
    expect(countSegments(text).segments).toBe(3);
    expect(countSegments(text, { smartEncoding: true }).segments).toBe(1);
  });

  it('given curly quotes and an emoji, when smart encoding is on, then the original text is sent as UCS-2', () => {
    const text = '“Hi”… 😀';
    const smart = countSegments(text, { smartEncoding: true });
    expect(smart).toMatchObject({ encoding: 'UCS-2', unitsUsed: text.length });
    expect(smart.segmentTexts).toEqual([text]);
  });
});

describe('MAX_SEGMENTS', () => {
  it('is 10, and 1531 GSM-7 septets exceed it', () => {
    expect(MAX_SEGMENTS).toBe(10);
    expect(countSegments(a(1531)).segments).toBeGreaterThan(MAX_SEGMENTS);
  });
});

describe("countSegments: reference cases from Twilio's segment calculator", () => {
  const digits = (n: number): string => '1234567890'.repeat(Math.ceil(n / 10)).slice(0, n);
  const cases: ReadonlyArray<{
    given: string;
    text: string;
    segments: number;
    characters: number;
  }> = [
    {
      given: 'an Italian flag and 66 digits',
      text: '🇮🇹' + digits(66),
      segments: 1,
      characters: 67,
    },
    {
      given: 'an Italian flag and 67 digits',
      text: '🇮🇹' + digits(67),
      segments: 2,
      characters: 68,
    },
    {
      given: 'a rainbow flag and 64 digits',
      text: '\u{1F3F3}\uFE0F\u200D\u{1F308}' + digits(64),
      segments: 1,
      characters: 65,
    },
    {
      given: 'a rainbow flag and 65 digits',
      text: '\u{1F3F3}\uFE0F\u200D\u{1F308}' + digits(65),
      segments: 2,
      characters: 66,
    },
    {
      given: 'an é with three accents and 66 letters',
      text: '\u00e9\u0301\u0301\u0301' + a(66),
      segments: 1,
      characters: 67,
    },
    {
      given: 'an é with three accents and 67 letters',
      text: '\u00e9\u0301\u0301\u0301' + a(67),
      segments: 2,
      characters: 68,
    },
    { given: 'an emoji and 133 digits', text: '😜' + digits(133), segments: 3, characters: 134 },
    { given: '"{" and 159 digits', text: '{' + digits(158), segments: 1, characters: 159 },
    { given: '"{" and 160 digits', text: '{' + digits(159), segments: 2, characters: 160 },
  ];

  it.each(cases)(
    'given $given, then $segments segment(s) and $characters characters',
    ({ text, segments, characters }) => {
      expect(countSegments(text)).toMatchObject({ segments, characters });
    },
  );
});
