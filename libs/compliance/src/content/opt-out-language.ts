/**
 * Ways a message tells the recipient how to opt out. A keyword next to an effect word is not
 * enough ("Don't stop to end your day", "nonstop-end-of-year"): the keyword must stand alone and
 * either follow an instruction verb ("Reply STOP to end") or lead to an explicit opt-out effect
 * ("STOP to opt out"). A false "yes" sends marketing with no opt-out at all, while a false "no"
 * only appends "Reply STOP to opt out.", so doubtful copy counts as no.
 */

/** A keyword standing alone: no letter or digit before it, no letter after it ("STOP2END" is fine). */
const KEYWORD = String.raw`(?<![\p{L}\p{N}])["'“”‘’*]?(?:stop\s*all|stop|end|cancel|unsubscribe|quit|opt[\s_-]*out|optout|revoke)(?!\p{L})["'“”‘’*]?`;
/** "STOP", "STOP or OPT OUT", "STOP, END or CANCEL". */
const KEYWORDS = String.raw`${KEYWORD}(?:\s*(?:,|/|\bor\b)\s*${KEYWORD})*`;
const VERB = String.raw`\b(?:reply|replying|text|txt|send|msg|message|respond|respond\s+with|reply\s+with|text\s+back)`;
const MESSAGES = String.raw`(?:\s+(?:these\s+|our\s+|all\s+)?(?:texts?|messages?|msgs?|alerts?|sms))`;
/** Effects that only mean opting out, whatever comes before them. */
const OPT_OUT_EFFECT = String.raw`(?:opt[\s_-]*out|optout|unsub(?:scribe)?|be\s+removed|no\s+longer\s+receive|stop\s+receiving|(?:stop|end|cancel|quit)${MESSAGES})`;
/** Also short verbs that mean opting out only after an instruction ("Reply STOP to end"). */
const EFFECT = String.raw`(?:${OPT_OUT_EFFECT}|stop|end|cancel|quit|remove)`;

const PATTERNS: readonly RegExp[] = [
  // "Reply STOP to opt out", "Txt STOP 2 quit", "Reply STOP=stop", "Msg STOP to stop"
  new RegExp(String.raw`${VERB}\s+${KEYWORDS}\s*(?:to|2|=|:|-)\s*${EFFECT}\b`, 'iu'),
  // "STOP to opt out", "STOP to end messages", "OPT OUT to unsubscribe"
  new RegExp(String.raw`${KEYWORDS}\s*(?:\bto\b|2)\s*${OPT_OUT_EFFECT}\b`, 'iu'),
  // "To opt out, reply STOP", "Unsubscribe: text STOP", "To end messages text STOP"
  new RegExp(
    String.raw`(?:\bto\s+${EFFECT}${MESSAGES}?|\b${OPT_OUT_EFFECT})\b\s*[,:-]?\s*${VERB}\s+${KEYWORD}`,
    'iu',
  ),
];

/**
 * The bare short form "STOP to end", "STOP2END": only with the keyword in capitals (written as a
 * keyword, not as prose) and the effect closing the sentence, so "Don't stop to end your day"
 * and "STOP to end the week" are not taken.
 */
const BARE_SHORT_FORM =
  /(?<![\p{L}\p{N}])(STOP|END|CANCEL|QUIT)\s*(?:\bto\b|2)\s*(?:stop|end|cancel|quit)\b\s*(?:[.!,;)\n]|$)/giu;

function hasBareShortForm(text: string): boolean {
  for (const [, keyword = ''] of text.matchAll(BARE_SHORT_FORM)) {
    if (keyword === keyword.toUpperCase()) return true;
  }
  return false;
}

export const DEFAULT_OPT_OUT_LANGUAGE = 'Reply STOP to opt out.';

export function hasOptOutLanguage(body: string): boolean {
  const text = body.normalize('NFKC');
  return PATTERNS.some((pattern) => pattern.test(text)) || hasBareShortForm(text);
}
