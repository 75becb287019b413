import type { Timestamp } from '../generated/google/protobuf/timestamp.js';
import { ApiError } from '../problems/api-error.js';

/** google.protobuf.Timestamp with longs as strings, as proto-loader reads and writes it. */
export type TimestampProto = Timestamp;

const FRACTION = /\.(\d{1,9})\d*(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Keeps sub-millisecond digits when the ISO string has them (Postgres keeps microseconds). */
export function toTimestampProto(iso: string): TimestampProto {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) {
    throw new Error(`Not an ISO 8601 instant: ${iso}`);
  }
  const seconds = Math.floor(millis / 1000);
  const fraction = FRACTION.exec(iso)?.[1];
  const nanos =
    fraction === undefined
      ? (millis - seconds * 1000) * 1_000_000
      : Number(fraction.padEnd(9, '0'));
  return { seconds: String(seconds), nanos };
}

/** Millisecond precision, like the rest of the API's ISO strings. */
export function fromTimestampProto(timestamp: TimestampProto): string {
  const millis = Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1_000_000);
  return new Date(millis).toISOString();
}

/**
 * google.protobuf.Timestamp's documented range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, with
 * nanos 0 to 999,999,999 (a time before the epoch has negative seconds and positive nanos).
 */
export const TIMESTAMP_SECONDS = { min: -62_135_596_800, max: 253_402_300_799 } as const;
const MAX_NANOS = 999_999_999;

/**
 * A Timestamp a client sent, as an ISO string; one outside the documented range is the caller's
 * error, reported on `field` (the proto path), rather than a RangeError turned INTERNAL.
 */
export function fromRequestTimestamp(timestamp: TimestampProto, field: string): string {
  const seconds = Number(timestamp.seconds);
  const violations = [
    ...(Number.isSafeInteger(seconds) &&
    seconds >= TIMESTAMP_SECONDS.min &&
    seconds <= TIMESTAMP_SECONDS.max
      ? []
      : [
          {
            field: `${field}.seconds`,
            message: `must be from ${TIMESTAMP_SECONDS.min} (0001-01-01T00:00:00Z) to ${TIMESTAMP_SECONDS.max} (9999-12-31T23:59:59Z)`,
          },
        ]),
    ...(Number.isInteger(timestamp.nanos) && timestamp.nanos >= 0 && timestamp.nanos <= MAX_NANOS
      ? []
      : [{ field: `${field}.nanos`, message: `must be from 0 to ${MAX_NANOS}` }]),
  ];
  if (violations.length > 0) {
    throw ApiError.invalid(`The ${field} is not a valid google.protobuf.Timestamp.`, violations);
  }
  return fromTimestampProto(timestamp);
}
