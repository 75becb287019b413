import { int, loadConfig, nonEmpty, optionalNonEmpty, port, url, z } from '@textplane/config';
import { runtimeConfigFields } from '@textplane/service-runtime';

const schema = z.object({
  REGISTRATION_HTTP_PORT: port(8085),
  REGISTRATION_HOST: nonEmpty('0.0.0.0'),
  REGISTRATION_DATABASE_URL: url({
    default: 'postgres://postgres@127.0.0.1:5432/textplane_registration',
    protocols: ['postgres', 'postgresql'],
  }),
  REGISTRATION_DB_POOL_SIZE: int({ min: 2, max: 200, default: 10 }),
  TELNYX_API_KEY: nonEmpty('carrier-sim'),
  TELNYX_BASE_URL: url('http://127.0.0.1:4010/v2'),
  /** Where Telnyx posts 10DLC status webhooks (the gateway's `/webhooks/telnyx`); else the account's. */
  REGISTRATION_WEBHOOK_URL: optionalNonEmpty(),
  CARRIER_TIMEOUT_MS: int({ min: 100, max: 120_000, default: 10_000 }),
  // A failed call is retried by the consumer with the same idempotency key, not inside the SDK.
  CARRIER_SDK_MAX_RETRIES: int({ min: 0, max: 10, default: 0 }),
  /** The polling fallback: how often it looks, and how long a waiting resource goes unread. */
  REGISTRATION_POLL_INTERVAL_MS: int({ min: 100, max: 3_600_000, default: 60_000 }),
  REGISTRATION_POLL_STALE_AFTER_MS: int({ min: 0, max: 86_400_000, default: 300_000 }),
  REGISTRATION_POLL_BATCH: int({ min: 1, max: 1_000, default: 50 }),
  ...runtimeConfigFields,
});

export type RegistrationConfig = Readonly<z.infer<typeof schema>>;

export function loadRegistrationConfig(
  env: Record<string, string | undefined> = process.env,
): RegistrationConfig {
  return loadConfig(schema, env, 'registration');
}
