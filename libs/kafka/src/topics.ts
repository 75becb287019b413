import type { TopicSpec } from '@textplane/contracts';
import type { Kafka } from 'kafkajs';

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
      const didCreate = await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: spec.name,
            numPartitions: spec.partitions,
            configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
          },
        ],
      });
      if (didCreate) created.push(spec.name);
    }
    return { created };
  } finally {
    await admin.disconnect();
  }
}
