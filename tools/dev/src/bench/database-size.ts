import pg from 'pg';
import type { DatabaseSizes } from './bulk-figures.js';

/** The services' databases of the measured stack: a server URL and each database's name. */
export interface BenchDatabases {
  readonly serverUrl: string;
  readonly names: readonly string[];
}

/** The database name of a connection URL (its path). */
export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** pg_database_size of each named database that exists, in bytes. */
export async function databaseSizes(databases: BenchDatabases): Promise<DatabaseSizes> {
  const client = new pg.Client({ connectionString: databases.serverUrl });
  await client.connect();
  try {
    const result = await client.query<{ datname: string; bytes: string }>(
      'SELECT datname, pg_database_size(datname)::text AS bytes FROM pg_database WHERE datname = ANY($1)',
      [[...databases.names]],
    );
    return Object.fromEntries(result.rows.map((row) => [row.datname, Number(row.bytes)]));
  } finally {
    await client.end();
  }
}
