import { type ConsentStanding, noConsent } from '@textplane/compliance';
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../message.decider.js';
import {
  clearanceOf,
  DISPATCH_GATES,
  type DispatchFacts,
  type DispatchVerdict,
  type Gate,
  runGates,
} from './gates.js';

/** given(facts).when(gates).then(verdict): the gates' joint answer, read as a specification. */
function given(
  facts: Partial<Omit<DispatchFacts, 'message'>> & { message?: Partial<OutboundMessage> },
) {
  const full: DispatchFacts = {
    now: facts.now ?? afternoon,
    standing: facts.standing ?? standing(),
    tenant: facts.tenant ?? { timeZone: 'America/New_York', restrictedContent: 'block' },
    senderHeld: facts.senderHeld ?? true,
    ...(facts.bulkSendPaused !== undefined ? { bulkSendPaused: facts.bulkSendPaused } : {}),
    message: { ...message, ...facts.message },
  };
  return {
    when: (gates: readonly Gate[] = DISPATCH_GATES) => ({
      then: (expected: DispatchVerdict) => expect(runGates(gates, full)).toEqual(expected),
    }),
  };
}

/** 14:00 on a Thursday in New York. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');
/** 22:30 in New York: outside the federal window. */
const lateEvening = new Date('2026-11-27T03:30:00.000Z');
/** 08:00 the next morning in New York. */
const nextMorning = new Date('2026-11-27T13:00:00.000Z');

const message: OutboundMessage = {
  messageId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c11',
  tenantId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12',
  to: '+12125550123',
  from: '+12125550100',
  body: 'Weekend sale! Reply STOP to opt out.',
  mediaUrls: [],
  purpose: 'marketing',
  encoding: 'GSM-7',
  segments: 1,
  recipientTimeZone: null,
  autoReply: null,
  requestedSendAt: null,
};

function standing(change: Partial<ConsentStanding> = {}): ConsentStanding {
  return {
    ...noConsent,
    grants: { ...noConsent.grants, marketing: { sms: true, mms: true } },
    ...change,
  };
}

const pass: DispatchVerdict = { answer: 'pass', flags: [] };

