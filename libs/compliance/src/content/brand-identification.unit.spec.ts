import { describe, expect, it } from 'vitest';
import { identifiesBrand } from './brand-identification.js';

describe('identifiesBrand', () => {
  it.each([
    ['Acme: your order shipped', 'Acme'],
    ['Hi from ACME!', 'Acme'],
    ["Acme's sale starts now", 'Acme'],
    ['Acme’s sale starts now', 'Acme'],
    ['Thanks for visiting Joe’s  Pizza', 'Joe’s Pizza'],
    ["Thanks for visiting Joe's Pizza", 'Joe’s Pizza'],
    ['Acme Inc. reminder', 'Acme Inc.'],
    ['See you at the @Home store', '@Home'],
  ])('%j names %j', (body, brand) => {
    expect(identifiesBrand(body, brand)).toBe(true);
  });

  it.each([
    ['Welcome to Acmeville', 'Acme'],
    ['your order shipped', 'Acme'],
    ['anything', ''],
    ['anything', '   '],
    ['Acme.* matches?', 'A.*'],
  ])('%j does not name %j', (body, brand) => {
    expect(identifiesBrand(body, brand)).toBe(false);
  });
});
