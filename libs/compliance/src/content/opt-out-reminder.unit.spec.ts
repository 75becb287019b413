import { describe, expect, it } from 'vitest';
import { complianceAdditions } from './compliance-additions.js';
import { optOutReminderDue, type OptOutReminderInput } from './opt-out-reminder.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const now = new Date('2026-06-01T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

/** Given the tenant's setting and the contact's last opt-out line, when a text is queued now. */
function given(overrides: Partial<OptOutReminderInput>): OptOutReminderInput {
  return { purpose: 'conversational', everyDays: 30, lastOptOutLineAt: null, now, ...overrides };
}

describe('the periodic opt-out reminder', () => {
  const table: Array<[string, Partial<OptOutReminderInput>, boolean]> = [
    ['off by default (no setting): not added', { everyDays: null }, false],
    ['off, never sent one: still not added', { everyDays: null, lastOptOutLineAt: null }, false],
    ['on, the contact was never sent an opt-out line: added', {}, true],
    ['on, last one 29 days ago (N - 1): not added', { lastOptOutLineAt: daysAgo(29) }, false],
    [
      'on, last one a millisecond short of 30 days ago: not added',
      { lastOptOutLineAt: new Date(daysAgo(30).getTime() + 1) },
      false,
    ],
    ['on, last one exactly 30 days ago (N): added', { lastOptOutLineAt: daysAgo(30) }, true],
    ['on, last one 400 days ago: added', { lastOptOutLineAt: daysAgo(400) }, true],
    ['transactional like conversational', { purpose: 'transactional' }, true],
    [
      'marketing is not a reminder (it gets the line every time)',
      { purpose: 'marketing', lastOptOutLineAt: daysAgo(90) },
      false,
    ],
    ['every day: one a day ago is due again', { everyDays: 1, lastOptOutLineAt: daysAgo(1) }, true],
    ['a line sent just now: not due', { everyDays: 1, lastOptOutLineAt: now }, false],
  ];
  for (const [name, overrides, due] of table) {
    it(name, () => {
      expect(optOutReminderDue(given(overrides))).toBe(due);
    });
  }

  it('when due, the opt-out line is added to a conversational text on its own line', () => {
    const result = complianceAdditions({
      body: 'Your table is ready.',
      brandName: 'Acme',
      purpose: 'conversational',
      firstMessageToContact: false,
      optOutReminderDue: true,
    });
    expect(result).toEqual({
      body: 'Your table is ready.\nReply STOP to opt out.',
      prefix: null,
      suffix: '\nReply STOP to opt out.',
      added: 'Reply STOP to opt out.',
    });
  });

  it('when due, a text that already says how to opt out gets nothing more', () => {
    const body = 'Your order shipped. Reply STOP to opt out.';
    const result = complianceAdditions({
      body,
      brandName: 'Acme',
      purpose: 'transactional',
      firstMessageToContact: false,
      optOutReminderDue: true,
    });
    expect(result.body).toBe(body);
    expect(result.added).toBeNull();
  });

  it('marketing is unaffected by the reminder: the line once, due or not', () => {
    for (const optOutReminderDue of [true, false]) {
      expect(
        complianceAdditions({
          body: '20% off today',
          brandName: 'Acme',
          purpose: 'marketing',
          firstMessageToContact: false,
          optOutReminderDue,
        }).body,
      ).toBe('20% off today\nReply STOP to opt out.');
    }
  });
});
