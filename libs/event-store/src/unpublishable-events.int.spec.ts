import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadata, newEvent, streamId } from '../test/fixtures.js';
import {
  AggregateStore,
  type EventCheck,
  EventStore,
  GroupAppender,
  GroupedTransactions,
  type NewEvent,
  OutboxRelay,
  type StoredEvent,
  UnpublishableEventError,
} from './index.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

/** The contract of these tests: `data.n` must be an integer. */
const check: EventCheck = (_type, data) =>
  typeof data === 'object' && data !== null && 'n' in data && Number.isInteger(data.n)
    ? { valid: true }
    : { valid: false, reason: '/n must be integer' };

const valid = (n: number): NewEvent => newEvent('test.Checked.v1', { n });
const invalid = (): NewEvent => newEvent('test.Checked.v1', { n: 'not a number' });

let database: TestDatabase;
let store: EventStore;
/** The same database without the check: how events got in before the store checked them. */
let uncheckedStore: EventStore;

beforeAll(async () => {
  database = await createTestDatabase();
  store = new EventStore(database.dataSource, { check });
  uncheckedStore = new EventStore(database.dataSource);
});

afterAll(async () => {
  await database.drop();
});

async function eventCount(id: string): Promise<number> {
  return (await store.readStream(id)).length;
}

async function outboxCount(): Promise<number> {
  const rows = await database.dataSource.query<Array<{ n: number }>>(
    'SELECT count(*)::integer AS n FROM outbox',
  );
  return rows[0]?.n ?? -1;
}

describe('EventStore with a contract check: an event that could never be published is refused at append', () => {
  it('append refuses the whole append, naming the event and the reason, and writes nothing', async () => {
    const id = streamId('checked');
    const before = await outboxCount();

    const refused = store.append(id, 'test', 0, [valid(1), invalid()]);

    await expect(refused).rejects.toThrow(UnpublishableEventError);
    await expect(refused).rejects.toThrow(/test\.Checked\.v1 .*\/n must be integer/);
    expect(await eventCount(id)).toBe(0);
    expect(await outboxCount()).toBe(before);
  });

  it('refuses an occurredAt outside years 0001–9999 (not RFC 3339, or not a timestamptz), with or without a check', async () => {
    for (const occurredAt of [
      new Date('+275760-09-13T00:00:00.000Z'),
      new Date('-000001-01-01T00:00:00.000Z'),
      new Date('0000-06-01T00:00:00.000Z'),
      new Date(Number.NaN),
    ]) {
      const id = streamId('instant');
      await expect(
        uncheckedStore.append(id, 'test', 'any', [{ ...valid(1), occurredAt }]),
      ).rejects.toThrow(UnpublishableEventError);
      expect(await eventCount(id)).toBe(0);
    }
    const id = streamId('instant');
    await store.append(id, 'test', 0, [
      { ...valid(1), occurredAt: new Date('0001-01-01T00:00:00.000Z') },
      { ...valid(2), occurredAt: new Date('9999-12-31T23:59:59.999Z') },
    ]);
    expect(await eventCount(id)).toBe(2);
  });

  it('appendMany refuses all of its streams when one holds an unpublishable event', async () => {
    const good = streamId('many');
    const bad = streamId('many');

    await expect(
      store.appendMany([
        { streamId: good, streamType: 'test', expected: 0, events: [valid(1)] },
        { streamId: bad, streamType: 'test', expected: 0, events: [invalid()] },
      ]),
    ).rejects.toThrow(UnpublishableEventError);

    expect(await eventCount(good)).toBe(0);
    expect(await eventCount(bad)).toBe(0);
  });

  it('appendOnCommit refuses at the call, and the transaction commits nothing', async () => {
    const id = streamId('on-commit');
    const other = streamId('on-commit');

    await expect(
      store.transaction(async (manager) => {
        await store.append(other, 'test', 0, [valid(1)], manager);
        store.appendOnCommit(id, 'test', 0, [invalid()], manager);
      }),
    ).rejects.toThrow(UnpublishableEventError);

    expect(await eventCount(id)).toBe(0);
    expect(await eventCount(other)).toBe(0);
  });

  it('an aggregate deciding an unpublishable event in a unit of work fails the transaction at its flush', async () => {
    const aggregates = new AggregateStore(
      store,
      {
        decide: (n: number | string) => [{ type: 'test.Checked.v1', data: { n } }],
        evolve: (state: number) => state + 1,
        initialState: 0,
        isEvent: (type: string): type is 'test.Checked.v1' => type === 'test.Checked.v1',
      },
      'test',
    );
    const id = streamId('aggregate');

    await expect(
      store.transaction((manager) => aggregates.handle(id, 'two', metadata(), manager)),
    ).rejects.toThrow(UnpublishableEventError);

    expect(await eventCount(id)).toBe(0);
  });
});

