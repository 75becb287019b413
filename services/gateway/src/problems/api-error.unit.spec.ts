import { describe, expect, it } from 'vitest';
import { ECHO_LIMIT, echoed } from './api-error.js';

describe('echoed', () => {
  it('keeps a value up to the limit whole', () => {
    const value = 'a'.repeat(ECHO_LIMIT);
    expect(echoed(value)).toBe(value);
  });

  it('cuts a longer value at the limit with an ellipsis', () => {
    expect(echoed('x'.repeat(100_000))).toBe(`${'x'.repeat(ECHO_LIMIT)}…`);
  });

  it('counts code points, so it never splits a surrogate pair', () => {
    const astral = '😀'.repeat(ECHO_LIMIT);
    expect(echoed(astral)).toBe(astral);
    expect(echoed(`${astral}😀`)).toBe(`${astral}…`);
  });

  it('takes another limit', () => {
    expect(echoed('abcdef', 3)).toBe('abc…');
  });
});
