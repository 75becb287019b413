import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayMigrations } from '../migrations/index.js';
import type { ApiError } from '../problems/api-error.js';
import { IdempotencyStore, requestHash, tenantScope } from './idempotency-store.js';

let database: TestDatabase;
let store: IdempotencyStore;

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  await database.dataSource.query('CREATE TABLE side_effects (n serial PRIMARY KEY, label text)');
  store = new IdempotencyStore(database.dataSource);
});

afterAll(async () => {
  await database.drop();
});

async function sideEffects(label: string): Promise<number> {
  const rows = await database.dataSource.query<Array<{ n: number }>>(
    'SELECT count(*)::integer AS n FROM side_effects WHERE label = $1',
    [label],
  );
  return rows[0]?.n ?? -1;
}

describe('IdempotencyStore (real Postgres)', () => {
  it('does the work once for concurrent requests with one key, and all get the first answer', async () => {
    const label = `concurrent-${Date.now()}`;
    const hash = requestHash({ to: '+15555550123', body: 'hi' });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        store.run(tenantScope('a', 'POST /v1/messages'), label, hash, async (manager) => {
          const rows = await manager.query<Array<{ n: number }>>(
            'INSERT INTO side_effects (label) VALUES ($1) RETURNING n',
            [label],
          );
          return { statusCode: 202, body: { n: rows[0]?.n } };
        }),
      ),
    );
    expect(await sideEffects(label)).toBe(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
  });

  it('refuses the key with another request and changes nothing', async () => {
    const label = `reused-${Date.now()}`;
    const work = (body: string) => async () => {
      await database.dataSource.query('INSERT INTO side_effects (label) VALUES ($1)', [label]);
      return { statusCode: 202, body: { body } };
    };
    await store.run(
      tenantScope('b', 'POST /v1/messages'),
      label,
      requestHash({ body: 'first' }),
      work('first'),
    );
    await expect(
      store.run(
        tenantScope('b', 'POST /v1/messages'),
        label,
        requestHash({ body: 'second' }),
        work('second'),
      ),
    ).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'idempotency_key_reused',
    } satisfies Partial<ApiError>);
    expect(await sideEffects(label)).toBe(1);
  });

  it('keeps keys apart per scope, and hashes requests regardless of field order', async () => {
    expect(requestHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      requestHash({ b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    const first = await store.run(
      tenantScope('c', 'POST /v1/messages'),
      'same-key',
      requestHash({ x: 1 }),
      () => Promise.resolve({ statusCode: 201, body: { tenant: 'c' } }),
    );
    const other = await store.run(
      tenantScope('d', 'POST /v1/messages'),
      'same-key',
      requestHash({ x: 2 }),
      () => Promise.resolve({ statusCode: 201, body: { tenant: 'd' } }),
    );
    expect(first.body).toEqual({ tenant: 'c' });
    expect(other).toMatchObject({ replayed: false, body: { tenant: 'd' } });
  });

  it('scopes a key to its route: the same key on another route is another request', async () => {
    const label = `routes-${Date.now()}`;
    const sent = await store.run(
      tenantScope('e', 'POST /v1/messages'),
      label,
      requestHash({ op: 'send', body: 'hi' }),
      () => Promise.resolve({ statusCode: 202, body: { route: 'send' } }),
    );
    const previewed = await store.run(
      tenantScope('e', 'POST /v1/messages/preview'),
      label,
      requestHash({ op: 'preview', body: 'hi' }),
      () => Promise.resolve({ statusCode: 200, body: { route: 'preview' } }),
    );
    expect(sent).toMatchObject({ replayed: false, body: { route: 'send' } });
    expect(previewed).toMatchObject({ replayed: false, body: { route: 'preview' } });
    // Within each route the key still means one request.
    const again = await store.run(
      tenantScope('e', 'POST /v1/messages/preview'),
      label,
      requestHash({ op: 'preview', body: 'hi' }),
      () => Promise.resolve({ statusCode: 200, body: { route: 'preview', twice: true } }),
    );
    expect(again).toMatchObject({ replayed: true, body: { route: 'preview' } });
    await expect(
      store.run(
        tenantScope('e', 'POST /v1/messages'),
        label,
        requestHash({ op: 'send', body: 'other' }),
        () => Promise.resolve({ statusCode: 202, body: {} }),
      ),
    ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });
});
