import type { Admin, Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ensureTopics } from './topics.js';

const spec = { name: 'test.things.events.v1', partitions: 2, retentionMs: 1000 };

function unknownTopic(): Error {
  return Object.assign(new Error('This server does not host this topic-partition'), {
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
  });
}

/** An admin whose createTopics creates the topic, then fails its wait for leaders. */
function fakeKafka(metadataLagsFor: number, createError = unknownTopic()): Kafka {
  let metadataReads = 0;
  const admin = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    listTopics: () => Promise.resolve([]),
    createTopics: () => Promise.reject(createError),
    fetchTopicMetadata: () => {
      metadataReads += 1;
      if (metadataReads <= metadataLagsFor) return Promise.reject(unknownTopic());
      return Promise.resolve({
        topics: [{ name: spec.name, partitions: [{ partitionId: 0 }, { partitionId: 1 }] }],
      });
    },
  } as unknown as Admin;
  return { admin: () => admin } as unknown as Kafka;
}

describe('ensureTopics', () => {
  it('waits out metadata that lags behind a topic it just created', async () => {
    await expect(ensureTopics(fakeKafka(2), [spec])).resolves.toEqual({ created: [spec.name] });
  });

  it('passes on any other failure of the creation', async () => {
    const refused = Object.assign(new Error('not authorized'), {
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
    await expect(ensureTopics(fakeKafka(0, refused), [spec])).rejects.toBe(refused);
  });
});
