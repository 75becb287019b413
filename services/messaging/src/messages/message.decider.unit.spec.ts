import type { SendRequested } from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, expect, it } from 'vitest';
import type { MessageCommand, SubmissionClearance } from './message.commands.js';
import {
  decide,
  evolve,
  initialState,
  MessageRuleViolation,
  type MessageState,
} from './message.decider.js';
import type { MessageEvent } from './message.events.js';

const given = deciderSpecification<MessageCommand, MessageEvent, MessageState>({
  decide,
  evolve,
  initialState,
});

const messageId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c11';
const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const now = new Date('2026-11-26T12:00:00.000Z');
const later = new Date('2026-11-26T12:00:05.000Z');

const request: SendRequested = {
  messageId,
  tenantId,
  to: '+15555550123',
  from: '+15555550100',
  body: 'Your table is ready',
  mediaUrls: [],
  purpose: 'transactional',
  encoding: 'GSM-7',
  segments: 1,
  requestedAt: now.toISOString(),
};

const queued: MessageEvent = {
  type: 'messaging.MessageQueued.v1',
  data: {
    messageId,
    tenantId,
    direction: 'outbound',
    to: request.to,
    from: request.from,
    body: request.body,
    mediaUrls: [],
    purpose: 'transactional',
    encoding: 'GSM-7',
    segments: 1,
    queuedAt: now.toISOString(),
  },
};
const started: MessageEvent = {
  type: 'messaging.MessageSubmissionStarted.v1',
  data: { messageId, tenantId, attempt: 1, to: request.to, startedAt: now.toISOString() },
};
const submitted: MessageEvent = {
  type: 'messaging.MessageSubmitted.v1',
  data: { messageId, tenantId, carrierMessageId: 'carrier-1', submittedAt: now.toISOString() },
};
const sent: MessageEvent = {
  type: 'messaging.MessageSent.v1',
  data: { messageId, tenantId, carrierMessageId: 'carrier-1', sentAt: now.toISOString() },
};
const delivered: MessageEvent = {
  type: 'messaging.MessageDelivered.v1',
  data: { messageId, tenantId, carrierMessageId: 'carrier-1', deliveredAt: later.toISOString() },
};

const cleared: SubmissionClearance = { verdict: 'send', flags: [] };

function carrierStatus(
  status: Extract<MessageCommand, { type: 'RecordCarrierStatus' }>['status'],
  error: { code: string; detail: string } | null = null,
): MessageCommand {
  return {
    type: 'RecordCarrierStatus',
    status,
    carrierMessageId: 'carrier-1',
    errorCode: error?.code ?? null,
    errorDetail: error?.detail ?? null,
    occurredAt: later,
  };
}

