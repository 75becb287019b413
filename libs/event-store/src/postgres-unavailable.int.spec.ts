import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from './postgres-unavailable.js';
import { testPostgresConfig } from './testing/config.js';

/** What a promise rejected with (the test fails if it resolved). */
async function rejectionOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A typeorm DataSource on the test server, as the services open theirs. */
function dataSource(overrides: { port?: number; username?: string; connectTimeoutMS?: number }) {
  const config = testPostgresConfig();
  return new DataSource({
    type: 'postgres',
    host: config.host,
    port: overrides.port ?? config.port,
    username: overrides.username ?? config.user,
    password: config.password,
    database: 'postgres',
    poolSize: 2,
    logging: false,
    ...(overrides.connectTimeoutMS === undefined
      ? {}
      : { connectTimeoutMS: overrides.connectTimeoutMS }),
  });
}

describe('postgresUnavailable, on errors a real server and driver raise', () => {
  const config = testPostgresConfig();
  const admin = new pg.Client({ ...config, database: 'postgres' });

  beforeAll(async () => {
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
  });

  it('given nothing listening on the port, then unavailable (connection refused)', async () => {
    const server = createServer();
    const port = await listen(server);
    await close(server);
    const error = await rejectionOf(dataSource({ port }).initialize());
    expect(postgresUnavailable(error)).toEqual({
      dependency: 'postgres',
      reason: expect.stringContaining('ECONNREFUSED') as string,
    });
  });

  it('given a server that accepts but never answers, then unavailable (connection timeout)', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => sockets.push(socket));
    const port = await listen(server);
    try {
      const error = await rejectionOf(dataSource({ port, connectTimeoutMS: 200 }).initialize());
      expect(postgresUnavailable(error)).toEqual({
        dependency: 'postgres',
        reason: 'Connection terminated due to connection timeout',
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await close(server);
    }
  });

  it('given its own backend terminated (what a restart does to every connection), then unavailable', async () => {
    const source = await dataSource({}).initialize();
    try {
      const error = await rejectionOf(
        source.query('SELECT pg_terminate_backend(pg_backend_pid())'),
      );
      expect(postgresUnavailable(error)).toEqual({
        dependency: 'postgres',
        reason: '57P01: terminating connection due to administrator command',
      });
    } finally {
      await source.destroy();
    }
  });

  it('given a backend terminated by another session during a transaction, then unavailable', async () => {
    const source = await dataSource({}).initialize();
    try {
      const failed = rejectionOf(
        source.transaction(async (manager) => {
          const [{ pid }] = await manager.query<[{ pid: number }]>(
            'SELECT pg_backend_pid() AS pid',
          );
          await Promise.all([
            manager.query('SELECT pg_sleep(30)'),
            admin.query('SELECT pg_terminate_backend($1)', [pid]),
          ]);
        }),
      );
      expect(postgresUnavailable(await failed)).toEqual({
        dependency: 'postgres',
        reason: '57P01: terminating connection due to administrator command',
      });
    } finally {
      await source.destroy();
    }
  });

  it('given a role over its connection limit, then unavailable (too many connections)', async () => {
    const role = `tp_test_full_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`);
    try {
      const error = await rejectionOf(dataSource({ username: role }).initialize());
      expect(postgresUnavailable(error)).toEqual({
        dependency: 'postgres',
        reason: `53300: too many connections for role "${role}"`,
      });
    } finally {
      await admin.query(`DROP ROLE ${role}`);
    }
  });

  it('given a statement that fails on its own, then not', async () => {
    const source = await dataSource({}).initialize();
    try {
      const error = await rejectionOf(source.query('SELECT 1/0'));
      expect(postgresUnavailable(error)).toBeUndefined();
      const missing = await rejectionOf(source.query('SELECT * FROM no_such_table_here'));
      expect(postgresUnavailable(missing)).toBeUndefined();
    } finally {
      await source.destroy();
    }
  });
});
