import { DataSource, type MigrationInterface } from 'typeorm';
import { eventStoreMigrations } from './migrations/index.js';
import { PreparingClient } from './prepared-statements.js';

export interface ServiceDataSourceOptions {
  url: string;
  poolSize: number;
  /** The service's own migrations, run after the event store's. */
  migrations: Array<new () => MigrationInterface>;
}

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
    // Parameterised statements are prepared once per connection (see PreparingClient).
    extra: { Client: PreparingClient },
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
