import type { DataSource, EntityManager } from 'typeorm';
import type { EventStore, StreamAppend } from './event-store.js';
import type { NewEvent } from './events.js';

/** A stream as a unit of work holds it: its state as decided so far and what is to be appended. */
export interface TrackedStream {
  readonly store: EventStore;
  /** The AggregateStore whose decider `state` belongs to; none for EventStore.appendOnCommit. */
  readonly owner?: object;
  readonly streamType: string;
  /** The version read from the database: the appends expect the stream still to be there. */
  readonly baseVersion: number;
  /** The aggregate's state after the events decided so far (the owner's decider's type). */
  state: unknown;
  readonly pending: NewEvent[];
}

/**
 * The streams one transaction reads and writes through AggregateStore, kept until it commits:
 * a stream is read once however many commands it takes (later ones see the state the earlier
 * ones left), and every stream's new events are appended in one statement just before the
 * commit instead of one statement each. A batch of events that touches N streams costs one
 * read per stream (or one for all, with AggregateStore.loadAll) and one append for the lot.
 *
 * Appends are checked when flushed: a stream that another writer moved on fails the flush with
 * a ConcurrencyError, and the transaction rolls back as a failed single append would make it.
 */
export class UnitOfWork {
  private readonly streams = new Map<string, TrackedStream>();
  private readonly memos = new Map<string, Promise<unknown>>();
  private readonly writes = new Map<string, DeferredWrite>();

  /**
   * A value read once for the whole unit (a tenant's profile for every event of a batch), or
   * put there by a batch read made up front (`remember`). Only for reads that the unit's own
   * writes do not change.
   */
  memo<T>(key: string, read: () => Promise<T>): Promise<T> {
    const known = this.memos.get(key);
    if (known) return known as Promise<T>;
    const reading = read();
    this.memos.set(key, reading);
    // A failed read is not kept: a later call in the unit reads again.
    reading.catch(() => {
      if (this.memos.get(key) === reading) this.memos.delete(key);
    });
    return reading;
  }

  /** What `memo` or `remember` stored under the key, if anything. */
  recall<T>(key: string): Promise<T> | undefined {
    return this.memos.get(key) as Promise<T> | undefined;
  }

  /** Stores what a batch read found, for `memo` and `recall` to return. */
  remember(key: string, value: unknown): void {
    this.memos.set(key, Promise.resolve(value));
  }

  get(streamId: string): TrackedStream | undefined {
    return this.streams.get(streamId);
  }

  track(streamId: string, stream: TrackedStream): TrackedStream {
    const known = this.streams.get(streamId);
    if (known) return known;
    this.streams.set(streamId, stream);
    return stream;
  }

  /**
   * Adds `item` to a write made once for the whole unit, at the flush (before the appends):
   * a projection row per event becomes one statement per batch. `write` gets the items in the
   * order they were added; the first `write` given for a key is the one used.
   */
  deferWrite<T>(
    key: string,
    item: T,
    write: (manager: EntityManager, items: readonly T[]) => Promise<void>,
  ): void {
    const known = this.writes.get(key);
    if (known) known.items.push(item);
    else this.writes.set(key, { items: [item], write: write as DeferredWrite['write'] });
  }

  /** Makes the deferred writes, then appends every stream's pending events, in one statement per event store. */
  async flush(manager: EntityManager): Promise<void> {
    const writes = [...this.writes.values()];
    this.writes.clear();
    for (const { items, write } of writes) await write(manager, items);
    const byStore = new Map<EventStore, StreamAppend[]>();
    for (const [streamId, stream] of this.streams) {
      if (stream.pending.length === 0) continue;
      const appends = byStore.get(stream.store) ?? [];
      appends.push({
        streamId,
        streamType: stream.streamType,
        expected: stream.baseVersion,
        events: stream.pending,
      });
      byStore.set(stream.store, appends);
    }
    this.streams.clear();
    this.memos.clear();
    for (const [store, appends] of byStore) await store.appendMany(appends, manager);
  }
}

interface DeferredWrite {
  readonly items: unknown[];
  readonly write: (manager: EntityManager, items: readonly unknown[]) => Promise<void>;
}

const units = new WeakMap<EntityManager, UnitOfWork>();

/** The unit of work of the transaction behind `manager`, if it runs one. */
export function unitOfWorkOf(manager: EntityManager): UnitOfWork | undefined {
  return units.get(manager);
}

/**
 * Runs `work` in a unit of work on the transaction behind `manager` (which must be inside one)
 * and flushes it when `work` succeeds, before the caller commits. Nested calls join the
 * outermost unit, which flushes once.
 */
export async function withUnitOfWork<T>(
  manager: EntityManager,
  work: () => Promise<T>,
): Promise<T> {
  if (units.has(manager)) return work();
  const unit = new UnitOfWork();
  units.set(manager, unit);
  try {
    const result = await work();
    await unit.flush(manager);
    return result;
  } finally {
    units.delete(manager);
  }
}

/** A transaction run as one unit of work, flushed just before its commit. */
export function transactionAsUnit<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction((manager) => withUnitOfWork(manager, () => work(manager)));
}
