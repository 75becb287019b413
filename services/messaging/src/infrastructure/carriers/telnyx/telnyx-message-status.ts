import type { CarrierReport } from '../carrier.js';

export type StatusReport = Extract<CarrierReport, { kind: 'status' }>;
type CarrierStatus = StatusReport['status'];

/** Telnyx's `to[].status` values (OutboundMessagePayload.To.status, plus `expired`). */
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

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * Reads the status of an outbound Telnyx message payload, whether a webhook carried it
 * (`message.sent`, `message.finalized`) or `GET /v2/messages/{id}` returned it: the first
 * recipient's `to[].status` and the first of `errors[]`. `null` status: absent or unknown.
 */
export function statusOfTelnyxMessage(
  payload: Json,
  occurredAt: Date,
): { ok: true; report: StatusReport } | { ok: false; reason: string } {
  const carrierMessageId = str(payload['id']);
  if (!carrierMessageId) return { ok: false, reason: 'without payload.id' };
  const recipients = Array.isArray(payload['to']) ? payload['to'] : [];
  const first: unknown = recipients[0];
  const status = isObject(first) ? str(first['status']) : null;
  if (!status || !STATUSES.has(status)) {
    return { ok: false, reason: `with unknown status ${String(status)}` };
  }
  const errors = Array.isArray(payload['errors']) ? payload['errors'] : [];
  const error: unknown = errors[0];
  const code = isObject(error) ? error['code'] : undefined;
  return {
    ok: true,
    report: {
      kind: 'status',
      carrierMessageId,
      status: status as CarrierStatus,
      errorCode: typeof code === 'string' || typeof code === 'number' ? String(code) : null,
      errorDetail: isObject(error) ? (str(error['detail']) ?? str(error['title'])) : null,
      occurredAt,
    },
  };
}

/**
 * When a retrieved message last changed, as far as its payload says: finalized, else sent,
 * else received by the carrier; `fallback` when it says none of them.
 */
export function lastChangeOfTelnyxMessage(payload: Json, fallback: Date): Date {
  const at = str(payload['completed_at']) ?? str(payload['sent_at']) ?? str(payload['received_at']);
  const parsed = at ? new Date(at) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : fallback;
}
