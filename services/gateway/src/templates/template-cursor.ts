import { ApiError } from '../problems/api-error.js';

const MAX_CURSOR_LENGTH = 256;

/** A list cursor: the last id of a page, opaque to callers (base64url JSON naming its list). */
export function encodeCursor(list: string, last: string): string {
  return Buffer.from(JSON.stringify([list, last])).toString('base64url');
}

/** The position a cursor this API issued names; anything else is a 400 naming `cursor`. */
export function decodeCursor(
  list: string,
  cursor: string | undefined,
  isPosition: (value: string) => boolean,
): string | null {
  if (cursor === undefined || cursor === '') return null;
  let value: unknown = null;
  if (cursor.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]+$/.test(cursor)) {
    try {
      value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      value = null;
    }
  }
  const last: unknown = Array.isArray(value) && value.length === 2 ? value[1] : null;
  if (
    !Array.isArray(value) ||
    value[0] !== list ||
    typeof last !== 'string' ||
    !isPosition(last) ||
    encodeCursor(list, last) !== cursor
  ) {
    throw new ApiError(
      'invalid_request',
      'invalid_cursor',
      'The cursor is not one this API issued: pass back a page’s next cursor unchanged',
      [{ field: 'cursor', message: 'is not a cursor we issued' }],
    );
  }
  return last;
}
