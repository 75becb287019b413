import type { ReplyIntent } from '@textplane/compliance';
import type {
  ConsentGrantRequested,
  RevocationReviewResolutionRequested,
} from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import type { ReplyTexts } from './auto-replies/reply-texts.js';
import type { ConsentCommand } from './consent.commands.js';
import {
  autoReplyId,
  type ConsentLedgerState,
  decide,
  evolve,
  initialState,
  reviewIdOf,
} from './consent.decider.js';
import type { ConsentEvent } from './consent.events.js';

const given = deciderSpecification<ConsentCommand, ConsentEvent, ConsentLedgerState>({
  decide,
  evolve,
  initialState,
});

const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const phone = '+15555550123';
const tenantNumber = '+15555550100';
const otherTenantNumber = '+15555550199';
const now = new Date('2026-11-26T12:00:00.000Z');
const at = now.toISOString();
const texts: ReplyTexts = {
  optOutConfirmation: 'Acme: You are unsubscribed. Reply START to resubscribe.',
  optInConfirmation: 'Acme: You are resubscribed. Reply HELP for help, STOP to opt out.',
  help: 'Acme: For help, contact us. Msg & data rates may apply. Reply STOP to opt out.',
};
const subject = { tenantId, phone };

let sequence = 0;
function messageId(): string {
  sequence += 1;
  return `01936f4e-7c2a-7cc1-9a57-${String(sequence).padStart(12, '0')}`;
}

function inbound(
  body: string,
  id = messageId(),
  to = tenantNumber,
  receivedAt = '2026-11-26T11:59:58.000Z',
) {
  return { messageId: id, from: phone, to, body, receivedAt };
}

/** A text the person sent at `hh:mm:ss` (UTC) on the test day: the order they wrote in. */
function sentAt(body: string, time: string) {
  return inbound(body, messageId(), tenantNumber, `2026-11-26T${time}.000Z`);
}

function reply(intent: ReplyIntent, message = inbound('(any)')): ConsentCommand {
  return { type: 'HandleReply', tenantId, reply: message, intent, texts, now };
}

function causing(message: ReturnType<typeof inbound>) {
  return { messageId: message.messageId, body: message.body, receivedAt: message.receivedAt };
}

function autoReply(
  kind: 'opt_out_confirmation' | 'opt_in_confirmation' | 'help',
  inReplyTo: string,
  from = tenantNumber,
): ConsentEvent {
  const body = {
    opt_out_confirmation: texts.optOutConfirmation,
    opt_in_confirmation: texts.optInConfirmation,
    help: texts.help,
  }[kind];
  return {
    type: 'consent.AutoReplyRequested.v1',
    data: {
      replyId: autoReplyId(inReplyTo, kind),
      ...subject,
      from,
      kind,
      body,
      inReplyTo,
      requestedAt: at,
    },
  };
}

/** The two facts a STOP records on a ledger that was not opted out. */
function stopped(message = inbound('STOP'), keyword = 'STOP'): ConsentEvent[] {
  return [
    {
      type: 'consent.ConsentRevoked.v1',
      data: {
        ...subject,
        scope: 'all',
        channel: 'all',
        method: 'keyword',
        keyword,
        message: causing(message),
        revokedAt: at,
      },
    },
    autoReply('opt_out_confirmation', message.messageId, message.to),
  ];
}

const grantRequest: ConsentGrantRequested = {
  requestId: '01936f4e-7c2a-7cc1-9a57-aaaaaaaaaa01',
  ...subject,
  purpose: 'marketing',
  channel: 'all',
  evidence: {
    source: 'web_form',
    text: 'Yes, text me offers from Acme. Reply STOP to opt out.',
    textVersion: 'v3',
    checkboxDefaultUnchecked: true,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    pageUrl: 'https://acme.example/join',
    capturedAt: '2026-11-26T11:00:00.000Z',
  },
  requestedAt: '2026-11-26T11:00:01.000Z',
};
const granted: ConsentEvent = {
  type: 'consent.ConsentGranted.v1',
  data: {
    ...subject,
    purpose: 'marketing',
    channel: 'all',
    evidence: grantRequest.evidence,
    requestId: grantRequest.requestId,
    grantedAt: at,
  },
};

function apiRevoked(channel: 'sms' | 'mms' | 'all', requestId: string): ConsentEvent {
  return {
    type: 'consent.ConsentRevoked.v1',
    data: {
      ...subject,
      scope: 'all',
      channel,
      method: 'support_agent',
      requestId,
      revokedAt: at,
    },
  };
}

