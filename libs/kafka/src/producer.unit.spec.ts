import { InvalidEventError } from '@textplane/contracts';
import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSProtocolError,
  type ProducerBatch,
  type ProducerConfig,
} from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { submissionStarted } from '../test/events.js';
import { EventProducer, type ProducerSource, producerStateLost } from './producer.js';

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

  describe('when the broker no longer knows the producer’s sequence numbers', () => {
    /** kafkajs's error for a broker answer, wrapped as its retrier bails on a non-retriable one. */
    function refused(type: string, code: number): Error {
      // kafkajs's typings declare less than its constructors take: the broker's error entry, and
      // the cause its retrier passes along.
      const answer = new KafkaJSProtocolError(Object.assign(new Error(type), { type, code }));
      return Object.assign(new KafkaJSNonRetriableError(answer), { cause: answer });
    }

    /** Producers that each refuse their first `refusals[i]` sends, recording what happens. */
    class RefusingKafka implements ProducerSource {
      readonly log: string[] = [];
      private made = 0;

      constructor(private readonly refusals: Array<Error | undefined>) {}

      producer() {
        const id = ++this.made;
        const refusal = this.refusals[id - 1];
        let sends = 0;
        return {
          connect: () => {
            this.log.push(`connect ${id}`);
            return Promise.resolve();
          },
          disconnect: () => {
            this.log.push(`disconnect ${id}`);
            return Promise.resolve();
          },
          sendBatch: () => {
            sends += 1;
            this.log.push(`send ${id}`);
            return refusal && sends === 1 ? Promise.reject(refusal) : Promise.resolve([]);
          },
        };
      }
    }

    it.each([
      ['OUT_OF_ORDER_SEQUENCE_NUMBER', 45],
      ['DUPLICATE_SEQUENCE_NUMBER', 46],
      ['UNKNOWN_PRODUCER_ID', 59],
      ['INVALID_PRODUCER_EPOCH', 47],
    ])('fails the send and retries it with a new producer after %s', async (type, code) => {
      // given a producer whose first send the broker refuses
      const kafka = new RefusingKafka([refused(type, code)]);
      const producer = new EventProducer(kafka);
      await producer.connect();

      // when the send fails and its caller retries it
      await expect(producer.publish('test-topic', [submissionStarted()])).rejects.toThrow(type);
      await producer.publish('test-topic', [submissionStarted()]);

      // then the retry went through a new, connected producer, and the old one was let go
      expect(kafka.log).toEqual(['connect 1', 'send 1', 'disconnect 1', 'connect 2', 'send 2']);
    });

    it('keeps its producer after a failure of another kind', async () => {
      const kafka = new RefusingKafka([new KafkaJSConnectionError('connect ECONNREFUSED')]);
      const producer = new EventProducer(kafka);

      await expect(producer.publish('test-topic', [submissionStarted()])).rejects.toThrow();
      await producer.publish('test-topic', [submissionStarted()]);

      expect(kafka.log).toEqual(['send 1', 'send 1']);
    });

    it('tells a lost producer state from a broker that is away', () => {
      expect(producerStateLost(refused('OUT_OF_ORDER_SEQUENCE_NUMBER', 45))).toBe(
        'OUT_OF_ORDER_SEQUENCE_NUMBER',
      );
      expect(producerStateLost(refused('TOPIC_AUTHORIZATION_FAILED', 29))).toBeUndefined();
      expect(producerStateLost(new KafkaJSConnectionError('gone'))).toBeUndefined();
      expect(producerStateLost('OUT_OF_ORDER_SEQUENCE_NUMBER')).toBeUndefined();
    });
  });
});
