import type { AutoReplyKind } from './consent.events.js';
import type { MessagePurpose, SendTimeWindow, SmsEncodingName } from './gateway.events.js';
import { sendTimeWindow } from './gateway.events.js';
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
import { CONTACT_ID_SCHEMA_PATTERN } from './contacts.events.js';

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
  /** The contact's IANA time zone, when the request gave it. */
  recipientTimeZone?: string;
  /** Text appended or prefixed for compliance (brand, opt-out language); part of `body`. */
  addedText?: string;
  /** Set when the message is an automatic compliance reply, which an opt-out does not block. */
  autoReply?: AutoReplyKind;
  /** The client's chosen send time (SendRequested's `sendAt`); absent means now. */
  sendAt?: string;
  /** The CRM contact the request named (SendRequested's `contactId`). */
  contactId?: string;
  /** The template the body was rendered from (SendRequested's `templateId`). */
  templateId?: string;
  /** That template's version (SendRequested's `templateVersion`). */
  templateVersion?: number;
  /** A workflow step's time window (SendRequested's `timeWindow`): the dispatcher waits for it. */
  timeWindow?: SendTimeWindow;
  /** The bulk send whose batch queued this message (its id: uuidv5 of bulk send and contact). */
  bulkSendId?: string;
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
    recipientTimeZone: nonEmpty,
    addedText: nonEmpty,
    autoReply: { enum: ['opt_out_confirmation', 'opt_in_confirmation', 'help'] },
    sendAt: instant,
    contactId: { type: 'string', pattern: CONTACT_ID_SCHEMA_PATTERN },
    templateId: uuid,
    templateVersion: { type: 'integer', minimum: 1 },
    timeWindow: sendTimeWindow,
    bulkSendId: uuid,
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
  /**
   * The recipient, as queued: the conversation projection counts a first attempt as contact
   * with this number. Optional on the wire: events recorded before it was carried lack it, and
   * their readers take the number from the stream's MessageQueued.
   */
  to?: string;
  /** Content findings the tenant's policy lets through, e.g. `restricted_content:alcohol`. */
  complianceFlags?: string[];
  startedAt: string;
}
export const MessageSubmissionStartedSchema = eventSchema(
  'messaging.MessageSubmissionStarted.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    attempt: { type: 'integer', minimum: 1 },
    to: e164,
    complianceFlags: { type: 'array', items: nonEmpty },
    startedAt: instant,
  },
  ['messageId', 'tenantId', 'attempt', 'startedAt'],
);

/**
 * Why a message may not be sent now. The hold reasons (`quiet_hours_held`, `scheduled`) hold it
 * until a known time rather than block it.
 */
export type ComplianceReason =
  | 'recipient_opted_out'
  | 'no_marketing_consent'
  | 'dnd_active'
  | 'quiet_hours_held'
  | 'content_rejected'
  /** The `from` number was released by the message's tenant before the carrier call. */
  | 'sender_not_owned'
  /** The client chose a later send time (`sendAt`). */
  | 'scheduled'
  /** A workflow step's time window is closed: it waits for the next opening. */
  | 'time_window'
  /** A carrier's daily cap (T-Mobile's, per brand) is spent: it waits for the reset. */
  | 'daily_cap'
  /** A US long code on no approved 10DLC campaign (or its campaign rejected, suspended, expired). */
  | 'sender_not_registered'
  /** A US toll-free number without an approved toll-free verification. */
  | 'sender_not_verified'
  /** The message's purpose does not fit its sender campaign's use case (tenant policy `block`). */
  | 'campaign_use_case_mismatch'
  /** Number validation found the recipient on a line type the tenant skips (a landline). */
  | 'recipient_not_mobile'
  /** The message waited for funds longer than the tenant's funds wait limit (billing). */
  | 'insufficient_funds'
  /** No rate card in force prices the recipient's country (billing). */
  | 'destination_not_priced';
/** Why a message waits for a known time (status `scheduled`). */
export type HoldReason = Extract<
  ComplianceReason,
  'quiet_hours_held' | 'scheduled' | 'time_window' | 'daily_cap'
>;
export type BlockReason = Exclude<ComplianceReason, HoldReason>;

/** The last compliance check before the carrier refused the message; it is never sent. */
export interface MessageBlocked {
  messageId: string;
  tenantId: string;
  reason: BlockReason;
  /** Every reason that applied, the first being `reason`. */
  reasons: ComplianceReason[];
  detail: string;
  blockedAt: string;
}
const complianceReason = {
  enum: [
    'recipient_opted_out',
    'no_marketing_consent',
    'dnd_active',
    'quiet_hours_held',
    'content_rejected',
    'sender_not_owned',
    'sender_not_registered',
    'sender_not_verified',
    'campaign_use_case_mismatch',
    'recipient_not_mobile',
    'insufficient_funds',
    'destination_not_priced',
  ],
} as const;
export const MessageBlockedSchema = eventSchema(
  'messaging.MessageBlocked.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    reason: { enum: complianceReason.enum.filter((r) => r !== 'quiet_hours_held') },
    reasons: { type: 'array', items: complianceReason, minItems: 1 },
    detail: { type: 'string' },
    blockedAt: instant,
  },
  ['messageId', 'tenantId', 'reason', 'reasons', 'detail', 'blockedAt'],
);

/**
 * A message waits until `sendAt`: a marketing message outside the recipient's allowed hours
 * (`quiet_hours_held`), or one the client scheduled (`scheduled`).
 */
