const DAY_MS = 24 * 60 * 60 * 1000;

export interface OptOutReminderInput {
  /** Same union as `MessagePurpose` in @textplane/contracts. */
  purpose: 'conversational' | 'transactional' | 'marketing';
  /** The tenant's `optOutReminder.everyDays`; null when the reminder is off (the default). */
  everyDays: number | null;
  /** When the contact was last sent a text with an opt-out line; null when never. */
  lastOptOutLineAt: Date | null;
  /** When the text is queued. */
  now: Date;
}

/**
 * Whether a transactional or conversational text should carry the opt-out line because the
 * contact has not been sent one for `everyDays` days or more (never counts as long ago).
 * Marketing is not a reminder: it carries the line every time anyway.
 */
export function optOutReminderDue(input: OptOutReminderInput): boolean {
  if (input.purpose === 'marketing' || input.everyDays === null) return false;
  if (input.lastOptOutLineAt === null) return true;
  return input.now.getTime() - input.lastOptOutLineAt.getTime() >= input.everyDays * DAY_MS;
}
