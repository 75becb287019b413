import { complianceAdditions } from '@textplane/compliance';
import { countSegments } from '@textplane/segments';
import type { MessageCommand, OutboundRequest } from './message.commands.js';
import type { MessageEvent } from './message.events.js';
import type {
  AutoReplyKind,
  BlockReason,
  ComplianceReason,
  HoldReason,
  MessageQueued,
  MessageStatusName,
  MessageWaitingFor,
  SendTimeWindow,
} from '@textplane/contracts';

export type OutboundStatus = MessageStatusName;

/** A queued message as the submission needs it: what it was queued with, absent fields as null. */
export type OutboundMessage = Omit<
  OutboundRequest,
  'recipientTimeZone' | 'autoReply' | 'sendAt' | 'timeWindow'
> &
  Pick<MessageQueued, 'encoding' | 'segments'> & {
    recipientTimeZone: string | null;
    /** A workflow step's time window (the time-window gate waits for it); absent: any time. */
    timeWindow?: SendTimeWindow;
    autoReply: AutoReplyKind | null;
    /** The client's send time (the schedule gate waits for it), moved by a reschedule. */
    requestedSendAt: string | null;
  };

export type MessageState =
  | { status: 'none' }
  | {
      status: OutboundStatus;
      message: OutboundMessage;
      attempts: number;
      carrierMessageId: string | null;
      /** When a held message goes out (status `scheduled`). */
      sendAt: string | null;
      /** Why it is held (status `scheduled`). */
      holdReason: HoldReason | null;
      /** What it waits for (status `queued`, MessageParked); null: its turn. */
      waitingFor: MessageWaitingFor | null;
      /**
       * Its hold asked of billing at the funds gate (FundsHoldRequested): when first, which the
       * funds wait limit counts from, and how many times (billing answers each once); null: never.
       */
      funds: { firstRequestedAt: string; requests: number } | null;
    }
  | { status: 'received'; messageId: string; tenantId: string };

export const initialState: MessageState = { status: 'none' };

const FINAL: ReadonlySet<MessageState['status']> = new Set([
  'delivered',
  'failed',
  'undelivered',
  'blocked',
  'canceled',
]);

export function isFinal(state: MessageState): boolean {
  return FINAL.has(state.status);
}

export class MessageRuleViolation extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MessageRuleViolation';
  }
}

