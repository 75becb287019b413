import type { MessageWaitingFor, SendTimeWindow, WireEvent } from '@textplane/contracts';
import { timeWindowOpening } from '../workflow-actions/time-window.js';
import type { MessageResource, MessageStatus } from './message.resource.js';

/**
 * A row of the gateway's `messages` read model, as the projection computes it (timestamps as
 * ISO strings, the columns named as in the table).
 */
export interface MessageRow {
  id: string;
  tenant_id: string;
  direction: 'outbound' | 'inbound';
  status: MessageStatus;
  to_number: string;
  from_number: string;
  contact_phone: string;
  /** The CRM contact the send named; null for a bare phone number and for inbound messages. */
  contact_id: string | null;
  /** The template the send named and the version it used; null for a plain body and inbound. */
  template_id: string | null;
  template_version: number | null;
  /** The bulk send that queued the message (MessageQueued.bulkSendId); null for any other. */
  bulk_send_id: string | null;
  body: string;
  media_urls: string[];
  purpose: MessageResource['purpose'];
  encoding: MessageResource['encoding'];
  segments: number;
  carrier_message_id: string | null;
  error_code: string | null;
  error_detail: string | null;
  reason: MessageResource['reason'];
  reasons: MessageResource['reasons'] | null;
  reason_detail: string | null;
  send_at: string | null;
  /** What a `queued` message waits for (MessageParked); null: its turn. */
  waiting_for: MessageWaitingFor | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  delivered_at: string | null;
}

/**
 * The events that write the read model: the gateway's own SendRequested (applied inline where
 * the request is accepted, so a send is readable at once) and every event of messaging's
 * messages topic (those about a message: other messaging topics, such as contacts, are not).
 */
export type MessageRowEvent = Extract<
  WireEvent,
  | { type: 'gateway.SendRequested.v1' }
  | { type: `messaging.${string}`; data: { messageId: string; tenantId: string } }
>;

const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'failed',
  'undelivered',
  'blocked',
  'canceled',
]);

/** The id of the message an event is about. */
export function messageIdOf(event: MessageRowEvent): string {
  return event.data.messageId;
}

/**
 * The one writer of the message read model: `evolve(row | null, event) -> row`. It returns the
 * row it was given (or null) when the event changes nothing, so a caller knows what to write and
 * whom to notify. A final status (blocked included) is never left, so a late or repeated receipt
 * cannot move a message backwards; a message held for quiet hours is `scheduled` until it starts
 * sending; a queued message takes the body as messaging queued it (with the brand or opt-out
 * language compliance added, and its recounted segments).
 */
