import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadata, newEvent, numbered, streamId } from '../test/fixtures.js';
import { ConcurrencyError, EventStore, upcasters, type StoredEvent } from './index.js';
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

async function settle(appends: Array<Promise<unknown>>): Promise<{ won: number; lost: unknown[] }> {
  const lost: unknown[] = [];
  let won = 0;
  for (const result of await Promise.allSettled(appends)) {
    if (result.status === 'fulfilled') won++;
    else lost.push(result.reason);
  }
  return { won, lost };
}

describe('EventStore', () => {
  it('reads back what it appended, with bigint positions and full metadata', async () => {
    const id = streamId('consent');
    const occurredAt = new Date('2026-01-02T03:04:05.678Z');
    const fullMetadata = metadata({
      tenantId: 'tenant-1',
      causationId: '0190a1b2-0000-7000-8000-000000000001',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    const explicitId = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';

    const result = await store.append(id, 'consent', 0, [
      {
        type: 'consent.ConsentGranted.v1',
        data: { phone: '+15551230000' },
        metadata: fullMetadata,
        occurredAt,
      },
      {
        type: 'consent.ConsentRevoked.v1',
        data: { reason: 'STOP' },
        eventId: explicitId,
        metadata: fullMetadata,
      },
    ]);
    const read = await store.readStream(id);

    expect(result.nextVersion).toBe(2);
    expect(read).toEqual(result.events);
    const [first, second] = read as [StoredEvent, StoredEvent];
    expect(typeof first.globalPosition).toBe('bigint');
    expect(second.globalPosition).toBeGreaterThan(first.globalPosition);
    expect(first).toMatchObject({
      streamId: id,
      streamType: 'consent',
      version: 1,
      type: 'consent.ConsentGranted.v1',
      data: { phone: '+15551230000' },
      metadata: fullMetadata,
      occurredAt,
    });
    expect(first.eventId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second).toMatchObject({ version: 2, eventId: explicitId, data: { reason: 'STOP' } });
    expect(second.recordedAt).toBeInstanceOf(Date);
    expect(second.occurredAt).toEqual(second.recordedAt);
  });

  it('continues a stream at the expected version and numbers events after it', async () => {
    const id = streamId();
    await store.append(id, 'test', 0, numbered(2));
    const result = await store.append(id, 'test', 2, numbered(3));

    expect(result.nextVersion).toBe(5);
    expect((await store.readStream(id)).map((event) => event.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects an expected-version mismatch with the actual version and writes nothing', async () => {
    const id = streamId();
    await store.append(id, 'test', 0, numbered(1));

    const stale = store.append(id, 'test', 0, numbered(1));
    await expect(stale).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(stale).rejects.toMatchObject({ streamId: id, expected: 0, actual: 1 });
    await expect(store.append(id, 'test', 5, numbered(1))).rejects.toMatchObject({ actual: 1 });
    await expect(store.append(streamId(), 'test', 1, numbered(1))).rejects.toMatchObject({
      actual: 0,
    });
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('lets exactly one of 20 concurrent appends with the same expected version win', async () => {
    const id = streamId();
    const { won, lost } = await settle(
      Array.from({ length: 20 }, () => store.append(id, 'test', 0, numbered(1))),
    );

    expect(won).toBe(1);
    expect(lost).toHaveLength(19);
    for (const error of lost) expect(error).toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('turns a lost race on the unique (stream, version) constraint into a ConcurrencyError', async () => {
    const id = streamId();
    const queryRunner = database.dataSource.createQueryRunner();
    await queryRunner.startTransaction();
    try {
      await store.append(id, 'test', 0, numbered(1), queryRunner.manager);
      // Passes the version check (the first append is uncommitted) and blocks on the index.
      const racing = store.append(id, 'test', 0, numbered(1));
      const pending = await Promise.race([
        racing.then(
          () => 'settled',
          () => 'settled',
        ),
        new Promise((resolve) => setTimeout(() => resolve('pending'), 300)),
      ]);
      expect(pending).toBe('pending');
      await queryRunner.commitTransaction();

      await expect(racing).rejects.toMatchObject({ streamId: id, expected: 0, actual: undefined });
    } finally {
      await queryRunner.release();
    }
    expect(await store.readStream(id)).toHaveLength(1);
  });

  it('appends concurrently to different streams without conflicts', async () => {
    const ids = Array.from({ length: 20 }, () => streamId());
    const { won } = await settle(ids.map((id) => store.append(id, 'test', 0, numbered(3))));

    expect(won).toBe(20);
    for (const id of ids) expect(await store.readStream(id)).toHaveLength(3);
  });

  it("with 'any', serialises concurrent appends to one stream instead of failing", async () => {
    const id = streamId();
    const { won } = await settle(
      Array.from({ length: 10 }, () => store.append(id, 'test', 'any', numbered(2))),
    );

    expect(won).toBe(10);
    const versions = (await store.readStream(id)).map((event) => event.version);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it("with 'any' inside a transaction, survives a lost race without aborting it", async () => {
    const id = streamId();
    const queryRunner = database.dataSource.createQueryRunner();
    await queryRunner.startTransaction();
    try {
      await store.append(id, 'test', 'any', numbered(1), queryRunner.manager);
      const other = store.transaction((manager) =>
        store.append(id, 'test', 'any', numbered(1), manager),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await queryRunner.commitTransaction();
      await other;
    } finally {
      await queryRunner.release();
    }
    expect((await store.readStream(id)).map((event) => event.version)).toEqual([1, 2]);
  });

  it('keeps a stream untouched when the surrounding transaction rolls back', async () => {
    const id = streamId();
    await expect(
      store.transaction(async (manager) => {
        await store.append(id, 'test', 0, numbered(2), manager);
        throw new Error('decided against it');
      }),
    ).rejects.toThrow('decided against it');

    expect(await store.readStream(id)).toEqual([]);
    expect((await store.append(id, 'test', 0, numbered(1))).nextVersion).toBe(1);
  });

  it('checks the expected version even when there is nothing to append', async () => {
    const id = streamId();
    await store.append(id, 'test', 0, numbered(2));

    expect(await store.append(id, 'test', 2, [])).toEqual({ nextVersion: 2, events: [] });
    await expect(store.append(id, 'test', 1, [])).rejects.toMatchObject({ actual: 2 });
  });

  it('upcasts old stored shapes on read and stamps new events with the current shape', async () => {
    const id = streamId();
    await store.append(id, 'test', 0, [newEvent('test.Renamed.v1', { name: 'Ada' })]);

    const registry = upcasters().registerUpcaster('test.Renamed.v1', 1, (data) => ({
      fullName: (data as { name: string }).name,
    }));
    const upcastingStore = new EventStore(database.dataSource, { upcasters: registry });
    await upcastingStore.append(id, 'test', 1, [
      newEvent('test.Renamed.v1', { fullName: 'Grace' }),
    ]);

    expect((await upcastingStore.readStream(id)).map((event) => event.data)).toEqual([
      { fullName: 'Ada' },
      { fullName: 'Grace' },
    ]);
  });
});
