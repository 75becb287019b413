import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsumerGroups, dlqTopicFor, Topics } from '@textplane/contracts';
import { type ConsumedEvent, createKafka, ensureTopics, EventConsumer } from '@textplane/kafka';

type Kafka = ReturnType<typeof createKafka>;
type Admin = ReturnType<Kafka['admin']>;

/** Each consumer group of the services, and the topic it follows (see each service's start()). */
const groupTopics: Readonly<Record<string, string>> = {
  [ConsumerGroups.messagingTenants]: Topics.gatewayTenants,
  [ConsumerGroups.messagingSendRequests]: Topics.gatewaySendRequests,
  [ConsumerGroups.messagingCarrierWebhooks]: Topics.gatewayCarrierWebhooks,
  [ConsumerGroups.messagingCarrierSubmission]: Topics.messagingMessages,
  [ConsumerGroups.messagingConsents]: Topics.consentConsents,
  [ConsumerGroups.gatewayReadModels]: Topics.messagingMessages,
  [ConsumerGroups.gatewayConsentReadModels]: Topics.consentConsents,
  [ConsumerGroups.consentTenants]: Topics.gatewayTenants,
  [ConsumerGroups.consentRequests]: Topics.gatewayConsentRequests,
  [ConsumerGroups.consentInboundReplies]: Topics.messagingMessages,
  [ConsumerGroups.messagingContactRequests]: Topics.gatewayContactRequests,
  [ConsumerGroups.gatewayContactReadModels]: Topics.messagingContacts,
  [ConsumerGroups.gatewayConversationReadModels]: Topics.messagingMessages,
  [ConsumerGroups.gatewayConversationReads]: Topics.gatewayConversations,
  [ConsumerGroups.gatewayTrustReadModels]: Topics.registrationRegistrations,
  [ConsumerGroups.gatewayNumberLookupReadModels]: Topics.messagingNumberLookups,
  [ConsumerGroups.messagingRegistrations]: Topics.registrationRegistrations,
  [ConsumerGroups.registrationTenants]: Topics.gatewayTenants,
  [ConsumerGroups.registrationRequests]: Topics.gatewayRegistrationRequests,
  [ConsumerGroups.registrationCarrierSubmission]: Topics.registrationRegistrations,
  [ConsumerGroups.registrationCarrierWebhooks]: Topics.gatewayCarrierWebhooks,
};

/** Topic → partition → high watermark (the offset the next record will get). */
export type Watermarks = Record<string, Record<number, number>>;

export interface KafkaObservation {
  watermarks: Watermarks;
  /** Groups that have not committed every partition of their topic up to its watermark. */
  lagging: string[];
}

export async function observeKafka(admin: Admin): Promise<KafkaObservation> {
  const watermarks: Watermarks = {};
  for (const topic of Object.values(Topics)) {
    const offsets = await offsetsOf(admin, topic);
    watermarks[topic] = Object.fromEntries(offsets.map((p) => [p.partition, Number(p.high)]));
  }
  const lows: Record<string, Record<number, number>> = {};
  const lagging: string[] = [];
  for (const [groupId, topic] of Object.entries(groupTopics)) {
    const [committed] = await waitingOutNewTopics(() =>
      admin.fetchOffsets({ groupId, topics: [topic] }),
    );
    const highs = watermarks[topic] ?? {};
    lows[topic] ??= Object.fromEntries(
      (await offsetsOf(admin, topic)).map((p) => [p.partition, Number(p.low)]),
    );
    const behind = Object.entries(highs).some(([partition, high]) => {
      const at = Number(
        committed?.partitions.find((p) => p.partition === Number(partition))?.offset,
      );
      // -1: never committed there, which is caught up only if the partition holds nothing.
      return at === -1 ? high !== lows[topic]?.[Number(partition)] : at !== high;
    });
    if (behind) lagging.push(groupId);
  }
  return { watermarks, lagging };
}

/**
 * A topic's offsets. A topic created moments ago (the stack's own at start, this read's DLQ) can
 * be unknown to a busy broker's metadata for a while: that answer is waited out, for up to 10 s.
 */
