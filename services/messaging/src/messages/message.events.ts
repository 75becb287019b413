import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const messageEventTypes = [
  'messaging.MessageQueued.v1',
  'messaging.MessageSubmissionStarted.v1',
  'messaging.MessageSubmitted.v1',
  'messaging.MessageSent.v1',
  'messaging.MessageDelivered.v1',
  'messaging.MessageFailed.v1',
  'messaging.MessageUndelivered.v1',
  'messaging.InboundMessageReceived.v1',
  'messaging.MessageBlocked.v1',
  'messaging.MessageHeld.v1',
  'messaging.MessageParked.v1',
  'messaging.MessageCanceled.v1',
  'messaging.MessageCancelRejected.v1',
  'messaging.MessageRescheduled.v1',
  'messaging.MessageRescheduleRejected.v1',
  'messaging.FundsHoldRequested.v1',
] as const;

export type MessageEventType = (typeof messageEventTypes)[number];

/** The facts of one message's life, as stored in its stream `message-<id>`. */
export type MessageEvent = WireEventOf<MessageEventType>;

export const isMessageEventType = eventTypeGuard(messageEventTypes);

export function messageStreamId(messageId: string): string {
  return `message-${messageId}`;
}

export const MESSAGE_STREAM_TYPE = 'message';
