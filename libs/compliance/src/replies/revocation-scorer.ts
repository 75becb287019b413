import { matchKeyword, matchingForm } from './keywords.js';

/**
 * Rule-based scorer for free-text revocations ("please stop texting me"). Every rule is a named,
 * weighted pattern so a reviewer can see why a reply scored as it did.
 *
 * Score = weight of the strongest cue + 0.1 for each further distinct cue (capped at 0.99).
 * Before the cues run, phrases where the words mean something else ("stop by", "can't stop",
 * "cancel my appointment", "wrong number of items") are blanked out.
 */

export interface RevocationScore {
  /** 0..1 */
  confidence: number;
  /** The text that triggered the strongest cue; empty when nothing matched. */
  cue: string;
  /** Names of the rules that matched, strongest first. */
  rules: string[];
}

export const REVOCATION_THRESHOLD = 0.8;
export const REVIEW_THRESHOLD = 0.4;

const TEXTS = String.raw`(?:te?xt(?:s|ing|in|ed)?|txts?|txting|txtin|msgs?|msging|messag(?:e|es|ing)|mesages?|sms|spam(?:ming)?)`;
const NOT = String.raw`(?:do\s*n[o']?t|don't|dont|never)`;
const ME = String.raw`(?:me|us|this\s+(?:number|phone|#)|my\s+(?:number|phone|cell))`;
const CONSENT = String.raw`(?:consent|permission|authori[sz]ation)`;
/**
 * "cancel my subscription" with nothing in between: the texts or a product, so a cue for review,
 * exempt from the guard that blanks "cancel my gym subscription".
 */
const CANCEL_SUBSCRIPTION = String.raw`(?:cancel|end)\s+(?:my\s+|the\s+|this\s+|our\s+)?subscription\b`;

interface Cue {
  rule: string;
  weight: number;
  pattern: RegExp;
  /** Soft cues lose half their weight in a joking reply ("stop 😂 lol"). */
  soft?: boolean;
}

const re = (source: string): RegExp => new RegExp(source, 'u');

