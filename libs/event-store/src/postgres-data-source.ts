import { DataSource, type MigrationInterface } from 'typeorm';
import { eventStoreMigrations } from './migrations/index.js';

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
  });
}