describe('dispatch gates', () => {
  it('let a consented message in the allowed hours through', () => {
    given({}).when().then(pass);
  });

  describe('schedule (the client sendAt)', () => {
    it("waits until the client's sendAt", () => {
      given({ message: { requestedSendAt: '2026-11-26T21:00:00.000Z' } })
        .when()
        .then({
          answer: 'wait',
          gate: 'schedule',
          until: { kind: 'time', at: new Date('2026-11-26T21:00:00.000Z'), reason: 'scheduled' },
        });
    });

    it('passes once sendAt has come, on to the other gates', () => {
      given({ message: { requestedSendAt: afternoon.toISOString() } })
        .when()
        .then(pass);
    });

    it('answers before any other gate: an opted-out recipient waits for its time first', () => {
      given({
        standing: standing({ optedOut: { sms: true, mms: true } }),
        senderHeld: false,
        message: { requestedSendAt: '2026-11-26T21:00:00.000Z' },
      })
        .when()
        .then({
          answer: 'wait',
          gate: 'schedule',
          until: { kind: 'time', at: new Date('2026-11-26T21:00:00.000Z'), reason: 'scheduled' },
        });
    });

    it('is released into quiet hours: a sendAt at night waits again for the morning', () => {
      given({ now: lateEvening, message: { requestedSendAt: lateEvening.toISOString() } })
        .when()
        .then({
          answer: 'wait',
          gate: 'quiet-hours',
          until: {
            kind: 'time',
            at: nextMorning,
            reason: 'quiet_hours_held',
            timeZone: 'America/New_York',
          },
        });
    });
  });

  describe('sender, consent and content', () => {
    it('blocks from a released sender number ahead of every compliance reason', () => {
      given({ senderHeld: false, standing: standing({ optedOut: { sms: true, mms: true } }) })
        .when()
        .then({
          answer: 'block',
          gate: 'sender',
          reasons: ['sender_not_owned'],
          detail: 'the tenant no longer holds the sender number +12125550100',
        });
    });

    it('blocks an opted-out recipient with every reason, before quiet hours are asked', () => {
      given({ now: lateEvening, standing: standing({ optedOut: { sms: true, mms: true } }) })
        .when()
        .then({
          answer: 'block',
          gate: 'consent-and-content',
          reasons: ['recipient_opted_out'],
          detail: 'the recipient opted out of sms',
        });
    });

    it('lets restricted content through with a flag under a flag policy', () => {
      given({
        tenant: { timeZone: 'America/New_York', restrictedContent: 'flag' },
        message: { purpose: 'transactional', body: 'Your wine order shipped' },
      })
        .when()
        .then({ answer: 'pass', flags: ['restricted_content:alcohol'] });
    });
  });

  describe('quiet hours', () => {
    it('holds marketing outside the window until the next allowed minute', () => {
      given({ now: lateEvening })
        .when()
        .then({
          answer: 'wait',
          gate: 'quiet-hours',
          until: {
            kind: 'time',
            at: nextMorning,
            reason: 'quiet_hours_held',
            timeZone: 'America/New_York',
          },
        });
    });

    it('never holds a transactional message or an automatic reply', () => {
      given({ now: lateEvening, message: { purpose: 'transactional' } })
        .when()
        .then(pass);
      given({ now: lateEvening, message: { autoReply: 'help' } })
        .when()
        .then(pass);
    });
  });

  describe('a later gate that waits for an event (test gate)', () => {
    const funds: Gate = {
      name: 'funds',
      decide: ({ message }) =>
        message.body.includes('expensive')
          ? { answer: 'wait', until: { kind: 'event', event: 'billing.HoldPlaced.v1', key: 'h1' } }
          : { answer: 'pass' },
    };
    const withFunds = [...DISPATCH_GATES, funds];

    it('is asked after the others, and its wait is the answer', () => {
      given({ message: { body: 'An expensive sale. Reply STOP to opt out.' } })
        .when(withFunds)
        .then({
          answer: 'wait',
          gate: 'funds',
          until: { kind: 'event', event: 'billing.HoldPlaced.v1', key: 'h1' },
        });
      given({ now: lateEvening, message: { body: 'An expensive sale. Reply STOP to opt out.' } })
        .when(withFunds)
        .then({
          answer: 'wait',
          gate: 'quiet-hours',
          until: {
            kind: 'time',
            at: nextMorning,
            reason: 'quiet_hours_held',
            timeZone: 'America/New_York',
          },
        });
      given({}).when(withFunds).then(pass);
    });
  });

  describe('as the message decider takes the verdict', () => {
    it('sends with the flags, holds with the reason, waits for an event, blocks', () => {
      expect(clearanceOf({ answer: 'pass', flags: ['f'] }, false)).toEqual({
        verdict: 'send',
        flags: ['f'],
      });
      expect(
        clearanceOf(
          {
            answer: 'wait',
            gate: 'schedule',
            until: { kind: 'time', at: nextMorning, reason: 'scheduled' },
          },
          false,
        ),
      ).toEqual({ verdict: 'hold', sendAt: nextMorning, reason: 'scheduled' });
      expect(
        clearanceOf(
          {
            answer: 'wait',
            gate: 'funds',
            until: { kind: 'event', event: 'billing.HoldPlaced.v1' },
          },
          false,
        ),
      ).toEqual({ verdict: 'wait', event: 'billing.HoldPlaced.v1' });
    });

    it('says what a message waiting for an event is shown waiting for, when its gate says', () => {
      expect(
        clearanceOf(
          {
            answer: 'wait',
            gate: 'sender-registration',
            until: {
              kind: 'event',
              event: 'registration.CampaignApproved.v1',
              key: 't/+12125550100',
              waitingFor: 'registration',
            },
          },
          false,
        ),
      ).toEqual({
        verdict: 'wait',
        event: 'registration.CampaignApproved.v1',
        waitingFor: 'registration',
      });
    });

    it('says a block of a retry may come after an attempt reached the carrier', () => {
      const block: DispatchVerdict = {
        answer: 'block',
        gate: 'consent-and-content',
        reasons: ['dnd_active'],
        detail: 'do-not-disturb is set for sms',
      };
      expect(clearanceOf(block, true)).toEqual({
        verdict: 'block',
        reasons: ['dnd_active'],
        detail:
          'do-not-disturb is set for sms; an attempt before a restart may have reached the carrier',
      });
    });
  });
});

describe('the bulk-pause gate', () => {
  const bulkSendId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c99';

  it('keeps a released message of a paused bulk send waiting for its resume (not blocked)', () => {
    given({ message: { bulkSendId }, bulkSendPaused: true })
      .when()
      .then({
        answer: 'wait',
        gate: 'bulk-pause',
        until: { kind: 'event', event: 'messaging.BulkSendResumed.v1', key: bulkSendId },
      });
  });

  it('lets a running bulk send, and a message of no bulk send, through', () => {
    given({ message: { bulkSendId }, bulkSendPaused: false })
      .when()
      .then({ answer: 'pass', flags: [] });
    given({ bulkSendPaused: true }).when().then({ answer: 'pass', flags: [] });
  });
});