export function evolveMessageRow(
  row: MessageRow | null,
  event: MessageRowEvent,
): MessageRow | null {
  switch (event.type) {
    case 'gateway.SendRequested.v1': {
      const d = event.data;
      // A rebuild may meet messaging's MessageQueued first: the request still names the contact
      // and the template.
      if (row !== null) return withOrigin(row, d);
      return outboundRow(d, d.requestedAt);
    }
    case 'messaging.MessageQueued.v1': {
      const d = event.data;
      if (row !== null) {
        return withOrigin(withText(row, d.body, d.encoding, d.segments, d.queuedAt), d);
      }
      return outboundRow(d, d.queuedAt);
    }
    case 'messaging.InboundMessageReceived.v1': {
      const d = event.data;
      if (row !== null) return withText(row, d.body, d.encoding, d.segments, d.receivedAt);
      return newRow({
        id: d.messageId,
        tenant_id: d.tenantId,
        direction: 'inbound',
        status: 'received',
        to_number: d.to,
        from_number: d.from,
        contact_phone: d.from,
        contact_id: null,
        template_id: null,
        template_version: null,
        bulk_send_id: null,
        body: d.body,
        media_urls: d.mediaUrls,
        purpose: null,
        encoding: d.encoding,
        segments: d.segments,
        carrier_message_id: d.carrierMessageId,
        created_at: iso(d.receivedAt),
      });
    }
    case 'messaging.MessageSubmissionStarted.v1':
      return changed(row, ['queued', 'scheduled'], event.data.startedAt, (r) => ({
        ...withoutHold(r),
        status: 'sending',
      }));
    case 'messaging.MessageSubmitted.v1': {
      const d = event.data;
      return changed(row, null, d.submittedAt, (r) => ({
        ...r,
        carrier_message_id: d.carrierMessageId,
      }));
    }
    case 'messaging.MessageSent.v1': {
      const d = event.data;
      return changed(row, ['queued', 'scheduled', 'sending'], d.sentAt, (r) => ({
        ...r,
        status: 'sent',
        carrier_message_id: d.carrierMessageId,
        sent_at: iso(d.sentAt),
      }));
    }
    case 'messaging.MessageDelivered.v1': {
      const d = event.data;
      return changed(row, null, d.deliveredAt, (r) => ({
        ...r,
        status: 'delivered',
        carrier_message_id: d.carrierMessageId,
        delivered_at: iso(d.deliveredAt),
      }));
    }
    case 'messaging.MessageFailed.v1': {
      const d = event.data;
      return changed(row, null, d.failedAt, (r) => ({
        ...r,
        status: 'failed',
        error_code: d.errorCode,
        error_detail: d.errorDetail,
      }));
    }
    case 'messaging.MessageUndelivered.v1': {
      const d = event.data;
      return changed(row, null, d.undeliveredAt, (r) => ({
        ...r,
        status: 'undelivered',
        error_code: d.errorCode,
        error_detail: d.errorDetail,
      }));
    }
    case 'messaging.MessageParked.v1': {
      const d = event.data;
      return changed(row, ['queued', 'scheduled'], d.parkedAt, (r) => ({
        ...withoutHold(r),
        status: 'queued',
        waiting_for: d.waitingFor,
      }));
    }
    case 'messaging.MessageHeld.v1': {
      const d = event.data;
      return changed(row, ['queued', 'scheduled'], d.heldAt, (r) => ({
        ...r,
        waiting_for: null,
        status: 'scheduled',
        reason: d.reason,
        reasons: [d.reason],
        send_at: iso(d.sendAt),
      }));
    }
    case 'messaging.MessageBlocked.v1': {
      const d = event.data;
      return changed(row, ['queued', 'scheduled', 'sending'], d.blockedAt, (r) => ({
        ...withoutHold(r),
        status: 'blocked',
        reason: d.reason,
        reasons: d.reasons,
        reason_detail: d.detail,
      }));
    }
    case 'messaging.MessageRescheduled.v1': {
      const d = event.data;
      return changed(row, ['queued', 'scheduled'], d.rescheduledAt, (r) => ({
        ...r,
        waiting_for: null,
        status: 'scheduled',
        reason: 'scheduled',
        reasons: ['scheduled'],
        send_at: iso(d.sendAt),
      }));
    }
    case 'messaging.MessageCanceled.v1': {
      const d = event.data;
      return changed(row, ['queued', 'scheduled'], d.canceledAt, (r) => ({
        ...withoutHold(r),
        status: 'canceled',
      }));
    }
    // A refusal changes no message: it answers a client's request, whose route hears of it by the
    // projection's notice. A hold asked of billing neither: the message's MessageParked shows it
    // waiting for funds.
    case 'messaging.MessageCancelRejected.v1':
    case 'messaging.MessageRescheduleRejected.v1':
    case 'messaging.FundsHoldRequested.v1':
      return row;
    default: {
      // A new event on messaging's topic must be given its effect here (or none, explicitly).
      const unhandled: never = event;
      return unhandled;
    }
  }
}

type NewRowFields = Pick<
  MessageRow,
  | 'id'
  | 'tenant_id'
  | 'direction'
  | 'status'
  | 'to_number'
  | 'from_number'
  | 'contact_phone'
  | 'contact_id'
  | 'template_id'
  | 'template_version'
  | 'bulk_send_id'
  | 'body'
  | 'media_urls'
  | 'purpose'
  | 'encoding'
  | 'segments'
  | 'carrier_message_id'
  | 'created_at'
>;

/** What a new outbound row is made of: the send as requested (gateway) or as queued (messaging). */
type OutboundRowSource = Extract<
  MessageRowEvent,
  { type: 'gateway.SendRequested.v1' } | { type: 'messaging.MessageQueued.v1' }
>['data'];

/**
 * A message first seen by its request or by its queueing, whichever the read model meets first:
 * queued, its contact the recipient, created (and last updated) at `createdAt`; `scheduled` at
 * once when the client chose a later `sendAt` (read your writes: messaging's MessageHeld follows).
 */
