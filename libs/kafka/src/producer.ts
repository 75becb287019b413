import { InvalidEventError, topicForEventType, validateEventData } from '@textplane/contracts';
import type { Message, Producer, ProducerConfig, TopicMessages } from 'kafkajs';
import { type EventEnvelope, toKafkaMessage } from './envelope.js';
import { findInErrorChain, stringProperty } from '@textplane/observability';

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

type KafkaProducer = Pick<Producer, 'connect' | 'disconnect' | 'sendBatch'>;

/**
 * Broker answers after which an idempotent producer's id and sequence numbers no longer match
 * the broker's, so every later send would be refused the same way. The usual way there: the
 * broker dies after appending a batch but before answering; kafkajs takes the batch as not
 * written and rolls its sequence back, and the next send (a retry with more events in it) starts
 * at a sequence the broker has already seen. The Java client resets its producer id then
 * (KIP-360); kafkajs does not, so this class does.
 */
const PRODUCER_STATE_LOST: ReadonlySet<string> = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
]);

/** The broker's reason when an error says the producer's idempotence state was lost. */
export function producerStateLost(error: unknown): string | undefined {
  return findInErrorChain(error, (candidate) => {
    const type = stringProperty(candidate, 'type');
    if (stringProperty(candidate, 'name') !== 'KafkaJSProtocolError' || type === undefined) {
      return undefined;
    }
    return PRODUCER_STATE_LOST.has(type) ? type : undefined;
  });
}

/**
 * Publishes CloudEvents with an idempotent producer: a retried send never duplicates or
 * reorders records within a partition (idempotence needs at most one request in flight in
 * kafkajs). An event whose data breaks its schema is never published: the whole call is
 * refused before anything is sent.
 *
 * A send the broker refuses because the producer's idempotence state was lost
 * (`producerStateLost`) still fails, but the producer is replaced by a new one (a new producer
 * id, sequences from 0), so the caller's retry goes through instead of being refused forever.
 * What the lost answer had already written may then be in the log twice: delivery is at least
 * once, and every consumer is idempotent.
 */
export class EventProducer {
  private producer: KafkaProducer;
  /** The replacement producer's connect, awaited by the next send; undefined once connected. */
  private reconnecting: Promise<void> | undefined;
  /** The replacement's connect failed: the next send tries again. */
  private mustConnect = false;
  private readonly validate: boolean;

  constructor(
    private readonly kafka: ProducerSource,
    options: EventProducerOptions = {},
  ) {
    this.producer = this.newProducer();
    this.validate = options.validate ?? true;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.reconnecting?.catch(() => undefined);
    await this.producer.disconnect();
  }

  /** Sends records as they are (a dead-letter copy, say) to one topic, without the contract check. */
  async sendRecords(topic: string, messages: Message[]): Promise<void> {
    await this.send([{ topic, messages }]);
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
    // One after the other, so each partition's records keep their order across the requests.
    for (const request of requestsOf(nonEmpty)) await this.sendRequest(request);
  }

  private async sendRequest(topicMessages: TopicMessages[]): Promise<void> {
    const producer = await this.usable();
    try {
      await producer.sendBatch({ acks: ALL_IN_SYNC_REPLICAS, topicMessages });
    } catch (error: unknown) {
      if (producerStateLost(error) !== undefined && producer === this.producer) {
        this.replace(producer);
      }
      throw error;
    }
  }

  private newProducer(): KafkaProducer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
  }

  /** A new producer (id, sequences) in place of one the broker no longer accepts. */
  private replace(lost: KafkaProducer): void {
    this.producer = this.newProducer();
    this.mustConnect = true;
    lost.disconnect().catch(() => undefined);
  }

  /** The current producer, connected if it replaced one. */
  private async usable(): Promise<KafkaProducer> {
    if (this.mustConnect) {
      this.mustConnect = false;
      this.reconnecting = this.producer.connect().catch((error: unknown) => {
        this.mustConnect = true;
        throw error;
      });
    }
    const reconnecting = this.reconnecting;
    if (reconnecting !== undefined) {
      try {
        await reconnecting;
      } finally {
        if (this.reconnecting === reconnecting) this.reconnecting = undefined;
      }
    }
    return this.producer;
  }
}

/**
 * The bytes of one request's records, at most: the broker refuses a partition's record batch over
 * its `message.max.bytes` (1 MiB by default), and one request puts all of a partition's records in
 * one batch, so a batch of large events (contact-import chunks) is sent as several requests.
 */
export const MAX_REQUEST_RECORD_BYTES = 768 * 1024;

function byteLength(value: Message['value'] | Message['key'] | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

function recordBytes(message: Message): number {
  let bytes = byteLength(message.value) + byteLength(message.key);
  for (const [name, header] of Object.entries(message.headers ?? {})) {
    const values = Array.isArray(header) ? header : [header];
    for (const value of values) bytes += name.length + byteLength(value);
  }
  return bytes;
}

/** The topics' records in order, cut into requests of at most MAX_REQUEST_RECORD_BYTES (a larger record alone). */
export function requestsOf(
  topicMessages: readonly TopicMessages[],
  maxBytes: number = MAX_REQUEST_RECORD_BYTES,
): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let bytes = 0;
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const size = recordBytes(message);
      if (bytes > 0 && bytes + size > maxBytes) {
        requests.push(current);
        current = [];
        bytes = 0;
      }
      const last = current.at(-1);
      if (last?.topic === topic) last.messages.push(message);
      else current.push({ topic, messages: [message] });
      bytes += size;
    }
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
