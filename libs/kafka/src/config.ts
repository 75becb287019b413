/**
 * Kafka settings from the environment, validated once. The only file of this lib that reads
 * process.env. (Plain checks rather than @textplane/config, which this package does not depend on.)
 */
export interface KafkaEnvironment {
  /** KAFKA_BROKERS: comma-separated host:port list; default the local broker. */
  readonly brokers: readonly string[];
}

const DEFAULT_BROKERS = '127.0.0.1:9092';
const HOST_PORT = /^[^\s:,]+:(\d{1,5})$/;

export function loadKafkaEnvironment(
  env: Record<string, string | undefined> = process.env,
): KafkaEnvironment {
  const raw = env['KAFKA_BROKERS']?.trim() || DEFAULT_BROKERS;
  return Object.freeze({ brokers: Object.freeze(parseBrokers(raw, 'KAFKA_BROKERS')) });
}

/** A comma-separated host:port list; throws naming `source` when an item is not host:port. */
export function parseBrokers(raw: string, source: string): string[] {
  const brokers = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const invalid = brokers.filter((broker) => !isHostPort(broker));
  if (brokers.length === 0 || invalid.length > 0) {
    throw new Error(
      `${source} must be a comma-separated list of host:port (got ${JSON.stringify(raw)})`,
    );
  }
  return brokers;
}

function isHostPort(broker: string): boolean {
  const port = HOST_PORT.exec(broker)?.[1];
  return port !== undefined && Number(port) >= 1 && Number(port) <= 65535;
}
