import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

type Queue = GroupCommit<{ n: number }, number>;

function submit(queue: Queue, n: number): Promise<number> {
  return queue.submit({ n });
}

describe('GroupCommit', () => {
  it('commits the first item alone and what arrived meanwhile as groups of at most maxGroup', async () => {
    const groups: number[][] = [];
    const queue = new GroupCommit<{ n: number }, number>(async (group) => {
      groups.push(group.map((item) => item.n));
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const item of group) item.resolve(item.n * 10);
    }, 3);

    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => submit(queue, n)));

    expect(results).toEqual([10, 20, 30, 40, 50, 60]);
    expect(groups).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('fails the items of a group whose commit throws, and goes on with the next group', async () => {
    let calls = 0;
    const queue = new GroupCommit<{ n: number }, number>((group) => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('lost'));
      for (const item of group) item.resolve(item.n);
      return Promise.resolve();
    }, 10);

    const first = submit(queue, 1);
    const second = submit(queue, 2);

    await expect(first).rejects.toThrow('lost');
    await expect(second).resolves.toBe(2);
  });

  it('refuses a group size that is not a positive integer', () => {
    expect(() => new GroupCommit<{ n: number }, number>(() => Promise.resolve(), 0)).toThrow(
      RangeError,
    );
  });
});
