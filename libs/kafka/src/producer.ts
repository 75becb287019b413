import { InvalidEventError, topicForEventType, validateEventData } from '@textplane/contracts';
import type { Message, Producer, ProducerConfig, TopicMessages } from 'kafkajs';
import { type EventEnvelope, toKafkaMessage } from './envelope.js';

/** What EventProducer needs from kafkajs; a real `Kafka` fits, and so does a test double. */
export interface ProducerSource {
  producer(config?: ProducerConfig): Pick<Producer, 'connect' | 'disconnect' | 'sendBatch'>;
}

export interface EventProducerOptions {
  /** Validate each event's data against its contract before sending (default true). */
  validate?: boolean;
}

/** Every replica in sync must have the record before the send resolves. */
const ALL_IN_SYNC_REPLICAS = -1;

/**
 * Publishes CloudEvents with an idempotent producer: a retried send never duplicates or
 * reorders records within a partition (idempotence needs at most one request in flight in
 * kafkajs). An event whose data breaks its schema is never published: the whole call is
 * refused before anything is sent.
 */
export class EventProducer {
  private readonly producer: Pick<Producer, 'connect' | 'disconnect' | 'sendBatch'>;
  private readonly validate: boolean;

  constructor(kafka: ProducerSource, options: EventProducerOptions = {}) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    this.validate = options.validate ?? true;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  /** Publishes events, in order, to one topic; each event's key is its stream id. */
  async publish(topic: string, events: readonly EventEnvelope[]): Promise<void> {
    await this.send([{ topic, messages: this.encode(events) }]);
  }

  /**
   * Publishes events to the topic their contract names (`topicForEventType`), one request for
   * all topics; order is kept per topic, hence per stream.
   */
  async publishByContract(events: readonly EventEnvelope[]): Promise<void> {
    const byTopic = new Map<string, EventEnvelope[]>();
    for (const event of events) {
      const topic = topicForEventType(event.type);
      const group = byTopic.get(topic);
      if (group === undefined) byTopic.set(topic, [event]);
      else group.push(event);
    }
    const topicMessages = [...byTopic].map(([topic, group]) => ({
      topic,
      messages: this.encode(group),
    }));
    await this.send(topicMessages);
  }

  private encode(events: readonly EventEnvelope[]): Message[] {
    if (this.validate) {
      for (const event of events) {
        const result = validateEventData(event.type, event.data);
        if (!result.valid) {
          throw new InvalidEventError(`event ${event.id} (${event.type}): ${result.reason}`);
        }
      }
    }
    return events.map(toKafkaMessage);
  }

  private async send(topicMessages: TopicMessages[]): Promise<void> {
    const nonEmpty = topicMessages.filter((t) => t.messages.length > 0);
    if (nonEmpty.length === 0) return;
    await this.producer.sendBatch({ acks: ALL_IN_SYNC_REPLICAS, topicMessages: nonEmpty });
  }
}
