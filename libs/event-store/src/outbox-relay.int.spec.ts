import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { numbered, streamId, waitFor } from '../test/fixtures.js';
import { EventStore, OutboxRelay, type StoredEvent } from './index.js';
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

const relays: OutboxRelay[] = [];

/** Stopped after each test even when it fails, so a leftover leader cannot hold the lock. */
function trackedRelay(...args: ConstructorParameters<typeof OutboxRelay>): OutboxRelay {
  const created = new OutboxRelay(...args);
  relays.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(relays.splice(0).map((each) => each.stop()));
});

/** Every test starts from an empty outbox, so relays only see the test's own events. */
async function drainLeftovers(): Promise<void> {
  const relay = trackedRelay(database.dataSource, () => Promise.resolve());
  while ((await relay.drainOnce()) > 0);
  await relay.stop();
}

async function outboxSize(): Promise<number> {
  const rows = await database.dataSource.query<Array<{ size: number }>>(
    'SELECT count(*)::integer AS size FROM outbox',
  );
  return rows[0]?.size ?? -1;
}

/** Versions per stream in delivery order. */
function versionsByStream(delivered: StoredEvent[]): Map<string, number[]> {
  const byStream = new Map<string, number[]>();
  for (const event of delivered) {
    byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event.version]);
  }
  return byStream;
}

function oneTo(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index + 1);
}

