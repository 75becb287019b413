import { ApiError } from '../problems/api-error.js';

type Json = Record<string, unknown>;

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What the gateway reads of a verified Telnyx webhook, and all it reads: the envelope
 * `{data: {id, event_type, occurred_at, payload: {id, …}}}`, as far as recording it needs —
 * `data.id` to deduplicate redeliveries, `payload.id` (the carrier's message id) for the stream
 * and so the Kafka key, which keeps one message's sent and finalized in order, and `event_type`
 * and `occurred_at` copied as sent. The payload itself is forwarded untouched: what a status,
 * an error code or an inbound text means is the business of messaging's Telnyx adapter
 * (services/messaging/src/infrastructure/carriers/telnyx/), the one place that knows it.
 */
export interface TelnyxWebhookEnvelope {
  /** Telnyx's event id (`data.id`), when it sent one as a non-empty string. */
  webhookId: string | null;
  eventType: string;
  /** `payload.id`: the carrier's id of the message the event is about. */
  carrierMessageId: string;
  /** `data.occurred_at`, when it is a readable instant that RFC 3339 can write (years 0000–9999). */
  occurredAt: Date | null;
  payload: Json;
}

/** The envelope of a parsed webhook body; a body without one is 400 (it is no messaging event). */
export function telnyxWebhookEnvelopeOf(event: unknown): TelnyxWebhookEnvelope {
  const data = isObject(event) && isObject(event['data']) ? event['data'] : null;
  const payload = data && isObject(data['payload']) ? data['payload'] : null;
  const eventType = data?.['event_type'];
  const carrierMessageId = payload?.['id'];
  // Empty strings are refused too: the recorded event's contract needs a non-empty event type,
  // and "" can key no message's stream.
  if (!data || !payload || !isNonEmptyString(eventType) || !isNonEmptyString(carrierMessageId)) {
    throw ApiError.invalid('The webhook is not a Telnyx messaging event', [
      { field: 'data', message: 'needs a non-empty event_type and payload.id' },
    ]);
  }
  const reportedAt = typeof data['occurred_at'] === 'string' ? new Date(data['occurred_at']) : null;
  return {
    // An empty id identifies nothing: treated as absent, as the contract's non-empty webhookId needs.
    webhookId: isNonEmptyString(data['id']) ? data['id'] : null,
    eventType,
    carrierMessageId,
    occurredAt: reportedAt && isRfc3339Instant(reportedAt) ? reportedAt : null,
    payload,
  };
}

/**
 * JavaScript reads instants RFC 3339 cannot write ("+275760-09-13T00:00:00Z", "-000001-…"):
 * recorded, they fail the event's date-time contract. Such an occurred_at counts as absent, as
 * an unreadable one does (the receipt time stands in).
 */
function isRfc3339Instant(instant: Date): boolean {
  const year = instant.getUTCFullYear();
  return year >= 0 && year <= 9999;
}
