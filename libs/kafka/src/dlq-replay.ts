import { dlqTopicFor } from '@textplane/contracts';
import type { EachBatchPayload, Kafka, Message } from 'kafkajs';
import type { KafkaLogger } from './client.js';
import { toReplayedMessage } from './dead-letter.js';

export interface ReplayDlqOptions {
  /** Replay at most this many records (default: all up to the end seen at start). */
  limit?: number;
  logger?: KafkaLogger;
}

/** The consumer group whose committed offsets mark how far a group's DLQ was replayed. */
export function dlqReplayGroupFor(groupId: string): string {
  return `${groupId}.dlq-replay`;
}

/**
 * Puts the records of `<group>.dlq` back on their original topics (original key, value and
 * headers, minus the DLQ headers), from where the previous replay stopped up to the end of the
 * DLQ as it was when the call started, or `limit` records. Progress is committed in the group
 * `<group>.dlq-replay`, after each republished batch: a second replay does not repeat the first,
 * and a crash in between at worst republishes a batch twice, which the inbox absorbs. Every
 * consumer group of the original topic receives the event again, and dedupes it by id.
 */
export async function replayDlq(
  kafka: Kafka,
  groupId: string,
  options: ReplayDlqOptions = {},
): Promise<{ replayed: number }> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  if (!(limit >= 0)) throw new Error(`limit must be zero or more, got ${limit}`);
  const dlqTopic = dlqTopicFor(groupId);
  const replayGroup = dlqReplayGroupFor(groupId);

  const endOffsets = await pendingEndOffsets(kafka, dlqTopic, replayGroup);
  if (endOffsets.size === 0 || limit === 0) return { replayed: 0 };

  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const consumer = kafka.consumer({
    groupId: replayGroup,
    allowAutoTopicCreation: false,
    // Bounds the idle long poll that disconnect() waits out once the replay is done.
    maxWaitTimeInMs: 500,
    retry: { restartOnFailure: () => Promise.resolve(false) },
  });
  let replayed = 0;
  const finished = Promise.withResolvers<void>();
  // A crash can come before `finished` is awaited; marking it handled keeps Node from treating
  // that rejection as unhandled. It still rejects the await below.
  finished.promise.catch(() => undefined);
  const removeCrashListener = consumer.on(consumer.events.CRASH, (event) =>
    finished.reject(event.payload.error),
  );

  const replayBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    const end = endOffsets.get(batch.partition);
    if (end === undefined) return;
    const republished: { topic: string; message: Message }[] = [];
    let next: bigint | undefined;
    for (const record of batch.messages) {
      const offset = BigInt(record.offset);
      if (offset >= end) {
        endOffsets.delete(batch.partition);
        break;
      }
      if (replayed + republished.length >= limit) break;
      republished.push(toReplayedMessage(record));
      next = offset + 1n;
    }
    if (republished.length > 0 && next !== undefined) {
      await producer.sendBatch({ acks: -1, topicMessages: groupByTopic(republished) });
      // Resolving moves the fetch position (kafkajs refetches from the last resolved offset);
      // the explicit commit records the cursor for the next replay.
      payload.resolveOffset((next - 1n).toString());
      await payload.commitOffsetsIfNecessary({
        topics: [
          {
            topic: dlqTopic,
            partitions: [{ partition: batch.partition, offset: next.toString() }],
          },
        ],
      });
      replayed += republished.length;
      if (next >= end) endOffsets.delete(batch.partition);
    }
    if (endOffsets.size === 0 || replayed >= limit) finished.resolve();
  };

  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: replayBatch,
    });
    await finished.promise;
    // Putting failed events back in circulation is an operator action worth a trace in the logs.
    options.logger?.warn({ groupId, dlqTopic, replayed }, 'dead-letter records republished');
    return { replayed };
  } finally {
    removeCrashListener();
    await consumer.disconnect();
    await producer.disconnect();
  }
}

/** Per DLQ partition with records left to replay: the end offset (exclusive) to stop at. */
async function pendingEndOffsets(
  kafka: Kafka,
  dlqTopic: string,
  replayGroup: string,
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(dlqTopic)) {
      throw new Error(`DLQ topic ${dlqTopic} does not exist`);
    }
    const ends = await admin.fetchTopicOffsets(dlqTopic);
    const [committed] = await admin.fetchOffsets({ groupId: replayGroup, topics: [dlqTopic] });
    const pending = new Map<number, bigint>();
    for (const { partition, high, low } of ends) {
      const cursor = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      const start = BigInt(cursor) < 0n ? BigInt(low) : BigInt(cursor);
      if (start < BigInt(high)) pending.set(partition, BigInt(high));
    }
    return pending;
  } finally {
    await admin.disconnect();
  }
}

function groupByTopic(
  records: readonly { topic: string; message: Message }[],
): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of records) {
    const messages = byTopic.get(topic);
    if (messages === undefined) byTopic.set(topic, [message]);
    else messages.push(message);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