/** Decides which facts a command adds to a message's stream. An empty list means "nothing to do". */
export function decide(command: MessageCommand, state: MessageState): MessageEvent[] {
  switch (command.type) {
    case 'QueueMessage': {
      // A redelivered request finds the message already queued: nothing more to record.
      if (state.status !== 'none') return [];
      const r = command.request;
      // Auto-replies are fixed compliance texts: nothing is added to them.
      const additions =
        command.additions && !r.autoReply
          ? complianceAdditions({
              body: r.body,
              brandName: command.additions.brandName,
              purpose: r.purpose,
              firstMessageToContact: command.additions.firstMessageToContact,
              optOutReminderDue: command.additions.optOutReminderDue ?? false,
            })
          : null;
      const body = additions?.body ?? r.body;
      const count = countSegments(body);
      return [
        {
          type: 'messaging.MessageQueued.v1',
          data: {
            messageId: r.messageId,
            tenantId: r.tenantId,
            direction: 'outbound',
            to: r.to,
            from: r.from,
            body,
            mediaUrls: r.mediaUrls,
            purpose: r.purpose,
            encoding: count.encoding,
            segments: count.segments,
            ...(r.recipientTimeZone ? { recipientTimeZone: r.recipientTimeZone } : {}),
            ...(additions?.added ? { addedText: additions.added } : {}),
            ...(r.autoReply ? { autoReply: r.autoReply } : {}),
            ...(r.sendAt ? { sendAt: new Date(r.sendAt).toISOString() } : {}),
            // Where the message came from, for the services that follow messages (bulk, billing).
            ...(r.contactId !== undefined ? { contactId: r.contactId } : {}),
            ...(r.templateId !== undefined ? { templateId: r.templateId } : {}),
            ...(r.templateVersion !== undefined ? { templateVersion: r.templateVersion } : {}),
            ...(r.timeWindow !== undefined ? { timeWindow: r.timeWindow } : {}),
            ...(r.bulkSendId !== undefined ? { bulkSendId: r.bulkSendId } : {}),
            queuedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'StartSubmission':
      return decideSubmission(command, requireOutbound(state, command.type));
    case 'RecordCarrierAcceptance': {
      const outbound = requireOutbound(state, command.type);
      if (outbound.carrierMessageId !== null || isFinal(outbound)) return [];
      return [
        {
          type: 'messaging.MessageSubmitted.v1',
          data: {
            messageId: outbound.message.messageId,
            tenantId: outbound.message.tenantId,
            carrierMessageId: command.carrierMessageId,
            ...(command.parts !== undefined ? { parts: command.parts } : {}),
            ...(command.recipientCarrier !== undefined
              ? { recipientCarrier: command.recipientCarrier }
              : {}),
            submittedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordSubmissionFailure': {
      const outbound = requireOutbound(state, command.type);
      if (isFinal(outbound) || outbound.carrierMessageId !== null) return [];
      return [
        {
          type: 'messaging.MessageFailed.v1',
          data: {
            messageId: outbound.message.messageId,
            tenantId: outbound.message.tenantId,
            errorCode: command.errorCode,
            errorDetail: command.errorDetail,
            failedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'RecordCarrierStatus':
      return decideCarrierStatus(command, requireOutbound(state, command.type));
    case 'AbandonReceiptWait':
      return decideAbandonedReceipt(command, requireOutbound(state, command.type));
    case 'CancelMessage':
      return decideCancel(command, requireOwnMessage(state, command));
    case 'RescheduleMessage':
      return decideReschedule(command, requireOwnMessage(state, command));
    case 'ReceiveInbound': {
      if (state.status !== 'none') return [];
      const inbound = command.inbound;
      const count = countSegments(inbound.body);
      return [
        {
          type: 'messaging.InboundMessageReceived.v1',
          data: {
            messageId: inbound.messageId,
            tenantId: inbound.tenantId,
            direction: 'inbound',
            from: inbound.from,
            to: inbound.to,
            body: inbound.body,
            mediaUrls: inbound.mediaUrls,
            encoding: count.encoding,
            segments: count.segments,
            carrierMessageId: inbound.carrierMessageId,
            receivedAt: command.now.toISOString(),
          },
        },
      ];
    }
  }
}

type OutboundState = Extract<MessageState, { message: OutboundMessage }>;

/**
 * The last step before the carrier: the compliance clearance taken right now decides whether
 * the message goes, waits for the recipient's allowed hours, or is blocked for good.
 */
function decideSubmission(
  command: Extract<MessageCommand, { type: 'StartSubmission' }>,
  state: OutboundState,
): MessageEvent[] {
  // 'sending' with no carrier id: an earlier attempt may have reached the carrier before a
  // crash. The retry reuses the message id as idempotency key, so it is recorded again.
  const retrying = state.status === 'sending' && !state.carrierMessageId;
  if (state.status !== 'queued' && state.status !== 'scheduled' && !retrying) return [];
  const { messageId, tenantId } = state.message;
  const at = command.now.toISOString();
  const clearance = command.clearance;
  switch (clearance.verdict) {
    case 'block': {
      const reason = clearance.reasons.find(isBlockReason);
      if (!reason) {
        throw new MessageRuleViolation('invalid_clearance', 'a block needs a blocking reason');
      }
      return [
        {
          type: 'messaging.MessageBlocked.v1',
          data: {
            messageId,
            tenantId,
            reason,
            reasons: clearance.reasons,
            detail: clearance.detail,
            blockedAt: at,
          },
        },
      ];
    }
    case 'hold': {
      // A retry may already be at the carrier: it completes under the same idempotency key.
      if (retrying) return [startedEvent(state, [], at)];
      const sendAt = clearance.sendAt.toISOString();
      const { reason, timeZone } = clearance;
      if (state.status === 'scheduled' && state.sendAt === sendAt && state.holdReason === reason) {
        return [];
      }
      return [
        {
          type: 'messaging.MessageHeld.v1',
          data: {
            messageId,
            tenantId,
            reason,
            sendAt,
            ...(timeZone ? { timeZone } : {}),
            heldAt: at,
          },
        },
      ];
    }
    case 'wait': {
      // The message stays `queued`; the dispatch queue keeps when to look again. A retry that may
      // already be at the carrier completes under its idempotency key instead.
      if (retrying) return [startedEvent(state, [], at)];
      const waitingFor = clearance.waitingFor;
      // The funds gate asks billing for the message's hold as the message starts waiting for it.
      const request: MessageEvent[] = clearance.holdRequest
        ? [{ type: 'messaging.FundsHoldRequested.v1', data: clearance.holdRequest }]
        : [];
      // Recorded when what it waits for changes, not at every look.
      if (waitingFor === undefined) return request;
      if (state.status === 'queued' && state.waitingFor === waitingFor) return request;
      return [
        ...request,
        {
          type: 'messaging.MessageParked.v1',
          data: {
            messageId,
            tenantId,
            waitingFor,
            ...(clearance.until ? { until: clearance.until.toISOString() } : {}),
            parkedAt: at,
          },
        },
      ];
    }
    case 'send':
      return [startedEvent(state, clearance.flags, at)];
  }
}

const HOLD_REASONS: ReadonlySet<ComplianceReason> = new Set<HoldReason>([
  'quiet_hours_held',
  'scheduled',
  'time_window',
]);

function isBlockReason(reason: ComplianceReason): reason is BlockReason {
  return !HOLD_REASONS.has(reason);
}

/**
 * A cancel from the client: a message not yet sending ends `canceled`; one already sending or
 * further along is refused with the status it is in (the gateway answers 409). Canceling a
 * canceled message again records nothing.
 */
function decideCancel(
  command: Extract<MessageCommand, { type: 'CancelMessage' }>,
  state: OutboundState,
): MessageEvent[] {
  const { messageId, tenantId } = state.message;
  if (state.status === 'canceled') return [];
  if (state.status === 'queued' || state.status === 'scheduled') {
    return [
      {
        type: 'messaging.MessageCanceled.v1',
        data: {
          messageId,
          tenantId,
          previousStatus: state.status,
          canceledAt: command.now.toISOString(),
        },
      },
    ];
  }
  return [
    {
      type: 'messaging.MessageCancelRejected.v1',
      data: {
        messageId,
        tenantId,
        status: state.status,
        requestedAt: command.requestedAt.toISOString(),
        rejectedAt: command.now.toISOString(),
      },
    },
  ];
}

/**
 * A new send time for a message the client scheduled, while its schedule still holds it: queued
 * or scheduled for the client's `sendAt`, that time still ahead. Anything else (sending or
 * later, held for quiet hours, never scheduled, its time already come) is refused as it is.
 */
function decideReschedule(
  command: Extract<MessageCommand, { type: 'RescheduleMessage' }>,
  state: OutboundState,
): MessageEvent[] {
  const { messageId, tenantId, requestedSendAt } = state.message;
  const sendAt = command.sendAt.toISOString();
  const waitsForClient =
    (state.status === 'queued' || state.status === 'scheduled') &&
    state.holdReason !== 'quiet_hours_held' &&
    requestedSendAt !== null &&
    Date.parse(requestedSendAt) > command.now.getTime();
  if (waitsForClient) {
    if (requestedSendAt === sendAt) return [];
    return [
      {
        type: 'messaging.MessageRescheduled.v1',
        data: {
          messageId,
          tenantId,
          sendAt,
          previousSendAt: requestedSendAt,
          rescheduledAt: command.now.toISOString(),
        },
      },
    ];
  }
  return [
    {
      type: 'messaging.MessageRescheduleRejected.v1',
      data: {
        messageId,
        tenantId,
        status: state.status,
        ...(state.holdReason ? { reason: state.holdReason } : {}),
        requestedAt: command.requestedAt.toISOString(),
        rejectedAt: command.now.toISOString(),
      },
    },
  ];
}

/** A client's request names its tenant: a message of another tenant is not its to change. */
function requireOwnMessage(
  state: MessageState,
  command: Extract<MessageCommand, { tenantId: string }>,
): OutboundState {
  const outbound = requireOutbound(state, command.type);
  if (outbound.message.tenantId !== command.tenantId) {
    throw new MessageRuleViolation(
      'not_the_tenants_message',
      `${command.type}: the message belongs to another tenant`,
    );
  }
  return outbound;
}

function startedEvent(state: OutboundState, flags: string[], at: string): MessageEvent {
  return {
    type: 'messaging.MessageSubmissionStarted.v1',
    data: {
      messageId: state.message.messageId,
      tenantId: state.message.tenantId,
      attempt: state.attempts + 1,
      to: state.message.to,
      ...(flags.length > 0 ? { complianceFlags: flags } : {}),
      startedAt: at,
    },
  };
}

function requireOutbound(state: MessageState, command: MessageCommand['type']): OutboundState {
  if (state.status === 'none' || state.status === 'received') {
    throw new MessageRuleViolation(
      'not_an_outbound_message',
      `${command} applies only to a queued outbound message (state: ${state.status})`,
    );
  }
  return state;
}

function decideCarrierStatus(
  command: Extract<MessageCommand, { type: 'RecordCarrierStatus' }>,
  state: OutboundState,
): MessageEvent[] {
  // Receipts can arrive late or twice; a final state is never left.
  if (isFinal(state)) return [];
  const { messageId, tenantId } = state.message;
  const at = command.occurredAt.toISOString();
  const carrierMessageId = command.carrierMessageId;
  // A carrier adapter names the reason of a failure; the status itself stands in if it did not.
  const errorCode = command.errorCode ?? command.status;
  const errorDetail = command.errorDetail ?? `carrier reported the message ${command.status}`;
  switch (command.status) {
    case 'queued':
    case 'sending':
      return [];
    case 'sent':
      if (state.status === 'sent') return [];
      return [
        {
          type: 'messaging.MessageSent.v1',
          data: { messageId, tenantId, carrierMessageId, sentAt: at },
        },
      ];
    case 'delivered':
      return [
        {
          type: 'messaging.MessageDelivered.v1',
          data: { messageId, tenantId, carrierMessageId, deliveredAt: at },
        },
      ];
    case 'failed':
      return [
        {
          type: 'messaging.MessageFailed.v1',
          data: { messageId, tenantId, errorCode, errorDetail, failedAt: at },
        },
      ];
    case 'undelivered':
      return [
        {
          type: 'messaging.MessageUndelivered.v1',
          data: {
            messageId,
            tenantId,
            carrierMessageId,
            errorCode,
            errorDetail,
            undeliveredAt: at,
          },
        },
      ];
  }
}

/** Error codes of a message whose outcome reconciliation gave up on learning. */
export const RECEIPT_UNCONFIRMED = 'receipt_unconfirmed';
export const CARRIER_ANSWER_UNKNOWN = 'carrier_answer_unknown';

/**
 * How a message ends that never learnt its outcome. Accepted by the carrier (a carrier id):
 * `undelivered`, since delivery was never confirmed. Never acknowledged (no carrier id, though each check resubmitted it
 * under its idempotency key): `failed`, after a carrier call, as the status model asks.
 */
function decideAbandonedReceipt(
  command: Extract<MessageCommand, { type: 'AbandonReceiptWait' }>,
  state: OutboundState,
): MessageEvent[] {
  if (state.status !== 'sending' && state.status !== 'sent') return [];
  const { messageId, tenantId } = state.message;
  const at = command.now.toISOString();
  if (state.carrierMessageId === null) {
    return [
      {
        type: 'messaging.MessageFailed.v1',
        data: {
          messageId,
          tenantId,
          errorCode: CARRIER_ANSWER_UNKNOWN,
          errorDetail: `the carrier's answer to the submission was never recorded (${command.checks} checks)`,
          failedAt: at,
        },
      },
    ];
  }
  return [
    {
      type: 'messaging.MessageUndelivered.v1',
      data: {
        messageId,
        tenantId,
        carrierMessageId: state.carrierMessageId,
        errorCode: RECEIPT_UNCONFIRMED,
        errorDetail: `no delivery receipt, and the carrier confirmed no outcome in ${command.checks} checks`,
        undeliveredAt: at,
      },
    },
  ];
}

/** Folds one fact into the state. */
export function evolve(state: MessageState, event: MessageEvent): MessageState {
  switch (event.type) {
    case 'messaging.MessageQueued.v1': {
      const d = event.data;
      return {
        status: 'queued',
        attempts: 0,
        carrierMessageId: null,
        sendAt: null,
        holdReason: null,
        waitingFor: null,
        funds: null,
        message: {
          messageId: d.messageId,
          tenantId: d.tenantId,
          to: d.to,
          from: d.from,
          body: d.body,
          mediaUrls: d.mediaUrls,
          purpose: d.purpose,
          encoding: d.encoding,
          segments: d.segments,
          recipientTimeZone: d.recipientTimeZone ?? null,
          ...(d.timeWindow !== undefined ? { timeWindow: d.timeWindow } : {}),
          autoReply: d.autoReply ?? null,
          requestedSendAt: d.sendAt ?? null,
          ...(d.contactId !== undefined ? { contactId: d.contactId } : {}),
          ...(d.templateId !== undefined ? { templateId: d.templateId } : {}),
          ...(d.templateVersion !== undefined ? { templateVersion: d.templateVersion } : {}),
          ...(d.bulkSendId !== undefined ? { bulkSendId: d.bulkSendId } : {}),
        },
      };
    }
    case 'messaging.MessageHeld.v1':
      return withOutbound(state, (s) => ({
        ...s,
        status: 'scheduled',
        sendAt: event.data.sendAt,
        holdReason: event.data.reason,
        waitingFor: null,
      }));
    case 'messaging.MessageParked.v1':
      return withOutbound(state, (s) => ({
        ...s,
        status: 'queued',
        ...NOT_HELD,
        waitingFor: event.data.waitingFor,
      }));
    case 'messaging.MessageBlocked.v1':
      return withOutbound(state, (s) => ({ ...s, status: 'blocked', ...NOT_HELD }));
    case 'messaging.MessageCanceled.v1':
      return withOutbound(state, (s) => ({ ...s, status: 'canceled', ...NOT_HELD }));
    case 'messaging.MessageRescheduled.v1': {
      const sendAt = event.data.sendAt;
      return withOutbound(state, (s) => ({
        ...s,
        message: { ...s.message, requestedSendAt: sendAt },
        sendAt: s.status === 'scheduled' ? sendAt : s.sendAt,
      }));
    }
    case 'messaging.MessageCancelRejected.v1':
    case 'messaging.MessageRescheduleRejected.v1':
      return state;
    case 'messaging.FundsHoldRequested.v1': {
      const at = event.data.requestedAt;
      return withOutbound(state, (s) => ({
        ...s,
        funds: {
          firstRequestedAt: s.funds?.firstRequestedAt ?? at,
          requests: (s.funds?.requests ?? 0) + 1,
        },
      }));
    }
    case 'messaging.MessageSubmissionStarted.v1':
      return withOutbound(state, (s) => ({
        ...s,
        status: 'sending',
        attempts: event.data.attempt,
        ...NOT_HELD,
      }));
    case 'messaging.MessageSubmitted.v1':
      return withOutbound(state, (s) => ({ ...s, carrierMessageId: event.data.carrierMessageId }));
    case 'messaging.MessageSent.v1':
      return withOutbound(state, (s) => ({ ...s, status: 'sent' }));
    case 'messaging.MessageDelivered.v1':
      return withOutbound(state, (s) => ({ ...s, status: 'delivered' }));
    case 'messaging.MessageFailed.v1':
      return withOutbound(state, (s) => ({ ...s, status: 'failed' }));
    case 'messaging.MessageUndelivered.v1':
      return withOutbound(state, (s) => ({ ...s, status: 'undelivered' }));
    case 'messaging.InboundMessageReceived.v1':
      return { status: 'received', messageId: event.data.messageId, tenantId: event.data.tenantId };
  }
}

const NOT_HELD = { sendAt: null, holdReason: null, waitingFor: null } as const;

function withOutbound(
  state: MessageState,
  change: (s: OutboundState) => OutboundState,
): MessageState {
  if (state.status === 'none' || state.status === 'received') return state;
  return change(state);
}
