import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  databaseUrl,
  defaultLocalPostgresUrl,
  ensureDatabase,
  localSocketUrl,
  resolvePostgres,
} from './postgres.js';

/** A setting of the local server, read over TCP. */
async function showSetting(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: defaultLocalPostgresUrl });
  await client.connect();
  try {
    const result = await client.query<Record<string, string>>(`SHOW ${name}`);
    return result.rows[0]?.[name] ?? '';
  } finally {
    await client.end();
  }
}

async function currentDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ name: string }>('SELECT current_database() AS name');
    return result.rows[0]?.name ?? '';
  } finally {
    await client.end();
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

const testDatabaseName = (): string => `tp_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

describe('resolvePostgres', () => {
  it('returns the configured URL as is', async () => {
    const url = 'postgresql://app:secret@db.example:6543/app';
    const server = await resolvePostgres({ setting: { kind: 'url', url } });
    expect(server).toMatchObject({ url, source: 'environment' });
  });

  it('uses the local server on 127.0.0.1:5432 when it answers and has no Unix socket', async () => {
    const server = await resolvePostgres({
      setting: { kind: 'auto' },
      localSocketDir: '/nonexistent/tp-socket-dir',
    });
    expect(server).toMatchObject({ url: defaultLocalPostgresUrl, source: 'local' });
    expect(await currentDatabase(server.url)).toBe('postgres');
  });

  it('prefers the local server over its Unix socket when it has one', async () => {
    const socketDir = (await showSetting('unix_socket_directories')).split(',')[0]?.trim() ?? '';
    const server = await resolvePostgres({ setting: { kind: 'auto' }, localSocketDir: socketDir });
    expect(server).toMatchObject({ url: localSocketUrl(socketDir), source: 'local' });
    expect(await currentDatabase(server.url)).toBe('postgres');
  });

  it('refuses a server that answers but rejects the user, instead of falling back', async () => {
    const localUrl = `postgresql://tp_no_such_role_${randomUUID().slice(0, 8)}@127.0.0.1:5432/postgres`;
    await expect(resolvePostgres({ setting: { kind: 'auto' }, localUrl })).rejects.toThrow(
      /refused/,
    );
  });

  describe('embedded', () => {
    let cleanup: () => Promise<void> = () => Promise.resolve();
    afterEach(() => cleanup());

    it('starts an embedded server when nothing answers, and stops it', async () => {
      const cacheDir = await mkdtemp(path.join(tmpdir(), 'tp-embedded-pg-'));
      // When run as root the server runs as user postgres, which must reach the data dir.
      await chmod(cacheDir, 0o755);
      // Port 1 never has a Postgres on it.
      const server = await resolvePostgres({
        setting: { kind: 'auto' },
        localUrl: 'postgresql://postgres@127.0.0.1:1/postgres',
        cacheDir,
      });
      cleanup = async () => {
        await server.stop();
        await rm(cacheDir, { recursive: true, force: true });
      };
      expect(server.source).toBe('embedded');
      expect(await currentDatabase(server.url)).toBe('postgres');
      const serviceUrl = await ensureDatabase(server.url, 'tp_embedded_service');
      expect(await currentDatabase(serviceUrl)).toBe('tp_embedded_service');

      await server.stop();
      await expect(currentDatabase(server.url)).rejects.toThrow();
    });
  });
});

describe('ensureDatabase', () => {
  const created: string[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((name) => dropDatabase(defaultLocalPostgresUrl, name)));
  });

  it('creates a missing database once and returns its URL every time', async () => {
    const name = testDatabaseName();
    created.push(name);
    const first = await ensureDatabase(defaultLocalPostgresUrl, name);
    const second = await ensureDatabase(defaultLocalPostgresUrl, name);
    expect(first).toBe(databaseUrl(defaultLocalPostgresUrl, name));
    expect(second).toBe(first);
    expect(await currentDatabase(first)).toBe(name);
  });

  it('survives concurrent callers racing to create the same database', async () => {
    const name = testDatabaseName();
    created.push(name);
    const urls = await Promise.all(
      Array.from({ length: 4 }, () => ensureDatabase(defaultLocalPostgresUrl, name)),
    );
    expect(new Set(urls).size).toBe(1);
    expect(await currentDatabase(urls[0] ?? '')).toBe(name);
  });

  it('rejects a name that would need quoting', async () => {
    await expect(ensureDatabase(defaultLocalPostgresUrl, 'Robert"; DROP')).rejects.toThrow(
      /invalid/,
    );
  });
});

describe('databaseUrl', () => {
  it('keeps credentials and query options', () => {
    expect(databaseUrl('postgresql://u:p@h:1/postgres?host=%2Frun', 'svc')).toBe(
      'postgresql://u:p@h:1/svc?host=%2Frun',
    );
  });
});
