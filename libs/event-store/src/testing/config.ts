/** Where test databases are created: libpq's PG* variables, else the local trust-auth server. */
export interface TestPostgresConfig {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
}

export function testPostgresConfig(): TestPostgresConfig {
  return Object.freeze({
    host: process.env['PGHOST'] ?? '127.0.0.1',
    port: Number(process.env['PGPORT'] ?? 5432),
    user: process.env['PGUSER'] ?? 'postgres',
    password: process.env['PGPASSWORD'],
  });
}
