import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newEvent, streamId } from '../test/fixtures.js';
import { EventStore, GroupedTransactions } from './index.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let database: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new EventStore(database.dataSource);
  await database.dataSource.query('CREATE TABLE accepted (id text PRIMARY KEY)');
});

afterAll(async () => {
  await database.drop();
});

/** A unit like accepting a request: a read-model row and an event appended at the commit. */
function accept(transactions: GroupedTransactions, id: string): Promise<string> {
  return transactions.run(async (manager) => {
    await manager.query('INSERT INTO accepted (id) VALUES ($1)', [id]);
    store.appendOnCommit(id, 'request', 0, [newEvent('test.Accepted.v1')], manager);
    return `accepted ${id}`;
  });
}

async function rowsOf(ids: readonly string[]): Promise<string[]> {
  const rows = await database.dataSource.query<Array<{ id: string }>>(
    'SELECT id FROM accepted WHERE id = ANY($1::text[]) ORDER BY id',
    [ids],
  );
  return rows.map((row) => row.id);
}

describe('GroupedTransactions (real Postgres)', () => {
  it('commits units that arrive together in one transaction, their appends in one statement', async () => {
    const transactions = new GroupedTransactions(database.dataSource);
    const appendMany = vi.spyOn(store, 'appendMany');
    const ids = Array.from({ length: 20 }, () => streamId('request'));

    const answers = await Promise.all(ids.map((id) => accept(transactions, id)));

    expect(answers).toEqual(ids.map((id) => `accepted ${id}`));
    expect(await rowsOf(ids)).toEqual([...ids].sort());
    const streams = await store.readStreams(ids);
    expect(ids.map((id) => streams.get(id)?.length)).toEqual(ids.map(() => 1));
    // The first unit commits alone; the 19 that queued behind it commit as one group.
    expect(appendMany).toHaveBeenCalledTimes(2);
    appendMany.mockRestore();
  });

  it('gives each unit its own outcome when one unit of a group fails', async () => {
    const transactions = new GroupedTransactions(database.dataSource);
    const [first, second, third] = [streamId('request'), streamId('request'), streamId('request')];
    const failing = transactions.run(async (manager) => {
      await manager.query('INSERT INTO accepted (id) VALUES ($1)', [`half-${second}`]);
      throw new Error('refused');
    });

    const outcomes = await Promise.allSettled([
      accept(transactions, first),
      failing,
      accept(transactions, third),
    ]);

    expect(outcomes.map((o): unknown => (o.status === 'rejected' ? o.reason : o.value))).toEqual([
      `accepted ${first}`,
      new Error('refused'),
      `accepted ${third}`,
    ]);
    expect(await rowsOf([first, `half-${second}`, third])).toEqual([first, third].sort());
    expect((await store.readStream(third)).length).toBe(1);
  });

  it('fails the whole group, running nothing again, when the COMMIT itself fails', async () => {
    // A constraint checked only at COMMIT stands in for a commit that fails (or whose answer
    // is lost): whether it happened is unknown, so no unit may run a second time.
    await database.dataSource.query(
      `CREATE TABLE IF NOT EXISTS checked_at_commit
         (id text, CONSTRAINT checked_at_commit_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)`,
    );
    const transactions = new GroupedTransactions(database.dataSource);
    const id = streamId('commit');
    const insert = (value: string) =>
      transactions.run(async (manager) => {
        await manager.query('INSERT INTO checked_at_commit (id) VALUES ($1)', [value]);
      });
    const first = insert(`first-${id}`);

    const outcomes = await Promise.allSettled([first, insert(id), insert(id)]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    const rows = await database.dataSource.query<unknown[]>(
      'SELECT id FROM checked_at_commit WHERE id = $1',
      [id],
    );
    expect(rows).toEqual([]);
  });

  it("runs each unit in its own caller's async context", async () => {
    const transactions = new GroupedTransactions(database.dataSource);
    const caller = new AsyncLocalStorage<string>();

    const seen = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        caller.run(name, () => transactions.run(() => Promise.resolve(caller.getStore()))),
      ),
    );

    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('refuses appendOnCommit outside a unit of work', async () => {
    await expect(
      database.dataSource.transaction(async (manager) => {
        store.appendOnCommit(streamId('request'), 'request', 0, [newEvent('test.X.v1')], manager);
        return Promise.resolve();
      }),
    ).rejects.toThrow(/unit of work/);
  });
});