describe('OutboxRelay', () => {
  it('publishes every committed event once, in global and per-stream order', async () => {
    await drainLeftovers();
    const ids = Array.from({ length: 5 }, () => streamId());
    // Interleaved concurrent appends: several transactions per stream, racing across streams.
    for (let round = 0; round < 4; round++) {
      await Promise.all(ids.map((id) => store.append(id, 'test', round * 5, numbered(5))));
    }
    const delivered: StoredEvent[] = [];
    const relay = trackedRelay(
      database.dataSource,
      (events) => {
        delivered.push(...events);
        return Promise.resolve();
      },
      { batchSize: 7, idleDelayMs: 50 },
    );

    relay.start();
    await waitFor(() => delivered.length >= 100);
    await relay.stop();

    expect(delivered).toHaveLength(100);
    const positions = delivered.map((event) => event.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const id of ids) expect(versionsByStream(delivered).get(id)).toEqual(oneTo(20));
    expect(await outboxSize()).toBe(0);
  });

  it('vacuums the outbox itself once enough rows were deleted, autovacuum or not', async () => {
    await drainLeftovers();
    const vacuumCount = async (): Promise<number> => {
      const rows = await database.dataSource.query<Array<{ count: number }>>(
        `SELECT vacuum_count::integer AS count FROM pg_stat_user_tables WHERE relname = 'outbox'`,
      );
      return rows[0]?.count ?? -1;
    };
    const before = await vacuumCount();
    for (let stream = 0; stream < 11; stream++)
      await store.append(streamId(), 'test', 0, numbered(500));
    const relay = trackedRelay(database.dataSource, () => Promise.resolve(), { batchSize: 500 });
    while ((await relay.drainOnce()) > 0);
    await relay.stop();

    expect(await outboxSize()).toBe(0);
    // Statistics reach pg_stat_user_tables shortly after the VACUUM finishes.
    const deadline = Date.now() + 10_000;
    while ((await vacuumCount()) <= before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await vacuumCount()).toBeGreaterThan(before);
  });

  it('is woken by the append notification long before its polling delay', async () => {
    await drainLeftovers();
    const delivered: StoredEvent[] = [];
    const relay = trackedRelay(
      database.dataSource,
      (events) => {
        delivered.push(...events);
        return Promise.resolve();
      },
      { idleDelayMs: 60_000 },
    );
    relay.start();
    // Let the relay take the lock, LISTEN and go idle on an empty outbox.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const id = streamId();
    await store.append(id, 'test', 0, numbered(3));
    await waitFor(() => delivered.length >= 3, 5_000);
    await relay.stop();

    expect(delivered.map((event) => event.streamId)).toEqual([id, id, id]);
  });

  it('loses nothing when a relay dies between publishing and deleting', async () => {
    await drainLeftovers();
    const ids = Array.from({ length: 3 }, () => streamId());
    for (const id of ids) await store.append(id, 'test', 0, numbered(10));
    const delivered: StoredEvent[] = [];
    const batches: StoredEvent[][] = [];
    let calls = 0;
    // Batch 1 acknowledged; batch 2 half sent then the broker fails; batch 3 fully sent but the
    // process "dies" before the delete.
    const crashing = trackedRelay(
      database.dataSource,
      (events) => {
        calls++;
        const sent = calls === 2 ? events.slice(0, 5) : events;
        delivered.push(...sent);
        batches.push(sent);
        return calls === 1 ? Promise.resolve() : Promise.reject(new Error(`crash ${calls}`));
      },
      { batchSize: 10 },
    );
    expect(await crashing.drainOnce()).toBe(10);
    await expect(crashing.drainOnce()).rejects.toThrow('crash 2');
    await expect(crashing.drainOnce()).rejects.toThrow('crash 3');
    await crashing.stop();

    const restartedSource = await database.openDataSource();
    const restarted = trackedRelay(
      restartedSource,
      (events) => {
        delivered.push(...events);
        batches.push(events);
        return Promise.resolve();
      },
      { batchSize: 10 },
    );
    while ((await restarted.drainOnce()) > 0);
    await restarted.stop();

    // At least once: the unacknowledged batches came again (15 duplicates), nothing is missing.
    expect(delivered).toHaveLength(45);
    const firstDeliveries = new Map<string, StoredEvent>();
    for (const event of delivered) {
      if (!firstDeliveries.has(event.eventId)) firstDeliveries.set(event.eventId, event);
    }
    const byStream = versionsByStream([...firstDeliveries.values()]);
    for (const id of ids) expect(byStream.get(id)).toEqual(oneTo(10));
    // In stream order within every publish call.
    for (const batch of batches) {
      for (const versions of versionsByStream(batch).values()) {
        expect(versions).toEqual([...versions].sort((a, b) => a - b));
      }
    }
    expect(await outboxSize()).toBe(0);
  });

  it('never publishes uncommitted events, even when a later transaction commits first', async () => {
    await drainLeftovers();
    const delivered: StoredEvent[] = [];
    const relay = trackedRelay(database.dataSource, (events) => {
      delivered.push(...events);
      return Promise.resolve();
    });
    const early = streamId('early');
    const late = streamId('late');
    const rolledBack = streamId('rolled-back');

    const earlyTransaction = database.dataSource.createQueryRunner();
    const doomedTransaction = database.dataSource.createQueryRunner();
    try {
      await earlyTransaction.startTransaction();
      await doomedTransaction.startTransaction();
      // Lower global positions, still uncommitted while the relay runs.
      await store.append(early, 'test', 0, numbered(2), earlyTransaction.manager);
      await store.append(rolledBack, 'test', 0, numbered(2), doomedTransaction.manager);
      await store.append(late, 'test', 0, numbered(2));

      expect(await relay.drainOnce()).toBe(2);
      expect(delivered.map((event) => event.streamId)).toEqual([late, late]);

      await doomedTransaction.rollbackTransaction();
      await earlyTransaction.commitTransaction();
    } finally {
      await earlyTransaction.release();
      await doomedTransaction.release();
    }
    expect(await relay.drainOnce()).toBe(2);
    expect(await relay.drainOnce()).toBe(0);
    await relay.stop();

    expect(delivered.map((event) => event.streamId)).toEqual([late, late, early, early]);
  });

  it('lets only the lock holder publish, and a standby take over when it stops', async () => {
    await drainLeftovers();
    const byLeader: StoredEvent[] = [];
    const byStandby: StoredEvent[] = [];
    const standbySource = await database.openDataSource();
    const leader = trackedRelay(
      database.dataSource,
      (events) => {
        byLeader.push(...events);
        return Promise.resolve();
      },
      { idleDelayMs: 50 },
    );
    const standby = trackedRelay(
      standbySource,
      (events) => {
        byStandby.push(...events);
        return Promise.resolve();
      },
      { idleDelayMs: 50 },
    );
    await leader.drainOnce(); // takes the lock before the standby exists
    leader.start();
    standby.start();

    const first = streamId();
    for (let version = 0; version < 10; version++) {
      await store.append(first, 'test', version, numbered(1));
    }
    await waitFor(() => byLeader.length >= 10);
    // Several standby polling periods pass without the standby publishing anything.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(byStandby).toEqual([]);

    await leader.stop();
    const second = streamId();
    await store.append(second, 'test', 0, numbered(5));
    await waitFor(() => byStandby.length >= 5);
    await standby.stop();

    expect(byLeader.map((event) => event.streamId)).toEqual(Array(10).fill(first));
    expect(versionsByStream(byStandby).get(second)).toEqual(oneTo(5));
    expect(byStandby).toHaveLength(5);
  });
});
