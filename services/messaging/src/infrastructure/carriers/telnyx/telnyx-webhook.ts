import type { CarrierReport } from '../carrier.js';

type CarrierStatus = Extract<CarrierReport, { kind: 'status' }>['status'];

const STATUSES: ReadonlySet<string> = new Set<CarrierStatus>([
  'queued',
  'sending',
  'sent',
  'delivered',
  'sending_failed',
  'delivery_failed',
  'delivery_unconfirmed',
  'expired',
]);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

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
  const carrierMessageId = str(payload['id']);
  if (!carrierMessageId) return { kind: 'ignored', reason: `${eventType} without payload.id` };
  switch (eventType) {
    case 'message.sent':
    case 'message.finalized': {
      const recipients = Array.isArray(payload['to']) ? payload['to'] : [];
      const first: unknown = recipients[0];
      const status = isObject(first) ? str(first['status']) : null;
      if (!status || !STATUSES.has(status)) {
        return { kind: 'ignored', reason: `${eventType} with unknown status ${String(status)}` };
      }
      const errors = Array.isArray(payload['errors']) ? payload['errors'] : [];
      const error: unknown = errors[0];
      const code = isObject(error) ? error['code'] : undefined;
      return {
        kind: 'status',
        carrierMessageId,
        status: status as CarrierStatus,
        errorCode: typeof code === 'string' || typeof code === 'number' ? String(code) : null,
        errorDetail: isObject(error) ? (str(error['detail']) ?? str(error['title'])) : null,
        occurredAt: new Date(occurredAt),
      };
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
