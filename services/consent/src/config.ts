import { int, loadConfig, nonEmpty, port, url, z } from '@textplane/config';
import { runtimeConfigFields } from '@textplane/service-runtime';

const schema = z.object({
  CONSENT_HTTP_PORT: port(8083),
  CONSENT_HOST: nonEmpty('0.0.0.0'),
  CONSENT_DATABASE_URL: url({
    default: 'postgres://postgres@127.0.0.1:5432/textplane_consent',
    protocols: ['postgres', 'postgresql'],
  }),
  CONSENT_DB_POOL_SIZE: int({ min: 2, max: 200, default: 20 }),
  ...runtimeConfigFields,
});

export type ConsentConfig = Readonly<z.infer<typeof schema>>;

export function loadConsentConfig(
  env: Record<string, string | undefined> = process.env,
): ConsentConfig {
  return loadConfig(schema, env, 'consent');
}
