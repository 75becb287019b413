import {
  int,
  loadConfig,
  nonEmpty,
  optionalNonEmpty,
  port,
  url,
  z,
  csv,
  oneOf,
} from '@textplane/config';

const schema = z.object({
  CONSENT_HTTP_PORT: port(8083),
  CONSENT_HOST: nonEmpty('0.0.0.0'),
  CONSENT_DATABASE_URL: url({
    default: 'postgres://postgres@127.0.0.1:5432/textplane_consent',
    protocols: ['postgres', 'postgresql'],
  }),
  CONSENT_DB_POOL_SIZE: int({ min: 2, max: 200, default: 20 }),
  KAFKA_BROKERS: csv(['127.0.0.1:9092']),
  CONSUMER_MAX_ATTEMPTS: int({ min: 1, max: 50, default: 5 }),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalNonEmpty(),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
});

export type ConsentConfig = Readonly<z.infer<typeof schema>>;

export function loadConsentConfig(
  env: Record<string, string | undefined> = process.env,
): ConsentConfig {
  return loadConfig(schema, env, 'consent');
}
