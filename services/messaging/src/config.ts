import { int, loadConfig, nonEmpty, optionalNonEmpty, port, url, z } from '@textplane/config';
import { runtimeConfigFields } from '@textplane/service-runtime';

const schema = z.object({
  MESSAGING_HTTP_PORT: port(8081),
  MESSAGING_HOST: nonEmpty('0.0.0.0'),
  MESSAGING_DATABASE_URL: url({
    default: 'postgres://postgres@127.0.0.1:5432/textplane_messaging',
    protocols: ['postgres', 'postgresql'],
  }),
  MESSAGING_DB_POOL_SIZE: int({ min: 2, max: 200, default: 20 }),
  TELNYX_API_KEY: nonEmpty('carrier-sim'),
  TELNYX_BASE_URL: url('http://127.0.0.1:4010/v2'),
  TELNYX_MESSAGING_PROFILE_ID: optionalNonEmpty(),
  CARRIER_TIMEOUT_MS: int({ min: 100, max: 120_000, default: 10_000 }),
  // Retries belong to the submission loop, which looks at consent again before each call; a
  // retry inside the SDK could deliver after a STOP recorded while it waited.
  CARRIER_SDK_MAX_RETRIES: int({ min: 0, max: 10, default: 0 }),
  CARRIER_SUBMISSION_ATTEMPTS: int({ min: 1, max: 20, default: 5 }),
  /** How often messages held for quiet hours are checked for release. */
  HELD_RELEASE_INTERVAL_MS: int({ min: 100, max: 60_000, default: 1_000 }),
  ...runtimeConfigFields,
});

export type MessagingConfig = Readonly<z.infer<typeof schema>>;

export function loadMessagingConfig(
  env: Record<string, string | undefined> = process.env,
): MessagingConfig {
  return loadConfig(schema, env, 'messaging');
}
