import { findRestrictedContent, findUrlShorteners } from '@textplane/compliance';
import type { TenantComplianceProfile } from '@textplane/contracts';
import type { FieldViolation } from '../problems/api-error.js';

/**
 * The longest automatic reply a tenant may set, counted as it will be sent: placeholders filled
 * and the brand the consent service puts in front of a text that does not name it.
 */
export const MAX_REPLY_LENGTH = 320;

/** The placeholders the consent service fills in (services/consent auto-replies). */
export const REPLY_PLACEHOLDERS = ['brand', 'supportContact', 'frequency'] as const;
type Placeholder = (typeof REPLY_PLACEHOLDERS)[number];

/** What the consent service puts in when the tenant sets no contact or frequency. */
const DEFAULT_FREQUENCY = 'Msg frequency varies';
const defaultSupportContact = (defaultSender: string) => `us at ${defaultSender}`;

type TextField =
  | 'supportContact'
  | 'messageFrequency'
  | 'helpText'
  | 'optOutConfirmationText'
  | 'optInConfirmationText';
const TEXT_FIELDS: readonly TextField[] = [
  'supportContact',
  'messageFrequency',
  'helpText',
  'optOutConfirmationText',
  'optInConfirmationText',
];
const TEMPLATE_FIELDS = ['helpText', 'optOutConfirmationText', 'optInConfirmationText'] as const;
const CONFIRMATIONS: ReadonlySet<TextField> = new Set([
  'optOutConfirmationText',
  'optInConfirmationText',
]);

const PLACEHOLDER_LIKE = /\{([^{}\s]*)\}/g;
/**
 * A web address: a scheme, `www.`, or a host name ending in a lower-case top-level label, not
 * the domain of an e-mail address. An upper-case ending is left out so that a missing space
 * ("unsubscribed.Reply") is not taken for a link.
 */
const WEB_ADDRESS =
  /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+|\b[wW]{3}\.\S+|(?<![\p{L}\p{N}@._-])(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-z]{2,63}(?![\p{L}\p{N}_-]|@)/u;
const EMAIL = /[^\s@]+@[^\s@]+\.[a-z]{2,63}/i;
/** A phone number: at least seven digits, possibly grouped by spaces, dots, dashes, brackets. */
const PHONE = /\+?\d(?:[\s().-]*\d){6,}/;

/**
 * What the schema cannot say about a tenant's automatic replies. They are texted in the tenant's
 * name and skip the content checks of ordinary messages, so they are checked here, at the edge,
 * before anything is recorded:
 * - no link through a public URL shortener, and no SHAFT or high-risk financial content, in any
 *   text (the contact and frequency are filled into the others);
 * - no link at all in an opt-out or opt-in confirmation: CTIA wants confirmations free of
 *   marketing, and a link is how marketing gets into a text. A help page belongs in the HELP
 *   answer or the support contact;
 * - the HELP answer says how to get help: the {supportContact} placeholder, the contact itself,
 *   or a phone number, e-mail or web address;
 * - only the placeholders the consent service fills ({brand}, {supportContact}, {frequency});
 * - at most MAX_REPLY_LENGTH characters as sent.
 */
export function checkComplianceTexts(tenant: {
  brandName: string;
  defaultSender: string;
  compliance?: TenantComplianceProfile | undefined;
}): FieldViolation[] {
  const compliance = tenant.compliance ?? {};
  const violations: FieldViolation[] = [];
  const refuse = (field: TextField, message: string) =>
    violations.push({ field: `compliance.${field}`, message });

  for (const field of TEXT_FIELDS) {
    const text = compliance[field];
    if (text === undefined) continue;
    const shorteners = findUrlShorteners(text);
    if (shorteners.length > 0) {
      refuse(
        field,
        `links through a public URL shortener (${shorteners.join(', ')}), which carriers ` +
          'filter: use the full URL',
      );
    }
    const restricted = findRestrictedContent(text);
    if (restricted.length > 0) {
      refuse(
        field,
        `has restricted content (${restricted.map((f) => `${f.category}: "${f.term}"`).join(', ')})`,
      );
    }
  }

  const values: Readonly<Record<Placeholder, string>> = {
    brand: tenant.brandName.trim(),
    supportContact: compliance.supportContact ?? defaultSupportContact(tenant.defaultSender),
    frequency: compliance.messageFrequency ?? DEFAULT_FREQUENCY,
  };
  for (const field of TEMPLATE_FIELDS) {
    const template = compliance[field];
    if (template === undefined) continue;
    const unknown = [...template.matchAll(PLACEHOLDER_LIKE)]
      .map((m) => m[0])
      .filter((p) => !REPLY_PLACEHOLDERS.some((name) => p === `{${name}}`));
    if (unknown.length > 0) {
      refuse(
        field,
        `has unknown placeholders ${[...new Set(unknown)].join(', ')}: use {brand}, ` +
          '{supportContact} or {frequency}',
      );
    }
    const sent = asSent(template, values);
    if (CONFIRMATIONS.has(field) && WEB_ADDRESS.test(sent)) {
      refuse(field, 'must not contain a link: a confirmation carries no marketing (CTIA)');
    }
    if (sent.length > MAX_REPLY_LENGTH) {
      refuse(
        field,
        `is ${sent.length} characters as sent (placeholders filled, brand added); at most ` +
          `${MAX_REPLY_LENGTH}`,
      );
    }
    if (field === 'helpText' && !saysHowToGetHelp(template, compliance.supportContact)) {
      refuse(
        field,
        'must say how to get help: use {supportContact}, or give a phone number, e-mail or ' +
          'web address',
      );
    }
  }
  return violations;
}

function asSent(template: string, values: Readonly<Record<Placeholder, string>>): string {
  const filled = template
    .replace(/\{(brand|supportContact|frequency)\}/g, (_m, name: Placeholder) => values[name])
    .trim();
  return filled.toLowerCase().includes(values.brand.toLowerCase())
    ? filled
    : `${values.brand}: ${filled}`;
}

function saysHowToGetHelp(template: string, supportContact: string | undefined): boolean {
  if (template.includes('{supportContact}')) return true;
  if (supportContact !== undefined && template.includes(supportContact.trim())) return true;
  if (PHONE.test(template) || EMAIL.test(template)) return true;
  // A web address counts, but not one through a shortener (refused above anyway).
  return WEB_ADDRESS.test(template) && findUrlShorteners(template).length === 0;
}
