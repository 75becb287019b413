import { describe, expect, it } from 'vitest';
import { classifyReply } from './classify-reply.js';
import { HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from './keywords.js';

/** The ways a handset user wraps a bare keyword; `k` is the keyword as typed. */
const VARIANTS: ReadonlyArray<readonly [string, (k: string) => string]> = [
  ['upper', (k) => k.toUpperCase()],
  ['lower', (k) => k.toLowerCase()],
  ['title', (k) => k.charAt(0).toUpperCase() + k.slice(1).toLowerCase()],
  ['surrounding spaces', (k) => `  ${k}  `],
  ['trailing period', (k) => `${k}.`],
  ['exclamations', (k) => `${k}!!!`],
  ['markdown stars', (k) => `**${k}**`],
  ['quotes', (k) => `"${k}"`],
  ['emoji after', (k) => `${k} 🛑`],
  ['emoji glued', (k) => `${k}😡`],
  ['own line after text', (k) => `Thanks for the info\n${k}`],
  ['own line before text', (k) => `${k}\nSent from my iPhone`],
  ['own line, CRLF', (k) => `who is this?\r\n${k}\r\n`],
  ['repeated', (k) => `${k} ${k}`],
  // What a handset or carrier glues on by mistake, and U+FFFD, which the gateway stores in place
  // of characters Postgres refuses (U+0000, lone surrogates): read as punctuation.
  ['NUL after', (k) => `${k}\u0000`],
  ['NUL around', (k) => `\u0000${k}\u0000`],
  ['lone high surrogate after', (k) => `${k}\ud800`],
  ['lone low surrogate before', (k) => `\udc00${k}`],
  ['replacement character after', (k) => `${k}\ufffd`],
  ['control characters around', (k) => `\u0007${k}\u001b`],
];

const SPELLINGS: Record<string, readonly string[]> = {
  'STOP ALL': ['stop all', 'STOP-ALL', 'stop_all', 'Stop   All'],
  'OPT OUT': ['opt out', 'opt-out', 'opt_out', 'Opt  Out'],
};

describe('opt-out keywords', () => {
  const cases = OPT_OUT_KEYWORDS.flatMap((keyword) =>
    (SPELLINGS[keyword] ?? [keyword]).flatMap((typed) =>
      VARIANTS.map(([variant, wrap]) => ({ keyword, variant, body: wrap(typed) })),
    ),
  );

  it.each(cases)('$keyword ($variant): $body', ({ keyword, body }) => {
    expect(classifyReply(body)).toEqual({ kind: 'opt_out', keyword });
  });

  it('keeps STOPALL and OPTOUT as their own canonical keywords', () => {
    expect(classifyReply('stopall')).toEqual({ kind: 'opt_out', keyword: 'STOPALL' });
    expect(classifyReply('OptOut!')).toEqual({ kind: 'opt_out', keyword: 'OPTOUT' });
  });

  it('normalises full-width letters', () => {
    expect(classifyReply('ＳＴＯＰ')).toEqual({ kind: 'opt_out', keyword: 'STOP' });
  });

  it.each([
    ['zero-width space', 'ST\u200bOP'],
    ['soft hyphen', 's\u00adtop'],
    ['word joiner', 'S\u2060TOP'],
    ['BOM', 'STO\uFEFFP'],
    ['zero-width joiner', 'UNSUB\u200dSCRIBE'],
    ['zero-width non-joiner', 'opt\u200c out'],
    ['left-to-right mark', '\u200eSTOP\u200f'],
    ['on its own line', 'thanks\nS\u200bTOP'],
  ])('ignores invisible format characters inside a keyword (%s)', (_name, body) => {
    expect(classifyReply(body)).toMatchObject({ kind: 'opt_out' });
  });

  it.each([
    ['vertical tab', 'Thanks for the info\vSTOP'],
    ['form feed', 'Thanks for the info\fSTOP'],
    ['next line (U+0085)', 'Thanks for the info\u0085STOP'],
    ['line separator (U+2028)', 'Thanks for the info\u2028STOP'],
    ['paragraph separator (U+2029)', 'Thanks for the info\u2029STOP'],
  ])('takes %s as a line break for a keyword alone on a line', (_name, body) => {
    expect(classifyReply(body)).toEqual({ kind: 'opt_out', keyword: 'STOP' });
  });

  it.each(['Thanks\vHELP', 'Thanks\u0085HELP'])('…for HELP too: %j', (body) => {
    expect(classifyReply(body)).toEqual({ kind: 'help', keyword: 'HELP' });
  });
});

describe.each([
  ['opt_in', OPT_IN_KEYWORDS],
  ['help', HELP_KEYWORDS],
] as const)('%s keywords', (kind, keywords) => {
  const cases = keywords.flatMap((keyword) =>
    VARIANTS.map(([variant, wrap]) => ({ keyword, variant, body: wrap(keyword) })),
  );
  it.each(cases)('$keyword ($variant)', ({ keyword, body }) => {
    expect(classifyReply(body)).toEqual({ kind, keyword });
  });
});

describe('precedence', () => {
  it.each([
    ['START\nSTOP', { kind: 'opt_out', keyword: 'STOP' }],
    ['STOP\nSTART', { kind: 'opt_out', keyword: 'STOP' }],
    ['HELP\nSTOP', { kind: 'opt_out', keyword: 'STOP' }],
    ['YES\nHELP', { kind: 'help', keyword: 'HELP' }],
    ['info\nstart', { kind: 'help', keyword: 'INFO' }],
  ] as const)('%j', (body, expected) => {
    expect(classifyReply(body)).toEqual(expected);
  });

  it('a confident free-text revocation beats HELP and opt-in lines', () => {
    expect(classifyReply('YES\nplease stop texting me')).toMatchObject({ kind: 'revocation' });
    expect(classifyReply('HELP\nremove me from your list')).toMatchObject({ kind: 'revocation' });
  });
});

describe('keywords inside a sentence are not keyword matches', () => {
  it.each([
    'Stop by our store',
    "I can't stop laughing",
    'when does the sale end?',
    'cancel my appointment',
    'Can I cancel my order?',
    'stop by after 5',
    'end of month works',
    'Yes, cancel my 3pm',
    'cancel my gym subscription',
    'How do I cancel my Netflix subscription?',
    'when does my subscription end?',
    "Don't text while driving haha",
    'I do not consent to the late fee, call me',
    'Start date?',
    'I quit my job lol',
    'Thanks for the help!',
    'You sent the wrong number of items',
  ])('%j → none', (body) => {
    expect(classifyReply(body)).toEqual({ kind: 'none' });
  });
});

describe('free-text revocations', () => {
  it.each([
    'please stop texting me',
    'remove me from your list',
    "don't text me again",
    'wrong number, stop',
    'take me off this list',
    'unsubscribe me please',
    'leave me alone',
    'who is this? stop messaging me',
    'no more texts',
    'I never signed up for this, stop',
    'pls stop txting me',
    'Do not send me any more texts',
  ])('%j → revocation', (body) => {
    const intent = classifyReply(body);
    expect(intent.kind).toBe('revocation');
    if (intent.kind === 'revocation') {
      expect(intent.confidence).toBeGreaterThanOrEqual(0.8);
      expect(intent.confidence).toBeLessThanOrEqual(1);
      expect(intent.cue).not.toBe('');
    }
  });

  it.each([
    'I revoke my consent',
    'I revoke consent',
    'revoke consent',
    'I withdraw my consent',
    'I withdraw consent',
    'I do not consent',
    "I don't consent",
    'I no longer consent',
    'consent revoked',
    'Consent withdrawn.',
    'Please do not text',
    'do not text',
    "don't text",
    'dont text',
    'Don’t text!',
    'pls dont text thanks',
  ])('%j → revocation (revoking consent; "do not text" with no object)', (body) => {
    expect(classifyReply(body)).toMatchObject({ kind: 'revocation' });
  });

  it.each([
    'please st\u200bop tex\u00adting me',
    'leave me al\u2060one',
    'pls un\uFEFFsubscribe me',
    'please stop\u0085texting me',
  ])('ignores format characters and U+0085 in free text: %j', (body) => {
    expect(classifyReply(body)).toMatchObject({ kind: 'revocation' });
  });

  it('names the phrase that triggered', () => {
    expect(classifyReply('Hi, please stop texting me, thanks')).toMatchObject({
      kind: 'revocation',
      cue: 'stop texting',
    });
  });
});

describe('ambiguous replies go to review', () => {
  it.each([
    'not interested',
    'why do you keep texting',
    "please don't",
    "I'm good thanks",
    'no thanks',
    // A product subscription is possible: a human decides.
    'cancel my subscription',
    'end my subscription',
    'cancel subscription',
    'Please cancel my subscription.',
  ])('%j → possible_revocation', (body) => {
    const intent = classifyReply(body);
    expect(intent.kind).toBe('possible_revocation');
    if (intent.kind === 'possible_revocation') {
      expect(intent.confidence).toBeGreaterThanOrEqual(0.4);
      expect(intent.confidence).toBeLessThan(0.8);
    }
  });

  it('a joke halves a bare stop', () => {
    expect(classifyReply('omg stop 😂').kind).toBe('possible_revocation');
  });
});

it.each(['', '   ', '👍', 'ok', 'See you at 3'])('%j → none', (body) => {
  expect(classifyReply(body)).toEqual({ kind: 'none' });
});
