import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadata, numbered, streamId } from '../test/fixtures.js';
import {
  AggregateStore,
  ConcurrencyError,
  type Decider,
  EventStore,
  Inbox,
  unitOfWorkOf,
} from './index.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let database: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new EventStore(database.dataSource);
});

afterAll(async () => {
  await database.drop();
});

/** A counter that refuses to go past a limit: enough rules to see state carried between commands. */
type CounterEvent = { type: 'test.Incremented.v1'; data: { by: number } };
interface Increment {
  by: number;
  limit: number;
}
const counter: Decider<Increment, CounterEvent, number> = {
  initialState: 0,
  decide: (command, total) =>
    total + command.by > command.limit
      ? []
      : [{ type: 'test.Incremented.v1', data: { by: command.by } }],
  evolve: (total, event) => total + event.data.by,
  isEvent: (type): type is CounterEvent['type'] => type === 'test.Incremented.v1',
};

describe('EventStore.appendMany', () => {
  it('appends to several streams in one statement, each in version order', async () => {
    const [a, b] = [streamId('many'), streamId('many')];
    await store.append(b, 'test', 0, numbered(2));

    await store.appendMany([
      { streamId: a, streamType: 'test', expected: 0, events: numbered(3) },
      { streamId: b, streamType: 'test', expected: 2, events: numbered(1, 'test.Other.v1') },
    ]);

    const streams = await store.readStreams([a, b]);
    expect(streams.get(a)?.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(streams.get(b)?.map((e) => [e.version, e.type])).toEqual([
      [1, 'test.Numbered.v1'],
      [2, 'test.Numbered.v1'],
      [3, 'test.Other.v1'],
    ]);
    const positions = streams.get(a)?.map((e) => e.globalPosition) ?? [];
    expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
  });

  it('appends nothing at all when one stream is not at its expected version', async () => {
    const [fresh, moved] = [streamId('many'), streamId('many')];
    await store.append(moved, 'test', 0, numbered(2));

    const appending = store.appendMany([
      { streamId: fresh, streamType: 'test', expected: 0, events: numbered(1) },
      { streamId: moved, streamType: 'test', expected: 1, events: numbered(1) },
    ]);

    await expect(appending).rejects.toEqual(new ConcurrencyError(moved, 1, 2));
    expect(await store.readStream(fresh)).toEqual([]);
    expect(await store.readStream(moved)).toHaveLength(2);
  });

  it('lets exactly one of two racing writers to the same stream win', async () => {
    const id = streamId('race');
    const results = await Promise.allSettled(
      [0, 1].map(() =>
        store.transaction((manager) =>
          store.appendMany(
            [{ streamId: id, streamType: 'test', expected: 0, events: numbered(1) }],
            manager,
          ),
        ),
      ),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected');
    expect(lost?.status === 'rejected' && lost.reason).toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('refuses a stream given twice', async () => {
    const id = streamId('twice');
    await expect(
      store.appendMany([
        { streamId: id, streamType: 'test', expected: 0, events: numbered(1) },
        { streamId: id, streamType: 'test', expected: 1, events: numbered(1) },
      ]),
    ).rejects.toThrow(RangeError);
  });

  it('queues every appended event in the outbox', async () => {
    const [a, b] = [streamId('outbox'), streamId('outbox')];
    await store.appendMany([
      { streamId: a, streamType: 'test', expected: 0, events: numbered(2) },
      { streamId: b, streamType: 'test', expected: 0, events: numbered(1) },
    ]);

    const queued = await database.dataSource.query<Array<{ stream_id: string }>>(
      `SELECT e.stream_id FROM outbox o JOIN events e USING (global_position)
       WHERE e.stream_id = ANY($1::text[])`,
      [[a, b]],
    );
    expect(queued.map((row) => row.stream_id).sort()).toEqual([a, a, b].sort());
  });
});

describe('a unit of work (EventStore.transaction, Inbox)', () => {
  let counters: AggregateStore<Increment, CounterEvent, number>;
  beforeAll(() => {
    counters = new AggregateStore(store, counter, 'counter');
  });

  it('reads a stream once, carries its state between commands and appends at the end', async () => {
    const id = streamId('counter');
    await store.append(id, 'counter', 0, [
      { type: 'test.Incremented.v1', data: { by: 5 }, metadata: metadata() },
    ]);

    const decided = await store.transaction(async (manager) => {
      const first = await counters.handle(id, { by: 3, limit: 10 }, metadata(), manager);
      const second = await counters.handle(id, { by: 3, limit: 10 }, metadata(), manager);
      // Nothing is written until the unit flushes, just before the commit.
      expect(await store.readStream(id, manager)).toHaveLength(1);
      expect(await counters.load(id, manager)).toEqual({ state: 8, version: 2 });
      return [first, second];
    });

    expect(decided.map((d) => [d.events.length, d.state])).toEqual([
      [1, 8],
      [0, 8],
    ]);
    expect((await store.readStream(id)).map((e) => e.version)).toEqual([1, 2]);
  });

  it('loads several streams in one read and appends all of them together', async () => {
    const ids = [streamId('counter'), streamId('counter'), streamId('counter')];

    await store.transaction(async (manager) => {
      const loaded = await counters.loadAll(ids, manager);
      expect([...loaded.values()]).toEqual(ids.map(() => ({ state: 0, version: 0 })));
      for (const [index, id] of ids.entries()) {
        await counters.handle(id, { by: index + 1, limit: 10 }, metadata(), manager);
      }
    });

    const streams = await store.readStreams(ids);
    expect(ids.map((id) => streams.get(id)?.map((e) => e.data))).toEqual([
      [{ by: 1 }],
      [{ by: 2 }],
      [{ by: 3 }],
    ]);
  });

  it('rolls the whole transaction back when a stream moved on before the flush', async () => {
    const [moved, other] = [streamId('counter'), streamId('counter')];

    const work = store.transaction(async (manager) => {
      await counters.handle(other, { by: 1, limit: 10 }, metadata(), manager);
      await counters.handle(moved, { by: 1, limit: 10 }, metadata(), manager);
      // Another writer gets to the stream between this transaction's read and its commit.
      await store.append(moved, 'counter', 0, [
        { type: 'test.Incremented.v1', data: { by: 7 }, metadata: metadata() },
      ]);
    });

    await expect(work).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(other)).toEqual([]);
    expect((await store.readStream(moved)).map((e) => e.data)).toEqual([{ by: 7 }]);
  });

  it('runs the inbox handlers of a batch in one unit of work', async () => {
    const inbox = new Inbox(database.dataSource);
    const id = streamId('counter');
    const group = `group-${id}`;
    const seen: boolean[] = [];

    await inbox.handleAllOnce(
      group,
      [crypto.randomUUID(), crypto.randomUUID()].map((eventId) => ({
        eventId,
        fn: async (manager) => {
          seen.push(unitOfWorkOf(manager) !== undefined);
          await counters.handle(id, { by: 2, limit: 10 }, metadata(), manager);
        },
      })),
    );

    expect(seen).toEqual([true, true]);
    expect((await store.readStream(id)).map((e) => [e.version, e.data])).toEqual([
      [1, { by: 2 }],
      [2, { by: 2 }],
    ]);
  });

  it('prepares a batch with the events the inbox has not seen, before any is applied', async () => {
    const inbox = new Inbox(database.dataSource);
    const group = `group-${crypto.randomUUID()}`;
    const [seen, fresh] = [crypto.randomUUID(), crypto.randomUUID()];
    await inbox.handleAllOnce(group, [{ eventId: seen, fn: () => Promise.resolve() }]);
    const order: string[] = [];

    await inbox.handleAllOnce(
      group,
      [seen, fresh].map((eventId) => ({
        eventId,
        fn: () => {
          order.push(`apply ${eventId}`);
          return Promise.resolve();
        },
      })),
      (_manager, ids) => {
        order.push(`prepare ${[...ids].join(',')}`);
        return Promise.resolve();
      },
    );

    expect(order).toEqual([`prepare ${fresh}`, `apply ${fresh}`]);
  });

  it('keeps what was read once for the rest of the unit, and only that long', async () => {
    let reads = 0;
    const read = (): Promise<number> => Promise.resolve(++reads);

    const inUnit = await store.transaction(async (manager) => {
      const unit = unitOfWorkOf(manager);
      const values = [await unit?.memo('key', read), await unit?.memo('key', read)];
      unit?.remember('found', 'row');
      return [...values, await unit?.recall('found'), unit?.recall('missing')];
    });
    const nextUnit = await store.transaction(async (manager) =>
      unitOfWorkOf(manager)?.memo('key', read),
    );

    expect(inUnit).toEqual([1, 1, 'row', undefined]);
    const failedOnce = await store.transaction(async (manager) => {
      const unit = unitOfWorkOf(manager);
      const failing = (): Promise<number> => Promise.reject(new Error('not yet'));
      await expect(unit?.memo('flaky', failing)).rejects.toThrow('not yet');
      return unit?.memo('flaky', read);
    });
    expect(failedOnce).toBe(3);
    expect(nextUnit).toBe(2);
  });

  it('refuses a direct append to a stream whose events the unit has yet to flush', async () => {
    const id = streamId('counter');

    const work = store.transaction(async (manager) => {
      await counters.handle(id, { by: 1, limit: 10 }, metadata(), manager);
      await store.append(
        id,
        'counter',
        'any',
        [{ type: 'test.Incremented.v1', data: { by: 1 }, metadata: metadata() }],
        manager,
      );
    });

    await expect(work).rejects.toThrow(/waiting in this transaction's unit of work/);
    expect(await store.readStream(id)).toEqual([]);
  });

  it('without a transaction, handles commands one append at a time as before', async () => {
    const id = streamId('counter');
    await counters.handle(id, { by: 4, limit: 10 }, metadata());
    await counters.handle(id, { by: 4, limit: 10 }, metadata());

    expect((await store.readStream(id)).map((e) => e.version)).toEqual([1, 2]);
  });
});
