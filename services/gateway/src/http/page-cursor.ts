import { ApiError } from '../problems/api-error.js';

/**
 * Cursor pagination over (time, id), newest or oldest first: the cursor is the position of the
 * last item of a page, opaque to callers (base64url JSON `[ISO instant, UUID]`).
 *
 * A cursor is accepted only if it is byte for byte one this API could have issued: its position
 * is decoded, checked (an exact `toISOString()` instant of years 0001–9999, which Postgres
 * `timestamptz` can hold, and a canonical lower-case UUID), encoded again and compared with what
 * the caller sent. Anything else — a date such as "2026" or 2026-02-30, one outside Postgres'
 * range, an id of dashes, padding, other JSON spacing — is refused before it reaches SQL.
 * Cursors are not signed: a well-formed position only moves the caller within rows its own
 * tenant's query already selects, and unsigned cursors survive restarts and key rotation.
 */
export type PagePosition = readonly [at: string, id: string];

const ISSUED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Far longer than any issued cursor (about 90 characters): no point decoding more. */
const MAX_CURSOR_LENGTH = 256;

export function encodePageCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

/** The position a cursor stands for, or null when it is not exactly one this API issued. */
export function decodePageCursor(cursor: string): PagePosition | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const at: unknown = value[0];
  const id: unknown = value[1];
  if (typeof at !== 'string' || typeof id !== 'string') return null;
  if (!ISSUED_INSTANT.test(at) || at.startsWith('0000') || !CANONICAL_UUID.test(id)) return null;
  const instant = new Date(at);
  // Date accepts 2026-02-30 (as March 2nd): only an instant that prints back identically is real.
  if (Number.isNaN(instant.getTime()) || instant.toISOString() !== at) return null;
  return encodePageCursor(instant, id) === cursor ? [at, id] : null;
}

/**
 * The position to continue after, for a page request's `cursor` (REST) or `page_token` (gRPC):
 * none for the first page, else the decoded cursor, else 400 `invalid_cursor` /
 * INVALID_ARGUMENT.
 */
export function pagePositionAfter(cursor: string | undefined): PagePosition | null {
  if (cursor === undefined || cursor === '') return null;
  const position = decodePageCursor(cursor);
  if (!position) {
    throw new ApiError(
      'invalid_request',
      'invalid_cursor',
      'The cursor is not one this API issued: pass back a page’s next cursor unchanged',
      [{ field: 'cursor', message: 'is not a cursor we issued' }],
    );
  }
  return position;
}
