import { eventContracts, isEventType, Topics, type WireEvent } from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import {
  evolveMessageRow,
  type MessageRow,
  type MessageRowEvent,
} from '../messages/message-row.js';

/** A message's place in a conversation: its time, then its id (a total, stable order). */
export interface ConversationPosition {
  at: string;
  id: string;
}

/**
 * A row of the gateway's `conversations` read model: the tenant's thread with one phone number
 * (the other party), whichever of the tenant's numbers each message used. Timestamps are ISO
 * strings, columns named as in the table.
 */
export interface ConversationRow {
  tenant_id: string;
  phone: string;
  /** The tenant's number the latest message used (its `from` outbound, its `to` inbound). */
  sender_number: string;
  /** The latest message as the message read model's own evolve keeps it (status included). */
  last_message: MessageRow;
  last_message_id: string;
  /** The latest message's time: the list's order, with the phone. */
  last_activity_at: string;
  /** The inbound messages after the read mark, in position order; `unread_count` is its length. */
  unread: ConversationPosition[];
  unread_count: number;
  /** The read mark: the last message read, by position; null while never marked. */
  read_up_to_at: string | null;
  read_up_to_id: string | null;
  /** When the mark was last moved (the newest read that moved or restated it). */
  last_read_at: string | null;
}

/**
 * The events that write the conversations: every event of messaging's messages topic (which the
 * message read model follows too) and the gateway's own read marks.
 */
export type ConversationEvent =
  | Extract<MessageRowEvent, { type: `messaging.${string}` }>
  | Extract<WireEvent, { type: 'gateway.ConversationRead.v1' }>;

/** Where the projection finds the row an event is about. */
export type ConversationKey =
  | { by: 'phone'; tenantId: string; phone: string }
  | { by: 'last_message'; tenantId: string; messageId: string };

/**
 * The row an event concerns: a message's first event (queued, received) and a read mark name the
 * phone; a later event of a message only matters while that message is the conversation's latest.
 */
export function conversationKeyOf(event: ConversationEvent): ConversationKey {
  switch (event.type) {
    case 'messaging.MessageQueued.v1':
      return { by: 'phone', tenantId: event.data.tenantId, phone: event.data.to };
    case 'messaging.InboundMessageReceived.v1':
      return { by: 'phone', tenantId: event.data.tenantId, phone: event.data.from };
    case 'gateway.ConversationRead.v1':
      return { by: 'phone', tenantId: event.data.tenantId, phone: event.data.phone };
    default:
      return { by: 'last_message', tenantId: event.data.tenantId, messageId: event.data.messageId };
  }
}

/**
 * The one writer of the conversations read model: `evolve(row | null, event) -> row`, returning
 * the row it was given (or null) when nothing changes. The result does not depend on the order
 * messages arrive in (a rebuild replays them in another order than they were first projected):
 * the latest message is the greatest by position, unread inbound messages are those after the
 * mark, and the mark only moves forward.
 */