const CUES: readonly Cue[] = [
  {
    rule: 'stop_texts',
    weight: 0.95,
    pattern: re(String.raw`\b(?:stop|quit|cease|end|cancel|enough)\b(?:\s+\S+){0,3}?\s+${TEXTS}\b`),
  },
  {
    rule: 'stop_contacting',
    weight: 0.9,
    pattern: re(
      String.raw`\b(?:stop|quit|cease)\s+(?:sending|contacting|bothering|harass(?:ing)?|spamming|calling|emailing)\b`,
    ),
  },
  {
    rule: 'remove_from_list',
    weight: 0.95,
    pattern: re(
      String.raw`\b(?:remove|take|delete|drop|erase|get)\s+${ME}\s+(?:from|off|out\s+of)\s+(?:\S+\s+){0,2}?(?:list|lists|database|system|contacts?|${TEXTS})\b`,
    ),
  },
  {
    rule: 'remove_me',
    weight: 0.9,
    pattern: re(String.raw`\b(?:remove|delete|erase)\s+${ME}\b|\btake\s+${ME}\s+off\b`),
  },
  {
    rule: 'lose_my_number',
    weight: 0.95,
    pattern: re(String.raw`\b(?:lose|forget)\s+(?:my|this)\s+(?:number|#)`),
  },
  {
    rule: 'do_not_text',
    weight: 0.95,
    pattern: re(
      String.raw`\b${NOT}\s+(?:ever\s+)?(?:te?xt|txt|msg|message|sms|contact|call\s+or\s+text)\s+(?:me|us|this|here|again|anymore|any\s*more|ever)\b`,
    ),
  },
  {
    // "Do not text" as the whole reply: the object (me, this number) is understood.
    rule: 'do_not_text_bare',
    weight: 0.9,
    pattern: re(
      String.raw`^\W*(?:(?:please|pls|plz)\s+)?(?:do\s*n[o']?t|don't|dont)\s+(?:ever\s+)?(?:te?xt|txt|msg|message|sms)(?:\W+(?:please|pls|plz|thanks|thank\s+you|thx|ty))?\W*$`,
    ),
  },
  {
    // FCC 2024 (47 CFR 64.1200(a)(10)): words like "revoke" revoke, as REVOKE does.
    rule: 'revoke_consent',
    weight: 0.95,
    pattern: re(
      String.raw`\b(?:revok(?:e|es|ed|ing)|withdr(?:aw|aws|awn|awing|ew)|rescind(?:s|ed|ing)?|retract(?:s|ed|ing)?)\s+(?:my\s+|our\s+|all\s+|any\s+|this\s+|the\s+)?${CONSENT}\b|\b${CONSENT}\s+(?:is\s+|has\s+been\s+)?(?:revoked|withdrawn|rescinded|retracted)\b`,
    ),
  },
  {
    // "I do not consent", unless it is to something other than the messages ("to the late fee").
    rule: 'do_not_consent',
    weight: 0.9,
    pattern: re(
      String.raw`\b(?:i|we)\s+(?:do\s*n[o']?t|don't|dont|no\s+longer)\s+(?:give\s+(?:my\s+|our\s+|you\s+)?)?consent\b(?!\s+to\s+(?!(?:\S+\s+){0,3}?(?:${TEXTS}|this|these|that|it|contact\w*|receiv\w*|marketing|being)\b))`,
    ),
  },
  {
    rule: 'do_not_send',
    weight: 0.95,
    pattern: re(String.raw`\b${NOT}\s+send\s+(?:me|us)\s+(?:\S+\s+){0,3}?${TEXTS}\b`),
  },
  {
    rule: 'do_not_want_texts',
    weight: 0.9,
    pattern: re(
      String.raw`\b(?:do\s*n[o']?t|dont|don't|no\s+longer)\s+(?:want|wish|need|like)\s+(?:to\s+(?:receive|get)\s+)?(?:\S+\s+){0,3}?${TEXTS}`,
    ),
  },
  {
    rule: 'wrong_number',
    weight: 0.85,
    pattern: re(String.raw`\bwrong\s+(?:phone\s+|cell\s+)?(?:number|#|person|nmbr|num)(?!\s+of\b)`),
  },
  {
    rule: 'unsubscribe',
    weight: 0.9,
    pattern: re(
      String.raw`\b(?:unsub|unsubscribe|unsubscribing|unsubcribe|unsuscribe|unsubscibe)\b`,
    ),
  },
  {
    rule: 'opt_out',
    weight: 0.9,
    pattern: re(String.raw`\bopt(?:ing)?\s*(?:me\s+|us\s+)?[-_]?\s*out\b`),
  },
  { rule: 'leave_me_alone', weight: 0.9, pattern: re(String.raw`\bleave\s+(?:me|us)\s+alone\b`) },
  {
    rule: 'no_more_texts',
    weight: 0.9,
    pattern: re(String.raw`\bno\s+more\s+(?:\S+\s+)?${TEXTS}\b`),
  },
  {
    rule: 'out_of_texts',
    weight: 0.85,
    pattern: re(String.raw`\bout\s+of\s+(?:these|your|the|this|ur|all)\s+(?:\S+\s+)?${TEXTS}\b`),
  },
  {
    rule: 'do_not_contact_list',
    weight: 0.9,
    pattern: re(String.raw`\bdo[\s-]*not[\s-]*(?:call|contact|text)\s+list\b|\bdnc\b`),
  },
  { rule: 'cease_and_desist', weight: 0.9, pattern: re(String.raw`\bcease\s+and\s+desist\b`) },
  {
    rule: 'how_to_stop',
    weight: 0.85,
    pattern: re(
      String.raw`\bhow\s+(?:do|can)\s+(?:i|we)\s+(?:stop|unsub\w*|opt\s*[-_]?\s*out|get\s+off|get\s+removed|be\s+removed)\b`,
    ),
  },
  {
    rule: 'reported_spam',
    weight: 0.85,
    pattern: re(
      String.raw`\b(?:this\s+is|that's|thats|reported\s+(?:as|for)|reporting\s+(?:as|for))\s+spam\b`,
    ),
  },
  { rule: 'harassment', weight: 0.8, pattern: re(String.raw`\bharass(?:ing|ment)?\b`) },
  {
    rule: 'blocking_number',
    weight: 0.8,
    pattern: re(String.raw`\bblock(?:ing|ed)?\s+(?:this|your|you|ur|the)(?:\s+(?:number|#))?\b`),
  },
  {
    rule: 'never_consented',
    weight: 0.7,
    pattern: re(
      String.raw`\b(?:never|didn't|didnt|did\s+not)\s+(?:sign(?:ed)?\s+up|subscribed?|opt(?:ed)?\s*in|agreed?|consent(?:ed)?|gave\s+(?:you\s+)?(?:my\s+number|permission|consent))`,
    ),
  },
  { rule: 'want_out', weight: 0.7, pattern: re(String.raw`\bi\s+want\s+out\b`) },
  {
    rule: 'why_texting_me',
    weight: 0.65,
    pattern: re(String.raw`\bwhy\s+(?:do|are|r|does)\s+(?:you|u|they)\s+(?:keep\s+)?${TEXTS}`),
  },
  {
    rule: 'no_longer_interested',
    weight: 0.65,
    pattern: re(String.raw`\bno\s+longer\s+interested\b`),
  },
  { rule: 'not_interested', weight: 0.6, pattern: re(String.raw`\bnot\s+interested\b`) },
  { rule: 'cancel_subscription', weight: 0.6, pattern: re(String.raw`\b${CANCEL_SUBSCRIPTION}`) },
  {
    rule: 'how_got_my_number',
    weight: 0.6,
    pattern: re(
      String.raw`\b(?:how|why)\s+(?:did|do)\s+(?:you|u)\s+(?:get|have)\s+(?:my|this)\s+(?:number|#)`,
    ),
  },
  { rule: 'spam', weight: 0.6, pattern: re(String.raw`\bspam\b`), soft: true },
  {
    rule: 'please_dont',
    weight: 0.55,
    pattern: re(String.raw`^\W*(?:please|pls|plz)\s+(?:don't|dont|do\s+not)\W*$`),
  },
  {
    rule: 'no_thanks',
    weight: 0.5,
    pattern: re(String.raw`^\W*no\s*,?\s*(?:thanks|thank\s+you|thx|ty)\b`),
  },
  {
    rule: 'im_good',
    weight: 0.45,
    pattern: re(
      String.raw`^\W*(?:i'm|im|i\s+am|we're)\s+good\W*(?:thanks|thank\s+you|thx|ty)?\W*$`,
    ),
  },
  {
    rule: 'who_is_this',
    weight: 0.4,
    pattern: re(String.raw`^\W*who\s+(?:is|dis)\s*(?:this)?\W*$`),
  },
];

