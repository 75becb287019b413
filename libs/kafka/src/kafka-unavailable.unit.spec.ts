import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaUnavailable } from './kafka-unavailable.js';

const {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSOffsetOutOfRange,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} = kafkajs;

// kafkajs's typings give these no parameters, though it constructs them with their message.
const KafkaJSBrokerNotFound: new (message: string) => Error = kafkajs.KafkaJSBrokerNotFound;
const KafkaJSLockTimeout: new (message: string) => Error = kafkajs.KafkaJSLockTimeout;

/** A broker's error response as kafkajs decodes it (protocol/error.js) before wrapping it. */
function protocolError(type: string, code: number, message: string): Error {
  return new KafkaJSProtocolError(Object.assign(new Error(message), { type, code }));
}

const refused = new KafkaJSConnectionError(
  'Connection error: connect ECONNREFUSED 127.0.0.1:9092',
  {
    broker: '127.0.0.1:9092',
    code: 'ECONNREFUSED',
  },
);

describe('kafkaUnavailable', () => {
  it.each<[string, unknown, string]>([
    [
      'a refused connection',
      refused,
      'KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    ],
    [
      'retries exhausted on a refused connection (what a send or connect throws)',
      new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 1000 }),
      'KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    ],
    [
      'a request timeout',
      new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out', {
        broker: '127.0.0.1:9092',
        clientId: 'messaging',
        correlationId: 7,
        createdAt: 0,
        sentAt: 0,
        pendingDuration: 0,
      }),
      'KafkaJSRequestTimeoutError: Request Produce(key: 0, version: 7) timed out',
    ],
    [
      'no broker known',
      new KafkaJSBrokerNotFound('Broker 1 not found in the cached metadata'),
      'KafkaJSBrokerNotFound: Broker 1 not found in the cached metadata',
    ],
    [
      'a lock timeout of a producer waiting on metadata',
      new KafkaJSLockTimeout(
        'Timeout while acquiring lock (1 waiting locks): "updating target topics"',
      ),
      'KafkaJSLockTimeout: Timeout while acquiring lock (1 waiting locks): "updating target topics"',
    ],
    [
      'a partition without a leader',
      protocolError('LEADER_NOT_AVAILABLE', 5, 'There is no leader for this topic-partition'),
      'KafkaJSProtocolError LEADER_NOT_AVAILABLE: There is no leader for this topic-partition',
    ],
    [
      'retries exhausted on a moved leader',
      new KafkaJSNumberOfRetriesExceeded(
        protocolError('NOT_LEADER_FOR_PARTITION', 6, 'This server is not the leader'),
        { retryCount: 5, retryTime: 1000 },
      ),
      'KafkaJSProtocolError NOT_LEADER_FOR_PARTITION: This server is not the leader',
    ],
    [
      'a broker that is not available',
      protocolError('BROKER_NOT_AVAILABLE', 8, 'The broker is not available'),
      'KafkaJSProtocolError BROKER_NOT_AVAILABLE: The broker is not available',
    ],
    [
      'too few in-sync replicas for acks=all',
      protocolError(
        'NOT_ENOUGH_REPLICAS',
        19,
        'Messages are rejected since there are fewer in-sync replicas than required',
      ),
      'KafkaJSProtocolError NOT_ENOUGH_REPLICAS: Messages are rejected since there are fewer in-sync replicas than required',
    ],
    [
      'a refused connection among the errors of an aggregate',
      new AggregateError([new Error('unrelated'), refused], 'several brokers failed'),
      'KafkaJSConnectionError: Connection error: connect ECONNREFUSED 127.0.0.1:9092',
    ],
  ])('given %s, then Kafka is unavailable', (_, error, reason) => {
    expect(kafkaUnavailable(error)).toEqual({ dependency: 'kafka', reason });
  });

  it.each<[string, unknown]>([
    ['a plain error', new Error('cannot handle the event')],
    ['a generic kafkajs error', new KafkaJSError('something else')],
    ['a non-retriable error', new KafkaJSNonRetriableError('Invalid topic')],
    [
      'a topic that does not exist',
      protocolError(
        'UNKNOWN_TOPIC_OR_PARTITION',
        3,
        'This server does not host this topic-partition',
      ),
    ],
    [
      'a message too large',
      protocolError(
        'MESSAGE_TOO_LARGE',
        10,
        'The request included a message larger than the max message size the server will accept',
      ),
    ],
    [
      'an offset out of range',
      new KafkaJSOffsetOutOfRange(
        Object.assign(new Error('out of range'), { type: 'OFFSET_OUT_OF_RANGE', code: 1 }),
        { topic: 't', partition: 0 },
      ),
    ],
    [
      'retries exhausted on a plain error',
      new KafkaJSNumberOfRetriesExceeded(new Error('boom'), { retryCount: 5, retryTime: 1 }),
    ],
    [
      "Postgres's connection refused (a socket error kafkajs did not wrap)",
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a string', 'KafkaJSConnectionError'],
    ['null', null],
  ])('given %s, then not', (_, error) => {
    expect(kafkaUnavailable(error)).toBeUndefined();
  });

  it('given a cause cycle, then it ends', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    Object.assign(first, { cause: second });
    expect(kafkaUnavailable(first)).toBeUndefined();
  });
});
