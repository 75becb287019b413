import { type ConsentStanding, noConsent } from '@textplane/compliance';
import type { SendTimeWindow } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../message.decider.js';
import { DISPATCH_GATES, type DispatchFacts, type DispatchVerdict, runGates } from './gates.js';

/** given(message, now).then(verdict): the dispatcher's gates on a workflow step's message. */
function given(change: Partial<OutboundMessage>, now: Date) {
  const facts: DispatchFacts = {
    now,
    standing: consented,
    tenant: { timeZone: 'America/Chicago', restrictedContent: 'block' },
    senderHeld: true,
    message: { ...message, ...change },
  };
  return {
    then: (expected: DispatchVerdict) => expect(runGates(DISPATCH_GATES, facts)).toEqual(expected),
  };
}

const consented: ConsentStanding = {
  ...noConsent,
  grants: { ...noConsent.grants, marketing: { sms: true, mms: true } },
};

const message: OutboundMessage = {
  messageId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c21',
  tenantId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c22',
  to: '+12125550123',
  from: '+12125550100',
  body: 'Your trial ends Friday. Reply STOP to opt out.',
  mediaUrls: [],
  purpose: 'marketing',
  encoding: 'GSM-7',
  segments: 1,
  recipientTimeZone: null,
  autoReply: null,
  requestedSendAt: null,
};

/** 10:00–16:00 on weekdays in New York (a "recipient" window the gateway resolved). */
const weekdays: SendTimeWindow = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '10:00',
  end: '16:00',
  timeZone: 'America/New_York',
};

const pass: DispatchVerdict = { answer: 'pass', flags: [] };

function waitsUntil(at: string): DispatchVerdict {
  return {
    answer: 'wait',
    gate: 'time-window',
    until: { kind: 'time', at: new Date(at), reason: 'time_window', timeZone: 'America/New_York' },
  };
}

describe('the time-window gate', () => {
  it('given no window, then it passes', () => {
    given({}, new Date('2026-12-02T17:00:00Z')).then(pass);
  });

  it('given a Wednesday 12:00 inside the window, then it passes', () => {
    given({ timeWindow: weekdays }, new Date('2026-12-02T17:00:00Z')).then(pass);
  });

  it('given 09:00, before the start, then it waits until 10:00 that day', () => {
    given({ timeWindow: weekdays }, new Date('2026-12-02T14:00:00Z')).then(
      waitsUntil('2026-12-02T15:00:00Z'),
    );
  });

  it('given Friday 17:00, after the end, then it waits for Monday 10:00', () => {
    given({ timeWindow: weekdays }, new Date('2026-12-04T22:00:00Z')).then(
      waitsUntil('2026-12-07T15:00:00Z'),
    );
  });

  it('given the window at end 24:00, then 23:59 is inside (a transactional text: no quiet hours)', () => {
    given(
      { timeWindow: { ...weekdays, start: '08:00', end: '24:00' }, purpose: 'transactional' },
      new Date('2026-12-03T04:59:00Z'), // Wed 23:59 New York
    ).then(pass);
  });

  it('comes right after the schedule gate: a later sendAt is waited for first', () => {
    given(
      { timeWindow: weekdays, requestedSendAt: '2026-12-02T14:30:00Z' },
      new Date('2026-12-02T14:00:00Z'),
    ).then({
      answer: 'wait',
      gate: 'schedule',
      until: { kind: 'time', at: new Date('2026-12-02T14:30:00Z'), reason: 'scheduled' },
    });
  });

  it('re-checks a message released later: inside the window but in quiet hours, quiet hours hold', () => {
    // 21:30 New York on a Wednesday: a 08:00–24:00 window is open, the federal window is not.
    given(
      { timeWindow: { ...weekdays, start: '08:00', end: '24:00' } },
      new Date('2026-12-03T02:30:00Z'),
    ).then({
      answer: 'wait',
      gate: 'quiet-hours',
      until: {
        kind: 'time',
        at: new Date('2026-12-03T13:00:00Z'), // 08:00 New York
        reason: 'quiet_hours_held',
        timeZone: 'America/New_York',
      },
    });
    // Released after quiet hours but before the window opens (08:00 → a 10:00 window): waits again.
    given({ timeWindow: weekdays }, new Date('2026-12-03T13:00:00Z')).then(
      waitsUntil('2026-12-03T15:00:00Z'),
    );
  });
});
