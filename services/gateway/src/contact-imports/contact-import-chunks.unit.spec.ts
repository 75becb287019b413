import { describe, expect, it } from 'vitest';
import { chunkByBytes, IMPORT_CHUNK_LIMITS, jsonBytes } from './contact-import-chunks.js';

describe('chunkByBytes', () => {
  const sizes = (chunks: string[][]) =>
    chunks.map((chunk) => chunk.map(jsonBytes).reduce((a, b) => a + b, 0));

  it('keeps order and cuts before the item that would pass the byte budget', () => {
    const items = ['aaaa', 'bbbb', 'cccc', 'dd'];
    // Each 4-character string is 7 bytes as JSON with its comma: two fit in 15.
    expect(chunkByBytes(items, { maxBytes: 15, maxItems: 100 })).toEqual([
      ['aaaa', 'bbbb'],
      ['cccc', 'dd'],
    ]);
  });

  it('counts bytes, not characters: multi-byte text makes smaller chunks', () => {
    const ascii = Array.from({ length: 10 }, () => 'a'.repeat(100));
    const emoji = Array.from({ length: 10 }, () => '😀'.repeat(100)); // 400 bytes each
    // 103 bytes each: all ten fit; 403 bytes each: two per chunk.
    expect(chunkByBytes(ascii, { maxBytes: 1_100, maxItems: 100 })).toHaveLength(1);
    const chunks = chunkByBytes(emoji, { maxBytes: 1_100, maxItems: 100 });
    expect(chunks).toHaveLength(5);
    expect(Math.max(...sizes(chunks))).toBeLessThanOrEqual(1_100);
  });

  it('puts an item larger than the budget alone in its chunk', () => {
    const big = 'x'.repeat(2_000);
    expect(chunkByBytes(['a', big, 'b'], { maxBytes: 100, maxItems: 100 })).toEqual([
      ['a'],
      [big],
      ['b'],
    ]);
  });

  it('caps the items of a chunk', () => {
    const items = Array.from({ length: 2_500 }, (_, i) => i);
    expect(chunkByBytes(items, IMPORT_CHUNK_LIMITS).map((c) => c.length)).toEqual([
      1_000, 1_000, 500,
    ]);
  });

  it('has no chunk for no items', () => {
    expect(chunkByBytes([], IMPORT_CHUNK_LIMITS)).toEqual([]);
  });

  it('keeps the largest contact the rules allow in one Kafka record (under 1 MB)', () => {
    const customFields = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [
        `field_${String(i).padStart(3, '0')}`,
        '😀'.repeat(1_000),
      ]),
    );
    const contact = {
      row: 1,
      contactId: 'x'.repeat(128),
      contact: { phone: '+15555550100', tags: [], customFields },
    };
    expect(jsonBytes(contact)).toBeLessThan(1_000_000);
  });
});
