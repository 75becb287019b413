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
 * `{data: {id, event_type, occurred_at, payload: {…}}}`, as far as recording it needs —
 * `data.id` to deduplicate redeliveries, the id of what the event is about for the stream and so
 * the Kafka key (which keeps one message's sent and finalized in order, one campaign's updates in
 * order), and `event_type` and `occurred_at` copied as sent. The payload itself is forwarded
 * untouched: what a status, an error code or an inbound text means is the business of the Telnyx
 * adapters of messaging (message events) and registration (10DLC and toll-free status updates),
 * the only places that know it.
 */
export interface TelnyxWebhookEnvelope {
  /** Telnyx's event id (`data.id`), when it sent one as a non-empty string. */
  webhookId: string | null;
  eventType: string;
  /**
   * What the event is about: a message (`message.*`: `payload.id`, the carrier's message id), or
   * a registration resource (`10dlc.*`: the campaign, else the brand, else the phone number;
   * others, such as toll-free verification updates: `payload.id`).
   */
  subject: WebhookSubject;
  /** `data.occurred_at`, when it is a readable instant that RFC 3339 can write (years 0000–9999). */
  occurredAt: Date | null;
  payload: Json;
}

export interface WebhookSubject {
  kind: 'message' | 'registration';
  id: string;
}

/** 10DLC updates name their resource by these keys (Telnyx sends no `payload.id` for them). */
const REGISTRATION_KEYS = ['campaignId', 'brandId', 'phoneNumber'] as const;

function subjectOf(eventType: string, payload: Json): WebhookSubject | null {
  if (eventType.startsWith('10dlc.')) {
    const id = REGISTRATION_KEYS.map((key) => payload[key]).find(isNonEmptyString);
    return id === undefined ? null : { kind: 'registration', id };
  }
  const id = payload['id'];
  if (!isNonEmptyString(id)) return null;
  return { kind: eventType.startsWith('message.') ? 'message' : 'registration', id };
}

/** The envelope of a parsed webhook body; a body without one is 400 (it is no Telnyx event). */
export function telnyxWebhookEnvelopeOf(event: unknown): TelnyxWebhookEnvelope {
  const data = isObject(event) && isObject(event['data']) ? event['data'] : null;
  const payload = data && isObject(data['payload']) ? data['payload'] : null;
  const eventType = data?.['event_type'];
  // Empty strings are refused too: the recorded event's contract needs a non-empty event type,
  // and "" can key no stream.
  const subject = payload && isNonEmptyString(eventType) ? subjectOf(eventType, payload) : null;
  if (!data || !payload || !isNonEmptyString(eventType) || subject === null) {
    throw ApiError.invalid('The webhook is not a Telnyx messaging or registration event', [
      {
        field: 'data',
        message:
          'needs a non-empty event_type and payload.id (10DLC updates: payload.campaignId, brandId or phoneNumber)',
      },
    ]);
  }
  const reportedAt = typeof data['occurred_at'] === 'string' ? new Date(data['occurred_at']) : null;
  return {
    // An empty id identifies nothing: treated as absent, as the contract's non-empty webhookId needs.
    webhookId: isNonEmptyString(data['id']) ? data['id'] : null,
    eventType,
    subject,
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
