import { v5 as uuidv5 } from 'uuid';
import { CONTACT_ID_SCHEMA_PATTERN } from './contacts.events.js';
import { e164, eventSchema, instant, mediaUrls, nonEmpty, purpose, uuid } from './schema-parts.js';
import type { MessagePurpose } from './gateway.events.js';

/**
 * Bulk sends (`POST /v1/bulk-sends`, issue 11). The gateway freezes the recipient set when the
 * bulk send is created (its contacts read model, in recipient order, one recipient per phone) and
 * records the whole request on `bulk-send-<bulkSendId>` (topic `gateway.bulk-send-requests`) in
 * one transaction: BulkSendRequested, then the recipients in chunks bounded in count (each Kafka
 * record stays far below 1 MB). Messaging owns the run: it records the bulk send and its frozen
 * recipients on its own stream `bulk-send-<bulkSendId>` (topic `messaging.bulk-sends`), releases
 * one batch at a time (a checkpoint per batch: BulkSendBatchReleased), renders each recipient's
 * text with the contact's values at release, and queues each as a message whose id is derived from
 * (bulk send, contact), so a batch released twice still texts each person once. Pause, resume and
 * cancel are requests on the gateway's stream, decided by messaging.
 */

/** Recipients per BulkSendRecipientsSubmitted / BulkSendRecipientsFrozen event, at most. */
export const BULK_RECIPIENTS_PER_CHUNK = 2000;

/** Recipients per released batch when the delivery is not a drip (now, schedule). */
export const BULK_RELEASE_BATCH_SIZE = 1000;

export type DripUnit = 'seconds' | 'minutes' | 'hours' | 'days';
export type WeekdayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** A bulk send's delivery as validated at the edge; instants are ISO 8601 UTC. */
export type BulkDelivery =
  | { mode: 'now' }
  | { mode: 'schedule'; at: string }
  | {
      mode: 'schedule';
      /** A local date-time, `YYYY-MM-DDTHH:MM`. */
      localTime: string;
      /** "recipient", "tenant" or a canonical IANA zone. */
      timeZone: string;
    }
  | {
      mode: 'drip';
      startAt: string;
      batchSize: number;
      every: { value: number; unit: DripUnit };
      days: WeekdayName[];
      window: { start: string; end: string };
      /** A canonical IANA zone (the tenant's when the request gave none). */
      timeZone: string;
    };

