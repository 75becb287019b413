import type { Kafka } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventConsumer } from './consumer.js';

type Listener = (event: { payload: { error: Error; restart: boolean } }) => void;

/** Just enough kafkajs for EventConsumer's start, crash and stop: counts the consumer's runs. */
function fakeKafka() {
  const listeners = new Map<string, Listener[]>();
  const state = { runs: 0 };
  const consumer = {
    events: { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' },
    connect: () => Promise.resolve(),
    subscribe: () => Promise.resolve(),
    run: () => {
      state.runs += 1;
      return Promise.resolve();
    },
    disconnect: () => Promise.resolve(),
    on: (name: string, listener: Listener) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return () => undefined;
    },
  };
  const kafka = {
    consumer: () => consumer,
    producer: () => ({
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
      sendBatch: () => Promise.resolve([]),
    }),
    admin: () => ({
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
      listTopics: () => Promise.resolve(['events', 'group.dlq']),
    }),
  } as unknown as Kafka;
  const crash = (restart: boolean) => {
    for (const listener of listeners.get('consumer.crash') ?? []) {
      listener({
        payload: { error: new Error('The coordinator is not aware of this member'), restart },
      });
    }
  };
  return { kafka, state, crash };
}

describe('EventConsumer after a crash', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function consumerOn(kafka: Kafka): EventConsumer {
    return new EventConsumer({
      kafka,
      groupId: 'group',
      topics: ['events'],
      handle: () => Promise.resolve(),
    });
  }

  it('runs the consumer again when kafkajs will not restart it', async () => {
    // given a running consumer
    const { kafka, state, crash } = fakeKafka();
    const consumer = consumerOn(kafka);
    await consumer.start();
    expect(state.runs).toBe(1);

    // when it crashes with an error kafkajs does not restart from
    crash(false);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(state.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);

    // then it is run again, a few seconds later
    expect(state.runs).toBe(2);
    await consumer.stop();
  });

  it('leaves a crash kafkajs restarts itself to kafkajs', async () => {
    const { kafka, state, crash } = fakeKafka();
    const consumer = consumerOn(kafka);
    await consumer.start();

    crash(true);
    await vi.advanceTimersByTimeAsync(60_000);

    expect(state.runs).toBe(1);
    await consumer.stop();
  });

  it('does not run again once stopped', async () => {
    const { kafka, state, crash } = fakeKafka();
    const consumer = consumerOn(kafka);
    await consumer.start();

    crash(false);
    await consumer.stop();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(state.runs).toBe(1);
  });
});
