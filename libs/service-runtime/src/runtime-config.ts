import { csv, int, oneOf, optionalNonEmpty, type z } from '@textplane/config';
import type { EventSourcedRuntimeOptions } from './event-sourced-runtime.js';

/**
 * The settings every event-sourced service reads alike, to spread into its config schema; its
 * own database, ports and the like stay with it.
 */
export const runtimeConfigFields = {
  KAFKA_BROKERS: csv(['127.0.0.1:9092']),
  CONSUMER_MAX_ATTEMPTS: int({ min: 1, max: 50, default: 5 }),
  /** How long at most a consumer waits between retries while Postgres or Kafka is unavailable. */
  CONSUMER_OUTAGE_RETRY_MAX_MS: int({ min: 100, max: 60_000, default: 15_000 }),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalNonEmpty(),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
};

export type RuntimeConfig = Readonly<z.infer<z.ZodObject<typeof runtimeConfigFields>>>;

/** The runtime options those settings give. */
export function runtimeSettingsOf(
  config: RuntimeConfig,
): Pick<
  EventSourcedRuntimeOptions,
  'kafkaBrokers' | 'consumerMaxAttempts' | 'consumerOutageRetryMaxMs' | 'otlpEndpoint'
> {
  return {
    kafkaBrokers: config.KAFKA_BROKERS,
    consumerMaxAttempts: config.CONSUMER_MAX_ATTEMPTS,
    consumerOutageRetryMaxMs: config.CONSUMER_OUTAGE_RETRY_MAX_MS,
    ...(config.OTEL_EXPORTER_OTLP_ENDPOINT
      ? { otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }
      : {}),
  };
}
