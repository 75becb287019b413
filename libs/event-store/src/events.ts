export interface EventMetadata {
  tenantId?: string;
  correlationId: string;
  causationId?: string;
  traceparent?: string;
}

export interface NewEvent {
  type: string;
  data: unknown;
  /** UUIDv7 generated when absent. */
  eventId?: string;
  metadata: EventMetadata;
  /** When the fact happened in the domain; defaults to the commit time. */
  occurredAt?: Date;
}

export interface StoredEvent {
  /** Order of insertion across all streams of this database (Postgres bigserial). */
  globalPosition: bigint;
  streamId: string;
  streamType: string;
  /** 1-based position inside the stream. */
  version: number;
  eventId: string;
  type: string;
  /** Already upcast to the current shape of `type`. */
  data: unknown;
  metadata: EventMetadata;
  occurredAt: Date;
  recordedAt: Date;
}

/** Exact current version of the stream (0 = the stream must not exist yet), or 'any'. */
export type ExpectedVersion = number | 'any';

export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';

  /**
   * @param actual the version found, or undefined when a concurrent writer won the race on the
   *   unique (stream_id, version) constraint and the current version could not be read.
   */
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number | undefined,
  ) {
    super(
      `Stream ${streamId}: expected version ${String(expected)}, ` +
        (actual === undefined ? 'a concurrent append won' : `found ${actual}`),
    );
  }
}

/** An event's data against its contract, as the publisher will check it (valid, or why not). */
export type EventCheck = (
  type: string,
  data: unknown,
) => { valid: true } | { valid: false; reason: string };

/**
 * An event refused at append because it could never be published: its data fails its contract
 * (the store's EventCheck), or its occurredAt is not an instant RFC 3339 and Postgres can both
 * hold (years 0001–9999). Nothing of the append is written.
 */
export class UnpublishableEventError extends Error {
  override readonly name = 'UnpublishableEventError';

  constructor(
    readonly streamId: string,
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`Event ${eventType} for stream ${streamId} refused at append: ${reason}`);
  }
}

/**
 * Why an instant cannot be an event's occurredAt, or undefined when it can: it must be a valid
 * Date in years 0001–9999, the range both an RFC 3339 timestamp (the CloudEvent's `time`) and a
 * Postgres timestamptz hold (Postgres has no year 0).
 */
export function unrepresentableInstant(instant: Date): string | undefined {
  const year = instant.getUTCFullYear();
  if (Number.isNaN(year)) return 'occurredAt is not a valid date';
  if (year < 1 || year > 9999) {
    return `occurredAt ${instant.toISOString()} is outside years 0001–9999 (RFC 3339)`;
  }
  return undefined;
}
