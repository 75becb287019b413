import type {
  InboundMessageReceived,
  MessageBlocked,
  MessageDelivered,
  MessageFailed,
  MessageHeld,
  MessageQueued,
  MessageSent,
  MessageSubmissionStarted,
  MessageSubmitted,
  MessageUndelivered,
} from '@textplane/contracts';

/** The facts of one message's life, as stored in its stream `message-<id>`. */
export type MessageEvent =
  | { type: 'messaging.MessageQueued.v1'; data: MessageQueued }
  | { type: 'messaging.MessageSubmissionStarted.v1'; data: MessageSubmissionStarted }
  | { type: 'messaging.MessageSubmitted.v1'; data: MessageSubmitted }
  | { type: 'messaging.MessageSent.v1'; data: MessageSent }
  | { type: 'messaging.MessageDelivered.v1'; data: MessageDelivered }
  | { type: 'messaging.MessageFailed.v1'; data: MessageFailed }
  | { type: 'messaging.MessageUndelivered.v1'; data: MessageUndelivered }
  | { type: 'messaging.InboundMessageReceived.v1'; data: InboundMessageReceived }
  | { type: 'messaging.MessageBlocked.v1'; data: MessageBlocked }
  | { type: 'messaging.MessageHeld.v1'; data: MessageHeld };

export type MessageEventType = MessageEvent['type'];

const messageEventTypes: ReadonlySet<string> = new Set<MessageEventType>([
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
]);

export function isMessageEventType(type: string): type is MessageEventType {
  return messageEventTypes.has(type);
}

export function messageStreamId(messageId: string): string {
  return `message-${messageId}`;
}

export const MESSAGE_STREAM_TYPE = 'message';
