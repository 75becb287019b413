// `make dev`: the whole platform on this machine, until Ctrl-C.
import path from 'node:path';
import { loadDevConfig } from './config.js';
import {
  demoTenant,
  removeStackState,
  type ServiceName,
  type Stack,
  startStack,
  takeOverShutdownSignals,
  stackStateFile,
  stackStateOf,
  withoutPassword,
  writeStackState,
} from './stack/index.js';

const colours: Readonly<Record<ServiceName, string>> = {
  gateway: '\u001b[36m',
  messaging: '\u001b[35m',
  consent: '\u001b[32m',
  'carrier-sim': '\u001b[33m',
};
const useColour = process.stdout.isTTY;

function prefixed(service: ServiceName, line: string): string {
  const label = `[${service}]`.padEnd(14);
  return useColour ? `${colours[service]}${label}\u001b[0m ${line}` : `${label} ${line}`;
}

function banner(stack: Stack, logDir: string): string {
  const { urls } = stack;
  const databases = [
    stack.databaseUrls.gateway,
    stack.databaseUrls.messaging,
    stack.databaseUrls.consent,
  ].map(withoutPassword);
  return [
    '',
    'textplane is up',
    `  REST API        ${urls.gatewayHttp}/v1`,
    `  OpenAPI         ${urls.gatewayHttp}/openapi.json`,
    `  gRPC            ${urls.gatewayGrpc} (plaintext; health and reflection enabled)`,
    `  carrier sim     ${urls.carrierSim} (Telnyx API at /v2, control API at /sim/*)`,
    `  metrics         ${urls.gatewayHttp}/metrics, ${urls.messagingHttp}/metrics, ${urls.consentHttp}/metrics`,
    `  Kafka           ${stack.kafkaBrokers.join(',')}`,
    `  Postgres        ${databases.join(' ')}`,
    `  logs            ${logDir}/{gateway,messaging,consent,carrier-sim}.log`,
    `  demo tenant     ${demoTenant.name} ${stack.demo.tenantId}, sender ${demoTenant.defaultSender}`,
    `  demo API key    ${stack.demo.apiKey}`,
    `  admin token     ${stack.adminToken}`,
    '',
    'Send a text:',
    `  curl -sS -X POST ${urls.gatewayHttp}/v1/messages \\`,
    `    -H 'Authorization: Bearer ${stack.demo.apiKey}' \\`,
    `    -H "Idempotency-Key: $(date +%s%N)" -H 'Content-Type: application/json' \\`,
    `    -d '{"to":"+15557000001","body":"Hello from textplane"}'`,
    `Then: curl -sS -H 'Authorization: Bearer ${stack.demo.apiKey}' ${urls.gatewayHttp}/v1/messages/<id>`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

const devConfig = loadDevConfig();
const logDir = path.join(devConfig.cacheDir, 'logs');
const stateFile = stackStateFile(devConfig.cacheDir);

let stack: Stack | undefined;
let stopping = false;
const starting = new AbortController();

async function shutdown(exitCode: number): Promise<never> {
  stopping = true;
  process.stdout.write('\nstopping textplane…\n');
  await removeStackState(stateFile);
  await stack?.stop();
  process.exit(exitCode);
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    // A second Ctrl-C: the user does not want to wait for a graceful stop.
    process.stderr.write(`${signal} again: exiting now\n`);
    process.exit(130);
  }
  if (stack === undefined) {
    stopping = true;
    process.stdout.write('\nstopping textplane…\n');
    starting.abort();
    return;
  }
  void shutdown(0);
}
takeOverShutdownSignals(onSignal);

try {
  stack = await startStack({
    // `make dev` builds first; a direct run only builds what is missing.
    build: 'if-missing',
    signal: starting.signal,
    logDir,
    onProgress: (line) => process.stdout.write(`${line}\n`),
    onServiceLine: (service, line) => process.stdout.write(`${prefixed(service, line)}\n`),
  });
} catch (error: unknown) {
  if (starting.signal.aborted) process.exit(130);
  process.stderr.write(
    `textplane did not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}

if (!stopping) {
  await writeStackState(stateFile, stackStateOf(stack));
  process.stdout.write(banner(stack, logDir));
  // A service that dies on its own takes the stack down: a half-running platform misleads.
  for (const service of Object.values(stack.services)) {
    void service.exited().then((status) => {
      if (stopping) return;
      const how =
        status === undefined ? 'unknown' : (status.signal ?? `code ${String(status.code)}`);
      process.stderr.write(`${service.name} exited (${how}); see ${service.logFile}\n`);
      void shutdown(1);
    });
  }
}