const weekday = { enum: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] } as const;
const hhmm = { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' } as const;
const hhmmEnd = { type: 'string', pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const contactId = { type: 'string', pattern: CONTACT_ID_SCHEMA_PATTERN } as const;

const bulkDelivery = {
  oneOf: [
    {
      type: 'object',
      properties: { mode: { const: 'now' } },
      required: ['mode'],
    },
    {
      type: 'object',
      properties: { mode: { const: 'schedule' }, at: instant },
      required: ['mode', 'at'],
    },
    {
      type: 'object',
      properties: {
        mode: { const: 'schedule' },
        localTime: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$' },
        timeZone: nonEmpty,
      },
      required: ['mode', 'localTime', 'timeZone'],
    },
    {
      type: 'object',
      properties: {
        mode: { const: 'drip' },
        startAt: instant,
        batchSize: { type: 'integer', minimum: 1, maximum: 10000 },
        every: {
          type: 'object',
          properties: {
            value: { type: 'integer', minimum: 1 },
            unit: { enum: ['seconds', 'minutes', 'hours', 'days'] },
          },
          required: ['value', 'unit'],
        },
        days: { type: 'array', minItems: 1, items: weekday },
        window: {
          type: 'object',
          properties: { start: hhmm, end: hhmmEnd },
          required: ['start', 'end'],
        },
        timeZone: nonEmpty,
      },
      required: ['mode', 'startAt', 'batchSize', 'every', 'days', 'window', 'timeZone'],
    },
  ],
} as const;

/** The content every recipient gets, before rendering (DESIGN.md, "One shape for message content"). */
export interface BulkMessageContent {
  body?: string;
  templateId?: string;
  /** The template version pinned at creation (the latest then, when the request named none). */
  templateVersion?: number;
  mediaUrls: string[];
  purpose: MessagePurpose;
  /** The sender for everyone; absent: each contact's sticky sender, else the tenant's default. */
  from?: string;
}
const bulkMessageContent = {
  type: 'object',
  properties: {
    body: { type: 'string' },
    templateId: uuid,
    templateVersion: { type: 'integer', minimum: 1 },
    mediaUrls,
    purpose,
    from: e164,
  },
  required: ['mediaUrls', 'purpose'],
} as const;

export type BulkSkipReason = 'duplicate_phone' | 'missing_merge_value';

/** One frozen recipient, at its place in recipient order. */
export interface BulkRecipient {
  /** From 0, in recipient order (the order of `contactIds`, else contact creation order). */
  position: number;
  contactId: string;
  /** The contact's phone when the set was frozen. */
  phone: string;
  /** The batch that releases it (from 0); null when it is skipped. */
  batch: number | null;
  /** Its own send time, for `schedule` at a `localTime` (each recipient's instant). */
  sendAt?: string;
  /** Set when it never becomes a message: a phone already taken by an earlier recipient. */
  skipped?: 'duplicate_phone';
}
const bulkRecipients = {
  type: 'array',
  minItems: 1,
  maxItems: BULK_RECIPIENTS_PER_CHUNK,
  items: {
    type: 'object',
    properties: {
      position: count,
      contactId,
      phone: e164,
      batch: { type: ['integer', 'null'], minimum: 0 },
      sendAt: instant,
      skipped: { const: 'duplicate_phone' },
    },
    required: ['position', 'contactId', 'phone', 'batch'],
    additionalProperties: false,
  },
} as const;

// ---- gateway.bulk-send-requests -------------------------------------------------------------

/** A bulk send as created; its recipients follow in `chunks` BulkSendRecipientsSubmitted events. */
export interface BulkSendRequested {
  bulkSendId: string;
  tenantId: string;
  message: BulkMessageContent;
  delivery: BulkDelivery;
  /** Frozen recipients, skipped ones included. */
  recipients: number;
  /** Recipients that are not skipped (one per phone). */
  sendable: number;
  /** Batches that release the sendable recipients. */
  batches: number;
  chunks: number;
  /**
   * The tenant's default sender when the bulk send was created: a recipient with no `from` and
   * no sticky sender gets the tenant's default at release, else this one.
   */
  defaultSender?: string;
  requestedAt: string;
}
export const BulkSendRequestedSchema = eventSchema(
  'gateway.BulkSendRequested.v1',
  {
    bulkSendId: uuid,
    tenantId: uuid,
    message: bulkMessageContent,
    delivery: bulkDelivery,
    recipients: { type: 'integer', minimum: 1 },
    sendable: count,
    batches: count,
    chunks: { type: 'integer', minimum: 1 },
    defaultSender: e164,
    requestedAt: instant,
  },
  [
    'bulkSendId',
    'tenantId',
    'message',
    'delivery',
    'recipients',
    'sendable',
    'batches',
    'chunks',
    'requestedAt',
  ],
);

/** A chunk of the frozen recipients, in recipient order; `chunk` counts from 0. */
export interface BulkSendRecipientsSubmitted {
  bulkSendId: string;
  tenantId: string;
  chunk: number;
  recipients: BulkRecipient[];
}
export const BulkSendRecipientsSubmittedSchema = eventSchema(
  'gateway.BulkSendRecipientsSubmitted.v1',
  { bulkSendId: uuid, tenantId: uuid, chunk: count, recipients: bulkRecipients },
  ['bulkSendId', 'tenantId', 'chunk', 'recipients'],
);

/** A client's pause, resume or cancel of a bulk send (decided by messaging). */
export interface BulkSendControlRequested {
  bulkSendId: string;
  tenantId: string;
  requestedAt: string;
}
const controlRequested = (type: string): Record<string, unknown> =>
  eventSchema(type, { bulkSendId: uuid, tenantId: uuid, requestedAt: instant }, [
    'bulkSendId',
    'tenantId',
    'requestedAt',
  ]);
export type BulkSendPauseRequested = BulkSendControlRequested;
export type BulkSendResumeRequested = BulkSendControlRequested;
export type BulkSendCancelRequested = BulkSendControlRequested;
export const BulkSendPauseRequestedSchema = controlRequested('gateway.BulkSendPauseRequested.v1');
export const BulkSendResumeRequestedSchema = controlRequested('gateway.BulkSendResumeRequested.v1');
export const BulkSendCancelRequestedSchema = controlRequested('gateway.BulkSendCancelRequested.v1');

// ---- messaging.bulk-sends -------------------------------------------------------------------

/** Messaging took the bulk send on; its recipients follow in BulkSendRecipientsFrozen events. */
export interface BulkSendCreated {
  bulkSendId: string;
  tenantId: string;
  message: BulkMessageContent;
  delivery: BulkDelivery;
  recipients: number;
  sendable: number;
  batches: number;
  chunks: number;
  /**
   * The tenant's default sender when the bulk send was created: a recipient with no `from` and
   * no sticky sender gets the tenant's default at release, else this one.
   */
  defaultSender?: string;
  createdAt: string;
}
export const BulkSendCreatedSchema = eventSchema(
  'messaging.BulkSendCreated.v1',
  {
    bulkSendId: uuid,
    tenantId: uuid,
    message: bulkMessageContent,
    delivery: bulkDelivery,
    recipients: { type: 'integer', minimum: 1 },
    sendable: count,
    batches: count,
    chunks: { type: 'integer', minimum: 1 },
    defaultSender: e164,
    createdAt: instant,
  },
  [
    'bulkSendId',
    'tenantId',
    'message',
    'delivery',
    'recipients',
    'sendable',
    'batches',
    'chunks',
    'createdAt',
  ],
);

/**
 * A chunk of the recipients as messaging holds them. After the last chunk the bulk send is
 * scheduled: `firstBatchAt` (null when nothing is sendable) is set on the last chunk's event.
 */
export interface BulkSendRecipientsFrozen {
  bulkSendId: string;
  tenantId: string;
  chunk: number;
  recipients: BulkRecipient[];
  /** On the last chunk: when batch 0 is released (null: nothing to send, the send completes). */
  firstBatchAt?: string | null;
}
export const BulkSendRecipientsFrozenSchema = eventSchema(
  'messaging.BulkSendRecipientsFrozen.v1',
  {
    bulkSendId: uuid,
    tenantId: uuid,
    chunk: count,
    recipients: bulkRecipients,
    firstBatchAt: { type: ['string', 'null'], format: 'date-time' },
  },
  ['bulkSendId', 'tenantId', 'chunk', 'recipients'],
);

/** One batch released (the per-batch checkpoint): its messages queued, its merge failures skipped. */
export interface BulkSendBatchReleased {
  bulkSendId: string;
  tenantId: string;
  batch: number;
  /** Messages queued by this batch (their ids: uuidv5 of bulk send and contact). */
  queued: number;
  /** Recipients that did not become a message at release. */
  skipped: Array<{ contactId: string; reason: 'missing_merge_value' }>;
  releasedAt: string;
  /** When the next batch is due; null after the last one. */
  nextBatchAt: string | null;
}
export const BulkSendBatchReleasedSchema = eventSchema(
  'messaging.BulkSendBatchReleased.v1',
  {
    bulkSendId: uuid,
    tenantId: uuid,
    batch: count,
    queued: count,
    skipped: {
      type: 'array',
      items: {
        type: 'object',
        properties: { contactId, reason: { const: 'missing_merge_value' } },
        required: ['contactId', 'reason'],
        additionalProperties: false,
      },
    },
    releasedAt: instant,
    nextBatchAt: { type: ['string', 'null'], format: 'date-time' },
  },
  ['bulkSendId', 'tenantId', 'batch', 'queued', 'skipped', 'releasedAt', 'nextBatchAt'],
);

export type BulkSendPauseReason = 'user' | 'insufficient_funds';

export interface BulkSendPaused {
  bulkSendId: string;
  tenantId: string;
  reason: BulkSendPauseReason;
  pausedAt: string;
}
export const BulkSendPausedSchema = eventSchema(
  'messaging.BulkSendPaused.v1',
  {
    bulkSendId: uuid,
    tenantId: uuid,
    reason: { enum: ['user', 'insufficient_funds'] },
    pausedAt: instant,
  },
  ['bulkSendId', 'tenantId', 'reason', 'pausedAt'],
);

export interface BulkSendResumed {
  bulkSendId: string;
  tenantId: string;
  resumedAt: string;
  /** The next batch's time (a drip keeps its cadence from the resume); null when none is left. */
  nextBatchAt: string | null;
}
export const BulkSendResumedSchema = eventSchema(
  'messaging.BulkSendResumed.v1',
  {
    bulkSendId: uuid,
    tenantId: uuid,
    resumedAt: instant,
    nextBatchAt: { type: ['string', 'null'], format: 'date-time' },
  },
  ['bulkSendId', 'tenantId', 'resumedAt', 'nextBatchAt'],
);

/** Canceled: no further batch; every released message not yet sending is canceled. */
export interface BulkSendCanceled {
  bulkSendId: string;
  tenantId: string;
  canceledAt: string;
}
export const BulkSendCanceledSchema = eventSchema(
  'messaging.BulkSendCanceled.v1',
  { bulkSendId: uuid, tenantId: uuid, canceledAt: instant },
  ['bulkSendId', 'tenantId', 'canceledAt'],
);

/** Every batch has been released. */
export interface BulkSendCompleted {
  bulkSendId: string;
  tenantId: string;
  completedAt: string;
}
export const BulkSendCompletedSchema = eventSchema(
  'messaging.BulkSendCompleted.v1',
  { bulkSendId: uuid, tenantId: uuid, completedAt: instant },
  ['bulkSendId', 'tenantId', 'completedAt'],
);

/** A pause, resume or cancel that did not apply (the state had moved on when it was decided). */
export interface BulkSendRequestRejected {
  bulkSendId: string;
  tenantId: string;
  request: 'pause' | 'resume' | 'cancel';
  /** The state it met: `completed`, `canceled`, `running`, `paused`, ... */
  state: string;
  rejectedAt: string;
}
export const BulkSendRequestRejectedSchema = eventSchema(
  'messaging.BulkSendRequestRejected.v1',
  {
    bulkSendId: uuid,
    tenantId: uuid,
    request: { enum: ['pause', 'resume', 'cancel'] },
    state: nonEmpty,
    rejectedAt: instant,
  },
  ['bulkSendId', 'tenantId', 'request', 'state', 'rejectedAt'],
);

/** The namespace of bulk recipients' message ids (uuidv5), fixed forever: ids must not change. */
const BULK_MESSAGE_NAMESPACE = 'b7d1f4a2-8c3e-4f5a-9b6d-0e2c4a6f8d10';

/**
 * A bulk recipient's message id: the same for (bulk send, contact) however often its batch is
 * released, so a batch released twice texts each person once; the gateway joins on it too.
 */
export function bulkMessageId(bulkSendId: string, contactId: string): string {
  return uuidv5(`${bulkSendId}/${contactId}`, BULK_MESSAGE_NAMESPACE);
}
