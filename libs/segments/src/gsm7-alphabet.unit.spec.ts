import { describe, expect, it } from 'vitest';
import {
  GSM7_BASIC_CHARACTERS,
  GSM7_EXTENSION_CHARACTERS,
  isGsm7,
  septetsOf,
} from './gsm7-alphabet.js';

describe('GSM-7 tables', () => {
  it('given the basic table, then it holds the 127 characters of the 128 positions other than ESC', () => {
    expect(new Set(GSM7_BASIC_CHARACTERS).size).toBe(127);
    expect(GSM7_BASIC_CHARACTERS).toHaveLength(127);
  });

  it('given the extension table, then it holds form feed and ^ { } \\ [ ~ ] | €', () => {
    expect([...GSM7_EXTENSION_CHARACTERS].sort()).toEqual(
      ['\f', '[', '\\', ']', '^', '{', '|', '}', '~', '€'].sort(),
    );
  });

  it('given the two tables, then they share no character', () => {
    expect([...GSM7_EXTENSION_CHARACTERS].filter((c) => GSM7_BASIC_CHARACTERS.includes(c))).toEqual(
      [],
    );
  });

  it.each([
    ['@', 1],
    ['Δ', 1],
    ['\n', 1],
    ['€', 2],
    ['\f', 2],
    ['ç', undefined],
    ['\u001b', undefined],
  ] as const)('given %j, then it costs %s septet(s)', (char, septets) => {
    expect(septetsOf(char)).toBe(septets);
  });
});

describe('isGsm7', () => {
  it.each([
    ['', true],
    ['Hello {world} €5', true],
    ['Ça coûte 5€', false],
    ['Price: 5 £ ¥ ¤', true],
    ['smile 😀', false],
    ['Ω ohm sign \u2126', false],
  ] as const)('given %j, then %s', (text, expected) => {
    expect(isGsm7(text)).toBe(expected);
  });
});
