import type { MessageChangeNotice } from './message-read-model.js';
import type { MessageResource, MessageStatus } from './message.resource.js';

/** How messaging answered a client's cancel or reschedule, as the gateway can tell it. */
export type MessageChangeAnswer =
  | { outcome: 'applied'; message: MessageResource }
  | { outcome: 'refused'; status: string; reason?: string };

const CANCELABLE: ReadonlySet<MessageStatus> = new Set(['queued', 'scheduled']);

/** Whether the gateway's view of a message still allows a cancel (messaging has the last word). */
export function isCancelable(message: MessageResource): boolean {
  return CANCELABLE.has(message.status);
}

/**
 * Whether the gateway's view of a message still allows a reschedule: scheduled for the client's
 * own `sendAt`, that time still ahead of `now` (at it, the dispatcher is releasing it).
 */
export function isReschedulable(message: MessageResource, now: Date): boolean {
  return (
    message.status === 'scheduled' &&
    message.reason === 'scheduled' &&
    message.sendAt !== null &&
    Date.parse(message.sendAt) > now.getTime()
  );
}

function refusalFor(
  heard: readonly MessageChangeNotice[],
  eventType: string,
  requestedAt: string,
): MessageChangeAnswer | null {
  const notice = heard.find(
    (n) =>
      n.eventType === eventType &&
      n.refusal !== undefined &&
      Date.parse(n.refusal.requestedAt) === Date.parse(requestedAt),
  );
  if (notice?.refusal === undefined) return null;
  const { status, reason } = notice.refusal;
  return { outcome: 'refused', status, ...(reason !== undefined ? { reason } : {}) };
}

/**
 * The answer to a cancel requested at `requestedAt`, from the message as the read model shows it
 * now and the notices heard since: canceled; refused (its refusal heard, or the message already
 * past `queued`/`scheduled`: messaging decides on the message's stream in order, so a message
 * seen sending or later can no longer be canceled); or null while it is still to come.
 */
export function cancelAnswer(
  message: MessageResource | null,
  heard: readonly MessageChangeNotice[],
  requestedAt: string,
): MessageChangeAnswer | null {
  const refused = refusalFor(heard, 'messaging.MessageCancelRejected.v1', requestedAt);
  if (refused) return refused;
  if (message === null) return null;
  if (message.status === 'canceled') return { outcome: 'applied', message };
  if (!isCancelable(message)) return { outcome: 'refused', status: message.status };
  return null;
}

/**
 * The answer to a reschedule to `sendAt` requested at `requestedAt`: applied once the message
 * shows the new time (or its MessageRescheduled to that time was heard, should it have moved on
 * since); refused when its refusal was heard, or the message no longer waits for the client's
 * time; null while it is still to come.
 */
export function rescheduleAnswer(
  message: MessageResource | null,
  heard: readonly MessageChangeNotice[],
  requestedAt: string,
  sendAt: string,
): MessageChangeAnswer | null {
  const refused = refusalFor(heard, 'messaging.MessageRescheduleRejected.v1', requestedAt);
  if (refused) return refused;
  if (message === null) return null;
  const wanted = Date.parse(sendAt);
  const shows = (at: unknown): boolean => typeof at === 'string' && Date.parse(at) === wanted;
  if (message.status === 'scheduled' && message.reason === 'scheduled' && shows(message.sendAt)) {
    return { outcome: 'applied', message };
  }
  const applied = heard.some(
    (n) => n.eventType === 'messaging.MessageRescheduled.v1' && shows(n.message?.['send_at']),
  );
  if (applied) return { outcome: 'applied', message };
  if (message.status === 'scheduled' && message.reason === 'quiet_hours_held') {
    return { outcome: 'refused', status: message.status, reason: 'quiet_hours_held' };
  }
  if (message.status !== 'scheduled' && message.status !== 'queued') {
    return { outcome: 'refused', status: message.status };
  }
  return null;
}
