/** Ways a message tells the recipient how to opt out. */

const KEYWORD = String.raw`["'“”‘’*]?(?:stop\s*all|stop|end|cancel|unsubscribe|quit|opt[\s_-]*out|revoke)["'“”‘’*]?`;
const VERB = String.raw`(?:reply|replying|text|txt|send|msg|message|respond|respond\s+with|reply\s+with|text\s+back)`;
const EFFECT = String.raw`(?:opt[\s_-]*out|unsub(?:scribe)?|stop|end|cancel|quit|be\s+removed|remove|no\s+longer\s+receive|stop\s+receiving|stop\s+messages|stop\s+texts|stop\s+alerts|optout)`;

const PATTERNS: readonly RegExp[] = [
  // "Reply STOP to opt out", "Txt STOP 2 quit", "STOP to end", "Reply STOP=stop"
  new RegExp(String.raw`(?:\b${VERB}\s+)?${KEYWORD}\s*(?:to|2|=|:|-)\s*${EFFECT}\b`, 'iu'),
  // "To opt out, reply STOP", "Unsubscribe: text STOP", "opt out reply stop"
  new RegExp(String.raw`\b${EFFECT}\b\s*[,:-]?\s*${VERB}\s+${KEYWORD}`, 'iu'),
];

export const DEFAULT_OPT_OUT_LANGUAGE = 'Reply STOP to opt out.';

export function hasOptOutLanguage(body: string): boolean {
  const text = body.normalize('NFKC');
  return PATTERNS.some((pattern) => pattern.test(text));
}