describe('message decider', () => {
  describe('queueing', () => {
    it('queues a requested message', () => {
      given([]).when({ type: 'QueueMessage', request, additions: null, now }).then([queued]);
    });

    it('ignores a redelivered request for a message already queued', () => {
      given([queued])
        .when({ type: 'QueueMessage', request, additions: null, now })
        .thenNothingHappens();
    });
  });

  describe('submission to the carrier', () => {
    it('records the attempt before the carrier is called', () => {
      given([queued]).when({ type: 'StartSubmission', clearance: cleared, now }).then([started]);
    });

    it('records a second attempt after a crash left the first without an answer', () => {
      given([queued, started])
        .when({ type: 'StartSubmission', clearance: cleared, now: later })
        .then([
          {
            type: 'messaging.MessageSubmissionStarted.v1',
            data: {
              messageId,
              tenantId,
              attempt: 2,
              to: request.to,
              startedAt: later.toISOString(),
            },
          },
        ]);
    });

    it('does not submit again once the carrier accepted the message', () => {
      given([queued, started, submitted])
        .when({ type: 'StartSubmission', clearance: cleared, now })
        .thenNothingHappens();
    });

    it('keeps the carrier id of the accepted submission', () => {
      given([queued, started])
        .when({ type: 'RecordCarrierAcceptance', carrierMessageId: 'carrier-1', now })
        .then([submitted]);
    });

    it('fails the message when the carrier refuses it', () => {
      given([queued, started])
        .when({
          type: 'RecordSubmissionFailure',
          errorCode: '40310',
          errorDetail: 'Invalid to',
          now,
        })
        .then([
          {
            type: 'messaging.MessageFailed.v1',
            data: {
              messageId,
              tenantId,
              errorCode: '40310',
              errorDetail: 'Invalid to',
              failedAt: now.toISOString(),
            },
          },
        ]);
    });

    it('refuses to submit a message that was never queued', () => {
      given([])
        .when({ type: 'StartSubmission', clearance: cleared, now })
        .thenThrows(
          (e) => e instanceof MessageRuleViolation && e.code === 'not_an_outbound_message',
        );
    });
  });

  describe('delivery receipts', () => {
    it('marks a submitted message sent', () => {
      given([queued, started, submitted])
        .when(carrierStatus('sent'))
        .then([
          {
            type: 'messaging.MessageSent.v1',
            data: {
              messageId,
              tenantId,
              carrierMessageId: 'carrier-1',
              sentAt: later.toISOString(),
            },
          },
        ]);
    });

    it('marks a sent message delivered', () => {
      given([queued, started, submitted, sent]).when(carrierStatus('delivered')).then([delivered]);
    });

    it('accepts a delivery receipt that overtook the sent receipt', () => {
      given([queued, started, submitted]).when(carrierStatus('delivered')).then([delivered]);
    });

    it('never leaves a final state, whatever arrives late', () => {
      given([queued, started, submitted, sent, delivered])
        .when(carrierStatus('sent'))
        .thenNothingHappens();
      given([queued, started, submitted, sent, delivered])
        .when(carrierStatus('undelivered'))
        .thenNothingHappens();
    });

    it('records a carrier delivery failure with its error code as undelivered', () => {
      given([queued, started, submitted, sent])
        .when(carrierStatus('undelivered', { code: '40002', detail: 'Blocked as spam' }))
        .then([
          {
            type: 'messaging.MessageUndelivered.v1',
            data: {
              messageId,
              tenantId,
              carrierMessageId: 'carrier-1',
              errorCode: '40002',
              errorDetail: 'Blocked as spam',
              undeliveredAt: later.toISOString(),
            },
          },
        ]);
    });

    it('records a sending failure as failed', () => {
      given([queued, started, submitted])
        .when(carrierStatus('failed', { code: '40008', detail: 'Undeliverable' }))
        .then([
          {
            type: 'messaging.MessageFailed.v1',
            data: {
              messageId,
              tenantId,
              errorCode: '40008',
              errorDetail: 'Undeliverable',
              failedAt: later.toISOString(),
            },
          },
        ]);
    });
  });

  describe('inbound messages', () => {
    it('records an inbound text with its encoding and segments', () => {
      const inboundId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c99';
      given([])
        .when({
          type: 'ReceiveInbound',
          inbound: {
            messageId: inboundId,
            tenantId,
            from: '+15555550123',
            to: '+15555550100',
            body: 'Thanks 👍',
            mediaUrls: [],
            carrierMessageId: 'carrier-in-1',
          },
          now,
        })
        .then([
          {
            type: 'messaging.InboundMessageReceived.v1',
            data: {
              messageId: inboundId,
              tenantId,
              direction: 'inbound',
              from: '+15555550123',
              to: '+15555550100',
              body: 'Thanks 👍',
              mediaUrls: [],
              encoding: 'UCS-2',
              segments: 1,
              carrierMessageId: 'carrier-in-1',
              receivedAt: now.toISOString(),
            },
          },
        ]);
    });
  });

  describe('compliance', () => {
    const marketingRequest: SendRequested = {
      ...request,
      purpose: 'marketing',
      body: 'Flash sale: 20% off all week',
      recipientTimeZone: 'America/Chicago',
    };

    it('adds the brand to a first message and opt-out language to marketing, recounting segments', () => {
      given([])
        .when({
          type: 'QueueMessage',
          request: marketingRequest,
          additions: { brandName: 'Acme', firstMessageToContact: true },
          now,
        })
        .then([
          {
            type: 'messaging.MessageQueued.v1',
            data: {
              ...queued.data,
              purpose: 'marketing',
              body: 'Acme: Flash sale: 20% off all week\nReply STOP to opt out.',
              segments: 1,
              recipientTimeZone: 'America/Chicago',
              addedText: 'Acme: … Reply STOP to opt out.',
            },
          },
        ]);
    });

    it('adds nothing to an automatic compliance reply', () => {
      given([])
        .when({
          type: 'QueueMessage',
          request: {
            ...request,
            body: 'Acme: You are unsubscribed.',
            autoReply: 'opt_out_confirmation',
          },
          additions: { brandName: 'Other', firstMessageToContact: true },
          now,
        })
        .then([
          {
            type: 'messaging.MessageQueued.v1',
            data: {
              ...queued.data,
              body: 'Acme: You are unsubscribed.',
              autoReply: 'opt_out_confirmation',
            },
          },
        ]);
    });

    it('blocks a message that compliance refuses, with every reason, for good', () => {
      const blocked: MessageEvent = {
        type: 'messaging.MessageBlocked.v1',
        data: {
          messageId,
          tenantId,
          reason: 'recipient_opted_out',
          reasons: ['recipient_opted_out', 'content_rejected'],
          detail: 'opted out; shortener',
          blockedAt: now.toISOString(),
        },
      };
      given([queued])
        .when({
          type: 'StartSubmission',
          clearance: {
            verdict: 'block',
            reasons: ['recipient_opted_out', 'content_rejected'],
            detail: 'opted out; shortener',
          },
          now,
        })
        .then([blocked]);
      given([queued, blocked])
        .when({ type: 'StartSubmission', clearance: cleared, now })
        .thenNothingHappens();
      given([queued, blocked]).when(carrierStatus('delivered')).thenNothingHappens();
    });

    it('holds a message outside quiet hours and sends it when released', () => {
      const sendAt = new Date('2026-11-27T14:00:00.000Z');
      const held: MessageEvent = {
        type: 'messaging.MessageHeld.v1',
        data: {
          messageId,
          tenantId,
          reason: 'quiet_hours_held',
          sendAt: sendAt.toISOString(),
          timeZone: 'America/Chicago',
          heldAt: now.toISOString(),
        },
      };
      const hold = {
        verdict: 'hold',
        sendAt,
        reason: 'quiet_hours_held',
        timeZone: 'America/Chicago',
      } as const;
      given([queued]).when({ type: 'StartSubmission', clearance: hold, now }).then([held]);
      given([queued, held])
        .when({ type: 'StartSubmission', clearance: hold, now })
        .thenNothingHappens();
      given([queued, held])
        .when({
          type: 'StartSubmission',
          clearance: { verdict: 'send', flags: ['restricted_content:alcohol'] },
          now: later,
        })
        .then([
          {
            type: 'messaging.MessageSubmissionStarted.v1',
            data: {
              messageId,
              tenantId,
              attempt: 1,
              to: request.to,
              complianceFlags: ['restricted_content:alcohol'],
              startedAt: later.toISOString(),
            },
          },
        ]);
    });

    it('lets a retry that may already be at the carrier finish rather than hold it', () => {
      given([queued, started])
        .when({
          type: 'StartSubmission',
          clearance: {
            verdict: 'hold',
            sendAt: later,
            reason: 'quiet_hours_held',
            timeZone: 'America/New_York',
          },
          now: later,
        })
        .then([
          {
            type: 'messaging.MessageSubmissionStarted.v1',
            data: {
              messageId,
              tenantId,
              attempt: 2,
              to: request.to,
              startedAt: later.toISOString(),
            },
          },
        ]);
    });
  });

  describe('a receipt that never comes (reconciliation gives up)', () => {
    const abandon: MessageCommand = { type: 'AbandonReceiptWait', checks: 8, now: later };

    it('ends a message the carrier accepted as undelivered, its delivery never confirmed', () => {
      for (const history of [
        [queued, started, submitted],
        [queued, started, submitted, sent],
      ]) {
        given(history)
          .when(abandon)
          .then([
            {
              type: 'messaging.MessageUndelivered.v1',
              data: {
                messageId,
                tenantId,
                carrierMessageId: 'carrier-1',
                errorCode: 'receipt_unconfirmed',
                errorDetail:
                  'no delivery receipt, and the carrier confirmed no outcome in 8 checks',
                undeliveredAt: later.toISOString(),
              },
            },
          ]);
      }
    });

    it('fails a message whose submission answer was never recorded', () => {
      given([queued, started])
        .when(abandon)
        .then([
          {
            type: 'messaging.MessageFailed.v1',
            data: {
              messageId,
              tenantId,
              errorCode: 'carrier_answer_unknown',
              errorDetail: "the carrier's answer to the submission was never recorded (8 checks)",
              failedAt: later.toISOString(),
            },
          },
        ]);
    });

    it('leaves a message alone that is final or not with the carrier', () => {
      given([queued, started, submitted, delivered]).when(abandon).thenNothingHappens();
      given([queued]).when(abandon).thenNothingHappens();
    });
  });

  describe('scheduling, cancel and reschedule', () => {
    const sendAt = new Date('2026-11-28T15:00:00.000Z');
    const newSendAt = new Date('2026-11-29T16:00:00.000Z');
    const scheduledQueued: MessageEvent = {
      type: 'messaging.MessageQueued.v1',
      data: { ...queued.data, sendAt: sendAt.toISOString() },
    };
    const scheduledHeld: MessageEvent = {
      type: 'messaging.MessageHeld.v1',
      data: {
        messageId,
        tenantId,
        reason: 'scheduled',
        sendAt: sendAt.toISOString(),
        heldAt: now.toISOString(),
      },
    };
    const quietHeld: MessageEvent = {
      type: 'messaging.MessageHeld.v1',
      data: {
        messageId,
        tenantId,
        reason: 'quiet_hours_held',
        sendAt: sendAt.toISOString(),
        timeZone: 'America/New_York',
        heldAt: now.toISOString(),
      },
    };
    const cancel: MessageCommand = {
      type: 'CancelMessage',
      tenantId,
      requestedAt: now,
      now: later,
    };
    const reschedule: MessageCommand = {
      type: 'RescheduleMessage',
      tenantId,
      sendAt: newSendAt,
      requestedAt: now,
      now: later,
    };
    const canceledFrom = (previousStatus: 'queued' | 'scheduled'): MessageEvent => ({
      type: 'messaging.MessageCanceled.v1',
      data: { messageId, tenantId, previousStatus, canceledAt: later.toISOString() },
    });
    const cancelRejected = (status: 'sending' | 'delivered' | 'blocked'): MessageEvent => ({
      type: 'messaging.MessageCancelRejected.v1',
      data: {
        messageId,
        tenantId,
        status,
        requestedAt: now.toISOString(),
        rejectedAt: later.toISOString(),
      },
    });
    const rescheduled: MessageEvent = {
      type: 'messaging.MessageRescheduled.v1',
      data: {
        messageId,
        tenantId,
        sendAt: newSendAt.toISOString(),
        previousSendAt: sendAt.toISOString(),
        rescheduledAt: later.toISOString(),
      },
    };

    it("queues a request's sendAt with the message, as an instant in UTC", () => {
      given([])
        .when({
          type: 'QueueMessage',
          request: { ...request, sendAt: '2026-11-28T10:00:00-05:00' },
          additions: null,
          now,
        })
        .then([scheduledQueued]);
    });

    it("holds a message for the client's sendAt, and does not hold it twice", () => {
      const hold: SubmissionClearance = { verdict: 'hold', sendAt, reason: 'scheduled' };
      given([scheduledQueued])
        .when({ type: 'StartSubmission', clearance: hold, now })
        .then([scheduledHeld]);
      given([scheduledQueued, scheduledHeld])
        .when({ type: 'StartSubmission', clearance: hold, now })
        .thenNothingHappens();
      // Released at its time into quiet hours: held again, for the other reason.
      given([scheduledQueued, scheduledHeld])
        .when({
          type: 'StartSubmission',
          clearance: {
            verdict: 'hold',
            sendAt,
            reason: 'quiet_hours_held',
            timeZone: 'America/New_York',
          },
          now,
        })
        .then([quietHeld]);
    });

    it('records what a message waits for once, and again only when that changes', () => {
      const registration: SubmissionClearance = {
        verdict: 'wait',
        event: 'messaging.SenderRegistrationChanged.v1',
        waitingFor: 'registration',
      };
      const parked = {
        type: 'messaging.MessageParked.v1' as const,
        data: {
          messageId,
          tenantId,
          waitingFor: 'registration' as const,
          parkedAt: now.toISOString(),
        },
      };
      given([queued])
        .when({ type: 'StartSubmission', clearance: registration, now })
        .then([parked]);
      given([queued, parked])
        .when({ type: 'StartSubmission', clearance: registration, now: later })
        .thenNothingHappens();
      const throughput: SubmissionClearance = {
        verdict: 'wait',
        waitingFor: 'throughput',
        until: new Date(later.getTime() + 1_000),
      };
      given([queued, parked])
        .when({ type: 'StartSubmission', clearance: throughput, now: later })
        .then([
          {
            type: 'messaging.MessageParked.v1',
            data: {
              messageId,
              tenantId,
              waitingFor: 'throughput',
              until: new Date(later.getTime() + 1_000).toISOString(),
              parkedAt: later.toISOString(),
            },
          },
        ]);
      // Held for quiet hours after waiting: scheduled, and a later wait is recorded again.
      given([queued, parked, quietHeld])
        .when({ type: 'StartSubmission', clearance: registration, now: later })
        .then([{ ...parked, data: { ...parked.data, parkedAt: later.toISOString() } }]);
    });

    it('asks billing for the hold as it starts waiting for funds, and again only when told to', () => {
      const holdRequest = {
        messageId,
        tenantId,
        to: request.to,
        from: request.from,
        channel: 'sms' as const,
        segments: 1,
        fromNumberType: 'long_code' as const,
        registered: true,
        requestedAt: now.toISOString(),
      };
      const ask: SubmissionClearance = {
        verdict: 'wait',
        event: 'billing.HoldAnswered',
        waitingFor: 'funds',
        holdRequest,
      };
      const requested = { type: 'messaging.FundsHoldRequested.v1' as const, data: holdRequest };
      const parked = {
        type: 'messaging.MessageParked.v1' as const,
        data: { messageId, tenantId, waitingFor: 'funds' as const, parkedAt: now.toISOString() },
      };
      given([queued])
        .when({ type: 'StartSubmission', clearance: ask, now })
        .then([requested, parked]);
      // Waiting for the answer: nothing more recorded.
      const { holdRequest: _asked, ...waiting } = ask;
      given([queued, requested, parked])
        .when({ type: 'StartSubmission', clearance: waiting, now: later })
        .thenNothingHappens();
      // Asked again after a credit: the request only, the message already shown waiting for funds.
      const again = { ...holdRequest, requestedAt: later.toISOString() };
      given([queued, requested, parked])
        .when({ type: 'StartSubmission', clearance: { ...ask, holdRequest: again }, now: later })
        .then([{ type: 'messaging.FundsHoldRequested.v1', data: again }]);
    });

    it('counts the hold requests from the first', () => {
      const data = {
        messageId,
        tenantId,
        to: request.to,
        from: request.from,
        channel: 'sms' as const,
        segments: 1,
        fromNumberType: 'long_code' as const,
        registered: true,
      };
      const state = [
        queued,
        {
          type: 'messaging.FundsHoldRequested.v1' as const,
          data: { ...data, requestedAt: now.toISOString() },
        },
        {
          type: 'messaging.FundsHoldRequested.v1' as const,
          data: { ...data, requestedAt: later.toISOString() },
        },
      ].reduce(evolve, initialState);
      expect('funds' in state ? state.funds : undefined).toEqual({
        firstRequestedAt: now.toISOString(),
        requests: 2,
      });
    });

    it('leaves a message waiting for an event queued, but lets a retry finish', () => {
      const wait: SubmissionClearance = { verdict: 'wait', event: 'billing.HoldPlaced.v1' };
      given([queued]).when({ type: 'StartSubmission', clearance: wait, now }).thenNothingHappens();
      given([queued, started])
        .when({ type: 'StartSubmission', clearance: wait, now: later })
        .then([
          {
            type: 'messaging.MessageSubmissionStarted.v1',
            data: {
              messageId,
              tenantId,
              attempt: 2,
              to: request.to,
              startedAt: later.toISOString(),
            },
          },
        ]);
    });

    it('cancels a queued or scheduled message for good: nothing is submitted after it', () => {
      given([queued])
        .when(cancel)
        .then([canceledFrom('queued')]);
      given([scheduledQueued, scheduledHeld])
        .when(cancel)
        .then([canceledFrom('scheduled')]);
      given([queued, quietHeld])
        .when(cancel)
        .then([canceledFrom('scheduled')]);
      given([scheduledQueued, scheduledHeld, canceledFrom('scheduled')])
        .when({ type: 'StartSubmission', clearance: cleared, now: later })
        .thenNothingHappens();
      given([queued, canceledFrom('queued')])
        .when(cancel)
        .thenNothingHappens();
    });

    it('refuses a cancel once the message is sending or further along, naming its status', () => {
      given([queued, started])
        .when(cancel)
        .then([cancelRejected('sending')]);
      given([queued, started, submitted, delivered])
        .when(cancel)
        .then([cancelRejected('delivered')]);
      const blocked: MessageEvent = {
        type: 'messaging.MessageBlocked.v1',
        data: {
          messageId,
          tenantId,
          reason: 'dnd_active',
          reasons: ['dnd_active'],
          detail: 'dnd',
          blockedAt: now.toISOString(),
        },
      };
      given([queued, blocked])
        .when(cancel)
        .then([cancelRejected('blocked')]);
    });

    it("refuses another tenant's request and a message that was never queued", () => {
      const isViolation = (code: string) => (error: unknown) =>
        error instanceof MessageRuleViolation && error.code === code;
      given([queued])
        .when({ ...cancel, tenantId: '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c99' })
        .thenThrows(isViolation('not_the_tenants_message'));
      given([]).when(cancel).thenThrows(isViolation('not_an_outbound_message'));
    });

    it('moves a message the client scheduled, held or not yet held, to its new sendAt', () => {
      given([scheduledQueued, scheduledHeld]).when(reschedule).then([rescheduled]);
      given([scheduledQueued]).when(reschedule).then([rescheduled]);
      given([scheduledQueued, scheduledHeld, rescheduled])
        .when({ type: 'StartSubmission', clearance: cleared, now: later })
        .then([{ ...started, data: { ...started.data, startedAt: later.toISOString() } }]);
      // The same time again changes nothing.
      given([scheduledQueued, scheduledHeld, rescheduled]).when(reschedule).thenNothingHappens();
    });

    it('refuses to reschedule what the client did not schedule or what is no longer waiting', () => {
      const refusedAs = (
        status: 'queued' | 'scheduled' | 'sending',
        reason?: 'quiet_hours_held' | 'scheduled',
      ): MessageEvent[] => [
        {
          type: 'messaging.MessageRescheduleRejected.v1',
          data: {
            messageId,
            tenantId,
            status,
            ...(reason ? { reason } : {}),
            requestedAt: now.toISOString(),
            rejectedAt: later.toISOString(),
          },
        },
      ];
      given([queued]).when(reschedule).then(refusedAs('queued'));
      given([queued, quietHeld]).when(reschedule).then(refusedAs('scheduled', 'quiet_hours_held'));
      given([scheduledQueued, scheduledHeld, quietHeld])
        .when(reschedule)
        .then(refusedAs('scheduled', 'quiet_hours_held'));
      given([scheduledQueued, scheduledHeld, started]).when(reschedule).then(refusedAs('sending'));
      // Its time has come (the dispatcher is releasing it): too late to move.
      given([scheduledQueued, scheduledHeld])
        .when({ ...reschedule, now: new Date('2026-11-28T15:00:00.000Z') })
        .then([
          {
            type: 'messaging.MessageRescheduleRejected.v1',
            data: {
              messageId,
              tenantId,
              status: 'scheduled',
              reason: 'scheduled',
              requestedAt: now.toISOString(),
              rejectedAt: '2026-11-28T15:00:00.000Z',
            },
          },
        ]);
    });
  });
});
