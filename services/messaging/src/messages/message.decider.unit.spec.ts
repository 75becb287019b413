import type { SendRequested } from '@textplane/contracts';
import { deciderSpecification } from '@textplane/testing';
import { describe, it } from 'vitest';
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
      const hold = { verdict: 'hold', sendAt, timeZone: 'America/Chicago' } as const;
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
          clearance: { verdict: 'hold', sendAt: later, timeZone: 'America/New_York' },
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
});
