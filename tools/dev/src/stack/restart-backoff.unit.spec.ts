import { describe, expect, it } from 'vitest';
import { defaultRestartBackoff, nextRestartDelay } from './restart-backoff.js';

const policy = defaultRestartBackoff;

describe('nextRestartDelay', () => {
  it('waits 1 s before the first restart', () => {
    expect(nextRestartDelay(policy, undefined, 5)).toBe(1_000);
  });

  it('doubles per quick crash up to 30 s', () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let crash = 0; crash < 8; crash += 1) {
      delay = nextRestartDelay(policy, delay, 200);
      delays.push(delay);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts again at 1 s after a run that lasted a minute', () => {
    expect(nextRestartDelay(policy, 30_000, 59_999)).toBe(30_000);
    expect(nextRestartDelay(policy, 30_000, 60_000)).toBe(1_000);
  });
});
