import type { CarrierReport } from '../carrier.js';
import { isObject, statusOfTelnyxMessage, str } from './telnyx-message-status.js';

type Json = Record<string, unknown>;

/**
 * Reads a Telnyx messaging webhook (`data.event_type` and `data.payload`, as the gateway
 * recorded them) into a carrier report. Unknown or malformed events are reported as ignored
 * with the reason rather than thrown, so they never block the partition.
 */
export function parseTelnyxWebhook(
  eventType: string,
  payload: Json,
  occurredAt: string,
): CarrierReport {
  // Registration's status webhooks (10dlc.*, toll-free verification) come the same way.
  if (!eventType.startsWith('message.')) return { kind: 'not_messaging' };
  const carrierMessageId = str(payload['id']);
  if (!carrierMessageId) return { kind: 'ignored', reason: `${eventType} without payload.id` };
  switch (eventType) {
    case 'message.sent':
    case 'message.finalized': {
      const read = statusOfTelnyxMessage(payload, new Date(occurredAt));
      return read.ok ? read.report : { kind: 'ignored', reason: `${eventType} ${read.reason}` };
    }
    case 'message.received': {
      const from = isObject(payload['from']) ? str(payload['from']['phone_number']) : null;
      const recipients = Array.isArray(payload['to']) ? payload['to'] : [];
      const first: unknown = recipients[0];
      const to = isObject(first) ? str(first['phone_number']) : null;
      if (!from || !to) return { kind: 'ignored', reason: 'message.received without from/to' };
      const media = Array.isArray(payload['media']) ? payload['media'] : [];
      return {
        kind: 'inbound',
        carrierMessageId,
        from,
        to,
        body: typeof payload['text'] === 'string' ? payload['text'] : '',
        mediaUrls: media.flatMap((m: unknown) => {
          const url = isObject(m) ? str(m['url']) : null;
          return url ? [url] : [];
        }),
        receivedAt: new Date(str(payload['received_at']) ?? occurredAt),
      };
    }
    default:
      return { kind: 'ignored', reason: `event type ${eventType} is not handled` };
  }
}
