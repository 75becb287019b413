import { noConsent } from '@textplane/compliance';
import { DEFAULT_FUNDS_WAIT_LIMIT_SECONDS } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import type { DispatchFacts } from '../messages/dispatch/gates.js';
import type { OutboundMessage } from '../messages/message.decider.js';
import { type FundsFacts, fundsAnswer, fundsHoldOf, holdRequestOf } from './funds-gate.js';

const now = new Date('2026-12-03T12:00:00.000Z');
const message: OutboundMessage = {
  messageId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c11',
  tenantId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12',
  to: '+12125550123',
  from: '+12125550100',
  body: 'Hello',
  mediaUrls: [],
  purpose: 'conversational',
  encoding: 'GSM-7',
  segments: 2,
  recipientTimeZone: null,
  autoReply: null,
  requestedSendAt: null,
};

function facts(funds: FundsFacts, change: Partial<DispatchFacts> = {}): DispatchFacts {
  return {
    message,
    now,
    standing: noConsent,
    tenant: { timeZone: 'America/New_York', restrictedContent: 'block' },
    senderHeld: true,
    funds,
    ...change,
  };
}

const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
// Not shown waiting (no waitingFor): billing answers in moments.
const waitForHold = {
  kind: 'event',
  event: 'billing.HoldAnswered',
  key: message.messageId,
};

describe('funds gate', () => {
  it('passes a message whose hold is placed', () => {
    expect(fundsAnswer(facts({ hold: { status: 'placed' }, lastCreditSequence: null }))).toEqual({
      answer: 'pass',
    });
  });

  it('asks for the hold of a message that never asked, and waits for it', () => {
    const f = facts({ hold: { status: 'none' }, lastCreditSequence: null });
    expect(fundsAnswer(f)).toEqual({
      answer: 'wait',
      until: { ...waitForHold, holdRequest: holdRequestOf(f) },
    });
  });

  it('waits without asking again while the request is unanswered', () => {
    const hold = { status: 'requested', firstRequestedAt: minutesAgo(1) } as const;
    expect(fundsAnswer(facts({ hold, lastCreditSequence: null }))).toEqual({
      answer: 'wait',
      until: waitForHold,
    });
  });

  it('blocks a destination no card prices', () => {
    const hold = {
      status: 'rejected',
      reason: 'destination_not_priced',
      sequence: 3,
      firstRequestedAt: minutesAgo(1),
    } as const;
    expect(fundsAnswer(facts({ hold, lastCreditSequence: null }))).toMatchObject({
      answer: 'block',
      reasons: ['destination_not_priced'],
    });
  });

  describe('rejected for insufficient funds', () => {
    // Rejected when the wallet's ledger was at sequence 5.
    const rejected = (firstMinutesAgo: number, sequence: number) =>
      ({
        status: 'rejected',
        reason: 'insufficient_funds',
        sequence,
        firstRequestedAt: minutesAgo(firstMinutesAgo),
      }) as const;

    it('waits for a credit, looked at again when the wait limit passes', () => {
      const hold = rejected(10, 5);
      expect(
        fundsAnswer(facts({ hold, lastCreditSequence: 5, fundsWaitLimitSeconds: 3600 })),
      ).toEqual({
        answer: 'wait',
        until: {
          kind: 'event',
          event: 'billing.CreditPosted.v1',
          key: message.tenantId,
          waitingFor: 'funds',
          releaseAt: new Date(minutesAgo(10).getTime() + 3600_000),
        },
      });
    });

    it('asks again once a credit came after the rejection', () => {
      const f = facts({ hold: rejected(10, 5), lastCreditSequence: 6 });
      expect(fundsAnswer(f)).toEqual({
        answer: 'wait',
        until: { ...waitForHold, holdRequest: holdRequestOf(f) },
      });
    });

    it('blocks a message that waited longer than the tenant limit', () => {
      const f = facts({
        hold: rejected(61, 5),
        lastCreditSequence: null,
        fundsWaitLimitSeconds: 3600,
      });
      expect(fundsAnswer(f)).toMatchObject({ answer: 'block', reasons: ['insufficient_funds'] });
    });

    it('counts the default limit (24 h) when the tenant set none', () => {
      const limitMinutes = DEFAULT_FUNDS_WAIT_LIMIT_SECONDS / 60;
      expect(
        fundsAnswer(facts({ hold: rejected(limitMinutes - 1, 5), lastCreditSequence: null }))
          .answer,
      ).toBe('wait');
      expect(
        fundsAnswer(facts({ hold: rejected(limitMinutes, 5), lastCreditSequence: null })).answer,
      ).toBe('block');
    });
  });
});

