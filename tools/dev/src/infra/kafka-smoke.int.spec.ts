// Proves that the kafkajs features the platform relies on work against the local Kafka
// (4.x, KRaft): idempotent producer, consumer group join + manual commit, admin topic lifecycle.
import { randomUUID } from 'node:crypto';
import { fixKafkajsRequestQueueTimer } from '@textplane/kafka';
import { Kafka, Partitioners, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevConfig } from '../config.js';

const config = loadDevConfig();
const seenWarnings: string[] = [];
const recordWarning = (warning: Error): void => {
  seenWarnings.push(warning.name);
};

function kafkaClient(clientId: string, level: logLevel = logLevel.WARN): Kafka {
  return new Kafka({ clientId, brokers: [...config.kafkaBrokers], logLevel: level });
}

/** Retries an assertion until it passes; after 20 s its last failure is the test's failure. */
async function eventually(assertion: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error: unknown) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('kafkajs against the local Kafka', () => {
  let admin: Admin;

  beforeAll(async () => {
    // As every service does: kafkajs's request queues must not spin on a negative timeout.
    fixKafkajsRequestQueueTimer();
    process.on('warning', recordWarning);
    admin = kafkaClient(`smoke-admin-${randomUUID()}`).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    process.off('warning', recordWarning);
  });

  it('creates, lists and deletes a topic', async () => {
    const topic = `tp-smoke-admin-${randomUUID()}`;
    expect(
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true }),
    ).toBe(true);
    expect(await admin.listTopics()).toContain(topic);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0]?.partitions).toHaveLength(2);

    await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
    await eventually(async () => {
      expect(await admin.listTopics()).not.toContain(topic);
    });
  });

  it('refuses to auto-create a topic on produce', async () => {
    // Silent: the refusal this test expects is logged by kafkajs as an error.
    const producer = kafkaClient(`smoke-autocreate-${randomUUID()}`, logLevel.NOTHING).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
      retry: { retries: 1, initialRetryTime: 100 },
    });
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: `tp-smoke-missing-${randomUUID()}`, messages: [{ value: 'x' }] }),
      ).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
  });

  it('produces idempotently, consumes in a group and commits offsets', async () => {
    const topic = `tp-smoke-flow-${randomUUID()}`;
    const groupId = `tp-smoke-group-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const kafka = kafkaClient(`smoke-flow-${randomUUID()}`);
    // An explicit partitioner (murmur2, as the Java client) instead of KAFKAJS_NO_PARTITIONER_WARNING.
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const consumer = kafka.consumer({ groupId });
    try {
      await producer.connect();
      const streams = ['stream-a', 'stream-b', 'stream-c'];
      const sent = streams.flatMap((stream) =>
        Array.from({ length: 4 }, (_, version) => ({ key: stream, value: `${stream}:${version}` })),
      );
      const acks = await producer.send({ topic, messages: sent });
      expect(acks.every((ack) => ack.errorCode === 0)).toBe(true);

      const received: { key: string; value: string }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          received.push({
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
          });
          await consumer.commitOffsets([
            { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
          ]);
        },
      });
      await eventually(() => {
        expect(received).toHaveLength(sent.length);
        return Promise.resolve();
      });
      for (const stream of streams) {
        // One key, one partition: a stream's events arrive in the order they were produced.
        expect(received.filter((m) => m.key === stream).map((m) => m.value)).toEqual(
          sent.filter((m) => m.key === stream).map((m) => m.value),
        );
      }

      // A partition that got no message has no committed offset (-1).
      const ends = await admin.fetchTopicOffsets(topic);
      const expected = ends
        .map(({ partition, high }) => ({ partition, offset: high === '0' ? '-1' : high }))
        .sort((a, b) => a.partition - b.partition);
      await eventually(async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const offsets = (committed?.partitions ?? [])
          .map(({ partition, offset }) => ({ partition, offset }))
          .sort((a, b) => a.partition - b.partition);
        expect(offsets).toEqual(expected);
      });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] });
    }
  });

  it('lets no TimeoutNegativeWarning from kafkajs through', () => {
    expect(seenWarnings).not.toContain('TimeoutNegativeWarning');
  });
});
