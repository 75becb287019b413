import { describe, expect, it } from 'vitest';
import { percentile, ratePerSecond, summariseLatencies } from './percentiles.js';

describe('percentile (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it.each([
    [50, 50],
    [99, 99],
    [100, 100],
    [1, 1],
    [0.5, 1],
  ])('p%s of 1..100 is %s', (p, expected) => {
    expect(percentile(oneToHundred, p)).toBe(expected);
  });

  it('picks a measured value, never an interpolation', () => {
    expect(percentile([10, 20], 50)).toBe(10);
    expect(percentile([10, 20, 30, 40], 99)).toBe(40);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is undefined for no values and refuses a p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('summariseLatencies', () => {
  it('sorts before ranking and leaves the input alone', () => {
    const input = [5, 1, 4, 2, 3];
    expect(summariseLatencies(input)).toEqual({ count: 5, p50Ms: 3, p99Ms: 5, maxMs: 5 });
    expect(input).toEqual([5, 1, 4, 2, 3]);
  });

  it('sorts numerically, not as strings', () => {
    expect(summariseLatencies([100, 9, 20]).p50Ms).toBe(20);
  });
});

describe('ratePerSecond', () => {
  it('divides by the span in seconds', () => {
    expect(ratePerSecond(10_000, 4_000)).toBe(2_500);
  });

  it('is undefined for an empty span', () => {
    expect(ratePerSecond(5, 0)).toBeUndefined();
  });
});
