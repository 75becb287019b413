import { identifiesBrand } from './brand-identification.js';
import { DEFAULT_OPT_OUT_LANGUAGE, hasOptOutLanguage } from './opt-out-language.js';

export interface ComplianceAdditionsInput {
  body: string;
  brandName: string;
  /** Same union as `MessagePurpose` in @textplane/contracts. */
  purpose: 'conversational' | 'transactional' | 'marketing';
  firstMessageToContact: boolean;
  /**
   * The tenant's periodic opt-out reminder is due for this contact (see optOutReminderDue): a
   * transactional or conversational text gets the opt-out line too. Absent: not due.
   */
  optOutReminderDue?: boolean;
}

export interface ComplianceAdditions {
  /** The body to send: prefix + original body + suffix. */
  body: string;
  prefix: string | null;
  suffix: string | null;
  /** What was added, in reading order, for display ("Acme: … Reply STOP to opt out."). */
  added: string | null;
}

/**
 * Adds what carriers require and the sender left out: the brand on the first message to a
 * contact, and opt-out language on marketing (and on other texts when the tenant's periodic
 * reminder is due). Idempotent: running it on its own output adds
 * nothing. The separator before the opt-out language is a newline (a GSM-7 character, one unit).
 */
export function complianceAdditions(input: ComplianceAdditionsInput): ComplianceAdditions {
  const brand = input.brandName.trim();
  const prefix =
    input.firstMessageToContact && brand !== '' && !identifiesBrand(input.body, brand)
      ? `${brand}: `
      : null;
  const needsOptOut =
    (input.purpose === 'marketing' || input.optOutReminderDue === true) &&
    !hasOptOutLanguage(input.body);
  const separator = input.body === '' || /\s$/u.test(input.body) ? '' : '\n';
  const suffix = needsOptOut ? `${separator}${DEFAULT_OPT_OUT_LANGUAGE}` : null;
  const shown = [prefix?.trimEnd(), suffix?.trim()].filter((part) => part !== undefined);
  return {
    body: `${prefix ?? ''}${input.body}${suffix ?? ''}`,
    prefix,
    suffix,
    added: shown.length === 0 ? null : shown.join(' … '),
  };
}
