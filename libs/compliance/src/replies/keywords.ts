/**
 * Carrier keywords (CTIA / TCPA). Canonical spellings; matching ignores case, surrounding
 * punctuation and emoji, and treats `-`, `_` and runs of spaces inside a keyword alike.
 */
export const OPT_OUT_KEYWORDS = [
  'STOP',
  'STOPALL',
  'STOP ALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
  'OPT OUT',
] as const satisfies readonly string[];

/** Honoured only after an opt-out (the consent ledger decides that, not this module). */
export const OPT_IN_KEYWORDS = ['START', 'UNSTOP', 'YES'] as const satisfies readonly string[];

export const HELP_KEYWORDS = ['HELP', 'INFO'] as const satisfies readonly string[];

export type KeywordKind = 'opt_out' | 'help' | 'opt_in';

export interface KeywordMatch {
  kind: KeywordKind;
  keyword: string;
}

const KEYWORDS_BY_TEXT = new Map<string, KeywordMatch>([
  ...OPT_OUT_KEYWORDS.map((k) => [k, { kind: 'opt_out', keyword: k }] as const),
  ...HELP_KEYWORDS.map((k) => [k, { kind: 'help', keyword: k }] as const),
  ...OPT_IN_KEYWORDS.map((k) => [k, { kind: 'opt_in', keyword: k }] as const),
]);

const PRECEDENCE: Record<KeywordKind, number> = { opt_out: 0, help: 1, opt_in: 2 };

/**
 * Invisible format characters (Unicode category Cf: zero-width space, zero-width (non-)joiner, soft
 * hyphen, word joiner, BOM, direction marks…). They are removed, not turned into spaces, before
 * any matching, so "ST\u200bOP" reads as STOP.
 */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** NFKC, then the format characters removed: the text as matching sees it. */
export function matchingForm(text: string): string {
  return text.normalize('NFKC').replace(FORMAT_CHARACTERS, '');
}

/** CRLF, LF, CR, vertical tab, form feed, NEL (U+0085), line and paragraph separators. */
const LINE_BREAK = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/u;

/**
 * Upper-cases and reduces a line to its words: every character that is not a letter or a digit
 * (punctuation, emoji, `-`, `_`, markdown stars, quotes) becomes a space, then spaces collapse.
 * Format characters are removed first (see `matchingForm`).
 */
export function keywordForm(text: string): string {
  return matchingForm(text)
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The keyword a single line or clause consists of, if any ("stop stop stop" counts as STOP). */
export function matchKeyword(text: string): KeywordMatch | null {
  const form = keywordForm(text);
  if (form === '') return null;
  const exact = KEYWORDS_BY_TEXT.get(form);
  if (exact) return exact;
  for (const [keyword, match] of KEYWORDS_BY_TEXT) {
    if (isRepetitionOf(form, keyword)) return match;
  }
  return null;
}

function isRepetitionOf(form: string, keyword: string): boolean {
  const times = (form.length + 1) / (keyword.length + 1);
  return Number.isInteger(times) && form === Array<string>(times).fill(keyword).join(' ');
}

/**
 * Keyword found in the whole message or alone on one of its lines; when several are present the
 * strongest wins: opt-out, then help, then opt-in.
 */
export function findKeyword(body: string): KeywordMatch | null {
  const text = matchingForm(body);
  const candidates = [text, ...text.split(LINE_BREAK)];
  let best: KeywordMatch | null = null;
  for (const candidate of candidates) {
    const match = matchKeyword(candidate);
    if (match && (best === null || PRECEDENCE[match.kind] < PRECEDENCE[best.kind])) best = match;
  }
  return best;
}
