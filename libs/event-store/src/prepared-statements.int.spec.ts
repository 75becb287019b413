import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryRunner } from 'typeorm';
import { PREPARED_STATEMENTS_PER_CONNECTION } from './prepared-statements.js';
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
