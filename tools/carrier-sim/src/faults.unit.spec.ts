import { describe, expect, it } from 'vitest';
import { FaultBook, parseFaultRule } from './faults.js';

describe('FaultBook', () => {
  it('fails exactly the next n matching sends', () => {
    const faults = new FaultBook();
    faults.arm({ mode: 'http_500', remaining: 2 });
    expect(faults.take('+15555550199')).toBe('http_500');
    expect(faults.take('+15555550198')).toBe('http_500');
    expect(faults.take('+15555550199')).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  it('applies a rule with a number filter only to that number', () => {
    const faults = new FaultBook();
    faults.arm({ mode: 'delivery_failed', remaining: 1, to: '+15555550199' });
    expect(faults.take('+15555550198')).toBeUndefined();
    expect(faults.take('+15555550199')).toBe('delivery_failed');
    expect(faults.take('+15555550199')).toBeUndefined();
  });

  it('uses rules in the order they were armed', () => {
    const faults = new FaultBook();
    faults.arm({ mode: 'http_429', remaining: 1 });
    faults.arm({ mode: 'timeout', remaining: 1 });
    expect(faults.take('+15555550199')).toBe('http_429');
    expect(faults.take('+15555550199')).toBe('timeout');
  });

  it('forgets every rule on clear', () => {
    const faults = new FaultBook();
    faults.arm({ mode: 'http_429', remaining: 5 });
    faults.clear();
    expect(faults.take('+15555550199')).toBeUndefined();
  });
});

describe('parseFaultRule', () => {
  it('defaults count to one', () => {
    expect(parseFaultRule({ mode: 'timeout' })).toEqual({
      ok: true,
      rule: { mode: 'timeout', remaining: 1 },
    });
  });

  it.each([
    [{ mode: 'explode' }],
    [{ mode: 'http_500', count: 0 }],
    [{ mode: 'http_500', to: 5 }],
    [[]],
  ])('refuses %j', (input) => {
    expect(parseFaultRule(input).ok).toBe(false);
  });
});
