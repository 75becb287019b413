import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type pg from 'pg';
import type { QueryRunner } from 'typeorm';
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
  const lifetime: PlanRefresh = { firstMs: 60_000, maxMs: 120_000 };

  // Only Date is faked, so that a plan lifetime passes when a test says so and not otherwise;
  // the database and its driver keep real timers.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const passTime = (ms: number): void => {
    vi.setSystemTime(Date.now() + ms);
  };

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

  /** This connection's prepared statement for `text`, and when it was prepared. */
  async function statementOf(
    on: QueryRunner,
    text: string,
  ): Promise<Array<{ name: string; at: string }>> {
    return on.manager.query(
      `SELECT name, prepare_time::text AS at FROM pg_prepared_statements WHERE statement = $1`,
      [text],
    );
  }

  /** The plan this connection's prepared statement for `lookup` runs with now. */
  async function planOf(on: QueryRunner): Promise<string> {
    const [statement] = await statementOf(on, lookup);
    if (statement === undefined) throw new Error('the lookup is not prepared on this connection');
    const plan = await on.manager.query<Array<{ 'QUERY PLAN': string }>>(
      `EXPLAIN EXECUTE ${statement.name}('{message-1}')`,
    );
    return plan.map((line) => line['QUERY PLAN']).join('\n');
  }

  /** Runs the lookup often enough for Postgres to settle on a generic plan (after five). */
  async function settle(on: QueryRunner): Promise<void> {
    for (let run = 0; run < 8; run += 1) {
      expect(await on.manager.query(lookup, [fourStreams])).toHaveLength(20);
    }
  }

  /**
   * Settles `lookup` while the table is small, as a service that starts on a new database does
   * (the generic plan Postgres keeps is a whole-table scan), then grows the table a
   * thousandfold, with nothing analysing it.
   */
  async function settleThenGrow(on: QueryRunner): Promise<void> {
    await appendRows(on, 1, 40);
    await settle(on);
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

  it('within its plan lifetime, a connection keeps the plan it settled on: a whole-table scan', async () => {
    await onOneConnection(lifetime, async (on) => {
      await settleThenGrow(on);
      passTime(lifetime.firstMs - 1_000);
      await settle(on);

      expect(await planOf(on)).toMatch(/Seq Scan on events/);
    });
  });

  it('after its plan lifetime a connection prepares again and settles on an index read', async () => {
    await onOneConnection(lifetime, async (on) => {
      await settleThenGrow(on);
      const [before] = await statementOf(on, lookup);
      passTime(lifetime.firstMs);

      await settle(on);

      const after = await statementOf(on, lookup);
      expect(after).toHaveLength(1);
      expect(after[0]?.at).not.toBe(before?.at);
      // Past its first five runs: what Postgres chose to keep doing for it (here, planning each
      // run afresh, as the generic plan costs more on the big table), an index read either way.
      expect(await planOf(on)).not.toMatch(/Seq Scan/);
    });
  });

  it('prepares again between transactions, never inside one', async () => {
    await onOneConnection(lifetime, async (on) => {
      const text = 'SELECT $1::integer AS one';
      await on.startTransaction();
      expect(await on.manager.query(text, [1])).toEqual([{ one: 1 }]);
      const first = await statementOf(on, text);
      passTime(lifetime.firstMs);
      expect(await on.manager.query(text, [2])).toEqual([{ one: 2 }]);
      const stillFirst = await statementOf(on, text);
      await on.commitTransaction();

      // A connection that only ever runs transactions: the next one starts with the refresh.
      await on.startTransaction();
      expect(await on.manager.query(text, [3])).toEqual([{ one: 3 }]);
      const second = await statementOf(on, text);
      await on.commitTransaction();

      expect(first).toHaveLength(1);
      expect(stillFirst).toEqual(first);
      expect(second).toHaveLength(1);
      expect(second[0]?.at).not.toBe(first[0]?.at);
    });
  });

  it('keeps statements sent or queued before a refresh prepared and answering', async () => {
    await onOneConnection(lifetime, async (on) => {
      const double = 'SELECT $1::integer * 2 AS doubled';
      const triple = 'SELECT $1::integer * 3 AS tripled';
      // The driver's client itself, to queue statements on it without TypeORM's awaits between.
      const client = (await on.connect()) as pg.Client;
      await client.query(double, [1]);
      await client.query(triple, [1]);

      const running = client.query(triple, [2]);
      const queued = client.query(double, [3]);
      passTime(lifetime.firstMs);
      const afterRefresh = [client.query(triple, [4]), client.query(double, [5])];

      const answers = await Promise.all([running, queued, ...afterRefresh]);
      expect(answers.map((result) => result.rows[0] as unknown)).toEqual([
        { tripled: 6 },
        { doubled: 6 },
        { tripled: 12 },
        { doubled: 10 },
      ]);
      // Both still run prepared, each prepared once, and after the refresh.
      expect(await client.query(double, [6])).toMatchObject({ rows: [{ doubled: 12 }] });
      expect(await statementOf(on, double)).toHaveLength(1);
      expect(await statementOf(on, triple)).toHaveLength(1);
    });
  });
});
