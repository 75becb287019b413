import { describe, expect, it } from 'vitest';
import {
  busiestWindow,
  capRatio,
  etaError,
  fastestSpanMs,
  pacingVerdict,
  receiveTimes,
} from './pacing-figures.js';

const MINUTE = 60_000;

describe('busiestWindow', () => {
  it('is nothing without receive times', () => {
    expect(busiestWindow([], MINUTE)).toEqual({ count: 0, startMs: undefined });
  });

  it('counts a send during [t, t + window): one exactly a window later falls in the next', () => {
    expect(busiestWindow([0, 1_000, MINUTE], MINUTE)).toEqual({ count: 2, startMs: 0 });
    expect(busiestWindow([0, 1_000, MINUTE - 1], MINUTE)).toEqual({ count: 3, startMs: 0 });
  });

  it('slides: the busiest window need not start at the first send, and the order does not matter', () => {
    const times = [100_002, 0, 50_001, 100_000, 50_000, 100_001];
    expect(busiestWindow(times, MINUTE)).toEqual({ count: 5, startMs: 50_000 });
  });

  it('ignores times that are not numbers and refuses a window that is not positive', () => {
    expect(busiestWindow([Number.NaN, 5, 6], 10)).toEqual({ count: 2, startMs: 5 });
    expect(() => busiestWindow([1], 0)).toThrow(RangeError);
  });
});

describe('receiveTimes', () => {
  it('keeps the sends of one sender from the run on', () => {
    const log = [
      { from: '+15550000001', to: '+15558000000', received_at: '2026-12-03T15:00:00.000Z' },
      { from: '+15550000001', to: '+15558000001', received_at: '2026-12-03T15:00:01.000Z' },
      { from: '+15550000002', to: '+15558000002', received_at: '2026-12-03T15:00:02.000Z' },
      { from: '+15550000001', to: '+15558000003', received_at: 'not a time' },
    ];
    expect(receiveTimes(log, '+15550000001', Date.parse('2026-12-03T15:00:00.500Z'))).toEqual([
      Date.parse('2026-12-03T15:00:01.000Z'),
    ]);
  });
});

describe('the pacing figures', () => {
  it('puts the busiest window over the cap', () => {
    expect(capRatio(57, 60)).toBe(0.95);
    expect(capRatio(57, 0)).toBeUndefined();
  });

  it('gives the fastest span a cap allows: each full window waits one more', () => {
    expect(fastestSpanMs(150, 60, MINUTE)).toBe(2 * MINUTE);
    expect(fastestSpanMs(120, 60, MINUTE)).toBe(MINUTE);
    expect(fastestSpanMs(60, 60, MINUTE)).toBe(0);
    expect(fastestSpanMs(0, 60, MINUTE)).toBe(0);
  });

  it('holds at or under the cap with nothing refused, and is close from 0.9 of it', () => {
    expect(pacingVerdict(1, 0)).toEqual({ held: true, close: true });
    expect(pacingVerdict(0.9, 0)).toEqual({ held: true, close: true });
    expect(pacingVerdict(0.89, 0)).toEqual({ held: true, close: false });
    expect(pacingVerdict(1, 1)).toEqual({ held: false, close: true });
    expect(pacingVerdict(61 / 60, 0)).toEqual({ held: false, close: true });
    expect(pacingVerdict(undefined, 0)).toEqual({ held: false, close: false });
    expect(pacingVerdict(1, undefined)).toEqual({ held: false, close: true });
  });
});

describe('etaError', () => {
  it('is the ETA minus the finish over the run from the POST, negative when early', () => {
    expect(etaError(132_000, 0, 120_000)).toBeCloseTo(0.1);
    expect(etaError(108_000, 0, 120_000)).toBeCloseTo(-0.1);
    expect(etaError(1_000, 1_000, 129_000)).toBe(-1);
  });

  it('is unknown without an ETA, a finish, or a run of positive length', () => {
    expect(etaError(undefined, 0, 1)).toBeUndefined();
    expect(etaError(1, 0, undefined)).toBeUndefined();
    expect(etaError(1, 5, 5)).toBeUndefined();
  });
});
