export { createKafka, type CreateKafkaOptions, type KafkaLogger } from './client.js';
export { fixKafkajsRequestQueueTimer } from './request-queue-timer.js';
export {
  type EventEnvelope,
  fromKafkaMessage,
  NotACloudEventError,
  toKafkaMessage,
} from './envelope.js';
export {
  EventProducer,
  type EventProducerOptions,
  producerStateLost,
  type ProducerSource,
} from './producer.js';
export {
  type ConsumedEvent,
  type ConsumerStatus,
  type DependencyUnavailable,
  EventConsumer,
  type EventConsumerOptions,
  inEventSpan,
} from './consumer.js';
export { kafkaUnavailable, type KafkaUnavailable } from './kafka-unavailable.js';
export { type Backoff } from './backoff.js';
export { DlqHeaders } from './dead-letter.js';
export { dlqReplayGroupFor, replayDlq, type ReplayDlqOptions } from './dlq-replay.js';
export { ensureTopics } from './topics.js';
export {
  envelopeOf,
  type ContractPublisher,
  type OutboxEvent,
  outboxContractCheck,
  outboxPublisher,
} from './outbox-publisher.js';