export function evolveConversationRow(
  row: ConversationRow | null,
  event: ConversationEvent,
): ConversationRow | null {
  switch (event.type) {
    case 'messaging.MessageQueued.v1':
    case 'messaging.InboundMessageReceived.v1':
      return withMessage(row, event);
    // A later event of a message changes the conversation only while the message is its latest.
    case 'messaging.MessageSubmissionStarted.v1':
    case 'messaging.MessageSubmitted.v1':
    case 'messaging.MessageSent.v1':
    case 'messaging.MessageDelivered.v1':
    case 'messaging.MessageFailed.v1':
    case 'messaging.MessageUndelivered.v1':
    case 'messaging.MessageHeld.v1':
    case 'messaging.MessageParked.v1':
    case 'messaging.MessageBlocked.v1':
    case 'messaging.MessageRescheduled.v1':
    case 'messaging.MessageCanceled.v1':
      return withLatestChanged(row, event);
    // Refusals of a client's change change no message; a hold asked of billing neither (the
    // message's MessageParked shows it waiting for funds).
    case 'messaging.MessageCancelRejected.v1':
    case 'messaging.MessageRescheduleRejected.v1':
    case 'messaging.FundsHoldRequested.v1':
      return row;
    case 'gateway.ConversationRead.v1':
      return withReadMark(row, event.data);
    default: {
      // A new event on messaging's topic must be given its effect here (or none, explicitly).
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** The conversation's view of a consumed event, or null for one that does not concern it. */
export function conversationEventOf(event: ConsumedEvent): ConversationEvent | null {
  if (!isEventType(event.type)) return null;
  const wire = { type: event.type, data: event.data } as WireEvent;
  return concernsConversations(wire) ? wire : null;
}

function concernsConversations(event: WireEvent): event is ConversationEvent {
  return (
    event.type === 'gateway.ConversationRead.v1' ||
    (event.type.startsWith('messaging.') &&
      eventContracts[event.type].topic === Topics.messagingMessages)
  );
}

/** Compares two positions: negative when `a` comes first. */
export function comparePositions(a: ConversationPosition, b: ConversationPosition): number {
  const byTime = Date.parse(a.at) - Date.parse(b.at);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function positionOf(message: MessageRow): ConversationPosition {
  return { at: message.created_at, id: message.id };
}

function markOf(row: ConversationRow): ConversationPosition | null {
  return row.read_up_to_at !== null && row.read_up_to_id !== null
    ? { at: row.read_up_to_at, id: row.read_up_to_id }
    : null;
}

/** The tenant's number a message used. */
function senderNumberOf(message: MessageRow): string {
  return message.direction === 'outbound' ? message.from_number : message.to_number;
}

type MessageArrival = Extract<
  ConversationEvent,
  { type: 'messaging.MessageQueued.v1' | 'messaging.InboundMessageReceived.v1' }
>;

/** A message joins its conversation: the latest if it comes after it, unread if inbound and new. */
function withMessage(row: ConversationRow | null, event: MessageArrival): ConversationRow | null {
  const isLatest = row !== null && row.last_message_id === event.data.messageId;
  const message = evolveMessageRow(isLatest ? row.last_message : null, event);
  if (message === null) return row;
  if (row === null) {
    return {
      tenant_id: message.tenant_id,
      phone: message.contact_phone,
      sender_number: senderNumberOf(message),
      last_message: message,
      last_message_id: message.id,
      last_activity_at: message.created_at,
      unread: message.direction === 'inbound' ? [positionOf(message)] : [],
      unread_count: message.direction === 'inbound' ? 1 : 0,
      read_up_to_at: null,
      read_up_to_id: null,
      last_read_at: null,
    };
  }
  let next = row;
  if (isLatest) {
    if (message !== row.last_message) next = { ...next, last_message: message };
  } else if (comparePositions(positionOf(message), positionOf(row.last_message)) > 0) {
    next = {
      ...next,
      sender_number: senderNumberOf(message),
      last_message: message,
      last_message_id: message.id,
      last_activity_at: message.created_at,
    };
  }
  if (message.direction === 'inbound') next = withUnread(next, positionOf(message));
  return next;
}

/** An inbound message after the mark, counted once however often it is delivered. */
function withUnread(row: ConversationRow, position: ConversationPosition): ConversationRow {
  const mark = markOf(row);
  if (mark !== null && comparePositions(position, mark) <= 0) return row;
  if (row.unread.some((unread) => unread.id === position.id)) return row;
  const unread = [...row.unread, position].sort(comparePositions);
  return { ...row, unread, unread_count: unread.length };
}

type LaterMessageEvent = Exclude<
  ConversationEvent,
  MessageArrival | { type: 'gateway.ConversationRead.v1' }
>;

function withLatestChanged(
  row: ConversationRow | null,
  event: LaterMessageEvent,
): ConversationRow | null {
  if (row === null || row.last_message_id !== event.data.messageId) return row;
  const message = evolveMessageRow(row.last_message, event);
  if (message === null || message === row.last_message) return row;
  return { ...row, last_message: message };
}

/** The mark moves forward only; a mark at or behind it changes nothing but a later read time. */
function withReadMark(
  row: ConversationRow | null,
  read: Extract<ConversationEvent, { type: 'gateway.ConversationRead.v1' }>['data'],
): ConversationRow | null {
  if (row === null) return null;
  const position: ConversationPosition = { at: iso(read.upToAt), id: read.upToMessageId };
  const mark = markOf(row);
  const readAt = iso(read.readAt);
  const laterReadAt =
    row.last_read_at === null || Date.parse(readAt) > Date.parse(row.last_read_at)
      ? readAt
      : row.last_read_at;
  if (mark !== null && comparePositions(position, mark) < 0) return row;
  if (mark !== null && comparePositions(position, mark) === 0) {
    return laterReadAt === row.last_read_at ? row : { ...row, last_read_at: laterReadAt };
  }
  const unread = row.unread.filter((unread) => comparePositions(unread, position) > 0);
  return {
    ...row,
    unread,
    unread_count: unread.length,
    read_up_to_at: position.at,
    read_up_to_id: position.id,
    last_read_at: laterReadAt,
  };
}

function iso(instant: string): string {
  return new Date(instant).toISOString();
}