function offsetsOf(admin: Admin, topic: string): ReturnType<Admin['fetchTopicOffsets']> {
  return waitingOutNewTopics(() => admin.fetchTopicOffsets(topic));
}

async function waitingOutNewTopics<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      const unknownTopic =
        (error as { type?: unknown } | null)?.type === 'UNKNOWN_TOPIC_OR_PARTITION';
      if (!unknownTopic || attempt >= 40) throw error;
      await sleep(250);
    }
  }
}

export function openAdmin(brokers: readonly string[]): { kafka: Kafka; admin: Admin } {
  const kafka = createKafka({ clientId: 'textplane-e2e-rebuild', brokers: [...brokers] });
  return { kafka, admin: kafka.admin() };
}

/**
 * Reads `topics` from the beginning up to `watermarks` with a throwaway consumer group of the
 * project's consumer (decoded and validated against the contracts as every service reads them),
 * each partition in order. Its DLQ is created for it, checked empty (no record failed its
 * contract), and deleted with the group.
 */
export async function readTopicsThrough(
  kafka: Kafka,
  topics: readonly string[],
  watermarks: Watermarks,
): Promise<Record<string, ConsumedEvent[]>> {
  // An admin of its own: the DLQ it creates and deletes stays out of the metadata other reads
  // running at the same time refresh (kafkajs asks the broker again for every topic it has seen).
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await readThrough(kafka, admin, topics, watermarks);
  } finally {
    await admin.disconnect();
  }
}

async function readThrough(
  kafka: Kafka,
  admin: Admin,
  topics: readonly string[],
  watermarks: Watermarks,
): Promise<Record<string, ConsumedEvent[]>> {
  const groupId = `tools.read-model-rebuild.${randomUUID()}`;
  const dlq = dlqTopicFor(groupId);
  await ensureTopics(kafka, [{ name: dlq, partitions: 1, retentionMs: 60 * 60 * 1000 }]);
  const lows = new Map<string, number>();
  for (const topic of topics) {
    for (const p of await offsetsOf(admin, topic)) {
      lows.set(`${topic}/${p.partition}`, Number(p.low));
    }
  }
  const byPartition = new Map<string, ConsumedEvent[]>();
  const consumer = new EventConsumer({
    kafka,
    groupId,
    topics: [...topics],
    fromBeginning: true,
    maxAttempts: 1,
    partitionsConsumedConcurrently: 6,
    handle: (event) => {
      const key = `${event.topic}/${event.partition}`;
      const list = byPartition.get(key) ?? [];
      list.push(event);
      byPartition.set(key, list);
      return Promise.resolve();
    },
  });
  try {
    await consumer.start();
    for (;;) {
      const committed = await waitingOutNewTopics(() =>
        admin.fetchOffsets({ groupId, topics: [...topics] }),
      );
      const done = topics.every((topic) =>
        Object.entries(watermarks[topic] ?? {}).every(([partition, high]) => {
          const at = committed
            .find((c) => c.topic === topic)
            ?.partitions.find((p) => p.partition === Number(partition))?.offset;
          const handled = byPartition.get(`${topic}/${partition}`)?.at(-1)?.offset;
          const empty = high <= (lows.get(`${topic}/${partition}`) ?? 0);
          return empty || Number(at) >= high || Number(handled) >= high - 1;
        }),
      );
      if (done) break;
      await sleep(100);
    }
  } finally {
    await consumer.stop();
  }
  try {
    const dead = await offsetsOf(admin, dlq);
    const count = dead.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    if (count > 0)
      throw new Error(`${count} record(s) of ${topics.join(', ')} failed to decode or validate`);
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [dlq] }).catch(() => undefined);
  }
  const read: Record<string, ConsumedEvent[]> = {};
  for (const topic of topics) {
    const highs = watermarks[topic] ?? {};
    read[topic] = Object.keys(highs)
      .map(Number)
      .sort((a, b) => a - b)
      .flatMap((partition) =>
        (byPartition.get(`${topic}/${partition}`) ?? []).filter(
          (event) => Number(event.offset) < (highs[partition] ?? 0),
        ),
      );
  }
  return read;
}
