import kafkajs, { type Kafka } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KafkaScratch, testKafka, uniqueName } from '../test/kafka-harness.js';
import { ensureTopics } from './topics.js';

describe('ensureTopics (real Kafka)', () => {
  let kafka: Kafka;
  let scratch: KafkaScratch;

  beforeEach(() => {
    kafka = testKafka();
    scratch = new KafkaScratch(kafka);
  });

  afterEach(async () => {
    await scratch.cleanUp();
  });

  async function describeTopic(topic: string): Promise<{ partitions: number; retention: string }> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] },
        ],
      });
      const retention = configs.resources[0]?.configEntries.find(
        (e) => e.configName === 'retention.ms',
      );
      return {
        partitions: metadata.topics[0]?.partitions.length ?? 0,
        retention: retention?.configValue ?? '(none)',
      };
    } finally {
      await admin.disconnect();
    }
  }

  it('creates missing topics with their partitions and retention, once', async () => {
    const weekly = uniqueName('weekly');
    const forever = uniqueName('forever');
    scratch.track(weekly, forever);
    const specs = [
      { name: weekly, partitions: 3, retentionMs: 7 * 24 * 3_600_000 },
      { name: forever, partitions: 1, retentionMs: -1 },
    ];

    expect(await ensureTopics(kafka, specs)).toEqual({ created: [weekly, forever] });
    expect(await ensureTopics(kafka, specs)).toEqual({ created: [] });

    expect(await describeTopic(weekly)).toEqual({ partitions: 3, retention: '604800000' });
    expect(await describeTopic(forever)).toEqual({ partitions: 1, retention: '-1' });
  });

  it('creates only the topics that are missing', async () => {
    const existing = uniqueName('existing');
    const missing = uniqueName('missing');
    scratch.track(existing, missing);
    await ensureTopics(kafka, [{ name: existing, partitions: 1, retentionMs: 60_000 }]);

    const result = await ensureTopics(kafka, [
      { name: existing, partitions: 1, retentionMs: 60_000 },
      { name: missing, partitions: 2, retentionMs: 60_000 },
    ]);

    expect(result).toEqual({ created: [missing] });
  });
});
