import { type ConsentStanding, noConsent } from '@textplane/compliance';
import type { RegistrationStatus } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import {
  type DispatchFacts,
  type DispatchVerdict,
  dispatchGates,
  type Gate,
  runGates,
} from '../messages/dispatch/gates.js';
import type { OutboundMessage } from '../messages/message.decider.js';
import type { SenderRegistration } from './sender-registration.js';
import {
  senderClassOf,
  senderRegistrationGate,
  tollFreeAnswer,
  type UseCaseMismatchPolicy,
} from './sender-registration-gate.js';

const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const campaignId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c30';
const brandId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c31';
const longCode = '+12125550100';
const tollFree = '+18885550100';

/** 14:00 on a Thursday in New York. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');
/** 22:30 in New York: outside the federal window. */
const lateEvening = new Date('2026-11-27T03:30:00.000Z');

const message: OutboundMessage = {
  messageId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c11',
  tenantId,
  to: '+12125550123',
  from: longCode,
  body: 'Your code is 123456',
  mediaUrls: [],
  purpose: 'transactional',
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

/** A number on a campaign, approved and provisioned unless told otherwise. */
function registration(
  change: {
    assignment?: SenderRegistration['assignment'];
    status?: RegistrationStatus;
    usecase?: string;
    campaignKnown?: boolean;
  } = {},
): SenderRegistration {
  return {
    phoneNumber: longCode,
    campaignId,
    assignment: change.assignment ?? 'provisioned',
    campaign:
      change.campaignKnown === false
        ? null
        : {
            status: change.status ?? 'approved',
            usecase: change.usecase ?? 'ACCOUNT_NOTIFICATION',
            brandId,
          },
    brand: { entityType: 'PRIVATE_PROFIT', vettingScore: 80 },
  };
}

/** given(facts).when(gates).then(verdict), over the enforcing gate list. */
function given(
  facts: {
    message?: Partial<OutboundMessage>;
    registration?: SenderRegistration | null;
    useCaseMismatch?: UseCaseMismatchPolicy;
  } & Partial<Pick<DispatchFacts, 'now' | 'standing' | 'senderHeld' | 'tollFreeVerification'>>,
) {
  const full: DispatchFacts = {
    now: facts.now ?? afternoon,
    standing: facts.standing ?? standing(),
    tenant: {
      timeZone: 'America/New_York',
      restrictedContent: 'block',
      ...(facts.useCaseMismatch ? { campaignUseCaseMismatch: facts.useCaseMismatch } : {}),
    },
    senderHeld: facts.senderHeld ?? true,
    senderRegistration: facts.registration === undefined ? registration() : facts.registration,
    ...(facts.tollFreeVerification !== undefined
      ? { tollFreeVerification: facts.tollFreeVerification }
      : {}),
    message: { ...message, ...facts.message },
  };
  return {
    when: (gates: readonly Gate[] = dispatchGates({ enforceSenderRegistration: true })) => ({
      then: (expected: DispatchVerdict) => expect(runGates(gates, full)).toEqual(expected),
    }),
  };
}

const pass: DispatchVerdict = { answer: 'pass', flags: [] };
const waitsForRegistration = (from = longCode): DispatchVerdict => ({
  answer: 'wait',
  gate: 'sender-registration',
  until: {
    kind: 'event',
    event: 'registration.CampaignApproved.v1',
    key: `${tenantId}/${from}`,
    waitingFor: 'registration',
  },
});
const notRegistered = (detail: string): DispatchVerdict => ({
  answer: 'block',
  gate: 'sender-registration',
  reasons: ['sender_not_registered'],
  detail,
});

describe('which senders the carriers ask a registration of', () => {
  it.each([
    ['+12125550100', 'us_long_code', 'a New York long code'],
    ['+13105551234', 'us_long_code', 'a Los Angeles long code'],
    ['+18005550100', 'us_toll_free', 'an 800 number'],
    ['+18885551234', 'us_toll_free', 'an 888 number'],
    ['+18335550100', 'us_toll_free', 'an 833 number'],
    ['+15555550100', 'us_long_code', 'a fictional 555 number libphonenumber cannot place'],
    ['+14165550100', 'other', 'Toronto: +1, but Canada'],
    ['+17875550100', 'other', 'Puerto Rico: +1, its own region'],
    ['+447700900123', 'other', 'a UK number'],
    ['not a number', 'other', 'nothing libphonenumber can read'],
  ])('%s is %s (%s)', (phone, expected) => {
    expect(senderClassOf(phone)).toBe(expected);
  });
});

describe('the sender-registration gate', () => {
  describe('a US long code', () => {
    it('sends once assigned to an approved campaign, its number provisioned', () => {
      given({}).when().then(pass);
    });

    it('is blocked sender_not_registered on no campaign', () => {
      given({ registration: null })
        .when()
        .then(notRegistered('the sender +12125550100 is not assigned to a 10DLC campaign'));
    });

    it('is blocked when its assignment failed, whatever its campaign', () => {
      given({ registration: registration({ assignment: 'failed' }) })
        .when()
        .then(notRegistered(`the assignment of +12125550100 to campaign ${campaignId} failed`));
    });

    it.each(['rejected', 'suspended', 'expired'] as const)(
      'is blocked when its campaign is %s, its assignment provisioned or pending',
      (status) => {
        const detail = `the campaign ${campaignId} of sender +12125550100 is ${status}`;
        given({ registration: registration({ status }) })
          .when()
          .then(notRegistered(detail));
        given({ registration: registration({ status, assignment: 'pending' }) })
          .when()
          .then(notRegistered(detail));
      },
    );

    it('waits (queued, for registration) while its assignment or its campaign is pending', () => {
      given({ registration: registration({ assignment: 'pending' }) })
        .when()
        .then(waitsForRegistration());
      given({ registration: registration({ status: 'pending' }) })
        .when()
        .then(waitsForRegistration());
      given({ registration: registration({ assignment: 'pending', status: 'pending' }) })
        .when()
        .then(waitsForRegistration());
    });

    it("waits while its campaign's facts have not reached messaging yet", () => {
      given({ registration: registration({ campaignKnown: false }) })
        .when()
        .then(waitsForRegistration());
    });
  });

  describe('a use case the message does not fit', () => {
    const marketing = { purpose: 'marketing' as const, body: 'Sale today! Reply STOP to opt out.' };

    it.each(['2FA', 'ACCOUNT_NOTIFICATION', 'CUSTOMER_CARE', 'DELIVERY_NOTIFICATION'])(
      'flags marketing from a %s campaign by default, and lets it through',
      (usecase) => {
        given({ message: marketing, registration: registration({ usecase }) })
          .when()
          .then({ answer: 'pass', flags: ['campaign_use_case_mismatch'] });
      },
    );

    it('blocks it under a block policy', () => {
      given({
        message: marketing,
        registration: registration({ usecase: '2FA' }),
        useCaseMismatch: 'block',
      })
        .when()
        .then({
          answer: 'block',
          gate: 'sender-registration',
          reasons: ['campaign_use_case_mismatch'],
          detail: "a marketing message from +12125550100, whose campaign's use case is 2FA",
        });
    });

    it('flags it under a flag policy said explicitly', () => {
      given({
        message: marketing,
        registration: registration({ usecase: '2FA' }),
        useCaseMismatch: 'flag',
      })
        .when()
        .then({ answer: 'pass', flags: ['campaign_use_case_mismatch'] });
    });

    it('lets a transactional message from a 2FA campaign through unflagged', () => {
      given({ registration: registration({ usecase: '2FA' }), useCaseMismatch: 'block' })
        .when()
        .then(pass);
    });

    it('lets marketing from a MARKETING or MIXED campaign through unflagged', () => {
      for (const usecase of ['MARKETING', 'MIXED', 'LOW_VOLUME']) {
        given({ message: marketing, registration: registration({ usecase }) })
          .when()
          .then(pass);
      }
    });

    it('never flags an automatic reply', () => {
      given({
        message: { ...marketing, autoReply: 'help' },
        registration: registration({ usecase: '2FA' }),
        useCaseMismatch: 'block',
      })
        .when()
        .then(pass);
    });
  });

  describe('a US toll-free sender', () => {
    it('sends when verified, waits while pending', () => {
      const enforcing = [senderRegistrationGate()];
      given({ message: { from: tollFree }, registration: null, tollFreeVerification: 'approved' })
        .when(enforcing)
        .then(pass);
      given({ message: { from: tollFree }, registration: null, tollFreeVerification: 'pending' })
        .when(enforcing)
        .then(waitsForRegistration(tollFree));
    });

    it('blocked sender_not_verified with no verification', () => {
      const enforcing = [senderRegistrationGate()];
      given({ message: { from: tollFree }, registration: null })
        .when(enforcing)
        .then({
          answer: 'block',
          gate: 'sender-registration',
          reasons: ['sender_not_verified'],
          detail: 'the toll-free sender +18885550100 has no verification',
        });
    });
  });

  describe('the toll-free verification rule (tollFreeAnswer)', () => {
    const from = { ...message, from: tollFree };

    it('sends with an approved verification', () => {
      expect(tollFreeAnswer(from, 'approved')).toEqual({ answer: 'pass' });
    });

    it('waits on a pending one, keyed by tenant and number', () => {
      expect(tollFreeAnswer(from, 'pending')).toEqual({
        answer: 'wait',
        until: {
          kind: 'event',
          event: 'registration.CampaignApproved.v1',
          key: `${tenantId}/${tollFree}`,
          waitingFor: 'registration',
        },
      });
    });

    it.each(['rejected', 'suspended', 'expired'] as const)(
      'blocks sender_not_verified on a %s one',
      (status) => {
        expect(tollFreeAnswer(from, status)).toEqual({
          answer: 'block',
          reasons: ['sender_not_verified'],
          detail: `the toll-free verification of +18885550100 is ${status}`,
        });
      },
    );

    it('blocks sender_not_verified with none', () => {
      expect(tollFreeAnswer(from, null)).toEqual({
        answer: 'block',
        reasons: ['sender_not_verified'],
        detail: 'the toll-free sender +18885550100 has no verification',
      });
    });
  });

  describe('a sender outside the US', () => {
    it.each(['+14165550100', '+447700900123'])('%s passes, on no campaign', (from) => {
      given({ message: { from }, registration: null }).when().then(pass);
    });
  });

  describe('its place among the gates (DESIGN.md)', () => {
    it('is not in the list without enforceSenderRegistration', () => {
      given({ registration: null })
        .when(dispatchGates({ enforceSenderRegistration: false }))
        .then(pass);
      expect(dispatchGates({ enforceSenderRegistration: false }).map((g) => g.name)).not.toContain(
        'sender-registration',
      );
    });

    it('comes right after quiet hours, number validation after it (media and funds will follow; throughput is counted last, by the ledger)', () => {
      expect(dispatchGates({ enforceSenderRegistration: true }).map((g) => g.name)).toEqual([
        'bulk-pause',
        'schedule',
        'time-window',
        'sender',
        'consent-and-content',
        'quiet-hours',
        'sender-registration',
        'number-validation',
      ]);
    });

    it('is asked after consent: an opted-out recipient is blocked for that first', () => {
      given({ registration: null, standing: standing({ optedOut: { sms: true, mms: true } }) })
        .when()
        .then({
          answer: 'block',
          gate: 'consent-and-content',
          reasons: ['recipient_opted_out'],
          detail: 'the recipient opted out of sms',
        });
    });

    it('is asked after quiet hours: marketing at night waits for the morning first', () => {
      given({
        now: lateEvening,
        message: { purpose: 'marketing', body: 'Sale today! Reply STOP to opt out.' },
        registration: registration({ status: 'pending' }),
      })
        .when()
        .then({
          answer: 'wait',
          gate: 'quiet-hours',
          until: {
            kind: 'time',
            at: new Date('2026-11-27T13:00:00.000Z'),
            reason: 'quiet_hours_held',
            timeZone: 'America/New_York',
          },
        });
    });

    it('a released sender number is blocked sender_not_owned ahead of it', () => {
      given({ senderHeld: false, registration: null })
        .when()
        .then({
          answer: 'block',
          gate: 'sender',
          reasons: ['sender_not_owned'],
          detail: 'the tenant no longer holds the sender number +12125550100',
        });
    });
  });
});
