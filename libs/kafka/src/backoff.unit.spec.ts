import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.js';

describe('retryDelayMs', () => {
  const backoff = { initial: 100, max: 1_000 };

  it('doubles per attempt within the upper half of its ceiling', () => {
    expect(retryDelayMs(1, backoff, () => 0)).toBe(50);
    expect(retryDelayMs(1, backoff, () => 1)).toBe(100);
    expect(retryDelayMs(3, backoff, () => 0)).toBe(200);
    expect(retryDelayMs(3, backoff, () => 1)).toBe(400);
  });

  it('never exceeds the maximum', () => {
    expect(retryDelayMs(20, backoff, () => 1)).toBe(1_000);
    expect(retryDelayMs(20, backoff, () => 0)).toBe(500);
  });
});
