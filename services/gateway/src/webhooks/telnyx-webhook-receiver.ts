import type { GroupAppender } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import { Telnyx } from 'telnyx';
import { QueryFailedError } from 'typeorm';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type { Clock } from '@textplane/service-runtime';
import { ApiError } from '../problems/api-error.js';
import { storableJson, storableText } from './storable-json.js';
import { telnyxWebhookEnvelopeOf } from './telnyx-webhook-envelope.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The UUIDv5 namespace of carrier webhook ids that are not UUIDs themselves (fixed forever). */
const CARRIER_WEBHOOK_ID_NAMESPACE = '3f9d2c1e-8a47-4b5e-9f60-2d7c1b8e4a93';
export const CARRIER_WEBHOOK_STREAM_TYPE = 'carrier-message';

export type WebhookOutcome = 'recorded' | 'duplicate';

/**
 * The gateway's edge for Telnyx: it verifies, reads only the envelope (telnyx-webhook-envelope.ts)
 * and forwards the payload; messaging's Telnyx adapter parses it.
 *
 * Verifies Telnyx webhooks with the SDK (Ed25519 over `timestamp|raw body`, refusing a timestamp
 * more than 300 s off) and records each as a CarrierWebhookReceived event. Events of one carrier
 * message share a stream (and so a Kafka key), so sent and finalized reach messaging in order.
 * Telnyx redelivers with the same event id, from which the stored event id comes (the id itself
 * when it is a UUID, else a UUIDv5 of the carrier and the id): a redelivery is recognised and
 * acknowledged without being recorded twice. Characters Postgres cannot store are replaced in
 * the recorded payload, the exact body kept beside it (see storable-json.ts). Webhooks that arrive together are
 * committed together (group commit), each acknowledged once its event is committed.
 */
export class TelnyxWebhookReceiver {
  private readonly telnyx: Telnyx;

  constructor(
    publicKey: string,
    private readonly appender: GroupAppender,
    private readonly clock: Clock,
  ) {
    // The API key is never used here: the client only verifies signatures.
    this.telnyx = new Telnyx({ apiKey: 'webhook-verification-only', publicKey });
  }

  async receive(rawBody: string, headers: Record<string, string>): Promise<WebhookOutcome> {
    let signed: unknown;
    try {
      signed = await this.telnyx.webhooks.unwrap(rawBody, { headers });
    } catch (error) {
      // The SDK verifies the signature over the raw body first and only then parses it: a
      // SyntaxError means a correctly signed body that is not JSON.
      if (error instanceof SyntaxError) {
        throw new ApiError(
          'invalid_request',
          'malformed_json',
          'The signed webhook body is not JSON',
        );
      }
      throw new ApiError(
        'unauthenticated',
        'invalid_webhook_signature',
        `The webhook signature could not be verified: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
    }
    // The id as sent, before any character is replaced, so every redelivery finds the same one.
    const carrierId = telnyxWebhookEnvelopeOf(signed).webhookId;
    const storable = storableJson(signed);
    const envelope = telnyxWebhookEnvelopeOf(storable.value);
    const { eventType, subject, payload } = envelope;
    const webhookId = envelope.webhookId ?? uuidv7();
    const eventId = carrierId !== null ? storedEventIdOf(carrierId) : undefined;
    const occurredAt = envelope.occurredAt ?? this.clock.now();
    const traceparent = currentTraceparent();
    try {
      await this.appender.append(
        `carrier-${subject.kind}-${subject.id}`,
        CARRIER_WEBHOOK_STREAM_TYPE,
        [
          {
            ...(eventId ? { eventId } : {}),
            type: 'gateway.CarrierWebhookReceived.v1',
            data: {
              webhookId,
              carrier: 'telnyx',
              eventType,
              occurredAt: occurredAt.toISOString(),
              payload,
              receivedAt: this.clock.now().toISOString(),
              // The body parses to valid JSON, so it holds no raw NUL or lone surrogate (those
              // arrive escaped, as plain characters); storableText only guarantees it.
              ...(storable.replaced ? { rawBody: storableText(rawBody) } : {}),
            },
            metadata: { correlationId: subject.id, ...(traceparent ? { traceparent } : {}) },
          },
        ],
      );
      return 'recorded';
    } catch (error) {
      if (isDuplicateEventId(error)) return 'duplicate';
      throw error;
    }
  }
}

/**
 * The event id a carrier's webhook id is stored under, the same for every redelivery: the id
 * itself when it is a UUID (lower-cased, as recorded before non-UUID ids were deduplicated too),
 * else a UUIDv5 of `telnyx:<id>`, computed from the id exactly as sent (of its UTF-16 code units
 * when it holds a lone surrogate).
 */
export function storedEventIdOf(carrierWebhookId: string): string {
  if (UUID.test(carrierWebhookId)) return carrierWebhookId.toLowerCase();
  if (carrierWebhookId.isWellFormed()) {
    return uuidv5(`telnyx:${carrierWebhookId}`, CARRIER_WEBHOOK_ID_NAMESPACE);
  }
  // An id with a lone surrogate has no UTF-8 form (uuid's encoding of it throws URIError): its
  // UTF-16 code units are hashed instead, under a prefix no well-formed id's name can start with.
  const codeUnits = Array.from({ length: carrierWebhookId.length }, (_, index) =>
    carrierWebhookId.charCodeAt(index).toString(16).padStart(4, '0'),
  ).join('');
  return uuidv5(`telnyx-utf16:${codeUnits}`, CARRIER_WEBHOOK_ID_NAMESPACE);
}

function isDuplicateEventId(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23505' && (driverError.constraint ?? '').includes('event_id');
}
