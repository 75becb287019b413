import { countSegments } from '@textplane/segments';
import type { MessageCommand } from './message.commands.js';
import type { MessageEvent } from './message.events.js';
import type { MessagePurpose, SmsEncodingName } from '@textplane/contracts';

export type OutboundStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'undelivered';

export interface OutboundMessage {
  messageId: string;
  tenantId: string;
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  purpose: MessagePurpose;
  encoding: SmsEncodingName;
  segments: number;
}

export type MessageState =
  | { status: 'none' }
  | {
      status: OutboundStatus;
      message: OutboundMessage;
      attempts: number;
      carrierMessageId: string | null;
    }
  | { status: 'received'; messageId: string; tenantId: string };

export const initialState: MessageState = { status: 'none' };

const FINAL: ReadonlySet<MessageState['status']> = new Set(['delivered', 'failed', 'undelivered']);

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
      return [
        {
          type: 'messaging.MessageQueued.v1',
          data: {
            messageId: r.messageId,
            tenantId: r.tenantId,
            direction: 'outbound',
            to: r.to,
            from: r.from,
            body: r.body,
            mediaUrls: r.mediaUrls,
            purpose: r.purpose,
            encoding: r.encoding,
            segments: r.segments,
            queuedAt: command.now.toISOString(),
          },
        },
      ];
    }
    case 'StartSubmission': {
      const outbound = requireOutbound(state, command.type);
      // 'sending' with no carrier id: an earlier attempt may have reached the carrier before a
      // crash. The retry reuses the message id as idempotency key, so it is recorded again.
      if (
        outbound.status !== 'queued' &&
        !(outbound.status === 'sending' && !outbound.carrierMessageId)
      ) {
        return [];
      }
      return [
        {
          type: 'messaging.MessageSubmissionStarted.v1',
          data: {
            messageId: outbound.message.messageId,
            tenantId: outbound.message.tenantId,
            attempt: outbound.attempts + 1,
            startedAt: command.now.toISOString(),
          },
        },
      ];
    }
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
  const errorCode = command.errorCode ?? command.status;
  const errorDetail = command.errorDetail ?? describeCarrierStatus(command.status);
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
    case 'sending_failed':
      return [
        {
          type: 'messaging.MessageFailed.v1',
          data: { messageId, tenantId, errorCode, errorDetail, failedAt: at },
        },
      ];
    case 'delivery_failed':
    case 'delivery_unconfirmed':
    case 'expired':
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

function describeCarrierStatus(status: string): string {
  return `carrier reported ${status.replaceAll('_', ' ')}`;
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
        },
      };
    }
    case 'messaging.MessageSubmissionStarted.v1':
      return withOutbound(state, (s) => ({
        ...s,
        status: 'sending',
        attempts: event.data.attempt,
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

function withOutbound(
  state: MessageState,
  change: (s: OutboundState) => OutboundState,
): MessageState {
  if (state.status === 'none' || state.status === 'received') return state;
  return change(state);
}
