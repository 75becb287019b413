import { DataSource, type MigrationInterface } from 'typeorm';
import { eventStoreMigrations } from './migrations/index.js';
import { PreparingClient } from './prepared-statements.js';

export interface ServiceDataSourceOptions {
  url: string;
  poolSize: number;
  /** The service's own migrations, run after the event store's. */
  migrations: Array<new () => MigrationInterface>;
}

/**
 * The services run short statements that touch a few rows by key: JIT compilation and parallel
 * workers only cost them. Measured on the send path, a 30-stream read planned before the tables
 * had statistics took 12 ms to JIT-compile and forked two workers, for 0.4 ms of work.
 * (Parameterised statements are also prepared once per connection: see PreparingClient.)
 */
export const SERVICE_SESSION_OPTIONS = '-c jit=off -c max_parallel_workers_per_gather=0';

/** A service's database: event store schema first, then its read models; never synchronize. */
export function createServiceDataSource(options: ServiceDataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    poolSize: options.poolSize,
    migrations: [...eventStoreMigrations, ...options.migrations],
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
    extra: { Client: PreparingClient, options: SERVICE_SESSION_OPTIONS },
  });
}

/** Any fixed number: every replica of a service takes the same lock on its own database. */
const MIGRATION_LOCK_KEY = 7_215_338_401;

/**
 * Runs pending migrations while holding a session advisory lock, so replicas starting together
 * migrate one after the other instead of racing to create the same tables.
 */
export async function migrateServiceDatabase(dataSource: DataSource): Promise<void> {
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations();
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}
