import { randomUUID } from 'node:crypto';
import type { TopicSpec } from '@textplane/contracts';
import { createKafka, type KafkaLogger } from '../src/client.js';
import { ensureTopics } from '../src/topics.js';
import type { Kafka, KafkaMessage } from 'kafkajs';

export const TEST_BROKERS = ['127.0.0.1:9092'];

/** Collects what kafkajs and the lib log, so a test can look at it and the output stays quiet. */
export class RecordingLogger implements KafkaLogger {
  readonly entries: { level: 'warn' | 'error'; msg: string | undefined; obj: object }[] = [];
  warn(obj: object, msg?: string): void {
    this.entries.push({ level: 'warn', msg, obj });
  }
  error(obj: object, msg?: string): void {
    this.entries.push({ level: 'error', msg, obj });
  }
}

export function testKafka(logger: KafkaLogger = new RecordingLogger()): Kafka {
  return createKafka({ clientId: 'kafka-lib-int-test', brokers: TEST_BROKERS, logger });
}

/** A name no other test uses, safe for topics and groups. */
export function uniqueName(purpose: string): string {
  return `test.kafka-lib.${purpose}.${randomUUID().slice(0, 8)}`;
}

/** Topics and consumer groups a test made, removed afterwards. */
export class KafkaScratch {
  private readonly topics = new Set<string>();
  private readonly groups = new Set<string>();

  constructor(private readonly kafka: Kafka) {}

  async topic(name: string, partitions = 1, retentionMs = 60 * 60 * 1000): Promise<string> {
    const spec: TopicSpec = { name, partitions, retentionMs };
    await ensureTopics(this.kafka, [spec]);
    this.topics.add(name);
    return name;
  }

  /** Records topics created by the code under test so they get removed too. */
  track(...topics: string[]): void {
    for (const topic of topics) this.topics.add(topic);
  }

  group(name: string): string {
    this.groups.add(name);
    return name;
  }

  async cleanUp(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existingGroups = new Set((await admin.listGroups()).groups.map((g) => g.groupId));
      const groups = [...this.groups].filter((g) => existingGroups.has(g));
      if (groups.length > 0) await admin.deleteGroups(groups);
      const existingTopics = new Set(await admin.listTopics());
      const topics = [...this.topics].filter((t) => existingTopics.has(t));
      if (topics.length > 0) await admin.deleteTopics({ topics });
    } finally {
      await admin.disconnect();
    }
  }
}

/** Reads the first `count` records of a topic with a throwaway group. */
export async function readRecords(
  kafka: Kafka,
  scratch: KafkaScratch,
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({
    groupId: scratch.group(uniqueName('reader')),
    maxWaitTimeInMs: 500,
  });
  const records: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        records.push(message);
        return Promise.resolve();
      },
    });
    await waitFor(() => records.length >= count, timeoutMs, `${count} records on ${topic}`);
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** The number of records a topic holds (sum of high watermarks; topics here start at 0). */
export async function recordCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
