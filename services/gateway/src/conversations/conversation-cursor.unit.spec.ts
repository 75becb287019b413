import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import {
  conversationPositionAfter,
  decodeConversationCursor,
  encodeConversationCursor,
} from './conversation-cursor.js';

const position = { at: '2026-11-26T12:00:05.123Z', phone: '+13055550123' };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the conversation cursor', () => {
  it('round-trips the position of a page’s last conversation', () => {
    const cursor = encodeConversationCursor(position);
    expect(decodeConversationCursor(cursor)).toEqual(position);
    expect(conversationPositionAfter(cursor)).toEqual(position);
  });

  it('means the first page when absent or empty', () => {
    expect(conversationPositionAfter(undefined)).toBeNull();
    expect(conversationPositionAfter('')).toBeNull();
  });

  it.each([
    ['not base64url', '!!!'],
    ['not JSON', Buffer.from('[2026').toString('base64url')],
    ['a date that is not an issued instant', b64(['2026-11-26', position.phone])],
    ['a day that does not exist', b64(['2026-02-30T00:00:00.000Z', position.phone])],
    ['a phone that is not E.164', b64([position.at, '3055550123'])],
    ['a third element', b64([position.at, position.phone, 1])],
    [
      'other spacing',
      Buffer.from(`[ "${position.at}", "${position.phone}" ]`).toString('base64url'),
    ],
    ['padding', `${encodeConversationCursor(position)}=`],
    ['far too long', 'a'.repeat(500)],
  ])('refuses %s with 400 naming cursor', (_what, cursor) => {
    expect(decodeConversationCursor(cursor)).toBeNull();
    let error: unknown;
    try {
      conversationPositionAfter(cursor);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('invalid_request');
    expect((error as ApiError).violations).toEqual([
      { field: 'cursor', message: 'is not a cursor we issued' },
    ]);
  });
});
