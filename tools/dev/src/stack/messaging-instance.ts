import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackConfig } from '../config.js';
import { freePort } from '../net/free-port.js';
import { waitUntilReady } from './readiness.js';
import { ServiceProcess } from './service-process.js';
import { serviceEnvironment } from './start-stack.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Where another messaging instance joins a running stack. */
export interface MessagingInstanceTarget {
  readonly databaseUrl: string;
  readonly kafkaBrokers: readonly string[];
  readonly carrierSimUrl: string;
  readonly logFile: string;
  /** Settings on top of the instance's own (e.g. the account throughput limits). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Another messaging instance beside the stack's, on the same database, Kafka and carrier (the
 * throughput tests and the pacing benchmark run two), with the environment the stack gives its
 * own services; resolves once it is ready.
 */
export async function startMessagingInstance(
  target: MessagingInstanceTarget,
): Promise<ServiceProcess> {
  const port = await freePort();
  const instance = new ServiceProcess({
    name: 'messaging',
    entry: path.join(repoRoot, 'services/messaging/dist/main.js'),
    cwd: repoRoot,
    env: serviceEnvironment(
      loadStackConfig().inheritedEnv,
      {
        MESSAGING_HTTP_PORT: String(port),
        MESSAGING_DATABASE_URL: target.databaseUrl,
        KAFKA_BROKERS: target.kafkaBrokers.join(','),
        TELNYX_API_KEY: 'carrier-sim',
        TELNYX_BASE_URL: `${target.carrierSimUrl}/v2`,
        LOG_LEVEL: 'warn',
      },
      target.env,
    ),
    logFile: target.logFile,
  });
  await instance.start();
  await waitUntilReady(instance, `http://127.0.0.1:${port}/readyz`, 120_000);
  return instance;
}