describe('consent decider', () => {
  describe('API requests', () => {
    it('records a grant with its evidence and request id', () => {
      given([]).when({ type: 'RecordGrant', request: grantRequest, now }).then([granted]);
    });

    it('records a redelivered grant request once', () => {
      given([granted])
        .when({ type: 'RecordGrant', request: grantRequest, now })
        .thenNothingHappens();
    });

    it('records a revocation by a support agent with its scope, channel and note', () => {
      const requestId = '01936f4e-7c2a-7cc1-9a57-aaaaaaaaaa02';
      given([granted])
        .when({
          type: 'RecordRevocation',
          request: {
            requestId,
            ...subject,
            scope: 'marketing',
            channel: 'mms',
            method: 'support_agent',
            note: 'asked on the phone',
            requestedAt: at,
          },
          now,
        })
        .then([
          {
            type: 'consent.ConsentRevoked.v1',
            data: {
              ...subject,
              scope: 'marketing',
              channel: 'mms',
              method: 'support_agent',
              requestId,
              note: 'asked on the phone',
              revokedAt: at,
            },
          },
        ]);
    });

    it('sets and clears DND per channel', () => {
      const setId = '01936f4e-7c2a-7cc1-9a57-aaaaaaaaaa03';
      const clearId = '01936f4e-7c2a-7cc1-9a57-aaaaaaaaaa04';
      const set: ConsentEvent = {
        type: 'consent.DndSet.v1',
        data: { ...subject, channel: 'sms', requestId: setId, setAt: at },
      };
      given([])
        .when({
          type: 'ChangeDnd',
          request: { requestId: setId, ...subject, channel: 'sms', dnd: true, requestedAt: at },
          now,
        })
        .then([set]);
      given([set])
        .when({
          type: 'ChangeDnd',
          request: { requestId: clearId, ...subject, channel: 'sms', dnd: false, requestedAt: at },
          now,
        })
        .then([
          {
            type: 'consent.DndCleared.v1',
            data: { ...subject, channel: 'sms', requestId: clearId, clearedAt: at },
          },
        ]);
      given([set])
        .when({
          type: 'ChangeDnd',
          request: { requestId: setId, ...subject, channel: 'sms', dnd: true, requestedAt: at },
          now,
        })
        .thenNothingHappens();
    });
  });

  describe('opt-out keywords', () => {
    it('revokes everything and confirms once, from the number written to', () => {
      const message = inbound('Stop.', messageId(), otherTenantNumber);
      given([granted])
        .when(reply({ kind: 'opt_out', keyword: 'STOP' }, message))
        .then(stopped(message));
    });

    it('sends no second confirmation to a person already opted out', () => {
      given(stopped())
        .when(reply({ kind: 'opt_out', keyword: 'STOP' }))
        .thenNothingHappens();
      given(stopped())
        .when(reply({ kind: 'revocation', confidence: 0.95, cue: 'stop texting me' }))
        .thenNothingHappens();
    });

    it("confirms an opt-out the person was never told of, and records the person's own STOP", () => {
      // Opted out by a support agent: the first STOP of the person still gets its confirmation,
      // and is on the ledger (without changing the standing) as the latest opt-out they sent.
      const message = inbound('STOP');
      given([apiRevoked('all', '01936f4e-7c2a-7cc1-9a57-aaaaaaaaaa05')])
        .when(reply({ kind: 'opt_out', keyword: 'STOP' }, message))
        .then(stopped(message));
    });

    it('revokes on every channel when only one was opted out', () => {
      const message = inbound('unsubscribe');
      given([apiRevoked('sms', '01936f4e-7c2a-7cc1-9a57-aaaaaaaaaa06')])
        .when(reply({ kind: 'opt_out', keyword: 'UNSUBSCRIBE' }, message))
        .then(stopped(message, 'UNSUBSCRIBE'));
    });

    it('records a redelivered STOP once', () => {
      const message = inbound('STOP');
      given([...stopped(message)])
        .when(reply({ kind: 'opt_out', keyword: 'STOP' }, message))
        .thenNothingHappens();
    });

    it('derives the reply id from the inbound message and the kind only', () => {
      const message = inbound('STOP');
      const first = decide(reply({ kind: 'opt_out', keyword: 'STOP' }, message), initialState);
      const again = decide(reply({ kind: 'opt_out', keyword: 'STOP' }, message), initialState);
      const replyIdOf = (events: ConsentEvent[]) =>
        events.find((e) => e.type === 'consent.AutoReplyRequested.v1')?.data;
      expect(replyIdOf(first)).toMatchObject({
        replyId: autoReplyId(message.messageId, 'opt_out_confirmation'),
      });
      expect(replyIdOf(again)).toEqual(replyIdOf(first));
      expect(autoReplyId(message.messageId, 'help')).not.toBe(
        autoReplyId(message.messageId, 'opt_out_confirmation'),
      );
      expect(autoReplyId(messageId(), 'opt_out_confirmation')).not.toBe(
        autoReplyId(message.messageId, 'opt_out_confirmation'),
      );
    });
  });

  describe('free-text replies', () => {
    it('revokes on a confident free-text revocation, with the cue in the note', () => {
      const message = inbound('please stop texting me');
      given([granted])
        .when(reply({ kind: 'revocation', confidence: 0.97, cue: 'stop texting me' }, message))
        .then([
          {
            type: 'consent.ConsentRevoked.v1',
            data: {
              ...subject,
              scope: 'all',
              channel: 'all',
              method: 'free_text',
              note: 'classifier cue "stop texting me", confidence 0.97',
              message: causing(message),
              revokedAt: at,
            },
          },
          autoReply('opt_out_confirmation', message.messageId),
        ]);
    });

    it('opens a review for a reply that may be a revocation', () => {
      const message = inbound('not interested anymore');
      given([granted])
        .when(
          reply({ kind: 'possible_revocation', confidence: 0.6, cue: 'not interested' }, message),
        )
        .then([
          {
            type: 'consent.RevocationReviewOpened.v1',
            data: {
              reviewId: reviewIdOf(message.messageId),
              ...subject,
              message: causing(message),
              to: tenantNumber,
              confidence: 0.6,
              cue: 'not interested',
              openedAt: at,
            },
          },
        ]);
    });

    it('opens no review when there is nothing left to revoke', () => {
      given(stopped())
        .when(reply({ kind: 'possible_revocation', confidence: 0.6, cue: 'not interested' }))
        .thenNothingHappens();
    });

    it('records nothing for an ordinary reply', () => {
      given([granted])
        .when(reply({ kind: 'none' }))
        .thenNothingHappens();
    });
  });

  describe('opt-in keywords', () => {
    it('restores consent after an opt-out and confirms it', () => {
      const message = sentAt('START', '12:00:00');
      given([granted, ...stopped()])
        .when(reply({ kind: 'opt_in', keyword: 'START' }, message))
        .then([
          {
            type: 'consent.ConsentRestored.v1',
            data: { ...subject, keyword: 'START', message: causing(message), restoredAt: at },
          },
          autoReply('opt_in_confirmation', message.messageId),
        ]);
    });

    it('means nothing without an opt-out (YES is an ordinary answer then)', () => {
      given([granted])
        .when(reply({ kind: 'opt_in', keyword: 'YES' }))
        .thenNothingHappens();
      given([])
        .when(reply({ kind: 'opt_in', keyword: 'START' }))
        .thenNothingHappens();
    });

    it('means nothing once consent is already restored', () => {
      const start = inbound('UNSTOP');
      const restored: ConsentEvent[] = [
        {
          type: 'consent.ConsentRestored.v1',
          data: { ...subject, keyword: 'UNSTOP', message: causing(start), restoredAt: at },
        },
        autoReply('opt_in_confirmation', start.messageId),
      ];
      given([...stopped(), ...restored])
        .when(reply({ kind: 'opt_in', keyword: 'START' }))
        .thenNothingHappens();
    });

    it('confirms a STOP again after START, since it is a new opt-out', () => {
      const start = inbound('START');
      const again = inbound('STOP');
      given([
        ...stopped(),
        {
          type: 'consent.ConsentRestored.v1',
          data: { ...subject, keyword: 'START', message: causing(start), restoredAt: at },
        },
        autoReply('opt_in_confirmation', start.messageId),
      ])
        .when(reply({ kind: 'opt_out', keyword: 'STOP' }, again))
        .then(stopped(again));
    });
  });

  describe('texts handled out of the order they were sent in', () => {
    // Inbound texts reach the ledger keyed by message, so two texts from one phone may be
    // handled in either order: the person's latest word decides, not the latest handled.
    const restoredBy = (message: ReturnType<typeof inbound>): ConsentEvent[] => [
      {
        type: 'consent.ConsentRestored.v1',
        data: { ...subject, keyword: 'START', message: causing(message), restoredAt: at },
      },
      autoReply('opt_in_confirmation', message.messageId),
    ];
    const optOut = { kind: 'opt_out', keyword: 'STOP' } as const;
    const optIn = { kind: 'opt_in', keyword: 'START' } as const;

    it('records a STOP from a person already out, without a second confirmation', () => {
      const first = sentAt('STOP', '11:00:00');
      const again = sentAt('STOP', '11:05:00');
      given(stopped(first))
        .when(reply(optOut, again))
        .then([stopped(again)[0] as ConsentEvent]);
    });

    it('ignores a START older than the STOP already on the ledger (START t1, STOP t2, t2 first)', () => {
      const first = sentAt('STOP', '11:00:00');
      const start = sentAt('START', '11:10:00');
      const stop = sentAt('STOP', '11:11:00');
      const history = [...stopped(first), stopped(stop)[0] as ConsentEvent];
      given(history).when(reply(optIn, start)).thenNothingHappens();
    });

    it('ignores a START sent at the same instant as the STOP on the ledger (opt-out wins a tie)', () => {
      const stop = sentAt('STOP', '11:11:00');
      const start = sentAt('START', '11:11:00');
      given(stopped(stop)).when(reply(optIn, start)).thenNothingHappens();
    });

    it('still restores on a START newer than every STOP', () => {
      const stop = sentAt('STOP', '11:00:00');
      const start = sentAt('START', '11:10:00');
      given(stopped(stop)).when(reply(optIn, start)).then(restoredBy(start));
    });

    it('ignores a STOP older than the START already applied (STOP t1, START t2, t2 first)', () => {
      const first = sentAt('STOP', '10:00:00');
      const stop = sentAt('STOP', '11:00:00');
      const start = sentAt('START', '11:10:00');
      const history = [...stopped(first), ...restoredBy(start)];
      given(history).when(reply(optOut, stop)).thenNothingHappens();
      given(history)
        .when(reply({ kind: 'revocation', confidence: 0.95, cue: 'stop texting me' }, stop))
        .thenNothingHappens();
      given(history)
        .when(reply({ kind: 'possible_revocation', confidence: 0.6, cue: 'not interested' }, stop))
        .thenNothingHappens();
    });

    it('ends where the person left off, whichever of START and STOP is handled first', () => {
      const handle = (commands: ConsentCommand[], from: ConsentEvent[]) =>
        commands.reduce(
          (state, command) => decide(command, state).reduce(evolve, state),
          from.reduce(evolve, initialState),
        );
      const first = sentAt('STOP', '10:00:00');
      const start = reply(optIn, sentAt('START', '11:00:00'));
      const stop = reply(optOut, sentAt('STOP', '11:00:01'));
      for (const order of [
        [start, stop],
        [stop, start],
      ]) {
        expect(handle(order, [granted, ...stopped(first)]).standing.optedOut).toEqual({
          sms: true,
          mms: true,
        });
      }
      // And the other way round: STOP, then START, the person is back in.
      const stop2 = reply(optOut, sentAt('STOP', '11:00:00'));
      const start2 = reply(optIn, sentAt('START', '11:00:01'));
      for (const order of [
        [stop2, start2],
        [start2, stop2],
      ]) {
        expect(handle(order, [granted, ...stopped(first)]).standing.optedOut).toEqual({
          sms: false,
          mms: false,
        });
      }
    });

    it('still revokes on a STOP newer than the START', () => {
      const first = sentAt('STOP', '10:00:00');
      const start = sentAt('START', '11:10:00');
      const stop = sentAt('STOP', '11:20:00');
      given([...stopped(first), ...restoredBy(start)])
        .when(reply(optOut, stop))
        .then(stopped(stop));
    });
  });

  describe('HELP', () => {
    it('records the request and answers it', () => {
      const message = inbound('help');
      given([])
        .when(reply({ kind: 'help', keyword: 'HELP' }, message))
        .then([
          {
            type: 'consent.HelpRequested.v1',
            data: { ...subject, keyword: 'HELP', message: causing(message), requestedAt: at },
          },
          autoReply('help', message.messageId),
        ]);
    });

    it('answers HELP from a person who opted out, every time', () => {
      const first = inbound('INFO');
      const second = inbound('HELP');
      const helped: ConsentEvent[] = [
        {
          type: 'consent.HelpRequested.v1',
          data: { ...subject, keyword: 'INFO', message: causing(first), requestedAt: at },
        },
        autoReply('help', first.messageId),
      ];
      given(stopped())
        .when(reply({ kind: 'help', keyword: 'INFO' }, first))
        .then(helped);
      given([...stopped(), ...helped])
        .when(reply({ kind: 'help', keyword: 'HELP' }, second))
        .then([
          {
            type: 'consent.HelpRequested.v1',
            data: { ...subject, keyword: 'HELP', message: causing(second), requestedAt: at },
          },
          autoReply('help', second.messageId),
        ]);
    });
  });

  describe('revocation reviews', () => {
    const doubt = inbound('who is this? not interested', messageId(), otherTenantNumber);
    const reviewId = reviewIdOf(doubt.messageId);
    const opened: ConsentEvent = {
      type: 'consent.RevocationReviewOpened.v1',
      data: {
        reviewId,
        ...subject,
        message: causing(doubt),
        to: otherTenantNumber,
        confidence: 0.55,
        cue: 'not interested',
        openedAt: at,
      },
    };
    const requestId = '01936f4e-7c2a-7cc1-9a57-aaaaaaaaaa10';
    const resolution = (
      decision: 'revoke' | 'dismiss',
      id = reviewId,
    ): RevocationReviewResolutionRequested => ({
      requestId,
      tenantId,
      reviewId: id,
      phone,
      decision,
      resolvedBy: 'agent@acme.example',
      requestedAt: at,
    });
    const resolve = (request: RevocationReviewResolutionRequested): ConsentCommand => ({
      type: 'ResolveReview',
      request,
      texts,
      defaultFrom: tenantNumber,
      now,
    });
    const resolved = (decision: 'revoke' | 'dismiss'): ConsentEvent => ({
      type: 'consent.RevocationReviewResolved.v1',
      data: {
        reviewId,
        ...subject,
        decision,
        requestId,
        resolvedBy: 'agent@acme.example',
        resolvedAt: at,
      },
    });
    const revokedByReview: ConsentEvent = {
      type: 'consent.ConsentRevoked.v1',
      data: {
        ...subject,
        scope: 'all',
        channel: 'all',
        method: 'free_text',
        message: causing(doubt),
        requestId,
        reviewId,
        revokedAt: at,
      },
    };

    it('opens one review per reply, however often it arrives', () => {
      given([granted, opened])
        .when(
          reply({ kind: 'possible_revocation', confidence: 0.55, cue: 'not interested' }, doubt),
        )
        .thenNothingHappens();
    });

    it('revokes on a revoking decision and confirms from the number the reply went to', () => {
      given([granted, opened])
        .when(resolve(resolution('revoke')))
        .then([
          resolved('revoke'),
          revokedByReview,
          autoReply('opt_out_confirmation', doubt.messageId, otherTenantNumber),
        ]);
    });

    it('confirms from the default sender when the review does not name the number', () => {
      const { to: _to, ...withoutTo } = opened.data;
      given([granted, { type: 'consent.RevocationReviewOpened.v1', data: withoutTo }])
        .when(resolve(resolution('revoke')))
        .then([
          resolved('revoke'),
          revokedByReview,
          autoReply('opt_out_confirmation', doubt.messageId, tenantNumber),
        ]);
    });

    it('records the decision but sends no second confirmation to a person who already opted out', () => {
      given([granted, opened, ...stopped()])
        .when(resolve(resolution('revoke')))
        .then([resolved('revoke'), revokedByReview]);
    });

    it('records a revoking decision without revoking when the person sent START after the reply', () => {
      const start = inbound('START', messageId(), tenantNumber, '2026-11-26T12:00:00.000Z');
      given([
        granted,
        opened,
        ...stopped(),
        {
          type: 'consent.ConsentRestored.v1',
          data: { ...subject, keyword: 'START', message: causing(start), restoredAt: at },
        },
        autoReply('opt_in_confirmation', start.messageId),
      ])
        .when(resolve(resolution('revoke')))
        .then([resolved('revoke')]);
    });

    it('only closes the review on a dismissal', () => {
      given([granted, opened])
        .when(resolve(resolution('dismiss')))
        .then([resolved('dismiss')]);
    });

    it('does nothing for a review that is not open on this ledger', () => {
      given([granted])
        .when(resolve(resolution('revoke', '01936f4e-7c2a-7cc1-9a57-aaaaaaaaaa99')))
        .thenNothingHappens();
      given([granted, opened, resolved('dismiss')])
        .when(
          resolve({ ...resolution('revoke'), requestId: '01936f4e-7c2a-7cc1-9a57-aaaaaaaaaa11' }),
        )
        .thenNothingHappens();
    });
  });
});
