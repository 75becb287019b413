import type {
  ComplianceReason,
  MessagePurpose,
  RestrictedContentPolicy,
} from '@textplane/contracts';
import { type ConsentStanding, type MessageChannel } from './consent/index.js';
import { findRestrictedContent, findUrlShorteners } from './content/index.js';
import { nextAllowedSendTime, type RecipientLocale, recipientLocale } from './quiet-hours/index.js';

export interface ComplianceCheck {
  /** The body as it would be sent, compliance additions included. */
  body: string;
  purpose: MessagePurpose;
  channel: MessageChannel;
  /** The recipient; null for a preview without one (its zone is then the contact's or tenant's). */
  to: string | null;
  /** The instant the message would go out. */
  at: Date;
  /** The recipient's consent standing; null when no recipient is known (consent is not judged). */
  standing: ConsentStanding | null;
  tenant: { timeZone: string; restrictedContent: RestrictedContentPolicy };
  contactTimeZone?: string | undefined;
  /** An automatic reply to a STOP/START/HELP: it must reach the person whatever their standing. */
  autoReply?: boolean;
}

export type ComplianceVerdict =
  | { verdict: 'send'; reasons: []; flags: string[]; locale: RecipientLocale }
  | {
      verdict: 'hold';
      reasons: ['quiet_hours_held'];
      sendAt: Date;
      flags: string[];
      locale: RecipientLocale;
    }
  | {
      verdict: 'block';
      reasons: ComplianceReason[];
      detail: string;
      flags: string[];
      locale: RecipientLocale;
    };

/**
 * The one compliance decision, used by the preview and right before every carrier call:
 * consent and DND first, then content, then quiet hours (a blocked message is never held).
 */
export function evaluateCompliance(check: ComplianceCheck): ComplianceVerdict {
  const locale = recipientLocale({
    phone: check.to ?? '',
    contactTimeZone: check.contactTimeZone,
    tenantTimeZone: check.tenant.timeZone,
  });
  if (check.autoReply) return { verdict: 'send', reasons: [], flags: [], locale };

  const reasons: ComplianceReason[] = [];
  const details: string[] = [];
  const flags: string[] = [];
  const { standing, channel, purpose } = check;
  if (standing?.optedOut[channel]) {
    reasons.push('recipient_opted_out');
    details.push(`the recipient opted out of ${channel}`);
  }
  if (standing?.dnd[channel]) {
    reasons.push('dnd_active');
    details.push(`do-not-disturb is set for ${channel}`);
  }
  if (standing && purpose === 'marketing' && !standing.grants.marketing[channel]) {
    reasons.push('no_marketing_consent');
    details.push(`no marketing consent for ${channel} is on record`);
  }
  const shorteners = findUrlShorteners(check.body);
  if (shorteners.length > 0) {
    reasons.push('content_rejected');
    details.push(
      `links through public URL shorteners (${shorteners.join(', ')}) are filtered by carriers; use the full URL on your own domain`,
    );
  }
  const restricted = findRestrictedContent(check.body);
  for (const finding of restricted) flags.push(`restricted_content:${finding.category}`);
  if (restricted.length > 0 && check.tenant.restrictedContent === 'block') {
    if (!reasons.includes('content_rejected')) reasons.push('content_rejected');
    details.push(
      `restricted content (${restricted.map((f) => `${f.category}: "${f.term}"`).join(', ')})`,
    );
  }
  if (reasons.length > 0) {
    return { verdict: 'block', reasons, detail: details.join('; '), flags, locale };
  }
  if (purpose === 'marketing') {
    const sendAt = nextAllowedSendTime(check.at, locale);
    if (sendAt.getTime() !== check.at.getTime()) {
      return { verdict: 'hold', reasons: ['quiet_hours_held'], sendAt, flags, locale };
    }
  }
  return { verdict: 'send', reasons: [], flags, locale };
}