/** Contexts in which stop/cancel/remove/end/wrong number do not concern the texts themselves. */
const FALSE_POSITIVE_CONTEXTS: readonly RegExp[] = [
  /\b(?:can't|cant|cannot|couldn't|couldnt|won't|wont|didn't|didnt|don't|dont|never|bus|non)[\s-]*stop\w*/gu,
  /\bstop(?:ped|ping)?\s+(?:by|in|over|at|sign|light|the\s+(?:delivery|order|payment|shipment|car|check)|my\s+(?:order|delivery|payment|package|subscription|card))\b/gu,
  new RegExp(
    String.raw`\b(?!${CANCEL_SUBSCRIPTION})(?:stop|cancel|remove|end|quit|take|unsub\w*)\w*\s+(?:me\s+)?(?:(?:from|off|of)\s+)?(?:\S+\s+){0,2}?(?:\d+\s*(?:am|pm)?|appointment|appt|order|reservation|booking|class|waitlist|wait\s+list|autopay|delivery|membership|subscription|plan|lease|account|card|fee|meeting|session|lesson|visit|trip|ride|service|premium|newsletter|channel)\b(?!\s+(?:to|for|of)\s+(?:\S+\s+){0,2}?${TEXTS})`,
    'gu',
  ),
  /\bwrong\s+number\s+of\b/gu,
];

const JOKING =
  /\b(?:lol|lmao|haha\w*|hehe\w*|jk)\b|[\u{1F602}\u{1F923}\u{1F606}\u{1F61C}\u{1F61D}]/u;

/** Politeness and filler words that may surround a bare keyword in a clause ("stop please"). */
const FILLER = new Set([
  'PLEASE',
  'PLS',
  'PLZ',
  'NOW',
  'IT',
  'ALREADY',
  'JUST',
  'OK',
  'OKAY',
  'SERIOUSLY',
  'OMG',
  'GOD',
  'DAMN',
  'ASAP',
  'IMMEDIATELY',
  'THANKS',
  'THANK',
  'YOU',
  'THX',
  'TY',
  'SORRY',
  'ALL',
  'KINDLY',
]);

/** Common misspellings of opt-out keywords, and REMOVE, which people use as one. */
const CLAUSE_WORDS = new Map<string, number>([
  ['REMOVE', 0.85],
  ['STP', 0.85],
  ['STOPP', 0.85],
  ['UNSUBSCIBE', 0.85],
  ['UNSUBCRIBE', 0.85],
  ['UNSUSCRIBE', 0.85],
]);

const CLAUSE_SEPARATOR = /[.,!?;:\n\r()"“”]+|\s[-–—]\s/u;

/** Words that make a trailing "stop" a noun ("the next stop"). */
const STOP_NOUN_BEFORE = new Set([
  'the',
  'next',
  'last',
  'a',
  'my',
  'your',
  'first',
  'one',
  'full',
  'pit',
  'truck',
  'rest',
]);

/** NFKC without format characters, lower case, one apostrophe, every space or line break one space. */
function normalise(body: string): string {
  return matchingForm(body)
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC`´]/gu, "'")
    .replace(/[\s\u0085]+/gu, ' ')
    .trim();
}

function blankFalsePositives(text: string): string {
  return FALSE_POSITIVE_CONTEXTS.reduce((t, pattern) => t.replace(pattern, ' · '), text);
}

interface Hit {
  rule: string;
  weight: number;
  cue: string;
}

function clauseHits(text: string, joking: boolean): Hit[] {
  const hits: Hit[] = [];
  for (const clause of text.split(CLAUSE_SEPARATOR)) {
    const words = clause
      .normalize('NFKC')
      .toUpperCase()
      .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
      .split(/\s+/u)
      .filter((w) => w !== '' && !FILLER.has(w));
    if (words.length === 0) continue;
    const core = words.join(' ');
    const keyword = matchKeyword(core);
    const weight = keyword?.kind === 'opt_out' ? 0.9 : CLAUSE_WORDS.get(core);
    if (weight !== undefined) {
      hits.push({
        rule: 'keyword_clause',
        weight: joking ? weight / 2 : weight,
        cue: clause.trim(),
      });
    }
  }
  const tokens = text
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .trim()
    .split(/\s+/u);
  const last = tokens.at(-1);
  const beforeLast = tokens.at(-2);
  if (
    last === 'stop' &&
    tokens.length > 1 &&
    tokens.length <= 8 &&
    !STOP_NOUN_BEFORE.has(beforeLast ?? '')
  ) {
    hits.push({
      rule: 'trailing_stop',
      weight: joking ? 0.425 : 0.85,
      cue: tokens.slice(-3).join(' '),
    });
  }
  return hits;
}

export function scoreRevocation(body: string): RevocationScore {
  const normalised = normalise(body);
  const text = blankFalsePositives(normalised);
  const joking = JOKING.test(normalised);
  const hits: Hit[] = clauseHits(text, joking);
  for (const cue of CUES) {
    const match = cue.pattern.exec(text);
    if (match) {
      const weight = cue.soft === true && joking ? cue.weight / 2 : cue.weight;
      hits.push({ rule: cue.rule, weight, cue: match[0].trim() });
    }
  }
  if (hits.length === 0) return { confidence: 0, cue: '', rules: [] };
  hits.sort((a, b) => b.weight - a.weight);
  const distinct = [...new Set(hits.map((h) => h.rule))];
  const strongest = hits[0] as Hit;
  const confidence = Math.min(0.99, strongest.weight + 0.1 * (distinct.length - 1));
  return { confidence: Math.round(confidence * 100) / 100, cue: strongest.cue, rules: distinct };
}
