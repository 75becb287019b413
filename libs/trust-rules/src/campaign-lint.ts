import {
  DEFAULT_OPT_OUT_LANGUAGE,
  findRestrictedContent,
  findUrlShorteners,
  hasOptOutLanguage,
  identifiesBrand,
  type RestrictedCategory,
} from '@textplane/compliance';
import { TRANSACTIONAL_USECASES } from './vocabulary.js';

/**
 * The campaign lint (issue 12 §1, `POST /v1/trust/campaigns/lint`, also run before every
 * submission): what gets a 10DLC campaign rejected by TCR or the carriers' review, found before
 * the fee is paid. Findings are advice, not validation: the body's shape is `parseCampaign`'s.
 *
 * The content checks are libs/compliance's (brand identification, opt-out language, URL
 * shorteners, restricted content), so a template and a campaign are judged by the same rules.
 */

export const LINT_CODES = [
  'missing_brand_name',
  'missing_opt_out_language',
  'help_without_contact',
  'opt_in_flow_unclear',
  'embedded_link_mismatch',
  'embedded_phone_mismatch',
  'public_url_shortener',
  'use_case_content_mismatch',
  'restricted_content',
] as const;
export type LintCode = (typeof LINT_CODES)[number];

/**
 * The template warning (libs/contracts `TemplateWarningCode`) each lint code corresponds to, for
 * the codes both linters have: the rule is the same compliance function on both sides.
 */
export const TEMPLATE_WARNING_FOR_LINT_CODE = {
  missing_brand_name: 'missing_brand',
  missing_opt_out_language: 'no_opt_out_language',
  public_url_shortener: 'url_shortener',
  restricted_content: 'restricted_content',
} as const satisfies Partial<Record<LintCode, string>>;

export interface LintFinding {
  code: LintCode;
  /** The body field, array items with a dot: `sampleMessages.0`. */
  field: string;
  message: string;
  /** The field's value rewritten, when the fix is mechanical. */
  suggestion?: string | boolean;
}

/** The campaign body as the lint takes it: any field may be missing (the lint still says what it can). */
export interface CampaignLintInput {
  brandId?: string;
  /** A `CampaignUsecase`; any string is taken, only the transactional ones change the lint. */
  usecase?: string;
  description?: string;
  messageFlow?: string;
  sampleMessages?: readonly string[];
  helpMessage?: string;
  optinMessage?: string;
  optoutMessage?: string;
  helpKeywords?: string | readonly string[];
  optinKeywords?: string | readonly string[];
  optoutKeywords?: string | readonly string[];
  embeddedLink?: boolean;
  embeddedPhone?: boolean;
  numberPool?: boolean;
  ageGated?: boolean;
  directLending?: boolean;
}

/** What is known of the brand (from `brandId`); without it the brand-name checks are skipped. */
export interface LintBrand {
  displayName: string;
  companyName?: string;
  /** Contact details a help message may be completed with. */
  email?: string;
  phone?: string;
}

const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,}/iu;
/** A NANP number (optionally +1) or another E.164 number, as a recipient would read it. */
const PHONE =
  /(?<![\p{N}])(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\p{N}])|\+[2-9]\d{7,13}(?![\p{N}])/u;
const COMMON_TLDS =
  'com|net|org|io|co|us|info|biz|app|dev|me|ly|gl|to|gy|at|be|cc|id|li|lol|fr|uk|ca|de|shop|store|online|site|link|page|health|edu|gov';
/** A link: a scheme, `www.`, or a host with a common top-level domain; never an e-mail's domain. */
const LINK = new RegExp(
  String.raw`(?:\b[a-z][a-z0-9+.-]*:\/\/\S+|\bwww\.\S+|(?<![\p{L}\p{N}@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:${COMMON_TLDS})\b(?![@\p{L}]))`,
  'iu',
);
/** A help message's contact: an e-mail, a phone number, or a link. */
const hasContact = (text: string): boolean =>
  EMAIL.test(text) || PHONE.test(text) || LINK.test(text);

/**
 * Promotional wording: strong cues only, so a receipt or an account notice mentioning a
 * "discount applied" or a "deal" is not taken for marketing.
 */
