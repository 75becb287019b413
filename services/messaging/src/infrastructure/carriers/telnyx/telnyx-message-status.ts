import type { OutboundMessagePayload } from 'telnyx/resources/messages/messages';
import type { CarrierDeliveryStatus } from '../../../messages/message.commands.js';
import type { CarrierReport } from '../carrier.js';

export type StatusReport = Extract<CarrierReport, { kind: 'status' }>;

/** Telnyx's `to[].status` of an outbound message, as the SDK types it. */
export type TelnyxRecipientStatus = NonNullable<
  NonNullable<OutboundMessagePayload['to']>[number]['status']
>;

/**
 * Telnyx's recipient statuses in textplane's vocabulary; `null`: not a messaging outcome
 * textplane acts on (`read` is an RCS receipt), so the webhook is ignored. Keyed by the SDK's
 * type, so a status the SDK adds is a compile error here until it is mapped.
 */
const TEXTPLANE_STATUS_OF: Readonly<Record<TelnyxRecipientStatus, CarrierDeliveryStatus | null>> = {
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  // Telnyx never got it to the handset's network: a failure of the carrier call's outcome.
  sending_failed: 'failed',
  // Handed on, but the recipient's network refused it, never confirmed it or let it expire.
  delivery_failed: 'undelivered',
  delivery_unconfirmed: 'undelivered',
  expired: 'undelivered',
  read: null,
};

/** textplane's status for a Telnyx `to[].status`, or null when it is none textplane acts on. */
export function textplaneStatusOfTelnyx(telnyxStatus: string): CarrierDeliveryStatus | null {
  return Object.hasOwn(TEXTPLANE_STATUS_OF, telnyxStatus)
    ? TEXTPLANE_STATUS_OF[telnyxStatus as TelnyxRecipientStatus]
    : null;
}

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
 * recipient's `to[].status` and the first of `errors[]`, in textplane's terms. A failure
 * without an error code is coded with the Telnyx status itself (`delivery_unconfirmed`).
 */
export function statusOfTelnyxMessage(
  payload: Json,
  occurredAt: Date,
): { ok: true; report: StatusReport } | { ok: false; reason: string } {
  const carrierMessageId = str(payload['id']);
  if (!carrierMessageId) return { ok: false, reason: 'without payload.id' };
  const recipients = Array.isArray(payload['to']) ? payload['to'] : [];
  const first: unknown = recipients[0];
  const carrierStatus = isObject(first) ? str(first['status']) : null;
  const status = carrierStatus ? textplaneStatusOfTelnyx(carrierStatus) : null;
  if (!carrierStatus || !status) {
    return { ok: false, reason: `with unknown status ${String(carrierStatus)}` };
  }
  const errors = Array.isArray(payload['errors']) ? payload['errors'] : [];
  const error: unknown = errors[0];
  const code = isObject(error) ? error['code'] : undefined;
  const errorCode = typeof code === 'string' || typeof code === 'number' ? String(code) : null;
  const errorDetail = isObject(error) ? (str(error['detail']) ?? str(error['title'])) : null;
  const failure = status === 'failed' || status === 'undelivered';
  return {
    ok: true,
    report: {
      kind: 'status',
      carrierMessageId,
      status,
      carrierStatus,
      errorCode: errorCode ?? (failure ? carrierStatus : null),
      errorDetail:
        errorDetail ?? (failure ? `carrier reported ${carrierStatus.replaceAll('_', ' ')}` : null),
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
