import { postgresUnavailable } from '@textplane/event-store';
import {
  type ConsumerStatus,
  type DependencyUnavailable,
  kafkaUnavailable,
} from '@textplane/kafka';

/**
 * Whether an error means one of the services' dependencies, Postgres or Kafka, is unavailable
 * (restarting, unreachable, its connection killed) rather than that the work itself failed:
 * consumers then hold the event and retry, the gateway answers 503 / UNAVAILABLE.
 * Kafka is asked first: kafkajs's connection errors carry the same socket codes pg passes on bare.
 */
export function dependencyUnavailable(error: unknown): DependencyUnavailable | undefined {
  return kafkaUnavailable(error) ?? postgresUnavailable(error);
}

/** A consumer's readiness check: fails, saying what it waits for, while it waits. */
export function consumerReadiness(status: ConsumerStatus): Promise<void> {
  switch (status.state) {
    case 'consuming':
      return Promise.resolve();
    case 'waiting':
      return Promise.reject(
        new Error(
          `waiting for ${status.dependency} since ${status.since.toISOString()}: ${status.reason}`,
        ),
      );
  }
}
