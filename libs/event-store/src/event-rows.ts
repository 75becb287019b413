import type { EventMetadata, StoredEvent } from './events.js';
import type { Upcasters } from './upcasters.js';

/** Columns selected by every query that returns stored events (pg returns int8 as a string). */
export const EVENT_COLUMNS =
  'e.global_position, e.stream_id, e.stream_type, e.version, e.event_id, e.type, ' +
  'e.schema_version, e.data, e.metadata, e.occurred_at, e.recorded_at';

export interface EventRow {
  global_position: string;
  stream_id: string;
  stream_type: string;
  version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  occurred_at: Date;
  recorded_at: Date;
}

export function toStoredEvent(row: EventRow, registry: Upcasters | undefined): StoredEvent {
  return {
    globalPosition: BigInt(row.global_position),
    streamId: row.stream_id,
    streamType: row.stream_type,
    version: row.version,
    eventId: row.event_id,
    type: row.type,
    data:
      registry === undefined ? row.data : registry.upcast(row.type, row.schema_version, row.data),
    metadata: row.metadata,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  };
}
