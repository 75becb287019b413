import { int, loadConfig, nonEmpty, port, url, z } from '@textplane/config';
import { runtimeConfigFields } from '@textplane/service-runtime';

const schema = z.object({
  BILLING_HTTP_PORT: port(8087),
  BILLING_HOST: nonEmpty('0.0.0.0'),
  BILLING_DATABASE_URL: url({
    default: 'postgres://postgres@127.0.0.1:5432/textplane_billing',
    protocols: ['postgres', 'postgresql'],
  }),
  BILLING_DB_POOL_SIZE: int({ min: 2, max: 200, default: 10 }),
  ...runtimeConfigFields,
});

export type BillingConfig = Readonly<z.infer<typeof schema>>;

export function loadBillingConfig(
  env: Record<string, string | undefined> = process.env,
): BillingConfig {
  return loadConfig(schema, env, 'billing');
}
