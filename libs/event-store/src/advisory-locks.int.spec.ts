import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockKeys } from './index.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe('lockKeys (real Postgres)', () => {
  it('an exclusive lock holds shared ones on the same key until its transaction ends', async () => {
    const key = `test:${randomUUID()}`;
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));

    const writer = database.dataSource.transaction(async (manager) => {
      await lockKeys(manager, [key], 'exclusive');
      locked();
      await held;
      order.push('writer commits');
    });
    await isLocked;
    const readers = Promise.all(
      [0, 1].map(() =>
        database.dataSource.transaction(async (manager) => {
          await lockKeys(manager, [`other:${randomUUID()}`, key], 'shared');
          order.push('reader locked');
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order).toEqual([]);
    release();
    await Promise.all([writer, readers]);
    expect(order).toEqual(['writer commits', 'reader locked', 'reader locked']);
  });
});
