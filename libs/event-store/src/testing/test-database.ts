import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource, type DataSourceOptions, type MigrationInterface } from 'typeorm';
import { eventStoreMigrations } from '../migrations/index.js';
import { SERVICE_SESSION_OPTIONS } from '../postgres-data-source.js';
import { type PlanRefresh, PreparingClient } from '../prepared-statements.js';
import { testPostgresConfig } from './config.js';

export interface TestDatabaseOptions {
  /** Run after the event store's own migrations. */
  migrations?: Array<new () => MigrationInterface>;
  /** Connection pool size of each DataSource (default 30, enough for concurrency tests). */
  poolSize?: number;
  /** How often connections prepare their statements again (default: the services' own). */
  planRefresh?: PlanRefresh;
}

export interface TestDatabase {
  readonly name: string;
  /** Initialised, migrated. */
  readonly dataSource: DataSource;
  /** Another DataSource on the same database (a second "process"); closed by drop(). */
  openDataSource(): Promise<DataSource>;
  /** Closes every DataSource and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, uniquely named database with the event store schema migrated in. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const config = testPostgresConfig();
  const name = `tp_test_${randomBytes(6).toString('hex')}`;
  await administer(`CREATE DATABASE ${name}`);

  const dataSourceOptions: DataSourceOptions = {
    type: 'postgres',
    host: config.host,
    port: config.port,
    username: config.user,
    password: config.password,
    database: name,
    migrations: [...eventStoreMigrations, ...(options.migrations ?? [])],
    migrationsTransactionMode: 'each',
    // The services' own client and session settings, so tests run their SQL as production does.
    extra: {
      max: options.poolSize ?? 30,
      Client: PreparingClient,
      options: SERVICE_SESSION_OPTIONS,
      planRefresh: options.planRefresh,
    },
    logging: false,
  };
  const opened: DataSource[] = [];
  const open = async (): Promise<DataSource> => {
    const dataSource = await new DataSource(dataSourceOptions).initialize();
    opened.push(dataSource);
    return dataSource;
  };

  const dataSource = await open();
  try {
    await dataSource.runMigrations();
  } catch (error) {
    await dataSource.destroy();
    await administer(`DROP DATABASE ${name} WITH (FORCE)`);
    throw error;
  }

  return {
    name,
    dataSource,
    openDataSource: open,
    async drop() {
      for (const each of opened) {
        if (each.isInitialized) await each.destroy();
      }
      await administer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function administer(statement: string): Promise<void> {
  const config = testPostgresConfig();
  const client = new pg.Client({ ...config, database: 'postgres' });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
