import { dlqTopicFor } from '@textplane/contracts';
import { currentTraceparent, initTelemetry, traceIdOf } from '@textplane/observability';
import type { Kafka } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { submissionStarted } from '../test/events.js';
import {
  KafkaScratch,
  readRecords,
  recordCount,
  RecordingLogger,
  testKafka,
  uniqueName,
  waitFor,
} from '../test/kafka-harness.js';
import { type ConsumedEvent, EventConsumer, type EventConsumerOptions } from './consumer.js';
import { DlqHeaders, headerText } from './dead-letter.js';
import type { EventEnvelope } from './envelope.js';
import { EventProducer } from './producer.js';

const FAST_BACKOFF = { initial: 10, max: 40 };
// SpanKind.CONSUMER of @opentelemetry/api, which this package does not depend on directly.
const CONSUMER_SPAN_KIND = 4;

describe('EventConsumer (real Kafka)', () => {
  let kafka: Kafka;
  let scratch: KafkaScratch;
  let producer: EventProducer;
  const running: EventConsumer[] = [];

  beforeEach(async () => {
    kafka = testKafka();
    scratch = new KafkaScratch(kafka);
    producer = new EventProducer(kafka);
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    await producer.disconnect();
    await scratch.cleanUp();
  });

  /** A topic, its group and the group's DLQ, all unique to the test. */
  async function setUp(partitions = 1): Promise<{ topic: string; groupId: string; dlq: string }> {
    const topic = await scratch.topic(uniqueName('events'), partitions);
    const groupId = scratch.group(uniqueName('group'));
    const dlq = await scratch.topic(dlqTopicFor(groupId));
    return { topic, groupId, dlq };
  }

  async function startConsumer(
    options: Omit<EventConsumerOptions, 'kafka' | 'backoffMs'> & Partial<EventConsumerOptions>,
  ): Promise<EventConsumer> {
    const consumer = new EventConsumer({ kafka, backoffMs: FAST_BACKOFF, ...options });
    running.push(consumer);
    await consumer.start();
    return consumer;
  }

  it('delivers published events with every attribute, in order per stream', async () => {
    const { topic, groupId } = await setUp(3);
    const first = submissionStarted();
    const sameStream = submissionStarted({ subject: first.subject });
    const other = submissionStarted();
    const handled: ConsumedEvent[] = [];

    await producer.publish(topic, [first, sameStream, other]);
    await startConsumer({
      groupId,
      topics: [topic],
      handle: (event) => {
        handled.push(event);
        return Promise.resolve();
      },
    });

    await waitFor(() => handled.length === 3, 30_000, 'three events');
    const byId = (id: string) => handled.find((e) => e.id === id);
    for (const event of [first, sameStream, other]) {
      const received = byId(event.id);
      expect(received?.offset).toMatch(/^\d+$/);
      expect(received).toEqual({
        ...event,
        topic,
        partition: received?.partition,
        offset: received?.offset,
      });
    }
    expect(handled.filter((e) => e.subject === first.subject).map((e) => e.id)).toEqual([
      first.id,
      sameStream.id,
    ]);
    expect(byId(sameStream.id)?.partition).toBe(byId(first.id)?.partition);
  });

  it('with keyConcurrency, handles different streams side by side and each stream in order', async () => {
    const { topic, groupId } = await setUp(1);
    const streamA = submissionStarted();
    const streamA2 = submissionStarted({ subject: streamA.subject });
    const streamA3 = submissionStarted({ subject: streamA.subject });
    const others = Array.from({ length: 5 }, () => submissionStarted());
    const order: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;

    await producer.publish(topic, [streamA, ...others, streamA2, streamA3]);
    const consumer = await startConsumer({
      groupId,
      topics: [topic],
      keyConcurrency: 4,
      handle: async (event) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 100));
        order.push(event.id);
        inFlight -= 1;
      },
    });

    await waitFor(() => order.length === 8, 30_000, 'all eight events');
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(order.filter((id) => [streamA.id, streamA2.id, streamA3.id].includes(id))).toEqual([
      streamA.id,
      streamA2.id,
      streamA3.id,
    ]);

    // Every offset was committed: a new consumer of the group finds nothing left to handle.
    await consumer.stop();
    running.splice(running.indexOf(consumer), 1);
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    expect(offsets[0]?.partitions[0]?.offset).toBe('8');
  });

  it('with eventTypes, hands over only those types and still commits past the others', async () => {
    const { topic, groupId } = await setUp(1);
    const wanted = submissionStarted();
    const other = { ...submissionStarted(), type: 'messaging.MessageSent.v1' };
    const handled: string[] = [];
    await producer.publish(topic, [wanted]);
    await producer.publish(topic, [
      {
        ...other,
        data: {
          messageId: (wanted.data as { messageId: string }).messageId,
          tenantId: (wanted.data as { tenantId: string }).tenantId,
          carrierMessageId: 'c-1',
          sentAt: new Date().toISOString(),
        },
      },
    ]);
    const last = submissionStarted();
    await producer.publish(topic, [last]);
    await startConsumer({
      groupId,
      topics: [topic],
      eventTypes: ['messaging.MessageSubmissionStarted.v1'],
      handle: (event) => {
        handled.push(event.id);
        return Promise.resolve();
      },
    });
    await waitFor(() => handled.length === 2, 30_000, 'the two wanted events');
    expect(handled).toEqual([wanted.id, last.id]);
  });

  it('with handleBatch, hands a fetched batch over in one call, in order', async () => {
    const { topic, groupId } = await setUp(1);
    const events = Array.from({ length: 6 }, () => submissionStarted());
    await producer.publish(topic, events);
    const calls: string[][] = [];
    const oneByOne: string[] = [];
    await startConsumer({
      groupId,
      topics: [topic],
      handleBatch: (batch) => {
        calls.push(batch.map((e) => e.id));
        return Promise.resolve();
      },
      handle: (event) => {
        oneByOne.push(event.id);
        return Promise.resolve();
      },
    });
    await waitFor(() => calls.flat().length === 6, 30_000, 'the batch');
    expect(calls.flat()).toEqual(events.map((e) => e.id));
    expect(calls.length).toBeLessThan(6);
    expect(oneByOne).toEqual([]);
  });

  it('catches up on a backlog in batches bounded by the fetch size, not in one', async () => {
    const { topic, groupId } = await setUp(1);
    const events = Array.from({ length: 1_500 }, () => submissionStarted());
    // In sends of 50: the broker returns whole record batches, one per send here.
    for (let at = 0; at < events.length; at += 50) {
      await producer.publish(topic, events.slice(at, at + 50));
    }
    const batchSizes: number[] = [];
    const handled: string[] = [];
    await startConsumer({
      groupId,
      topics: [topic],
      handleBatch: (batch) => {
        batchSizes.push(batch.length);
        handled.push(...batch.map((e) => e.id));
        return Promise.resolve();
      },
      handle: () => Promise.reject(new Error('the batch handler takes every event')),
    });
    await waitFor(() => handled.length === events.length, 30_000, 'the backlog');
    expect(handled).toEqual(events.map((e) => e.id));
    // Each record is well over 300 bytes, so no fetch of at most 256 KiB holds 1,000 of them
    // (with kafkajs's 1 MiB default the whole backlog came in one batch).
    expect(Math.max(...batchSizes)).toBeLessThan(1_000);
    expect(batchSizes.length).toBeGreaterThan(1);
  });

  it('falls back to one event at a time when the batch handler fails, so only the poison event is dead-lettered', async () => {
    const { topic, groupId, dlq } = await setUp(1);
    const events = Array.from({ length: 4 }, () => submissionStarted());
    const poison = events[2];
    await producer.publish(topic, events);
    const handled: string[] = [];
    await startConsumer({
      groupId,
      topics: [topic],
      maxAttempts: 2,
      handleBatch: (batch) =>
        batch.some((e) => e.id === poison?.id)
          ? Promise.reject(new Error('poison in the batch'))
          : Promise.resolve(),
      handle: (event) => {
        if (event.id === poison?.id) return Promise.reject(new Error('poison'));
        handled.push(event.id);
        return Promise.resolve();
      },
    });
    await waitFor(() => handled.length === 3, 30_000, 'the three good events');
    expect(handled).toEqual(events.filter((e) => e !== poison).map((e) => e.id));
    const deadline = Date.now() + 30_000;
    while ((await recordCount(kafka, dlq)) < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await recordCount(kafka, dlq)).toBe(1);
  });

  it('passes a redelivered event to the handler again with the same id', async () => {
    const { topic, groupId } = await setUp();
    const event = submissionStarted();
    const handledIds: string[] = [];

    await producer.publish(topic, [event]);
    await producer.publish(topic, [event]);
    await startConsumer({
      groupId,
      topics: [topic],
      handle: ({ id }) => {
        handledIds.push(id);
        return Promise.resolve();
      },
    });

    await waitFor(() => handledIds.length === 2, 30_000, 'both deliveries');
    expect(handledIds).toEqual([event.id, event.id]);
  });

  it('runs the handler in a consumer span continuing the trace of the event', async () => {
    const telemetry = initTelemetry({ serviceName: 'kafka-lib-int-test', inMemory: true });
    try {
      const { topic, groupId } = await setUp();
      const event = submissionStarted();
      let seenTraceparent: string | undefined;

      await producer.publish(topic, [event]);
      await startConsumer({
        groupId,
        topics: [topic],
        handle: () => {
          seenTraceparent = currentTraceparent();
          return Promise.resolve();
        },
      });

      await waitFor(() => seenTraceparent !== undefined, 30_000, 'the handler');
      expect(traceIdOf(seenTraceparent ?? '')).toBe(traceIdOf(event.traceparent ?? ''));
      const span = telemetry.finishedSpans().find((s) => s.name === `process ${topic}`);
      expect(span?.kind).toBe(CONSUMER_SPAN_KIND);
      expect(span?.parentSpanContext?.spanId).toBe(event.traceparent?.split('-')[2]);
      expect(span?.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': groupId,
        'messaging.message.id': event.id,
        'cloudevents.event_type': event.type,
      });
    } finally {
      await telemetry.shutdown();
    }
  });

  it('sends an event whose handler keeps failing to the DLQ and moves on', async () => {
    const { topic, groupId, dlq } = await setUp();
    const poison = submissionStarted();
    const next = submissionStarted();
    const attempts: string[] = [];
    const handled: string[] = [];
    const logger = new RecordingLogger();

    await producer.publish(topic, [poison, next]);
    await startConsumer({
      groupId,
      topics: [topic],
      maxAttempts: 3,
      logger,
      handle: ({ id }) => {
        attempts.push(id);
        if (id === poison.id) return Promise.reject(new Error(`cannot handle ${id}`));
        handled.push(id);
        return Promise.resolve();
      },
    });

    await waitFor(() => handled.includes(next.id), 30_000, 'the event after the poison one');
    expect(attempts).toEqual([poison.id, poison.id, poison.id, next.id]);
    const [letter, ...more] = await readRecords(kafka, scratch, dlq, 1);
    expect(more).toEqual([]);
    const headers = letter?.headers ?? {};
    expect(headerText(headers, 'ce_id')).toBe(poison.id);
    expect(letter?.key?.toString()).toBe(poison.subject);
    expect(JSON.parse(letter?.value?.toString() ?? '')).toEqual(poison.data);
    expect(headerText(headers, DlqHeaders.reason)).toBe(`Error: cannot handle ${poison.id}`);
    expect(headerText(headers, DlqHeaders.attempts)).toBe('3');
    expect(headerText(headers, DlqHeaders.originalTopic)).toBe(topic);
    expect(headerText(headers, DlqHeaders.originalPartition)).toBe('0');
    expect(headerText(headers, DlqHeaders.originalOffset)).toBe('0');
    expect(Date.parse(headerText(headers, DlqHeaders.failedAt) ?? '')).not.toBeNaN();
    expect(logger.entries.filter((e) => e.msg === 'event handler failed')).toHaveLength(3);
  });

  it('sends an event that breaks its schema to the DLQ without calling the handler', async () => {
    const { topic, groupId, dlq } = await setUp();
    const invalid = submissionStarted({ data: { messageId: 'not-a-uuid' } });
    const valid = submissionStarted();
    const handled: string[] = [];

    const unchecked = new EventProducer(kafka, { validate: false });
    await unchecked.connect();
    await unchecked.publish(topic, [invalid]);
    await unchecked.disconnect();
    await producer.publish(topic, [valid]);
    await startConsumer({
      groupId,
      topics: [topic],
      handle: ({ id }) => {
        handled.push(id);
        return Promise.resolve();
      },
    });

    await waitFor(() => handled.length === 1, 30_000, 'the valid event');
    expect(handled).toEqual([valid.id]);
    const [letter] = await readRecords(kafka, scratch, dlq, 1);
    const headers = letter?.headers ?? {};
    expect(headerText(headers, 'ce_id')).toBe(invalid.id);
    expect(headerText(headers, DlqHeaders.attempts)).toBe('0');
    expect(headerText(headers, DlqHeaders.reason)).toMatch(/^invalid event: .*messageId/);
  });

  it('sends a message that is not a CloudEvent to the DLQ', async () => {
    const { topic, groupId, dlq } = await setUp();
    const valid = submissionStarted();
    const handled: string[] = [];
    const raw = kafka.producer();
    await raw.connect();
    await raw.send({ topic, messages: [{ key: 'k', value: 'plain text', headers: { x: 'y' } }] });
    await raw.disconnect();

    await producer.publish(topic, [valid]);
    await startConsumer({
      groupId,
      topics: [topic],
      handle: ({ id }) => {
        handled.push(id);
        return Promise.resolve();
      },
    });

    await waitFor(() => handled.length === 1, 30_000, 'the valid event');
    const [letter] = await readRecords(kafka, scratch, dlq, 1);
    expect(letter?.value?.toString()).toBe('plain text');
    expect(headerText(letter?.headers ?? {}, 'x')).toBe('y');
    expect(headerText(letter?.headers ?? {}, DlqHeaders.reason)).toMatch(/Not a CloudEvent/);
  });

  it('retries a handler that fails twice, handles the event once, and writes no DLQ record', async () => {
    const { topic, groupId, dlq } = await setUp();
    const flaky = submissionStarted();
    const next = submissionStarted();
    let failuresLeft = 2;
    const calls: string[] = [];
    const handled: string[] = [];

    await producer.publish(topic, [flaky, next]);
    await startConsumer({
      groupId,
      topics: [topic],
      maxAttempts: 5,
      handle: ({ id }) => {
        calls.push(id);
        if (id === flaky.id && failuresLeft > 0) {
          failuresLeft -= 1;
          return Promise.reject(new Error('transient'));
        }
        handled.push(id);
        return Promise.resolve();
      },
    });

    await waitFor(() => handled.length === 2, 30_000, 'both events');
    expect(calls).toEqual([flaky.id, flaky.id, flaky.id, next.id]);
    expect(handled).toEqual([flaky.id, next.id]);
    expect(await recordCount(kafka, dlq)).toBe(0);
  });

  it('commits what it handled: a restarted group resumes after the last handled event', async () => {
    const { topic, groupId } = await setUp(2);
    const before = [submissionStarted(), submissionStarted(), submissionStarted()];
    const after = submissionStarted();
    const handled: string[] = [];
    const options = {
      groupId,
      topics: [topic],
      handle: ({ id }: EventEnvelope) => {
        handled.push(id);
        return Promise.resolve();
      },
    };

    await producer.publish(topic, before);
    const first = await startConsumer(options);
    await waitFor(() => handled.length === 3, 30_000, 'the first events');
    await first.stop();
    running.splice(running.indexOf(first), 1);
    await producer.publish(topic, [after]);
    await startConsumer(options);

    await waitFor(() => handled.length === 4, 30_000, 'the event published after the restart');
    expect(handled.slice(3)).toEqual([after.id]);
  });

  it('commits what it handled within about a second while running, with no further batch', async () => {
    const { topic, groupId } = await setUp();
    let handled = 0;
    await producer.publish(topic, [submissionStarted()]);
    await startConsumer({
      groupId,
      topics: [topic],
      handle: () => {
        handled += 1;
        return Promise.resolve();
      },
    });
    await waitFor(() => handled === 1, 30_000, 'the first event');
    // Both batches end within a second of the consumer's start: no batch's end commits them,
    // only the consumer's own timer can.
    await producer.publish(topic, [submissionStarted()]);
    await waitFor(() => handled === 2, 30_000, 'the second event');

    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = async (): Promise<string | undefined> => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return offsets?.partitions[0]?.offset;
      };
      const deadline = Date.now() + 5_000;
      while ((await committed()) !== '2' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await committed()).toBe('2');
    } finally {
      await admin.disconnect();
    }
  });

  it('stops gracefully: the event in flight finishes and is committed', async () => {
    const { topic, groupId } = await setUp();
    const slow = submissionStarted();
    const handled: string[] = [];
    let started = false;
    const options = {
      groupId,
      topics: [topic],
      handle: async ({ id }: EventEnvelope) => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
        handled.push(id);
      },
    };

    await producer.publish(topic, [slow]);
    const first = await startConsumer(options);
    await waitFor(() => started, 30_000, 'the handler to start');
    await first.stop();
    running.splice(running.indexOf(first), 1);
    expect(handled).toEqual([slow.id]);

    const next = submissionStarted();
    await producer.publish(topic, [next]);
    await startConsumer(options);
    await waitFor(() => handled.length === 2, 30_000, 'the next event');
    expect(handled).toEqual([slow.id, next.id]);
  });

  it('stopping during a retry wait leaves the event uncommitted for the next run', async () => {
    const { topic, groupId, dlq } = await setUp();
    const event = submissionStarted();
    let fixed = false;
    let failures = 0;
    const handled: string[] = [];
    const options = {
      groupId,
      topics: [topic],
      backoffMs: { initial: 20_000, max: 20_000 },
      handle: ({ id }: EventEnvelope) => {
        if (!fixed) {
          failures += 1;
          return Promise.reject(new Error('not yet'));
        }
        handled.push(id);
        return Promise.resolve();
      },
    };

    await producer.publish(topic, [event]);
    const first = await startConsumer(options);
    await waitFor(() => failures === 1, 30_000, 'the first failure');
    const stopping = Date.now();
    await first.stop();
    running.splice(running.indexOf(first), 1);
    expect(Date.now() - stopping).toBeLessThan(5_000);

    fixed = true;
    await startConsumer(options);
    await waitFor(() => handled.length === 1, 30_000, 'the event on the next run');
    expect(handled).toEqual([event.id]);
    expect(await recordCount(kafka, dlq)).toBe(0);
  });

  describe('when a dependency is unavailable', () => {
    // What pg raises while Postgres restarts; the classifier here stands for the services' one.
    const startingUp = (): Error =>
      Object.assign(new Error('the database system is starting up'), { code: '57P03' });
    const postgresDown = (error: unknown) =>
      error instanceof Error && 'code' in error && error.code === '57P03'
        ? { dependency: 'postgres', reason: `57P03: ${error.message}` }
        : undefined;
    const outageSince = new Date('2026-12-01T20:00:00.000Z');

    it('holds the event without spending attempts until the dependency is back, and dead-letters nothing', async () => {
      const { topic, groupId, dlq } = await setUp();
      const held = submissionStarted();
      const next = submissionStarted();
      let databaseUp = false;
      let outageFailures = 0;
      const handled: string[] = [];
      await producer.publish(topic, [held, next]);
      const consumer = await startConsumer({
        groupId,
        topics: [topic],
        maxAttempts: 2,
        outageBackoffMs: FAST_BACKOFF,
        dependencyUnavailable: postgresDown,
        now: () => outageSince,
        handle: ({ id }) => {
          if (!databaseUp) {
            outageFailures += 1;
            return Promise.reject(startingUp());
          }
          handled.push(id);
          return Promise.resolve();
        },
      });

      // Far more failures than maxAttempts, and the partition has not moved past the event.
      await waitFor(() => outageFailures >= 6, 30_000, 'failures during the outage');
      expect(handled).toEqual([]);
      expect(consumer.status()).toEqual({
        state: 'waiting',
        dependency: 'postgres',
        reason: '57P03: the database system is starting up',
        since: outageSince,
      });

      databaseUp = true;
      await waitFor(() => handled.length === 2, 30_000, 'both events once the database is back');
      expect(handled).toEqual([held.id, next.id]);
      expect(consumer.status()).toEqual({ state: 'consuming' });
      expect(await recordCount(kafka, dlq)).toBe(0);
    });

    it('still dead-letters an event that fails on its own after maxAttempts', async () => {
      const { topic, groupId, dlq } = await setUp();
      const poison = submissionStarted();
      const next = submissionStarted();
      let outageLeft = 3;
      const attempts: string[] = [];
      const handled: string[] = [];
      await producer.publish(topic, [poison, next]);
      await startConsumer({
        groupId,
        topics: [topic],
        maxAttempts: 2,
        outageBackoffMs: FAST_BACKOFF,
        dependencyUnavailable: postgresDown,
        handle: ({ id }) => {
          if (outageLeft > 0) {
            outageLeft -= 1;
            return Promise.reject(startingUp());
          }
          attempts.push(id);
          if (id === poison.id) return Promise.reject(new Error('not a valid submission'));
          handled.push(id);
          return Promise.resolve();
        },
      });

      await waitFor(() => handled.includes(next.id), 30_000, 'the event after the poison one');
      expect(attempts).toEqual([poison.id, poison.id, next.id]);
      const [letter, ...more] = await readRecords(kafka, scratch, dlq, 1);
      expect(more).toEqual([]);
      expect(headerText(letter?.headers ?? {}, 'ce_id')).toBe(poison.id);
      expect(headerText(letter?.headers ?? {}, DlqHeaders.attempts)).toBe('2');
      expect(headerText(letter?.headers ?? {}, DlqHeaders.reason)).toBe(
        'Error: not a valid submission',
      );
    });

    it('calls the batch handler again while the dependency is unavailable, never falling back to one by one', async () => {
      const { topic, groupId, dlq } = await setUp();
      const events = Array.from({ length: 4 }, () => submissionStarted());
      await producer.publish(topic, events);
      let outageLeft = 4;
      const batches: string[][] = [];
      const oneByOne: string[] = [];
      await startConsumer({
        groupId,
        topics: [topic],
        maxAttempts: 1,
        outageBackoffMs: FAST_BACKOFF,
        dependencyUnavailable: postgresDown,
        handleBatch: (batch) => {
          if (outageLeft > 0) {
            outageLeft -= 1;
            return Promise.reject(startingUp());
          }
          batches.push(batch.map((e) => e.id));
          return Promise.resolve();
        },
        handle: ({ id }) => {
          oneByOne.push(id);
          return Promise.resolve();
        },
      });

      await waitFor(
        () => batches.flat().length === 4,
        30_000,
        'the batch once the database is back',
      );
      expect(batches.flat()).toEqual(events.map((e) => e.id));
      expect(outageLeft).toBe(0);
      expect(oneByOne).toEqual([]);
      expect(await recordCount(kafka, dlq)).toBe(0);
    });

    it('stops promptly while waiting, leaving the event for the next run', async () => {
      const { topic, groupId, dlq } = await setUp();
      const event = submissionStarted();
      let databaseUp = false;
      let outageFailures = 0;
      const handled: string[] = [];
      const options = {
        groupId,
        topics: [topic],
        outageBackoffMs: { initial: 60_000, max: 60_000 },
        dependencyUnavailable: postgresDown,
        handle: ({ id }: EventEnvelope) => {
          if (!databaseUp) {
            outageFailures += 1;
            return Promise.reject(startingUp());
          }
          handled.push(id);
          return Promise.resolve();
        },
      };
      await producer.publish(topic, [event]);
      const first = await startConsumer(options);
      await waitFor(() => outageFailures === 1, 30_000, 'the first failure');
      // The stop must not sit out the minute-long wait (the test's own timeout is shorter).
      await first.stop();
      running.splice(running.indexOf(first), 1);

      databaseUp = true;
      await startConsumer(options);
      await waitFor(() => handled.length === 1, 30_000, 'the event on the next run');
      expect(handled).toEqual([event.id]);
      expect(await recordCount(kafka, dlq)).toBe(0);
    });
  });

  it('refuses to start when its DLQ topic does not exist', async () => {
    const topic = await scratch.topic(uniqueName('events'));
    const groupId = scratch.group(uniqueName('group'));
    const consumer = new EventConsumer({
      kafka,
      groupId,
      topics: [topic],
      handle: () => Promise.resolve(),
    });

    await expect(consumer.start()).rejects.toThrow(
      `needs topics that do not exist: ${dlqTopicFor(groupId)}`,
    );
  });
});
