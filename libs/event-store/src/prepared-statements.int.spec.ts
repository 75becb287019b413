import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryRunner } from 'typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { type PlanRefresh, PREPARED_STATEMENTS_PER_CONNECTION } from './prepared-statements.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let database: TestDatabase;
let runner: QueryRunner;

beforeAll(async () => {
  database = await createTestDatabase({ poolSize: 2 });
  runner = database.dataSource.createQueryRunner();
  await runner.connect();
});

afterAll(async () => {
  await runner.release();
  await database.drop();
});

async function preparedTexts(on: QueryRunner = runner): Promise<string[]> {
  const rows = await on.manager.query<Array<{ statement: string }>>(
    'SELECT statement FROM pg_prepared_statements',
  );
  return rows.map((row) => row.statement);
}

describe('PreparingClient (real Postgres)', () => {
  it('prepares a parameterised statement once per connection and reuses it', async () => {
    const text = 'SELECT $1::integer + 1 AS next';
    const first = await runner.manager.query<Array<{ next: number }>>(text, [1]);
    const second = await runner.manager.query<Array<{ next: number }>>(text, [41]);

    expect([first[0]?.next, second[0]?.next]).toEqual([2, 42]);
    expect((await preparedTexts()).filter((statement) => statement === text)).toHaveLength(1);
  });

  it('leaves statements without parameters unprepared', async () => {
    await runner.manager.query("SELECT 'plain' AS kind");

    expect(await preparedTexts()).not.toContain("SELECT 'plain' AS kind");
  });

  it('a statement that fails to parse reports its error and leaves the connection usable', async () => {
    const broken = 'SELECT FROM WHERE $1';
    await expect(runner.manager.query(broken, [1])).rejects.toThrow(/syntax error/);
    await expect(runner.manager.query(broken, [1])).rejects.toThrow(/syntax error/);

    expect(await runner.manager.query('SELECT $1::text AS ok', ['yes'])).toEqual([{ ok: 'yes' }]);
  });

  it('runs a statement unprepared once a migration changed its result columns', async () => {
    await runner.manager.query('CREATE TABLE widened (id integer PRIMARY KEY)');
    await runner.manager.query('INSERT INTO widened VALUES (1)');
    const text = 'SELECT * FROM widened WHERE id = $1';
    expect(await runner.manager.query(text, [1])).toEqual([{ id: 1 }]);

    // Another process migrates meanwhile (a rolling deploy).
    await database.dataSource.query("ALTER TABLE widened ADD COLUMN label text DEFAULT 'new'");

    expect(await runner.manager.query(text, [1])).toEqual([{ id: 1, label: 'new' }]);
    expect(await runner.manager.query(text, [1])).toEqual([{ id: 1, label: 'new' }]);
  });

  it('past the per-connection cap, new texts still run, unprepared', async () => {
    const fresh = database.dataSource.createQueryRunner();
    await fresh.connect();
    const texts = Array.from(
      { length: PREPARED_STATEMENTS_PER_CONNECTION + 10 },
      (_, index) => `SELECT $1::integer * ${index} AS product`,
    );
    for (const [index, text] of texts.entries()) {
      expect(await fresh.manager.query(text, [2])).toEqual([{ product: 2 * index }]);
    }

    expect((await preparedTexts(fresh)).length).toBe(PREPARED_STATEMENTS_PER_CONNECTION);
    await fresh.release();
  });
});

