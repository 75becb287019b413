import { dlqTopicFor } from '@textplane/contracts';
import type { Kafka } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { submissionStarted } from '../test/events.js';
import {
  KafkaScratch,
  readRecords,
  recordCount,
  testKafka,
  uniqueName,
  waitFor,
} from '../test/kafka-harness.js';
import { type ConsumedEvent, EventConsumer } from './consumer.js';
import { DlqHeaders, headerText } from './dead-letter.js';
import { dlqReplayGroupFor, replayDlq } from './dlq-replay.js';
import type { EventEnvelope } from './envelope.js';
import { EventProducer } from './producer.js';

describe('replayDlq (real Kafka)', () => {
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

  /**
   * A consumer that fails every event until `fixed` is set, run until `poisoned` events sit in
   * its DLQ.
   */
  async function dlqWith(poisoned: EventEnvelope[]) {
    const topic = await scratch.topic(uniqueName('events'), 2);
    const groupId = scratch.group(uniqueName('group'));
    scratch.group(dlqReplayGroupFor(groupId));
    const dlq = await scratch.topic(dlqTopicFor(groupId));
    const state = { fixed: false, handled: [] as ConsumedEvent[] };
    const consumer = new EventConsumer({
      kafka,
      groupId,
      topics: [topic],
      maxAttempts: 2,
      backoffMs: { initial: 5, max: 10 },
      handle: (event) => {
        if (!state.fixed) return Promise.reject(new Error('handler bug'));
        state.handled.push(event);
        return Promise.resolve();
      },
    });
    running.push(consumer);
    await producer.publish(topic, poisoned);
    await consumer.start();
    await readRecords(kafka, scratch, dlq, poisoned.length);
    return { topic, groupId, dlq, state };
  }

  it('republishes a dead-lettered event to its original topic, where the fixed consumer handles it', async () => {
    const poison = submissionStarted();
    const { topic, groupId, dlq, state } = await dlqWith([poison]);
    state.fixed = true;

    const result = await replayDlq(kafka, groupId);

    expect(result).toEqual({ replayed: 1 });
    await waitFor(() => state.handled.length === 1, 30_000, 'the replayed event');
    const [handled] = state.handled;
    expect(handled).toMatchObject({ ...poison, topic });
    const records = await readRecords(kafka, scratch, topic, 2);
    const copy = records.find((r) => r.offset === handled?.offset);
    expect(copy?.key?.toString()).toBe(poison.subject);
    expect(headerText(copy?.headers ?? {}, 'ce_id')).toBe(poison.id);
    expect(headerText(copy?.headers ?? {}, DlqHeaders.reason)).toBeUndefined();
    expect(Object.keys(copy?.headers ?? {}).filter((h) => h.startsWith('dlq_'))).toEqual([]);
    expect(await recordCount(kafka, dlq)).toBe(1);
  });

  it('does not republish twice: a second replay starts where the first stopped', async () => {
    const { topic, groupId, state } = await dlqWith([submissionStarted()]);
    state.fixed = true;

    expect(await replayDlq(kafka, groupId)).toEqual({ replayed: 1 });
    expect(await replayDlq(kafka, groupId)).toEqual({ replayed: 0 });
    expect(await recordCount(kafka, topic)).toBe(2);
  });

  it('replays at most `limit` records per call', async () => {
    const events = [submissionStarted(), submissionStarted(), submissionStarted()];
    const { topic, groupId, state } = await dlqWith(events);
    state.fixed = true;

    expect(await replayDlq(kafka, groupId, { limit: 2 })).toEqual({ replayed: 2 });
    expect(await replayDlq(kafka, groupId, { limit: 2 })).toEqual({ replayed: 1 });
    expect(await replayDlq(kafka, groupId, { limit: 2 })).toEqual({ replayed: 0 });
    expect(await recordCount(kafka, topic)).toBe(6);
    await waitFor(() => state.handled.length === 3, 30_000, 'the replayed events');
    expect(state.handled.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('replays a DLQ larger than one fetch exactly once', async () => {
    const topic = await scratch.topic(uniqueName('events'));
    const groupId = scratch.group(uniqueName('group'));
    scratch.group(dlqReplayGroupFor(groupId));
    const dlq = await scratch.topic(dlqTopicFor(groupId));
    // 400 kB records: a fetch brings at most 1 MB per partition, so this takes several batches.
    const bulky = 'x'.repeat(400_000);
    const raw = kafka.producer();
    await raw.connect();
    for (let i = 0; i < 6; i += 1) {
      await raw.send({
        topic: dlq,
        messages: [{ key: `k${i}`, value: bulky, headers: { [DlqHeaders.originalTopic]: topic } }],
      });
    }
    await raw.disconnect();

    expect(await replayDlq(kafka, groupId)).toEqual({ replayed: 6 });
    expect(await recordCount(kafka, topic)).toBe(6);
  });

  it('returns at once when the DLQ is empty', async () => {
    const groupId = scratch.group(uniqueName('group'));
    await scratch.topic(dlqTopicFor(groupId));

    expect(await replayDlq(kafka, groupId)).toEqual({ replayed: 0 });
  });

  it('says so when the group has no DLQ topic', async () => {
    const groupId = uniqueName('group');

    await expect(replayDlq(kafka, groupId)).rejects.toThrow(
      `DLQ topic ${dlqTopicFor(groupId)} does not exist`,
    );
  });
});
