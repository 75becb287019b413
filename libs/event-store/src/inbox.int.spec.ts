import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inbox } from './index.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let database: TestDatabase;
let inbox: Inbox;

beforeAll(async () => {
  database = await createTestDatabase();
  await database.dataSource.query('CREATE TABLE effects (event_id uuid, consumer_group text)');
  inbox = new Inbox(database.dataSource);
});

afterAll(async () => {
  await database.drop();
});

async function recordEffect(manager: EntityManager, eventId: string, group: string) {
  await manager.query('INSERT INTO effects (event_id, consumer_group) VALUES ($1, $2)', [
    eventId,
    group,
  ]);
  return 'done';
}

async function count(table: 'effects' | 'inbox', eventId: string): Promise<number> {
  const rows = await database.dataSource.query<Array<{ n: number }>>(
    `SELECT count(*)::integer AS n FROM ${table} WHERE event_id = $1`,
    [eventId],
  );
  return rows[0]?.n ?? -1;
}

describe('Inbox', () => {
  it('applies an event once, however often it is delivered', async () => {
    const eventId = randomUUID();
    const handle = () =>
      inbox.handleOnce('billing.holds', eventId, (manager) =>
        recordEffect(manager, eventId, 'billing.holds'),
      );

    expect(await handle()).toEqual({ applied: true, result: 'done' });
    expect(await handle()).toEqual({ applied: false });
    expect(await count('effects', eventId)).toBe(1);
  });

  it('applies concurrent duplicate deliveries exactly once', async () => {
    const eventId = randomUUID();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        inbox.handleOnce('billing.holds', eventId, async (manager) => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          return recordEffect(manager, eventId, 'billing.holds');
        }),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.applied)).toHaveLength(1);
    expect(await count('effects', eventId)).toBe(1);
  });

  it('records nothing when the handler throws, so a retry applies', async () => {
    const eventId = randomUUID();
    await expect(
      inbox.handleOnce('consent.ledger', eventId, async (manager) => {
        await recordEffect(manager, eventId, 'consent.ledger');
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await count('effects', eventId)).toBe(0);
    expect(await count('inbox', eventId)).toBe(0);

    const retry = await inbox.handleOnce('consent.ledger', eventId, (manager) =>
      recordEffect(manager, eventId, 'consent.ledger'),
    );
    expect(retry).toEqual({ applied: true, result: 'done' });
    expect(await count('effects', eventId)).toBe(1);
  });

  it('keeps consumer groups independent', async () => {
    const eventId = randomUUID();
    const first = await inbox.handleOnce('gateway.read-models', eventId, (manager) =>
      recordEffect(manager, eventId, 'gateway.read-models'),
    );
    const second = await inbox.handleOnce('messaging.sends', eventId, (manager) =>
      recordEffect(manager, eventId, 'messaging.sends'),
    );

    expect([first.applied, second.applied]).toEqual([true, true]);
    expect(await count('effects', eventId)).toBe(2);
  });

  it('applies a batch in one transaction, each event once, skipping those already applied', async () => {
    const [seen, fresh] = [randomUUID(), randomUUID()];
    await inbox.handleOnce('batch.group', seen, (manager) =>
      recordEffect(manager, seen, 'batch.group'),
    );
    const result = await inbox.handleAllOnce(
      'batch.group',
      [seen, fresh, fresh].map((eventId) => ({
        eventId,
        fn: (manager: EntityManager) => recordEffect(manager, eventId, 'batch.group'),
      })),
    );
    expect(result).toEqual({ applied: 1 });
    expect(await count('effects', seen)).toBe(1);
    expect(await count('effects', fresh)).toBe(1);
  });

  it('keeps nothing of a batch when one of its events fails', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    await expect(
      inbox.handleAllOnce('batch.failing', [
        { eventId: first, fn: (manager) => recordEffect(manager, first, 'batch.failing') },
        { eventId: second, fn: () => Promise.reject(new Error('poison')) },
      ]),
    ).rejects.toThrow('poison');
    expect(await count('effects', first)).toBe(0);
    expect(await count('inbox', first)).toBe(0);
    expect(await count('inbox', second)).toBe(0);
  });
});
