import { E164_PATTERN } from '../http/schema-parts.js';
import { ApiError } from '../problems/api-error.js';

/**
 * The list's cursor: the position (last activity, phone) of a page's last conversation, opaque
 * to callers (base64url JSON `[ISO instant, E.164]`). As with the message cursors
 * (http/page-cursor.ts), only a cursor this API could have issued is accepted, byte for byte.
 */
export interface ConversationCursorPosition {
  at: string;
  phone: string;
}

const ISSUED_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const E164 = new RegExp(E164_PATTERN);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_CURSOR_LENGTH = 128;

export function encodeConversationCursor(position: ConversationCursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.phone])).toString('base64url');
}

export function decodeConversationCursor(cursor: string): ConversationCursorPosition | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [at, phone] = value as unknown[];
  if (typeof at !== 'string' || typeof phone !== 'string') return null;
  if (!ISSUED_INSTANT.test(at) || at.startsWith('0000') || !E164.test(phone)) return null;
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime()) || instant.toISOString() !== at) return null;
  const position = { at, phone };
  return encodeConversationCursor(position) === cursor ? position : null;
}

/** The position to continue after: none for the first page, else the cursor, else 400. */
export function conversationPositionAfter(
  cursor: string | undefined,
): ConversationCursorPosition | null {
  if (cursor === undefined || cursor === '') return null;
  const position = decodeConversationCursor(cursor);
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
