// `make dev`: the whole platform on this machine, until Ctrl-C.
import path from 'node:path';
import { loadDevConfig } from './config.js';
import {
  defaultRestartBackoff,
  demoTenant,
  removeStackState,
  type ServiceName,
  type Stack,
  type StackSupervisionEvent,
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
  registration: '\u001b[34m',
  billing: '\u001b[94m',
  'carrier-sim': '\u001b[33m',
};
const useColour = process.stdout.isTTY;

function prefixed(service: ServiceName, line: string): string {
  const label = `[${service}]`.padEnd(14);
  return useColour ? `${colours[service]}${label}\u001b[0m ${line}` : `${label} ${line}`;
}

function seconds(ms: number): string {
  return `${ms / 1_000} s`;
}

/** One line for the terminal about what the supervisor did. */
function supervisionLine(event: StackSupervisionEvent): string {
  switch (event.kind) {
    case 'restart-scheduled': {
      const why =
        event.cause.kind === 'exited'
          ? `exited (${event.cause.exit.signal ?? `code ${String(event.cause.exit.code)}`})`
          : `did not start (${event.cause.message})`;
      return `${event.service} ${why}; restarting it in ${seconds(event.delayMs)} (restart ${event.restart}); see ${logDir}/${event.service}.log`;
    }
    case 'restarted':
      return `${event.service} restarted (pid ${String(event.pid)}, restart ${event.restart}), waiting until it is ready`;
    case 'ready-again':
      return `${event.service} is ready again (restart ${event.restart})`;
    case 'not-ready-again':
      return `${event.service} is running but not ready after restart ${event.restart}: ${event.message}`;
  }
}

function banner(stack: Stack, logDir: string): string {
  const { urls } = stack;
  const databases = [
    stack.databaseUrls.gateway,
    stack.databaseUrls.messaging,
    stack.databaseUrls.consent,
    stack.databaseUrls.registration,
    stack.databaseUrls.billing,
  ].map(withoutPassword);
  return [
    '',
    'textplane is up',
    `  REST API        ${urls.gatewayHttp}/v1`,
    `  OpenAPI         ${urls.gatewayHttp}/openapi.json`,
    `  gRPC            ${urls.gatewayGrpc} (plaintext; health and reflection enabled)`,
    `  carrier sim     ${urls.carrierSim} (Telnyx API at /v2, control API at /sim/*)`,
    `  metrics         ${urls.gatewayHttp}/metrics, ${urls.messagingHttp}/metrics, ${urls.consentHttp}/metrics, ${urls.registrationHttp}/metrics, ${urls.billingHttp}/metrics`,
    `  Kafka           ${stack.kafkaBrokers.join(',')}`,
    `  Postgres        ${databases.join(' ')}`,
    `  logs            ${logDir}/{gateway,messaging,consent,registration,billing,carrier-sim}.log`,
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
    `A service that exits on its own is restarted (after ${seconds(defaultRestartBackoff.initialMs)}, doubling to ${seconds(defaultRestartBackoff.maxMs)} while it keeps failing).`,
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
    // A crashed service comes back on its own, as it would under a process manager in production.
    supervise: defaultRestartBackoff,
    onSupervision: (event) => {
      if (!stopping) process.stderr.write(`${supervisionLine(event)}\n`);
    },
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
}