describe('group commit with an unpublishable append: only its own caller fails', () => {
  it('GroupAppender commits the others of the group', async () => {
    const appender = new GroupAppender(store);
    const streams = Array.from({ length: 8 }, () => streamId('group'));

    const outcomes = await Promise.allSettled(
      streams.map((id, index) =>
        appender.append(id, 'test', [index === 3 ? invalid() : valid(index)]),
      ),
    );

    for (const [index, outcome] of outcomes.entries()) {
      if (index === 3) {
        expect(outcome.status).toBe('rejected');
        expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(
          UnpublishableEventError,
        );
      } else {
        expect(outcome.status).toBe('fulfilled');
      }
    }
    const read = await store.readStreams(streams);
    expect(streams.map((id) => read.get(id)?.length)).toEqual([1, 1, 1, 0, 1, 1, 1, 1]);
  });

  it('GroupedTransactions commits the other units of the group', async () => {
    const transactions = new GroupedTransactions(database.dataSource);
    const streams = Array.from({ length: 8 }, () => streamId('grouped'));

    const outcomes = await Promise.allSettled(
      streams.map((id, index) =>
        transactions.run((manager) => {
          store.appendOnCommit(id, 'test', 0, [index === 5 ? invalid() : valid(index)], manager);
          return Promise.resolve(index);
        }),
      ),
    );

    expect(outcomes.map((outcome) => outcome.status)).toEqual(
      streams.map((_, index) => (index === 5 ? 'rejected' : 'fulfilled')),
    );
    const read = await store.readStreams(streams);
    expect(streams.map((id) => read.get(id)?.length)).toEqual([1, 1, 1, 1, 1, 0, 1, 1]);
  });
});

describe('OutboxRelay with a contract check: an unpublishable event already recorded', () => {
  it('is quarantined with its reason, and the events after it are published', async () => {
    const published: StoredEvent[] = [];
    const quarantinedEvents: Array<{ event: StoredEvent; reason: string }> = [];
    // Refuses any batch holding an invalid event, as the contract-checking Kafka producer does.
    const publish = (events: StoredEvent[]): Promise<void> => {
      const refused = events.find((event) => !check(event.type, event.data).valid);
      if (refused) return Promise.reject(new Error(`publisher refused ${refused.eventId}`));
      published.push(...events);
      return Promise.resolve();
    };
    const id = streamId('relay');
    const later = streamId('relay');
    // Recorded before the store checked: an invalid event first in the outbox, then valid ones.
    await uncheckedStore.append(id, 'test', 0, [valid(1), invalid(), valid(3)]);
    await store.append(later, 'test', 0, [valid(1)]);
    const stored = await store.readStream(id);
    const poisoned = stored[1];

    const relay = new OutboxRelay(database.dataSource, publish, {
      check,
      onQuarantined: (event, reason) => quarantinedEvents.push({ event, reason }),
    });
    try {
      while ((await relay.drainOnce()) > 0);
    } finally {
      await relay.stop();
    }

    expect(await outboxCount()).toBe(0);
    const mine = published.filter((event) => event.streamId === id || event.streamId === later);
    expect(mine.map((event) => [event.streamId, event.version])).toEqual([
      [id, 1],
      [id, 3],
      [later, 1],
    ]);
    expect(quarantinedEvents.map(({ event, reason }) => [event.eventId, reason])).toEqual([
      [poisoned?.eventId, '/n must be integer'],
    ]);
    const quarantine = await database.dataSource.query<
      Array<{ global_position: string; reason: string }>
    >('SELECT global_position, reason FROM outbox_quarantine');
    expect(quarantine).toEqual([
      { global_position: poisoned?.globalPosition.toString(), reason: '/n must be integer' },
    ]);
  });
});
