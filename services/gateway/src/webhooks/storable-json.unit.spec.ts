import { describe, expect, it } from 'vitest';
import { isStorableText, storableJson, storableText } from './storable-json.js';

describe('storable text', () => {
  it.each([
    ['U+0000', 'hello\u0000', 'hello\uFFFD'],
    ['several NULs', '\u0000a\u0000\u0000', '\uFFFDa\uFFFD\uFFFD'],
    ['a lone high surrogate', 'STOP\ud800', 'STOP\uFFFD'],
    ['a lone low surrogate', '\udc00STOP', '\uFFFDSTOP'],
    ['two high surrogates', '\ud800\ud800', '\uFFFD\uFFFD'],
    ['a reversed pair', '\ude00\ud83d', '\uFFFD\uFFFD'],
  ])('replaces %s by U+FFFD', (_, text, expected) => {
    expect(isStorableText(text)).toBe(false);
    expect(storableText(text)).toBe(expected);
    expect(isStorableText(storableText(text))).toBe(true);
  });

  it.each([
    ['plain text', 'STOP'],
    ['emoji (surrogate pairs)', 'stop 🛑😡 👍🏽'],
    ['other control characters', 'a\u0001\u0007\u001b\u007fb'],
    ['U+FFFD itself', '\uFFFD'],
    ['the empty string', ''],
  ])('leaves %s alone', (_, text) => {
    expect(isStorableText(text)).toBe(true);
    expect(storableText(text)).toBe(text);
  });
});

describe('storable JSON', () => {
  it('replaces in every string and key, at any depth, and says so', () => {
    const input: unknown = JSON.parse(
      '{"text":"STOP\\u0000","list":["ok","\\ud800",{"k\\u0000":1}],"n":1,"b":true,"z":null}',
    );
    expect(storableJson(input)).toEqual({
      value: {
        text: 'STOP\uFFFD',
        list: ['ok', '\uFFFD', { 'k\uFFFD': 1 }],
        n: 1,
        b: true,
        z: null,
      },
      replaced: true,
    });
  });

  it('says nothing was replaced when nothing needed it, and keeps the value equal', () => {
    const input: unknown = JSON.parse('{"text":"STOP 🛑","list":[1,"two"]}');
    expect(storableJson(input)).toEqual({ value: input, replaced: false });
  });

  it('keeps a "__proto__" key as a key', () => {
    const { value } = storableJson(JSON.parse('{"__proto__":{"polluted":"\\u0000"}}'));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