describe('PreparingClient plans again as tables grow (real Postgres)', () => {
  // The event store's read of a batch's streams, on its own events table.
  const lookup = `SELECT e.* FROM events e WHERE e.stream_id = ANY($1::text[])
                  ORDER BY e.stream_id, e.version`;
  const fourStreams = ['message-1', 'message-2', 'message-3', 'message-4'];

  function appendRows(on: QueryRunner, from: number, to: number): Promise<unknown> {
    return on.manager.query(
      `INSERT INTO events (stream_id, stream_type, version, event_id, type, data, metadata)
       SELECT 'message-' || (n / 5), 'message', n % 5 + 1, gen_random_uuid(), 'test.Happened.v1',
              jsonb_build_object('to', '+15557000001', 'body', repeat('x', 60)),
              jsonb_build_object('traceparent', repeat('0', 55))
       FROM generate_series($1::integer, $2::integer) AS n`,
      [from, to],
    );
  }

  async function preparedAt(on: QueryRunner, text: string): Promise<string[]> {
    const rows = await on.manager.query<Array<{ at: string }>>(
      'SELECT prepare_time::text AS at FROM pg_prepared_statements WHERE statement = $1',
      [text],
    );
    return rows.map((row) => row.at);
  }

  /** The plan this connection's prepared statement for `lookup` runs with now. */
  async function planOf(on: QueryRunner): Promise<string> {
    const [row] = await on.manager.query<Array<{ name: string }>>(
      'SELECT name FROM pg_prepared_statements WHERE statement = $1',
      [lookup],
    );
    if (row === undefined) throw new Error('the lookup is not prepared on this connection');
    const plan = await on.manager.query<Array<{ 'QUERY PLAN': string }>>(
      `EXPLAIN EXECUTE ${row.name}('{message-1}')`,
    );
    return plan.map((line) => line['QUERY PLAN']).join('\n');
  }

  /**
   * Settles `lookup` while the table is small, as a service that starts on a new database does
   * (five custom plans, then Postgres keeps a generic one: a whole-table scan), then grows the
   * table a thousandfold, with nothing analysing it.
   */
  async function settleThenGrow(on: QueryRunner): Promise<void> {
    await appendRows(on, 1, 40);
    for (let run = 0; run < 8; run += 1) {
      expect(await on.manager.query(lookup, [fourStreams])).toHaveLength(20);
    }
    await appendRows(on, 41, 40_000);
  }

  /** Runs `test` on the one connection of a new database whose plans live as given. */
  async function onOneConnection(
    planRefresh: PlanRefresh,
    test: (on: QueryRunner) => Promise<void>,
  ): Promise<void> {
    const database = await createTestDatabase({ poolSize: 1, planRefresh });
    const on = database.dataSource.createQueryRunner();
    try {
      await test(on);
    } finally {
      await on.release();
      await database.drop();
    }
  }

  it('without preparing again, a connection keeps scanning the whole table', async () => {
    await onOneConnection({ firstMs: 3_600_000, maxMs: 3_600_000 }, async (on) => {
      await settleThenGrow(on);
      expect(await on.manager.query(lookup, [fourStreams])).toHaveLength(20);

      expect(await planOf(on)).toMatch(/Seq Scan on events/);
    });
  });

  it('after its plan lifetime a connection prepares again and reads by index', async () => {
    await onOneConnection({ firstMs: 300, maxMs: 600 }, async (on) => {
      await settleThenGrow(on);
      const before = await preparedAt(on, lookup);
      await sleep(350);

      expect(await on.manager.query(lookup, [fourStreams])).toHaveLength(20);

      const after = await preparedAt(on, lookup);
      expect(after).toHaveLength(1);
      expect(after).not.toEqual(before);
      expect(await planOf(on)).not.toMatch(/Seq Scan/);
      // Statements prepared again answer as before, in a transaction too.
      await on.startTransaction();
      expect(await on.manager.query(lookup, [['message-7']])).toHaveLength(5);
      await on.commitTransaction();
    });
  });

  it('keeps its statements inside a transaction, however long it lasts', async () => {
    const text = 'SELECT $1::integer AS one';
    await onOneConnection({ firstMs: 100, maxMs: 100 }, async (on) => {
      await on.startTransaction();
      expect(await on.manager.query(text, [1])).toEqual([{ one: 1 }]);
      const first = await preparedAt(on, text);
      await sleep(150);

      expect(await on.manager.query(text, [2])).toEqual([{ one: 2 }]);
      const second = await preparedAt(on, text);
      await on.commitTransaction();

      expect(first).toHaveLength(1);
      expect(second).toEqual(first);
    });
  });
});
