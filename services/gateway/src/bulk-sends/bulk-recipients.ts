import type { ComplianceReason } from '@textplane/contracts';
import type { ContactResource } from '../contacts/contact.resource.js';

/** `recipients.tags` of a bulk send: a contact matches when it has any / all / none of them. */
export interface TagFilter {
  any?: string[];
  all?: string[];
  none?: string[];
}

/**
 * Whether a contact's tags pass the filter: at least one of `any` (when given), every one of
 * `all`, and none of `none`. An absent or empty list does not restrict.
 */
export function matchesTags(tags: readonly string[], filter: TagFilter): boolean {
  const has = new Set(tags);
  if (filter.any && filter.any.length > 0 && !filter.any.some((tag) => has.has(tag))) return false;
  if (filter.all && !filter.all.every((tag) => has.has(tag))) return false;
  if (filter.none && filter.none.some((tag) => has.has(tag))) return false;
  return true;
}

/** The contacts a bulk send takes, in its fixed order, each phone once. */
export interface OrderedRecipients {
  /** One per phone, in recipient order: the first contact (in order) with that phone. */
  candidates: ContactResource[];
  /** The later contacts that share a phone with an earlier one (`skipped: duplicate_phone`). */
  duplicatePhone: ContactResource[];
}

/**
 * Issue 11 §1: one phone number gets one message even if several contacts share it; the later
 * contacts in recipient order are skipped with `duplicate_phone`. A contact id given twice is
 * the same phone again, so its second place is a duplicate too.
 */
export function orderRecipients(ordered: readonly ContactResource[]): OrderedRecipients {
  const seen = new Set<string>();
  const candidates: ContactResource[] = [];
  const duplicatePhone: ContactResource[] = [];
  for (const contact of ordered) {
    if (seen.has(contact.phone)) {
      duplicatePhone.push(contact);
    } else {
      seen.add(contact.phone);
      candidates.push(contact);
    }
  }
  return { candidates, duplicatePhone };
}

/** The ids a `{contactIds}` selection names that are not contacts of the tenant, with their place. */
export function unknownContactIds(
  contactIds: readonly string[],
  known: ReadonlyMap<string, ContactResource>,
): { index: number; contactId: string }[] {
  const unknown: { index: number; contactId: string }[] = [];
  contactIds.forEach((contactId, index) => {
    if (!known.has(contactId)) unknown.push({ index, contactId });
  });
  return unknown;
}

/** What became of one recipient of the preview. */
export type RecipientOutcome =
  | { kind: 'sendable'; segments: number; releaseAt: Date; heldUntil: Date | null }
  | { kind: 'blocked'; reason: ComplianceReason }
  | { kind: 'skipped'; reason: 'missing_merge_value' };

export interface RecipientCounts {
  total: number;
  sendable: number;
  blocked: Partial<Record<ComplianceReason, number>>;
  skipped: { duplicate_phone: number; missing_merge_value: number };
  /** Sendable recipients quiet hours (marketing) would hold at their release instant. */
  held: { quiet_hours_held: number };
}

export interface PreviewTally {
  recipients: RecipientCounts;
  segments: { total: number; max: number };
  /** The latest instant a sendable recipient would go out (release, or its quiet-hours end). */
  lastOut: Date | null;
}

/**
 * The preview's counting: every selected contact once (`total` counts duplicates too), blocked
 * by the verdict's first reason, segments over the sendable ones only.
 */
export function tally(duplicatePhone: number, outcomes: Iterable<RecipientOutcome>): PreviewTally {
  const counts: RecipientCounts = {
    total: duplicatePhone,
    sendable: 0,
    blocked: {},
    skipped: { duplicate_phone: duplicatePhone, missing_merge_value: 0 },
    held: { quiet_hours_held: 0 },
  };
  let segmentsTotal = 0;
  let segmentsMax = 0;
  let lastOut: number | null = null;
  for (const outcome of outcomes) {
    counts.total += 1;
    switch (outcome.kind) {
      case 'sendable': {
        counts.sendable += 1;
        segmentsTotal += outcome.segments;
        segmentsMax = Math.max(segmentsMax, outcome.segments);
        if (outcome.heldUntil !== null) counts.held.quiet_hours_held += 1;
        const out = (outcome.heldUntil ?? outcome.releaseAt).getTime();
        lastOut = lastOut === null ? out : Math.max(lastOut, out);
        break;
      }
      case 'blocked':
        counts.blocked[outcome.reason] = (counts.blocked[outcome.reason] ?? 0) + 1;
        break;
      case 'skipped':
        counts.skipped.missing_merge_value += 1;
        break;
    }
  }
  return {
    recipients: counts,
    segments: { total: segmentsTotal, max: segmentsMax },
    lastOut: lastOut === null ? null : new Date(lastOut),
  };
}
