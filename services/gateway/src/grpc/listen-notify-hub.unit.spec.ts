import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ListenNotifyHub } from './listen-notify-hub.js';

/**
 * The hub's fan-out without a database (dispatch is what a NOTIFY delivers): every notice told,
 * or, coalesced, at most one read and push per key per interval, the last notice never lost.
 */

interface Notice {
  tenantId: string;
  id: string;
  n: number;
}

const logger = { warn: () => undefined };

function hubOf(coalesce?: number) {
  const reads: Notice[] = [];
  let release: Array<() => void> = [];
  let slow = false;
  const hub = new ListenNotifyHub<Notice, string>(
    'postgres://unused',
    {
      channel: 'test_changes',
      what: 'test',
      changeOf: (notice) => {
        reads.push(notice);
        const value = `${notice.id}#${notice.n}`;
        if (!slow) return Promise.resolve(value);
        return new Promise((resolve) => release.push(() => resolve(value)));
      },
      ...(coalesce !== undefined
        ? { coalesce: { keyOf: (notice: Notice) => notice.id, intervalMs: coalesce } }
        : {}),
    },
    logger,
  );
  return {
    hub,
    reads,
    slowReads: () => (slow = true),
    releaseReads: () => {
      const pending = release;
      release = [];
      for (const resolve of pending) resolve();
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ListenNotifyHub', () => {
  it('tells every notice of a watched tenant when not coalescing, and reads none for others', async () => {
    const { hub, reads } = hubOf();
    const told: string[] = [];
    hub.watch('t1', (change) => told.push(change));
    for (let n = 0; n < 3; n++) hub.dispatch({ tenantId: 't1', id: 'a', n });
    hub.dispatch({ tenantId: 't2', id: 'b', n: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual(['a#0', 'a#1', 'a#2']);
    expect(reads.map((r) => r.tenantId)).toEqual(['t1', 't1', 't1']);
  });

  it('coalesced: the first notice of a key at once, a burst folded into its last, one per interval', async () => {
    const { hub, reads } = hubOf(250);
    const told: string[] = [];
    hub.watch('t1', (change) => told.push(change));
    hub.dispatch({ tenantId: 't1', id: 'a', n: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual(['a#0']);
    // 1,000 notices (a busy bulk send) within the interval, and one of another key.
    for (let n = 1; n <= 1000; n++) hub.dispatch({ tenantId: 't1', id: 'a', n });
    hub.dispatch({ tenantId: 't1', id: 'b', n: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual(['a#0', 'b#0']);
    await vi.advanceTimersByTimeAsync(249);
    expect(told).toEqual(['a#0', 'b#0']);
    await vi.advanceTimersByTimeAsync(1);
    expect(told).toEqual(['a#0', 'b#0', 'a#1000']);
    // Quiet for an interval: the key is free again, the next notice told at once.
    await vi.advanceTimersByTimeAsync(250);
    hub.dispatch({ tenantId: 't1', id: 'a', n: 1001 });
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual(['a#0', 'b#0', 'a#1000', 'a#1001']);
    expect(reads).toHaveLength(4);
  });

  it('coalesced: reads one change at a time per key (a slow read holds the next back)', async () => {
    const { hub, reads, slowReads, releaseReads } = hubOf(100);
    const told: string[] = [];
    hub.watch('t1', (change) => told.push(change));
    slowReads();
    hub.dispatch({ tenantId: 't1', id: 'a', n: 0 });
    await vi.advanceTimersByTimeAsync(500);
    hub.dispatch({ tenantId: 't1', id: 'a', n: 1 });
    hub.dispatch({ tenantId: 't1', id: 'a', n: 2 });
    await vi.advanceTimersByTimeAsync(500);
    expect(reads.map((r) => r.n)).toEqual([0]);
    releaseReads();
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual(['a#0']);
    await vi.advanceTimersByTimeAsync(100);
    expect(reads.map((r) => r.n)).toEqual([0, 2]);
    releaseReads();
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual(['a#0', 'a#2']);
  });

  it('coalesced: reads nothing for a tenant nobody watches, and a throwing watcher frees its key', async () => {
    const { hub, reads } = hubOf(100);
    hub.dispatch({ tenantId: 't1', id: 'a', n: 0 });
    await vi.advanceTimersByTimeAsync(200);
    expect(reads).toEqual([]);
    const told: string[] = [];
    hub.watch('t1', (change) => {
      told.push(change);
      throw new Error('a broken watcher');
    });
    hub.dispatch({ tenantId: 't1', id: 'a', n: 1 });
    await vi.advanceTimersByTimeAsync(100);
    hub.dispatch({ tenantId: 't1', id: 'a', n: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(told).toEqual(['a#1', 'a#2']);
  });
});
