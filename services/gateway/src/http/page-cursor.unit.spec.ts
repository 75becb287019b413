import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import { decodePageCursor, encodePageCursor, pagePositionAfter } from './page-cursor.js';

const id = '0199a3f0-7c2e-7b7a-9d4e-3c1b2a4f5e6d';
const at = new Date('2026-03-04T05:06:07.089Z');

/** A cursor built the way ours are, around a position we never issue. */
function forged(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

describe('page cursors', () => {
  it('decode to exactly the position they were issued for', () => {
    expect(decodePageCursor(encodePageCursor(at, id))).toEqual([at.toISOString(), id]);
    expect(pagePositionAfter(encodePageCursor(at, id))).toEqual([at.toISOString(), id]);
  });

  it('mean the first page when absent', () => {
    expect(pagePositionAfter(undefined)).toBeNull();
    expect(pagePositionAfter('')).toBeNull();
  });

  // The positions the fuzzer found answering 500 / INTERNAL: Date.parse took them, Postgres did not.
  const refused: ReadonlyArray<readonly [string, string]> = [
    ['date "1"', forged(['1', id])],
    ['date "2026"', forged(['2026', id])],
    ['date 2026-02-30', forged(['2026-02-30', id])],
    ['instant 2026-02-30', forged(['2026-02-30T00:00:00.000Z', id])],
    ['date -271821-04-20', forged(['-271821-04-20', id])],
    ['instant -271821-04-20', forged(['-271821-04-20T00:00:00.000Z', id])],
    ['year 0000', forged(['0000-01-01T00:00:00.000Z', id])],
    ['year +275760', forged(['+275760-09-13T00:00:00.000Z', id])],
    ['id of dashes', forged([at.toISOString(), '-'.repeat(36)])],
    ['upper-case id', forged([at.toISOString(), id.toUpperCase()])],
    ['id not a UUID', forged([at.toISOString(), 'msg_1'])],
    ['instant without milliseconds', forged(['2026-03-04T05:06:07Z', id])],
    ['instant with an offset', forged(['2026-03-04T06:06:07.089+01:00', id])],
    ['extra JSON spacing', Buffer.from(`["${at.toISOString()}", "${id}"]`).toString('base64url')],
    ['three elements', forged([at.toISOString(), id, 'x'])],
    ['an object', forged({ at: at.toISOString(), id })],
    ['padding', `${encodePageCursor(at, id)}==`],
    ['standard base64', Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64')],
    ['not base64', 'zzz!'],
    ['not JSON', Buffer.from('[1,').toString('base64url')],
    ['very long', 'A'.repeat(10_000)],
  ];

  it.each(refused)('refuse a %s', (_, cursor) => {
    expect(decodePageCursor(cursor)).toBeNull();
    let refusal: unknown;
    try {
      pagePositionAfter(cursor);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({
      kind: 'invalid_request',
      code: 'invalid_cursor',
      violations: [{ field: 'cursor' }],
    });
  });
});