export interface MessageHeld {
  messageId: string;
  tenantId: string;
  reason: HoldReason;
  sendAt: string;
  /** The recipient's zone the window was computed in (quiet hours only). */
  timeZone?: string;
  heldAt: string;
}
export const MessageHeldSchema = eventSchema(
  'messaging.MessageHeld.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    reason: { enum: ['quiet_hours_held', 'scheduled', 'time_window', 'daily_cap'] },
    sendAt: instant,
    timeZone: nonEmpty,
    heldAt: instant,
  },
  ['messageId', 'tenantId', 'reason', 'sendAt', 'heldAt'],
);

/** What a `queued` message waits for (the public `waitingFor`), when not just its turn. */
export type MessageWaitingFor = 'registration' | 'media' | 'funds' | 'throughput';
export const MESSAGE_WAITING_FOR: readonly MessageWaitingFor[] = [
  'registration',
  'media',
  'funds',
  'throughput',
];

/**
 * A gate made the message wait, still `queued`: for an event that opens it (a campaign approved,
 * a hold placed, media transcoded), or for a time it knows (`until`: the carrier's rate window
 * has room again). Recorded when what it waits for changes, not at every look.
 */
export interface MessageParked {
  messageId: string;
  tenantId: string;
  waitingFor: MessageWaitingFor;
  /** When the gate looks again, if it knows. */
  until?: string;
  parkedAt: string;
}
export const MessageParkedSchema = eventSchema(
  'messaging.MessageParked.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    waitingFor: { enum: MESSAGE_WAITING_FOR },
    until: instant,
    parkedAt: instant,
  },
  ['messageId', 'tenantId', 'waitingFor', 'parkedAt'],
);

/** What a message's status was when a client's change to it came too late (public status names). */
export type MessageStatusName =
  | 'queued'
  | 'scheduled'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'failed'
  | 'undelivered'
  | 'blocked'
  | 'canceled';
const messageStatusName = {
  enum: [
    'queued',
    'scheduled',
    'sending',
    'sent',
    'delivered',
    'failed',
    'undelivered',
    'blocked',
    'canceled',
  ],
} as const;

/** The client canceled the message before it was sending; final, it never reaches the carrier. */
export interface MessageCanceled {
  messageId: string;
  tenantId: string;
  /** The status it was canceled from. */
  previousStatus: 'queued' | 'scheduled';
  canceledAt: string;
}
export const MessageCanceledSchema = eventSchema(
  'messaging.MessageCanceled.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    previousStatus: { enum: ['queued', 'scheduled'] },
    canceledAt: instant,
  },
  ['messageId', 'tenantId', 'previousStatus', 'canceledAt'],
);

/**
 * A cancel came once the message was `sending` or later (or already canceled): nothing changed.
 * The gateway answers 409 with `status`.
 */
export interface MessageCancelRejected {
  messageId: string;
  tenantId: string;
  status: MessageStatusName;
  requestedAt: string;
  rejectedAt: string;
}
export const MessageCancelRejectedSchema = eventSchema(
  'messaging.MessageCancelRejected.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    status: messageStatusName,
    requestedAt: instant,
    rejectedAt: instant,
  },
  ['messageId', 'tenantId', 'status', 'requestedAt', 'rejectedAt'],
);

/** A message the client scheduled, still waiting for its time, moved to a new `sendAt`. */
export interface MessageRescheduled {
  messageId: string;
  tenantId: string;
  sendAt: string;
  previousSendAt: string;
  rescheduledAt: string;
}
export const MessageRescheduledSchema = eventSchema(
  'messaging.MessageRescheduled.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    sendAt: instant,
    previousSendAt: instant,
    rescheduledAt: instant,
  },
  ['messageId', 'tenantId', 'sendAt', 'previousSendAt', 'rescheduledAt'],
);

/**
 * A reschedule of a message that is not (or no longer) waiting for its client's `sendAt`:
 * nothing changed. `status` is where it was; `reason` its hold reason when it was scheduled for
 * another reason (quiet hours).
 */
export interface MessageRescheduleRejected {
  messageId: string;
  tenantId: string;
  status: MessageStatusName;
  reason?: HoldReason;
  requestedAt: string;
  rejectedAt: string;
}
export const MessageRescheduleRejectedSchema = eventSchema(
  'messaging.MessageRescheduleRejected.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    status: messageStatusName,
    reason: { enum: ['quiet_hours_held', 'scheduled'] },
    requestedAt: instant,
    rejectedAt: instant,
  },
  ['messageId', 'tenantId', 'status', 'requestedAt', 'rejectedAt'],
);

/** The carrier accepted the message and gave it its own id. */
export interface MessageSubmitted {
  messageId: string;
  tenantId: string;
  carrierMessageId: string;
  /** The parts the carrier says it sent (Telnyx's `parts`): what billing captures; absent: as held. */
  parts?: number;
  /** The recipient's network as the carrier named it in its answer (billing's id), when it did. */
  recipientCarrier?: 'att' | 't-mobile' | 'verizon';
  submittedAt: string;
}
export const MessageSubmittedSchema = eventSchema(
  'messaging.MessageSubmitted.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    carrierMessageId: nonEmpty,
    parts: { type: 'integer', minimum: 1 },
    recipientCarrier: { enum: ['att', 't-mobile', 'verizon'] },
    submittedAt: instant,
  },
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
