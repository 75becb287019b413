import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { startStack, type ServiceName, type Stack } from '../stack/index.js';
import type { E2eStack } from './e2e-stack.js';

const SERVICES: readonly ServiceName[] = [
  'carrier-sim',
  'messaging',
  'consent',
  'registration',
  'billing',
  'gateway',
];

/**
 * One running platform for every end-to-end file: starting it per file would cost far more
 * than the tests. Ports are picked free and the databases are new, so a `make dev` on the same
 * machine is left alone. Tests that crash a service do it through a small control endpoint,
 * since the stack object lives in this process.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const suffix = randomBytes(4).toString('hex');
  const stack = await startStack({
    ports: {
      gatewayHttp: 0,
      gatewayGrpc: 0,
      messagingHttp: 0,
      consentHttp: 0,
      registrationHttp: 0,
      billingHttp: 0,
      carrierSim: 0,
    },
    databases: {
      gateway: `tp_e2e_gateway_${suffix}`,
      messaging: `tp_e2e_messaging_${suffix}`,
      consent: `tp_e2e_consent_${suffix}`,
      registration: `tp_e2e_registration_${suffix}`,
      billing: `tp_e2e_billing_${suffix}`,
    },
    build: 'if-missing',
    logLevel: 'warn',
    // Each test file creates its own tenant with its own sender numbers.
    serviceEnv: {
      // The 10DLC review of each tenant's brand and campaign takes a moment, not a second.
      'carrier-sim': {
        CARRIER_SIM_ACCEPT_ANY_FROM: 'true',
        CARRIER_SIM_TRUST_REVIEW_DELAY_MS: '100',
      },
      // A carrier that hangs is given up on quickly, so the timeout test stays short.
      // The platform's carrier account is no cap here: tests set the caps they check per tenant.
      messaging: {
        CARRIER_TIMEOUT_MS: '2000',
        THROUGHPUT_ACCOUNT_SMS_PER_SECOND: '100000',
        THROUGHPUT_ACCOUNT_MMS_PER_SECOND: '100000',
      },
    },
    onProgress: (line) => process.stdout.write(`[stack] ${line}\n`),
  });
  const control = await startControl(stack);
  const address = control.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const provided: E2eStack = {
    urls: stack.urls,
    demo: stack.demo,
    adminToken: stack.adminToken,
    kafkaBrokers: [...stack.kafkaBrokers],
    postgresUrl: stack.postgresUrl,
    databaseUrls: { ...stack.databaseUrls },
    webhookPrivateKey: stack.webhookKeys.privateKeyPkcs8Base64,
    controlUrl: `http://127.0.0.1:${port}`,
    logFiles: Object.fromEntries(SERVICES.map((name) => [name, stack.services[name].logFile])),
  };
  project.provide('stack', provided);
  return async () => {
    await new Promise<void>((resolve) => control.close(() => resolve()));
    await stack.stop();
  };
}

function startControl(stack: Stack): Promise<Server> {
  const server = createServer((request, response) => {
    const match = /^\/services\/([a-z-]+)\/(kill|restart)(?:\?signal=([A-Z]+))?$/.exec(
      request.url ?? '',
    );
    const name = match?.[1] as ServiceName | undefined;
    if (request.method !== 'POST' || !match || !name || !SERVICES.includes(name)) {
      response.writeHead(404).end();
      return;
    }
    const service = stack.services[name];
    const action =
      match[2] === 'kill'
        ? Promise.resolve(service.kill((match[3] ?? 'SIGKILL') as NodeJS.Signals)).then(() =>
            service.exited(),
          )
        : service.restart();
    action.then(
      () => response.writeHead(204).end(),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: E2eStack;
  }
}
