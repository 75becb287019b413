import type { TopicSpec } from '@textplane/contracts';
import type { Admin, Kafka } from 'kafkajs';

/** How long a created topic may take to show up in the broker's metadata. */
const METADATA_WAIT = { attempts: 40, intervalMs: 250 };

/**
 * Creates the topics of `specs` that do not exist yet, with their partition count and
 * retention (`retentionMs` -1 keeps records forever). Topics are never left to broker
 * auto-create, whose defaults would silently differ from the registry. Existing topics are
 * left as they are; safe to run concurrently from several processes.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
): Promise<{ created: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const created: string[] = [];
    const seen = new Set<string>();
    for (const spec of specs) {
      if (existing.has(spec.name) || seen.has(spec.name)) continue;
      seen.add(spec.name);
      // One request per topic, so `created` stays exact when another process creates some of
      // the same topics at the same time (kafkajs then answers false instead of throwing).
      const didCreate = await admin
        .createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: spec.name,
              numPartitions: spec.partitions,
              configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
            },
          ],
        })
        .catch(async (error: unknown) => {
          // kafkajs waits for leaders by reading metadata, and a busy broker can answer that
          // read "unknown topic" just after creating it: the topic exists, its metadata lags.
          if (!isUnknownTopic(error)) throw error;
          await waitForMetadata(admin, spec.name, error);
          return true;
        });
      if (didCreate) created.push(spec.name);
    }
    return { created };
  } finally {
    await admin.disconnect();
  }
}

function isUnknownTopic(error: unknown): boolean {
  return (error as { type?: unknown } | null)?.type === 'UNKNOWN_TOPIC_OR_PARTITION';
}

async function waitForMetadata(admin: Admin, topic: string, cause: unknown): Promise<void> {
  for (let attempt = 1; attempt <= METADATA_WAIT.attempts; attempt += 1) {
    const found = await admin.fetchTopicMetadata({ topics: [topic] }).then(
      ({ topics }) => topics.some((t) => t.name === topic && t.partitions.length > 0),
      (error: unknown) => {
        if (isUnknownTopic(error)) return false;
        throw error;
      },
    );
    if (found) return;
    await new Promise((resolve) => setTimeout(resolve, METADATA_WAIT.intervalMs));
  }
  throw new Error(`topic ${topic} was created but its metadata never showed it`, { cause });
}
