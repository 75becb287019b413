/**
 * Look-alike characters and the GSM-7 text that replaces them, after Twilio's published
 * "List of characters replaced by Smart Encoding" (twilio.com/docs/messaging/services/smart-encoding-char-list),
 * plus the typographic punctuation word processors insert (en/em dash, ellipsis, bullet, ‹ ›).
 * Grouped by replacement so each line reads "these all become that".
 * Invisible characters (zero-width space, word joiner, byte-order mark, C0 controls) are dropped.
 */
const REPLACEMENTS: ReadonlyArray<readonly [replacement: string, lookAlikes: string]> = [
  ['"', '\u00ab\u00bb\u201c\u201d\u02ba\u02ee\u201f\u275d\u275e\u301d\u301e\uff02\u201e'],
  [
    "'",
    '\u2018\u2019\u02bb\u02c8\u02bc\u02bd\u02b9\u201b\uff07\u00b4\u02ca\u0060\u02cb\u275b\u275c\u0313\u0314\ufe10\ufe11',
  ],
  ['/', '\u00f7\u29f8\u0337\u0338\u2044\u2215\uff0f'],
  ['1/4', '\u00bc'],
  ['1/2', '\u00bd'],
  ['3/4', '\u00be'],
  ['\\', '\u29f9\u29f5\u20e5\ufe68\uff3c'],
  ['_', '\u0332\uff3f\u2017'],
  ['|', '\u20d2\u20d3\u2223\uff5c\u23b8\u23b9\u23d0\u239c\u239f'],
  ['-', '\u23bc\u23bd\u2015\ufe63\uff0d\u2010\u2043\u2013\u2014\u2022'],
  ['@', '\ufe6b\uff20'],
  ['$', '\ufe69\uff04'],
  ['!', '\u01c3\ufe15\ufe57\uff01'],
  ['!!', '\u203c'],
  ['#', '\ufe5f\uff03'],
  ['%', '\ufe6a\uff05'],
  ['&', '\ufe60\uff06'],
  [',', '\u201a\u0326\ufe50\ufe51\uff0c\uff64\u3001'],
  ['(', '\u2768\u276a\ufe59\uff08\u27ee\u2985'],
  [')', '\u2769\u276b\ufe5a\uff09\u27ef\u2986'],
  [
    '*',
    '\u204e\u2217\u229b\u2722\u2723\u2724\u2725\u2731\u2732\u2733\u273a\u273b\u273c\u273d\u2743\u2749\u274a\u274b\u29c6\ufe61\uff0a',
  ],
  ['+', '\u02d6\ufe62\uff0b'],
  ['.', '\u3002\ufe52\uff0e\uff61'],
  ['...', '\u2026'],
  ['0', '\uff10'],
  ['1', '\uff11'],
  ['2', '\uff12'],
  ['3', '\uff13'],
  ['4', '\uff14'],
  ['5', '\uff15'],
  ['6', '\uff16'],
  ['7', '\uff17'],
  ['8', '\uff18'],
  ['9', '\uff19'],
  [':', '\u02d0\u02f8\u2982\ua789\ufe13\uff1a'],
  [';', '\u204f\ufe14\ufe54\uff1b'],
  ['<', '\ufe64\uff1c\u2039'],
  ['=', '\u0347\ua78a\ufe66\uff1d'],
  ['>', '\ufe65\uff1e\u203a'],
  ['?', '\ufe16\ufe56\uff1f'],
  ['A', '\uff21\u1d00'],
  ['B', '\uff22\u0299'],
  ['C', '\uff23\u1d04'],
  ['D', '\uff24\u1d05'],
  ['E', '\uff25\u1d07'],
  ['F', '\uff26\ua730'],
  ['G', '\uff27\u0262'],
  ['H', '\uff28\u029c'],
  ['I', '\uff29\u026a'],
  ['J', '\uff2a\u1d0a'],
  ['K', '\uff2b\u1d0b'],
  ['L', '\uff2c\u029f'],
  ['M', '\uff2d\u1d0d'],
  ['N', '\uff2e\u0274'],
  ['O', '\uff2f\u1d0f'],
  ['P', '\uff30\u1d18'],
  ['Q', '\uff31'],
  ['R', '\uff32\u0280'],
  ['S', '\uff33\ua731'],
  ['T', '\uff34\u1d1b'],
  ['U', '\uff35\u1d1c'],
  ['V', '\uff36\u1d20'],
  ['W', '\uff37\u1d21'],
  ['X', '\uff38'],
  ['Y', '\uff39\u028f'],
  ['Z', '\uff3a\u1d22'],
  ['^', '\u02c6\u0302\uff3e\u1dcd'],
  ['{', '\u2774\ufe5b\uff5b'],
  ['}', '\u2775\ufe5c\uff5d'],
  ['[', '\uff3b'],
  [']', '\uff3d'],
  ['~', '\u02dc\u02f7\u0303\u0330\u0334\u223c\uff5e'],
  [
    ' ',
    '\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000' +
      '\u2028\u2029\u0009\u0080\u008d\u0090\u009b\u009f',
  ],
  ['', '\u200b\u2060\ufeff\u0000\u0003\u0004\u0010\u0011\u0012\u0013\u0014\u0017\u0019'],
];

/** Each look-alike code point and the GSM-7 text it becomes under smart encoding. */
export const SMART_ENCODING_MAP: ReadonlyMap<string, string> = new Map(
  REPLACEMENTS.flatMap(([replacement, lookAlikes]) =>
    [...lookAlikes].map((lookAlike) => [lookAlike, replacement] as const),
  ),
);

/**
 * Replaces look-alike characters with GSM-7 ones. The text is first put in Unicode NFC so a
 * decomposed "é" (e + combining acute) becomes the GSM-7 "é" rather than staying UCS-2;
 * text made only of GSM-7 characters is already in NFC, so this never costs a septet.
 * Characters with no look-alike (emoji, most letters of other scripts) are kept as they are.
 */
export function toSmartEncoding(text: string): string {
  let result = '';
  for (const codePoint of text.normalize('NFC')) {
    result += SMART_ENCODING_MAP.get(codePoint) ?? codePoint;
  }
  return result;
}
