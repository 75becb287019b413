import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QueryFailedError } from 'typeorm';
import { metadata, newEvent, streamId } from '../test/fixtures.js';
import { EventStore, GroupAppender } from './index.js';
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

describe('GroupAppender (real Postgres)', () => {
  it('commits a lone append at once, through a plain append', async () => {
    const appender = new GroupAppender(store);
    const appendMany = vi.spyOn(store, 'appendMany');
    const id = streamId('group');

    await appender.append(id, 'test', [newEvent('test.One.v1')]);

    expect(await store.readStream(id)).toHaveLength(1);
    expect(appendMany).not.toHaveBeenCalled();
    appendMany.mockRestore();
  });

  it('commits appends that arrive together in far fewer statements, each stream in arrival order', async () => {
    const appender = new GroupAppender(store);
    const appendMany = vi.spyOn(store, 'appendMany');
    const streams = Array.from({ length: 10 }, () => streamId('group'));

    await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        appender.append(streams[index % 10] ?? '', 'test', [newEvent('test.N.v1', { n: index })]),
      ),
    );

    const read = await store.readStreams(streams);
    for (const [index, id] of streams.entries()) {
      expect(read.get(id)?.map((e) => (e.data as { n: number }).n)).toEqual(
        [0, 1, 2, 3, 4, 5].map((round) => round * 10 + index),
      );
      expect(read.get(id)?.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6]);
    }
    // The first append goes alone; the 59 that queued behind it go in one statement.
    expect(appendMany).toHaveBeenCalledTimes(1);
    appendMany.mockRestore();
  });

  it('gives each caller its own outcome when one append of a group fails', async () => {
    const appender = new GroupAppender(store);
    const [first, fresh, again] = [streamId('group'), streamId('group'), streamId('group')];
    const eventId = randomUUID();
    const withId = { type: 'test.Webhook.v1', data: {}, eventId, metadata: metadata() };
    await store.append(first, 'test', 0, [withId]);

    const outcomes = await Promise.allSettled([
      appender.append(fresh, 'test', [newEvent('test.Fresh.v1')]),
      appender.append(again, 'test', [withId]),
      appender.append(fresh, 'test', [newEvent('test.Fresh.v1')]),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const rejected = outcomes[1];
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(QueryFailedError);
    expect(await store.readStream(fresh)).toHaveLength(2);
    expect(await store.readStream(again)).toEqual([]);
  });

  it('fails a whole group at once when the database fails, without retrying each append', async () => {
    const appender = new GroupAppender(store);
    const lost = new Error('connection terminated');
    const appendMany = vi.spyOn(store, 'appendMany').mockRejectedValueOnce(lost);
    const append = vi.spyOn(store, 'append');
    const [alone, grouped] = [streamId('group'), streamId('group')];

    const outcomes = await Promise.allSettled([
      appender.append(alone, 'test', [newEvent('test.One.v1')]),
      appender.append(grouped, 'test', [newEvent('test.Two.v1')]),
      appender.append(grouped, 'test', [newEvent('test.Three.v1')]),
    ]);

    expect(outcomes.map((o): unknown => (o.status === 'rejected' ? o.reason : o.status))).toEqual([
      'fulfilled',
      lost,
      lost,
    ]);
    expect(append).toHaveBeenCalledTimes(1);
    expect(await store.readStream(grouped)).toEqual([]);
    appendMany.mockRestore();
    append.mockRestore();
  });

  it('refuses a group size that is not a positive integer', () => {
    expect(() => new GroupAppender(store, { maxGroup: 0 })).toThrow(RangeError);
  });
});
