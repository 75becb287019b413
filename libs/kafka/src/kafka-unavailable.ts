import { findInErrorChain, stringProperty } from '@textplane/observability';

/** Kafka cannot be used right now; the same work will succeed once the broker is back. */
export interface KafkaUnavailable {
  dependency: 'kafka';
  /** The kafkajs error name (and protocol error type) with its message, for logs and /readyz. */
  reason: string;
}

/** kafkajs errors raised when no broker (or no leader, coordinator) can be reached. */
const UNAVAILABLE_ERROR_NAMES: ReadonlySet<string> = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  // A producer waits for the metadata lock that a reconnecting send holds while the broker is down.
  'KafkaJSLockTimeout',
]);

/** Broker error codes (KafkaJSProtocolError.type) of a cluster that is moving or down. */
const UNAVAILABLE_PROTOCOL_TYPES: ReadonlySet<string> = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'BROKER_NOT_AVAILABLE',
  'REPLICA_NOT_AVAILABLE',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'KAFKA_STORAGE_ERROR',
  'PREFERRED_LEADER_NOT_AVAILABLE',
  'ELIGIBLE_LEADERS_NOT_AVAILABLE',
]);

const PROTOCOL_ERROR = 'KafkaJSProtocolError';

/**
 * Whether an error says Kafka is unavailable (brokers unreachable, restarting, a partition
 * without a leader) rather than that the work itself failed. Follows `cause` chains — kafkajs's
 * "number of retries exceeded" wraps the last failure in one — and `errors` of aggregate errors.
 */
export function kafkaUnavailable(error: unknown): KafkaUnavailable | undefined {
  const reason = findInErrorChain(error, ownReason);
  return reason === undefined ? undefined : { dependency: 'kafka', reason };
}

function ownReason(error: object): string | undefined {
  const name = stringProperty(error, 'name');
  const message = stringProperty(error, 'message') ?? '';
  if (name !== undefined && UNAVAILABLE_ERROR_NAMES.has(name)) return `${name}: ${message}`;
  const type = stringProperty(error, 'type');
  if (name === PROTOCOL_ERROR && type !== undefined && UNAVAILABLE_PROTOCOL_TYPES.has(type)) {
    return `${name} ${type}: ${message}`;
  }
  return undefined;
}
