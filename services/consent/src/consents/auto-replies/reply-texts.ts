import { findRestrictedContent, findUrlShorteners } from '@textplane/compliance';
import type { TenantComplianceProfile } from '@textplane/contracts';

/** The three compliance replies of one tenant, ready to send. */
export interface ReplyTexts {
  optOutConfirmation: string;
  optInConfirmation: string;
  help: string;
}

/** What the replies are written from: the tenant as the gateway announced it. */
export interface TenantReplyProfile {
  brandName: string;
  defaultSender: string;
  compliance?: TenantComplianceProfile | undefined;
}

/**
 * CTIA-minded defaults: brand first, no marketing, the way back in (START) or out (STOP), and
 * on HELP the frequency, the rates disclosure and a contact. Tenant texts may use the same
 * placeholders: {brand}, {supportContact}, {frequency}.
 */
export const defaultReplyTemplates: Readonly<ReplyTexts> = Object.freeze({
  optOutConfirmation:
    '{brand}: You are unsubscribed and will receive no more messages. Reply START to resubscribe.',
  optInConfirmation:
    '{brand}: You are resubscribed. {frequency}. Msg & data rates may apply. Reply HELP for help, STOP to opt out.',
  help: '{brand}: For help, contact {supportContact}. {frequency}. Msg & data rates may apply. Reply STOP to opt out.',
});

export const defaultMessageFrequency = 'Msg frequency varies';

const RATES_DISCLOSURE = 'Msg & data rates may apply.';
const mentionsRates = /msg\s*&\s*data\s+rates|message\s+and\s+data\s+rates/i;

/** The tenant's replies, its own texts where it set them, the defaults elsewhere. */
export function replyTextsFor(tenant: TenantReplyProfile): ReplyTexts {
  const compliance = tenant.compliance ?? {};
  const values: Readonly<Record<Placeholder, string>> = {
    brand: tenant.brandName.trim(),
    // Without a contact the person can still write or call the number they texted.
    supportContact: withoutFinalPeriod(
      sendable(compliance.supportContact) ?? `us at ${tenant.defaultSender}`,
    ),
    frequency: withoutFinalPeriod(sendable(compliance.messageFrequency) ?? defaultMessageFrequency),
  };
  const render = (custom: string | undefined, fallback: string): string => {
    const brand = (template: string) => withBrand(fill(template, values), values.brand);
    const text = custom === undefined ? undefined : sendable(brand(custom));
    return text ?? brand(fallback);
  };
  return {
    optOutConfirmation: render(
      compliance.optOutConfirmationText,
      defaultReplyTemplates.optOutConfirmation,
    ),
    optInConfirmation: render(
      compliance.optInConfirmationText,
      defaultReplyTemplates.optInConfirmation,
    ),
    // A HELP answer without the rates disclosure is not compliant, whoever wrote it.
    help: withRatesDisclosure(render(compliance.helpText, defaultReplyTemplates.help)),
  };
}

/**
 * The gateway refuses tenant texts that carriers filter (a link through a public shortener,
 * SHAFT or high-risk content); one recorded before it did is not sent: the default goes instead.
 */
function sendable(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return findUrlShorteners(text).length > 0 || findRestrictedContent(text).length > 0
    ? undefined
    : text;
}

type Placeholder = 'brand' | 'supportContact' | 'frequency';
const placeholder = /\{(brand|supportContact|frequency)\}/g;

function fill(template: string, values: Readonly<Record<Placeholder, string>>): string {
  return template.replace(placeholder, (_match, name: Placeholder) => values[name]).trim();
}

/** Every compliance reply names the business it comes from; a custom text that does not gets it. */
function withBrand(text: string, brand: string): string {
  return text.toLowerCase().includes(brand.toLowerCase()) ? text : `${brand}: ${text}`;
}

function withRatesDisclosure(text: string): string {
  if (mentionsRates.test(text)) return text;
  return `${/[.!?]$/.test(text) ? text : `${text}.`} ${RATES_DISCLOSURE}`;
}

/** "Up to 4 msgs/month." is followed by its own ". " in the templates. */
function withoutFinalPeriod(value: string): string {
  return value.trim().replace(/\.+$/, '');
}
