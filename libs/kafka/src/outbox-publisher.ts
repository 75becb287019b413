import { validateEventData } from '@textplane/contracts';
import type { EventEnvelope } from './envelope.js';

/** An event as the outbox hands it over (the event store's StoredEvent has this shape). */
export interface OutboxEvent {
  eventId: string;
  type: string;
  streamId: string;
  data: unknown;
  occurredAt: Date;
  metadata: {
    tenantId?: string;
    correlationId: string;
    causationId?: string;
    traceparent?: string;
  };
}

export interface ContractPublisher {
  publishByContract(events: readonly EventEnvelope[]): Promise<void>;
}

/** The CloudEvent of a stored event: ce_subject (and so the Kafka key) is the stream id. */
export function envelopeOf(event: OutboxEvent, source: string): EventEnvelope {
  const { tenantId, correlationId, causationId, traceparent } = event.metadata;
  return {
    id: event.eventId,
    type: event.type,
    source,
    subject: event.streamId,
    time: event.occurredAt.toISOString(),
    correlationId,
    ...(tenantId ? { tenantId } : {}),
    ...(causationId ? { causationId } : {}),
    ...(traceparent ? { traceparent } : {}),
    data: event.data,
  };
}

/**
 * The outbox relay's publisher: each stored event becomes a CloudEvent on the topic its type
 * belongs to, in one acknowledged batch; a failure throws and the relay retries the batch.
 */
export function outboxPublisher(
  producer: ContractPublisher,
  source: string,
): (events: readonly OutboxEvent[]) => Promise<void> {
  return (events) => producer.publishByContract(events.map((event) => envelopeOf(event, source)));
}

/**
 * The check publishByContract applies to each event's data, for the event store to apply at
 * append and the outbox relay before publishing: an event that would be refused on publish is
 * refused when it is recorded instead, never left in the outbox to hold up the events after it.
 */
export const outboxContractCheck: (
  type: string,
  data: unknown,
) => { valid: true } | { valid: false; reason: string } = validateEventData;
