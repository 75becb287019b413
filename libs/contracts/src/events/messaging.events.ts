import type { MessagePurpose, SmsEncodingName } from './gateway.events.js';
import {
  e164,
  encoding,
  eventSchema,
  instant,
  mediaUrls,
  nonEmpty,
  purpose,
  uuid,
} from './schema-parts.js';

/** Stream of every message event: `message-<messageId>`. */

export interface MessageQueued {
  messageId: string;
  tenantId: string;
  direction: 'outbound';
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  purpose: MessagePurpose;
  encoding: SmsEncodingName;
  segments: number;
  queuedAt: string;
}
export const MessageQueuedSchema = eventSchema(
  'messaging.MessageQueued.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    direction: { const: 'outbound' },
    to: e164,
    from: e164,
    body: { type: 'string' },
    mediaUrls,
    purpose,
    encoding,
    segments: { type: 'integer', minimum: 0 },
    queuedAt: instant,
  },
  [
    'messageId',
    'tenantId',
    'direction',
    'to',
    'from',
    'body',
    'mediaUrls',
    'purpose',
    'encoding',
    'segments',
    'queuedAt',
  ],
);

/** Recorded before the carrier is called, so a restart knows an attempt may have reached it. */
export interface MessageSubmissionStarted {
  messageId: string;
  tenantId: string;
  attempt: number;
  startedAt: string;
}
export const MessageSubmissionStartedSchema = eventSchema(
  'messaging.MessageSubmissionStarted.v1',
  { messageId: uuid, tenantId: uuid, attempt: { type: 'integer', minimum: 1 }, startedAt: instant },
  ['messageId', 'tenantId', 'attempt', 'startedAt'],
);

/** The carrier accepted the message and gave it its own id. */
export interface MessageSubmitted {
  messageId: string;
  tenantId: string;
  carrierMessageId: string;
  submittedAt: string;
}
export const MessageSubmittedSchema = eventSchema(
  'messaging.MessageSubmitted.v1',
  { messageId: uuid, tenantId: uuid, carrierMessageId: nonEmpty, submittedAt: instant },
  ['messageId', 'tenantId', 'carrierMessageId', 'submittedAt'],
);

/** The carrier handed the message to the recipient's network. */
export interface MessageSent {
  messageId: string;
  tenantId: string;
  carrierMessageId: string;
  sentAt: string;
}
export const MessageSentSchema = eventSchema(
  'messaging.MessageSent.v1',
  { messageId: uuid, tenantId: uuid, carrierMessageId: nonEmpty, sentAt: instant },
  ['messageId', 'tenantId', 'carrierMessageId', 'sentAt'],
);

export interface MessageDelivered {
  messageId: string;
  tenantId: string;
  carrierMessageId: string;
  deliveredAt: string;
}
export const MessageDeliveredSchema = eventSchema(
  'messaging.MessageDelivered.v1',
  { messageId: uuid, tenantId: uuid, carrierMessageId: nonEmpty, deliveredAt: instant },
  ['messageId', 'tenantId', 'carrierMessageId', 'deliveredAt'],
);

const carrierError = {
  errorCode: { type: 'string' },
  errorDetail: { type: 'string' },
} as const;

/** The message could not be sent (the carrier refused it or never took it). */
export interface MessageFailed {
  messageId: string;
  tenantId: string;
  errorCode: string;
  errorDetail: string;
  failedAt: string;
}
export const MessageFailedSchema = eventSchema(
  'messaging.MessageFailed.v1',
  { messageId: uuid, tenantId: uuid, ...carrierError, failedAt: instant },
  ['messageId', 'tenantId', 'errorCode', 'errorDetail', 'failedAt'],
);

/** The carrier sent the message but the recipient's network did not deliver it. */
export interface MessageUndelivered {
  messageId: string;
  tenantId: string;
  carrierMessageId: string;
  errorCode: string;
  errorDetail: string;
  undeliveredAt: string;
}
export const MessageUndeliveredSchema = eventSchema(
  'messaging.MessageUndelivered.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    carrierMessageId: nonEmpty,
    ...carrierError,
    undeliveredAt: instant,
  },
  ['messageId', 'tenantId', 'carrierMessageId', 'errorCode', 'errorDetail', 'undeliveredAt'],
);

export interface InboundMessageReceived {
  messageId: string;
  tenantId: string;
  direction: 'inbound';
  from: string;
  to: string;
  body: string;
  mediaUrls: string[];
  encoding: SmsEncodingName;
  segments: number;
  carrierMessageId: string;
  receivedAt: string;
}
export const InboundMessageReceivedSchema = eventSchema(
  'messaging.InboundMessageReceived.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    direction: { const: 'inbound' },
    from: e164,
    to: e164,
    body: { type: 'string' },
    mediaUrls,
    encoding,
    segments: { type: 'integer', minimum: 0 },
    carrierMessageId: nonEmpty,
    receivedAt: instant,
  },
  [
    'messageId',
    'tenantId',
    'direction',
    'from',
    'to',
    'body',
    'mediaUrls',
    'encoding',
    'segments',
    'carrierMessageId',
    'receivedAt',
  ],
);
