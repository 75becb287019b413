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