const PROMOTIONAL_CUES: readonly RegExp[] = [
  /\b\d{1,3}\s?%\s?off\b/iu,
  /\$\s?\d+(?:\.\d{2})?\s?off\b/iu,
  /\b(?:promo(?:tional)?|discount|coupon)\s+codes?\b/iu,
  /\bcoupons?\b/iu,
  /\b(?:on sale|(?:big|flash|summer|winter|spring|fall|holiday|clearance|annual|semi-annual|weekend) sale|sale (?:ends|starts|today|now))\b/iu,
  /\b(?:great|best|hot|exclusive|special|today'?s|weekly|daily) deals?\b/iu,
  /\b(?:special|exclusive|limited) offers?\b/iu,
  /\blimited[\s-]time\b/iu,
  /\b(?:buy|shop|order) now\b/iu,
  /\bfree shipping\b/iu,
  /\b(?:bogo|buy one,? get one)\b/iu,
  /\bsave (?:up to |an extra )?(?:\$\s?\d+|\d{1,3}\s?%)/iu,
  /\bdon'?t miss (?:out|our|this)\b/iu,
  /\b(?:black friday|cyber monday)\b/iu,
  /\bnew arrivals\b/iu,
];

function promotionalCue(text: string): string | null {
  const normalised = text.normalize('NFKC').replace(/[\u2018\u2019]/gu, "'");
  for (const cue of PROMOTIONAL_CUES) {
    const match = cue.exec(normalised);
    if (match) return match[0];
  }
  return null;
}

/**
 * A message flow must say where consent is collected (a web form, a keyword texted to the number,
 * a paper form, in person, by phone, in an app...) and how (the person opts in, agrees, ticks a
 * box, texts a keyword, gives their number to receive texts): TCR's "call to action" review.
 */
const FLOW_WHERE: readonly RegExp[] = [
  /\b(?:web\s?site|web\s?page|web\s?form|online|landing page|portal)\b/iu,
  /\b(?:https?:\/\/|www\.)/iu,
  /\b(?:mobile |our |the )?app\b/iu,
  /\b(?:in[\s-]store|in[\s-]person|at (?:the )?checkout|checkout page|point[\s-]of[\s-]sale|front desk|kiosk|counter)\b/iu,
  /\b(?:forms?|sign[\s-]?up sheets?)\b/iu,
  /\bqr code\b/iu,
  /\b(?:by|over the|on a) (?:phone|call)\b|\bverbal(?:ly)?\b/iu,
  /\b(?:texts?|texting|sends?|sending|replies|replying|reply)\s+(?:the keyword\s+)?["'“]?[A-Z0-9]{2,}["'”]?\s+to\b/u,
  /\bkeyword\b/iu,
];
const FLOW_HOW: readonly RegExp[] = [
  /\bopt(?:s|ed|ing)?[\s-]?in\b/iu,
  /\bconsent(?:s|ed|ing)?\b/iu,
  /\bagree(?:s|d|ing)?\b/iu,
  /\b(?:check|tick)(?:s|ed|ing)?\s+(?:a|the|an)?\s*(?:\w+\s+)?(?:box|checkbox)\b|\bcheck\s?box\b/iu,
  /\bsign(?:s|ed|ing)?[\s-]up\b/iu,
  /\bsubscrib(?:e|es|ed|ing)\b/iu,
  /\benrol(?:l|ls|led|ling)?\b/iu,
  /\b(?:provide|provides|enter|enters|give|gives|submit|submits)\s+(?:their|his|her|a|the|your)?\s*(?:mobile|cell|phone)(?:\s+(?:phone\s+)?number)?/iu,
  /\b(?:texts?|texting|sends?|sending|replies|replying|reply)\s+(?:the keyword\s+)?["'“]?[A-Z0-9]{2,}["'”]?\s+to\b/u,
  /\brequest(?:s|ed|ing)?\b/iu,
];

const RESTRICTED_NOTES: Partial<Record<RestrictedCategory, (c: CampaignLintInput) => string>> = {
  alcohol: (c) => (c.ageGated === true ? 'age-gated as declared' : 'needs ageGated: true at least'),
  firearms: (c) =>
    c.ageGated === true ? 'age-gated as declared' : 'needs ageGated: true at least',
  tobacco_vaping: (c) =>
    c.ageGated === true ? 'age-gated as declared' : 'needs ageGated: true at least',
  payday_loans: (c) =>
    c.directLending === true ? 'direct lending as declared' : 'needs directLending: true at least',
  debt_relief: (c) =>
    c.directLending === true ? 'direct lending as declared' : 'third-party debt relief is refused',
};

/** `text` with `sentence` appended, after a full stop if the text does not end a sentence. */
function appendSentence(text: string, sentence: string): string {
  const trimmed = text.trimEnd();
  if (trimmed === '') return sentence;
  return /[.!?)\]"'”’]$/u.test(trimmed) ? `${trimmed} ${sentence}` : `${trimmed}. ${sentence}`;
}

const brandNames = (brand: LintBrand): string[] =>
  [brand.displayName, brand.companyName ?? ''].filter((name) => name.trim() !== '');

const namesBrand = (text: string, brand: LintBrand): boolean =>
  brandNames(brand).some((name) => identifiesBrand(text, name));

function brandFinding(field: string, text: string, brand: LintBrand, what: string): LintFinding {
  return {
    code: 'missing_brand_name',
    field,
    message: `${what} does not name the brand (${brandNames(brand).join(' or ')}): carriers reject campaigns whose messages do not identify the sender`,
    suggestion: `${brand.displayName}: ${text.trimStart()}`,
  };
}

function contentFindings(field: string, text: string, campaign: CampaignLintInput): LintFinding[] {
  const findings: LintFinding[] = [];
  const shorteners = findUrlShorteners(text);
  if (shorteners.length > 0) {
    findings.push({
      code: 'public_url_shortener',
      field,
      message: `links through a public URL shortener (${shorteners.join(', ')}), which carriers filter: use the full link or a branded short domain`,
    });
  }
  const restricted = findRestrictedContent(text);
  if (restricted.length > 0) {
    const found = restricted.map((finding) => {
      const note = RESTRICTED_NOTES[finding.category]?.(campaign);
      return `${finding.term} (${finding.category}${note === undefined ? '' : `; ${note}`})`;
    });
    findings.push({
      code: 'restricted_content',
      field,
      message: `restricted content carriers review or refuse: ${found.join(', ')}`,
    });
  }
  return findings;
}

export function lintCampaign(campaign: CampaignLintInput, brand?: LintBrand | null): LintFinding[] {
  const findings: LintFinding[] = [];
  const samples = campaign.sampleMessages ?? [];
  const knownBrand = brand ?? null;
  const transactional = (TRANSACTIONAL_USECASES as readonly string[]).includes(
    campaign.usecase ?? '',
  );

  // The message flow: where and how consent is collected.
  const flow = campaign.messageFlow?.trim() ?? '';
  if (flow === '') {
    findings.push({
      code: 'opt_in_flow_unclear',
      field: 'messageFlow',
      message: 'no message flow: say where and how each recipient gives consent to receive texts',
    });
  } else {
    const where = LINK.test(flow) || FLOW_WHERE.some((cue) => cue.test(flow));
    const how = FLOW_HOW.some((cue) => cue.test(flow));
    if (!where || !how) {
      const missing = [
        where
          ? null
          : 'where consent is collected (web form URL, keyword and number, paper form, in person, app)',
        how
          ? null
          : 'how the person consents (checks a box, texts a keyword, agrees to receive texts)',
      ].filter((part) => part !== null);
      findings.push({
        code: 'opt_in_flow_unclear',
        field: 'messageFlow',
        message: `the message flow does not say ${missing.join(', nor ')}`,
      });
    }
    findings.push(
      ...contentFindings('messageFlow', flow, campaign).filter(
        (f) => f.code === 'public_url_shortener',
      ),
    );
  }

  // Samples.
  samples.forEach((sample, index) => {
    const field = `sampleMessages.${index}`;
    if (knownBrand !== null && !namesBrand(sample, knownBrand)) {
      findings.push(brandFinding(field, sample, knownBrand, 'the sample'));
    }
    findings.push(...contentFindings(field, sample, campaign));
    if (transactional) {
      const cue = promotionalCue(sample);
      if (cue !== null) {
        findings.push({
          code: 'use_case_content_mismatch',
          field,
          message: `promotional wording ("${cue}") in a ${campaign.usecase} campaign: marketing needs a MARKETING or MIXED campaign`,
        });
      }
    }
  });
  if (samples.length > 0 && !samples.some((sample) => hasOptOutLanguage(sample))) {
    const first = samples[0] ?? '';
    findings.push({
      code: 'missing_opt_out_language',
      field: 'sampleMessages.0',
      message: 'no sample says how to opt out: at least one, usually the first message, must',
      suggestion: appendSentence(first, DEFAULT_OPT_OUT_LANGUAGE),
    });
  }

  // Help, opt-in and opt-out messages.
  const help = campaign.helpMessage;
  if (help !== undefined && help.trim() !== '') {
    if (knownBrand !== null && !namesBrand(help, knownBrand)) {
      findings.push(brandFinding('helpMessage', help, knownBrand, 'the help message'));
    }
    if (!hasContact(help)) {
      const contact = [knownBrand?.email, knownBrand?.phone].filter(
        (c): c is string => c !== undefined && c.trim() !== '',
      );
      findings.push({
        code: 'help_without_contact',
        field: 'helpMessage',
        message:
          'the help message gives no contact (an e-mail address, a phone number or a support link)',
        ...(contact.length > 0
          ? { suggestion: appendSentence(help, `Contact us at ${contact.join(' or ')}.`) }
          : {}),
      });
    }
    findings.push(...contentFindings('helpMessage', help, campaign));
  }
  const optin = campaign.optinMessage;
  if (optin !== undefined && optin.trim() !== '') {
    if (knownBrand !== null && !namesBrand(optin, knownBrand)) {
      findings.push(brandFinding('optinMessage', optin, knownBrand, 'the opt-in confirmation'));
    }
    if (!hasOptOutLanguage(optin)) {
      findings.push({
        code: 'missing_opt_out_language',
        field: 'optinMessage',
        message: 'the opt-in confirmation does not say how to opt out',
        suggestion: appendSentence(optin, DEFAULT_OPT_OUT_LANGUAGE),
      });
    }
    findings.push(...contentFindings('optinMessage', optin, campaign));
  }
  const optout = campaign.optoutMessage;
  if (optout !== undefined && optout.trim() !== '') {
    if (knownBrand !== null && !namesBrand(optout, knownBrand)) {
      findings.push(brandFinding('optoutMessage', optout, knownBrand, 'the opt-out confirmation'));
    }
    findings.push(...contentFindings('optoutMessage', optout, campaign));
  }

  // Declared flags against the samples.
  const withLink = samples.flatMap((sample, index) => (LINK.test(sample) ? [index] : []));
  if (withLink.length > 0 && campaign.embeddedLink !== true) {
    findings.push({
      code: 'embedded_link_mismatch',
      field: 'embeddedLink',
      message: `samples ${withLink.join(', ')} hold a link while embeddedLink is not true`,
      suggestion: true,
    });
  } else if (withLink.length === 0 && campaign.embeddedLink === true && samples.length > 0) {
    findings.push({
      code: 'embedded_link_mismatch',
      field: 'embeddedLink',
      message:
        'embeddedLink is true but no sample holds a link: add one with the real domain, or declare false',
      suggestion: false,
    });
  }
  const withPhone = samples.flatMap((sample, index) => (PHONE.test(sample) ? [index] : []));
  if (withPhone.length > 0 && campaign.embeddedPhone !== true) {
    findings.push({
      code: 'embedded_phone_mismatch',
      field: 'embeddedPhone',
      message: `samples ${withPhone.join(', ')} hold a phone number while embeddedPhone is not true`,
      suggestion: true,
    });
  } else if (withPhone.length === 0 && campaign.embeddedPhone === true && samples.length > 0) {
    findings.push({
      code: 'embedded_phone_mismatch',
      field: 'embeddedPhone',
      message: 'embeddedPhone is true but no sample holds a phone number',
      suggestion: false,
    });
  }

  return findings;
}
