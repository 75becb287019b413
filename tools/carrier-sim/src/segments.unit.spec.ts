import { describe, expect, it } from 'vitest';
import { countSegments } from './segments.js';

describe('countSegments', () => {
  it.each([
    ['', 'GSM-7', 1],
    ['a'.repeat(160), 'GSM-7', 1],
    ['a'.repeat(161), 'GSM-7', 2],
    ['a'.repeat(306), 'GSM-7', 2],
    ['a'.repeat(307), 'GSM-7', 3],
    // 80 extension characters = 160 septets: still one segment.
    ['{'.repeat(80), 'GSM-7', 1],
    // 152 septets then an escape pair: the pair moves to segment two rather than splitting.
    ['a'.repeat(152) + '€' + 'a'.repeat(10), 'GSM-7', 2],
    ['a'.repeat(70) + 'é', 'GSM-7', 1],
    ['ą'.repeat(70), 'UCS-2', 1],
    ['ą'.repeat(71), 'UCS-2', 2],
    ['ą'.repeat(134), 'UCS-2', 2],
    ['ą'.repeat(135), 'UCS-2', 3],
  ] as const)('counts %j as %s in %i part(s)', (text, encoding, parts) => {
    const count = countSegments(text);
    expect(count.encoding).toBe(encoding);
    expect(count.parts).toBe(parts);
  });

  it('never splits an emoji across segments', () => {
    // 66 units, then a 2-unit emoji that would straddle the 67-unit boundary.
    const text = 'ą'.repeat(66) + '😀' + 'ą'.repeat(10);
    expect(countSegments(text)).toEqual({ encoding: 'UCS-2', parts: 2, numChars: 77 });
  });
});
