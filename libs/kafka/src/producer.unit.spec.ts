import { InvalidEventError } from '@textplane/contracts';
import type { ProducerBatch, ProducerConfig } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { submissionStarted } from '../test/events.js';
import { EventProducer, type ProducerSource } from './producer.js';

/** A kafkajs stand-in that records the producer config and every batch sent. */
class RecordingKafka implements ProducerSource {
  readonly configs: (ProducerConfig | undefined)[] = [];
  readonly batches: ProducerBatch[] = [];

  producer(config?: ProducerConfig) {
    this.configs.push(config);
    return {
      connect: () => Promise.resolve(),
      disconnect: () => Promise.resolve(),
      sendBatch: (batch: ProducerBatch) => {
        this.batches.push(batch);
        return Promise.resolve([]);
      },
    };
  }
}

describe('EventProducer', () => {
  it('uses an idempotent producer with one request in flight', () => {
    const kafka = new RecordingKafka();

    new EventProducer(kafka);

    expect(kafka.configs).toEqual([
      expect.objectContaining({ idempotent: true, maxInFlightRequests: 1 }),
    ]);
  });

  it('sends the events in order in one batch acknowledged by all in-sync replicas', async () => {
    const kafka = new RecordingKafka();
    const producer = new EventProducer(kafka);
    const events = [submissionStarted(), submissionStarted()];

    await producer.publish('test-topic', events);

    expect(kafka.batches).toHaveLength(1);
    const [batch] = kafka.batches;
    expect(batch?.acks).toBe(-1);
    expect(batch?.topicMessages?.map((t) => t.topic)).toEqual(['test-topic']);
    expect(batch?.topicMessages?.[0]?.messages.map((m) => m.key)).toEqual(
      events.map((e) => e.subject),
    );
  });

  it('refuses a batch holding an invalid event and sends nothing of it', async () => {
    const kafka = new RecordingKafka();
    const producer = new EventProducer(kafka);
    const invalid = submissionStarted({ data: { messageId: 'not-a-uuid' } });

    await expect(producer.publish('test-topic', [submissionStarted(), invalid])).rejects.toThrow(
      InvalidEventError,
    );
    await expect(producer.publish('test-topic', [invalid])).rejects.toThrow(invalid.id);
    expect(kafka.batches).toEqual([]);
  });

  it('refuses an event of an unknown type', async () => {
    const kafka = new RecordingKafka();
    const producer = new EventProducer(kafka);

    await expect(
      producer.publish('test-topic', [submissionStarted({ type: 'messaging.Unheard.v1' })]),
    ).rejects.toThrow(/unknown event type/);
    expect(kafka.batches).toEqual([]);
  });

  it('sends an invalid event when validation is turned off', async () => {
    const kafka = new RecordingKafka();
    const producer = new EventProducer(kafka, { validate: false });

    await producer.publish('test-topic', [submissionStarted({ data: { messageId: 'x' } })]);

    expect(kafka.batches).toHaveLength(1);
  });

  it('routes events to their contract topics in a single batch', async () => {
    const kafka = new RecordingKafka();
    const producer = new EventProducer(kafka);
    const tenantId = '0190b4c2-7d51-7cc3-9a3e-3f5d1c2b4a10';
    const tenantCreated = submissionStarted({
      type: 'gateway.SenderNumberAdded.v1',
      subject: `tenant-${tenantId}`,
      data: { tenantId, phoneNumber: '+15550100', addedAt: '2026-11-26T21:00:00Z' },
    });

    await producer.publishByContract([submissionStarted(), tenantCreated, submissionStarted()]);

    expect(kafka.batches).toHaveLength(1);
    expect(kafka.batches[0]?.topicMessages?.map((t) => [t.topic, t.messages.length])).toEqual([
      ['messaging.messages.events.v1', 2],
      ['gateway.tenants.events.v1', 1],
    ]);
  });
});