describe('hold request', () => {
  const none: FundsFacts = { hold: { status: 'none' }, lastCreditSequence: null };

  it('sizes an SMS on its segments, from an unregistered long code to an unknown carrier', () => {
    expect(holdRequestOf(facts(none))).toEqual({
      messageId: message.messageId,
      tenantId: message.tenantId,
      to: message.to,
      from: message.from,
      channel: 'sms',
      segments: 2,
      fromNumberType: 'long_code',
      registered: false,
      requestedAt: now.toISOString(),
    });
  });

  it('an MMS counts one; the campaign, carrier, bulk send and auto-reply are named', () => {
    const request = holdRequestOf(
      facts(none, {
        message: {
          ...message,
          mediaUrls: ['https://example.com/a.png'],
          bulkSendId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c13',
          autoReply: 'opt_out_confirmation',
        },
        senderRegistration: {
          phoneNumber: message.from,
          campaignId: 'C1',
          assignment: 'provisioned',
          campaign: { status: 'approved', usecase: 'MIXED', brandId: 'B1' },
          brand: null,
        },
        recipientNumber: {
          phoneNumber: message.to,
          lookup: { lineType: 'mobile', carrier: 'tmobile', carrierName: null, lookedUpAt: now },
          failure: null,
        },
      }),
    );
    expect(request).toMatchObject({
      channel: 'mms',
      segments: 1,
      registered: true,
      campaignId: 'C1',
      recipientCarrier: 't-mobile',
      bulkSendId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c13',
      autoReply: true,
    });
  });

  it('a toll-free sender is registered once verified', () => {
    const tollFree = { ...message, from: '+18885550100' };
    const verified = holdRequestOf(
      facts(none, { message: tollFree, tollFreeVerification: 'approved' }),
    );
    const pending = holdRequestOf(
      facts(none, { message: tollFree, tollFreeVerification: 'pending' }),
    );
    expect([verified.fromNumberType, verified.registered, pending.registered]).toEqual([
      'toll_free',
      true,
      false,
    ]);
  });
});

describe('the hold from the requests and the answers', () => {
  const first = '2026-12-03T11:00:00.000Z';
  const placed = { status: 'placed', reason: null, sequence: 4, answers: 1 } as const;
  const rejected = {
    status: 'rejected',
    reason: 'insufficient_funds',
    sequence: 4,
    answers: 1,
  } as const;

  it('is none before any request, placed once billing placed it', () => {
    expect(fundsHoldOf(null, null)).toEqual({ status: 'none' });
    expect(fundsHoldOf({ firstRequestedAt: first, requests: 1 }, placed)).toEqual({
      status: 'placed',
    });
  });

  it('is requested while a request has no answer yet, the first or a later one', () => {
    const requested = { status: 'requested', firstRequestedAt: new Date(first) };
    expect(fundsHoldOf({ firstRequestedAt: first, requests: 1 }, null)).toEqual(requested);
    expect(fundsHoldOf({ firstRequestedAt: first, requests: 2 }, rejected)).toEqual(requested);
  });

  it('is rejected when every request was answered and the last answer refused it', () => {
    expect(
      fundsHoldOf({ firstRequestedAt: first, requests: 2 }, { ...rejected, answers: 2 }),
    ).toEqual({
      status: 'rejected',
      reason: 'insufficient_funds',
      sequence: 4,
      firstRequestedAt: new Date(first),
    });
  });
});
