import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createServiceDataSource } from './postgres-data-source.js';
import { testPostgresConfig } from './testing/config.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let database: TestDatabase;
let service: DataSource;

beforeAll(async () => {
  database = await createTestDatabase();
  const { host, port, user, password } = testPostgresConfig();
  const credentials = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
  service = createServiceDataSource({
    url: `postgres://${credentials}@${host}:${port}/${database.name}`,
    poolSize: 1,
    migrations: [],
  });
  await service.initialize();
});

afterAll(async () => {
  await service.destroy();
  await database.drop();
});

describe('createServiceDataSource (real Postgres)', () => {
  it('opens sessions without JIT or parallel workers, which only cost short keyed statements', async () => {
    const [jit] = await service.query<Array<{ jit: string }>>('SHOW jit');
    const [workers] = await service.query<Array<{ max_parallel_workers_per_gather: string }>>(
      'SHOW max_parallel_workers_per_gather',
    );

    expect(jit?.jit).toBe('off');
    expect(workers?.max_parallel_workers_per_gather).toBe('0');
  });
});
