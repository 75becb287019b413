import { describe, expect, it } from 'vitest';
import { LookupLimiter } from './lookup-limiter.js';

/** A piece of work that ends when the test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('LookupLimiter', () => {
  it('runs at most `limit` at once, the rest in turn as each ends', async () => {
    const limiter = new LookupLimiter(2);
    const works = [deferred<number>(), deferred<number>(), deferred<number>(), deferred<number>()];
    const started: number[] = [];
    const runs = works.map((work, i) =>
      limiter.run(() => {
        started.push(i);
        return work.promise;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect([limiter.active, limiter.waiting]).toEqual([2, 2]);
    works[1]?.resolve(1);
    await tick();
    expect(started).toEqual([0, 1, 2]);
    expect([limiter.active, limiter.waiting]).toEqual([2, 1]);
    // A failure frees its turn as well.
    works[0]?.reject(new Error('carrier down'));
    await expect(runs[0]).rejects.toThrow('carrier down');
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    works[2]?.resolve(2);
    works[3]?.resolve(3);
    expect(await Promise.all(runs.slice(1))).toEqual([1, 2, 3]);
    expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
  });

  it('one key asked for while it runs shares the run; asked after, runs again', async () => {
    const limiter = new LookupLimiter(1);
    let calls = 0;
    const work = deferred<string>();
    const first = limiter.once('+12145550140', () => {
      calls++;
      return work.promise;
    });
    const second = limiter.once('+12145550140', () => {
      calls++;
      return Promise.resolve('second');
    });
    await tick();
    work.resolve('first');
    expect([await first, await second, calls]).toEqual(['first', 'first', 1]);
    expect(await limiter.once('+12145550140', () => Promise.resolve('again'))).toBe('again');
  });

  it('refuses a limit below 1', () => {
    expect(() => new LookupLimiter(0)).toThrow(RangeError);
    expect(() => new LookupLimiter(1.5)).toThrow(RangeError);
  });
});