function outboundRow(d: OutboundRowSource, createdAt: string): MessageRow {
  const row = newRow({
    id: d.messageId,
    tenant_id: d.tenantId,
    direction: 'outbound',
    status: 'queued',
    to_number: d.to,
    from_number: d.from,
    contact_phone: d.to,
    contact_id: d.contactId ?? null,
    template_id: d.templateId ?? null,
    template_version: d.templateVersion ?? null,
    bulk_send_id: d.bulkSendId ?? null,
    body: d.body,
    media_urls: d.mediaUrls,
    purpose: d.purpose,
    encoding: d.encoding,
    segments: d.segments,
    carrier_message_id: null,
    created_at: iso(createdAt),
  });
  if (d.sendAt === undefined || Date.parse(d.sendAt) <= Date.parse(createdAt)) {
    return d.timeWindow === undefined ? row : outsideTimeWindow(row, d.timeWindow, createdAt);
  }
  return {
    ...row,
    status: 'scheduled',
    reason: 'scheduled',
    reasons: ['scheduled'],
    send_at: iso(d.sendAt),
  };
}

/** A workflow step's message created outside its window: scheduled until the next opening. */
function outsideTimeWindow(row: MessageRow, window: SendTimeWindow, createdAt: string): MessageRow {
  const opening = timeWindowOpening(window, new Date(createdAt));
  if (opening.getTime() <= Date.parse(createdAt)) return row;
  return {
    ...row,
    status: 'scheduled',
    reason: 'time_window',
    reasons: ['time_window'],
    send_at: opening.toISOString(),
  };
}

function newRow(fields: NewRowFields): MessageRow {
  return {
    ...fields,
    error_code: null,
    error_detail: null,
    reason: null,
    reasons: null,
    reason_detail: null,
    send_at: null,
    waiting_for: null,
    updated_at: fields.created_at,
    sent_at: null,
    delivered_at: null,
  };
}

/** A known message's text as queued: changed (and dated) only when it differs. */
function withText(
  row: MessageRow,
  body: string,
  encoding: MessageRow['encoding'],
  segments: number,
  at: string,
): MessageRow {
  if (row.body === body && row.encoding === encoding && row.segments === segments) return row;
  return { ...row, body, encoding, segments, updated_at: iso(at) };
}

/**
 * The contact, template and bulk send a send named, each kept once known (an event without one
 * does not clear it).
 */
function withOrigin(
  row: MessageRow,
  origin: {
    contactId?: string;
    templateId?: string;
    templateVersion?: number;
    bulkSendId?: string;
  },
): MessageRow {
  const contactId = origin.contactId ?? row.contact_id;
  const templateId = origin.templateId ?? row.template_id;
  const templateVersion = origin.templateVersion ?? row.template_version;
  const bulkSendId = origin.bulkSendId ?? row.bulk_send_id;
  if (
    contactId === row.contact_id &&
    templateId === row.template_id &&
    templateVersion === row.template_version &&
    bulkSendId === row.bulk_send_id
  ) {
    return row;
  }
  return {
    ...row,
    contact_id: contactId,
    template_id: templateId,
    template_version: templateVersion,
    bulk_send_id: bulkSendId,
  };
}

/** The message left the schedule or the wait: a hold's reason and time no longer describe it. */
function withoutHold(row: MessageRow): MessageRow {
  return {
    ...row,
    reason: null,
    reasons: [],
    reason_detail: null,
    send_at: null,
    waiting_for: null,
  };
}

/**
 * A change of a known message that has not reached a final status, applied only from
 * `fromStatuses` (the order of a message's life) when given; `updated_at` never goes back.
 */
function changed(
  row: MessageRow | null,
  fromStatuses: readonly MessageStatus[] | null,
  at: string,
  change: (row: MessageRow) => MessageRow,
): MessageRow | null {
  if (row === null || FINAL_STATUSES.has(row.status)) return row;
  if (fromStatuses !== null && !fromStatuses.includes(row.status)) return row;
  const next = change(row);
  const updatedAt = Date.parse(at) > Date.parse(row.updated_at) ? iso(at) : row.updated_at;
  return { ...next, updated_at: updatedAt };
}

function iso(instant: string): string {
  return new Date(instant).toISOString();
}
