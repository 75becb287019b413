// `make bench`: sends BENCH_N messages through REST and reports throughput, latency and memory.
// BENCH_SCENARIO=scheduled measures scheduled messages instead (bench/scheduled-scenario.ts),
// BENCH_SCENARIO=import a contact import, BENCH_SCENARIO=bulk one 100,000-recipient bulk send
// against a single-send run (bench/bulk-scenario.ts), BENCH_SCENARIO=pacing pacing under a binding
// carrier cap with one and with two messaging instances (bench/pacing-scenario.ts).
// Measures a running `make dev` stack when there is one, else starts its own and stops it after;
// the pacing scenario always starts its own (fresh databases, a second messaging instance).
import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { benchResult, benchSucceeded, humanSummary, machineLine } from './bench/bench-report.js';
import { bulkResult, bulkSucceeded, bulkSummary, runBulkScenario } from './bench/bulk-scenario.js';
import { type BenchDatabases, databaseNameOf } from './bench/database-size.js';
import { DeliveryWatch } from './bench/delivery-watch.js';
import { awaitFinalStatuses, sendMessages } from './bench/load-run.js';
import { CpuAccount } from './bench/cpu-account.js';
import {
  importResult,
  importSucceeded,
  importSummary,
  runImportScenario,
} from './bench/import-scenario.js';
import {
  BENCH_CREDIT_PER_MESSAGE_MICROS,
  benchMessagesAtMost,
  loadBulkBenchConfig,
  loadImportBenchRows,
  loadBenchScenario,
  loadPacingBenchConfig,
  loadScheduledBenchConfig,
  type BulkBenchConfig,
  type PacingBenchConfig,
  type ScheduledBenchConfig,
} from './bench/config.js';
import { LocalHttpClient } from './bench/local-http.js';
import { isServiceName, type MemorySources, PeakMemorySampler } from './bench/memory-sampler.js';
import {
  pacingResult,
  pacingSucceeded,
  pacingSummary,
  runPacingScenario,
} from './bench/pacing-scenario.js';
import {
  runScheduledScenario,
  scheduledResult,
  scheduledSucceeded,
  scheduledSummary,
} from './bench/scheduled-scenario.js';
import { defaultStackPorts, loadBenchConfig, loadDevConfig } from './config.js';
import { defaultLocalPostgresUrl } from './infra/postgres.js';
import {
  benchTenant,
  fundTenant,
  readStackState,
  registerSenders,
  seedTenant,
  setTenantLimits,
  type Stack,
  startStack,
  takeOverShutdownSignals,
  stackStateFile,
} from './stack/index.js';

interface Target {
  readonly description: string;
  readonly gatewayUrl: string;
  /** host:port of the gateway's gRPC server. */
  readonly grpcAddress: string;
  readonly apiKey: string;
  /** The carrier simulator's base URL (its /sim/messages log). */
  readonly carrierSimUrl: string;
  readonly memory: Readonly<MemorySources>;
  /** The services' databases (pg_database_size per message in the bulk scenario). */
  readonly databases: BenchDatabases;
  /** Set when the benchmark started the stack itself. */
  readonly ownStack?: Stack;
}

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function isReady(gatewayUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${gatewayUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function processExists(pid: number): Promise<boolean> {
  return access(`/proc/${pid}/status`).then(
    () => true,
    () => false,
  );
}

/**
 * The benchmark measures the platform, not the carriers: its tenant's throughput overrides are
 * set so high that no carrier cap binds (PUT /admin/v1/tenants/{id}/limits), and it says so.
 * Its wallet is credited for the run (BENCH_CREDIT_PER_MESSAGE_MICROS a text), so no text waits
 * for funds; every text is still held and captured by billing.
 */
async function prepareBenchTenant(
  gatewayUrl: string,
  adminToken: string,
  tenant: { tenantId: string; apiKey: string },
): Promise<void> {
  await setTenantLimits(gatewayUrl, adminToken, tenant.tenantId);
  progress(`carrier caps lifted for tenant ${tenant.tenantId} (the bench measures the platform)`);
  const micros =
    benchMessagesAtMost(scenario, benchConfig.messages) * BENCH_CREDIT_PER_MESSAGE_MICROS;
  await fundTenant(gatewayUrl, adminToken, tenant, {
    micros,
    reference: `bench-${randomBytes(8).toString('hex')}`,
  });
  if (micros > 0) progress(`wallet credited ${micros / 1_000_000} USD for the run`);
}

async function benchTenantKey(gatewayUrl: string, adminToken: string): Promise<string> {
  const key = `tp_bench_${randomBytes(24).toString('base64url')}`;
  const tenant = benchTenant;
  await seedTenant(gatewayUrl, adminToken, tenant, { label: 'bench', key });
  await registerSenders(gatewayUrl, key, tenant);
  await prepareBenchTenant(gatewayUrl, adminToken, { tenantId: tenant.id, apiKey: key });
  progress(`created bench tenant ${tenant.id}, its senders on an approved 10DLC campaign`);
  return key;
}

/** The databases of a stack started elsewhere: `make dev`'s default names on its Postgres. */
function defaultDatabases(): BenchDatabases {
  const { postgres } = loadDevConfig();
  return {
    serverUrl: postgres.kind === 'url' ? postgres.url : defaultLocalPostgresUrl,
    names: ['textplane_gateway', 'textplane_messaging', 'textplane_consent'],
  };
}

async function findTarget(signal: AbortSignal): Promise<Target> {
  const devConfig = loadDevConfig();
  const benchConfig = loadBenchConfig();
  const state = await readStackState(stackStateFile(devConfig.cacheDir));
  if (state !== undefined && (await isReady(state.urls.gatewayHttp))) {
    if (benchConfig.apiKey === undefined) {
      await prepareBenchTenant(state.urls.gatewayHttp, state.adminToken, state.demo);
    }
    const memory: MemorySources = {};
    for (const [name, pid] of Object.entries(state.pids)) {
      if (isServiceName(name) && (await processExists(pid))) {
        memory[name] = { kind: 'pid', pid };
      }
    }
    return {
      description: `the running make dev stack (${state.urls.gatewayHttp})`,
      gatewayUrl: state.urls.gatewayHttp,
      grpcAddress: state.urls.gatewayGrpc,
      apiKey: benchConfig.apiKey ?? state.demo.apiKey,
      carrierSimUrl: state.urls.carrierSim,
      memory,
      databases: defaultDatabases(),
    };
  }
  const gatewayUrl = `http://127.0.0.1:${benchConfig.gatewayHttpPort}`;
  if (await isReady(gatewayUrl)) {
    let apiKey = benchConfig.apiKey;
    if (apiKey === undefined) {
      if (benchConfig.adminToken === undefined) {
        throw new Error(
          `a gateway answers at ${gatewayUrl} but no API key is known: set BENCH_API_KEY (or TEXTPLANE_DEMO_API_KEY), or TEXTPLANE_ADMIN_TOKEN to create a bench tenant`,
        );
      }
      apiKey = await benchTenantKey(gatewayUrl, benchConfig.adminToken);
    }
    // Not our children: their memory is read from the gauge they export.
    return {
      description: `the platform at ${gatewayUrl}`,
      gatewayUrl,
      grpcAddress: `127.0.0.1:${defaultStackPorts.gatewayGrpc}`,
      apiKey,
      carrierSimUrl: `http://127.0.0.1:${defaultStackPorts.carrierSim}`,
      databases: defaultDatabases(),
      memory: {
        gateway: { kind: 'metrics', url: `${gatewayUrl}/metrics` },
        messaging: {
          kind: 'metrics',
          url: `http://127.0.0.1:${defaultStackPorts.messagingHttp}/metrics`,
        },
        consent: {
          kind: 'metrics',
          url: `http://127.0.0.1:${defaultStackPorts.consentHttp}/metrics`,
        },
      },
    };
  }
  progress('no running platform found: starting one for the benchmark');
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
    build: 'if-missing',
    onProgress: progress,
    signal,
  });
  await prepareBenchTenant(stack.urls.gatewayHttp, stack.adminToken, stack.demo);
  const memory: MemorySources = {};
  for (const service of Object.values(stack.services)) {
    if (service.pid !== undefined) memory[service.name] = { kind: 'pid', pid: service.pid };
  }
  return {
    description: `a stack started for the benchmark (${stack.urls.gatewayHttp})`,
    gatewayUrl: stack.urls.gatewayHttp,
    grpcAddress: stack.urls.gatewayGrpc,
    apiKey: stack.demo.apiKey,
    carrierSimUrl: stack.urls.carrierSim,
    memory,
    databases: {
      serverUrl: stack.postgresUrl,
      names: Object.values(stack.databaseUrls).map(databaseNameOf),
    },
    ownStack: stack,
  };
}

/**
 * The pacing scenario's own stack. It runs a second messaging instance on the stack's database
 * and Kafka, which a `make dev` stack does not publish, and gives each run a tenant with a fresh
 * sender, which only a simulator that accepts any sender number takes. Fresh databases, as the
 * end-to-end tests use, leave a `make dev` database alone.
 */
async function pacingTarget(signal: AbortSignal): Promise<Target> {
  progress('the pacing scenario starts its own stack');
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
      gateway: `tp_bench_pacing_gateway_${suffix}`,
      messaging: `tp_bench_pacing_messaging_${suffix}`,
      consent: `tp_bench_pacing_consent_${suffix}`,
      registration: `tp_bench_pacing_registration_${suffix}`,
      billing: `tp_bench_pacing_billing_${suffix}`,
    },
    serviceEnv: {
      'carrier-sim': {
        CARRIER_SIM_ACCEPT_ANY_FROM: 'true',
        CARRIER_SIM_TRUST_REVIEW_DELAY_MS: '100',
      },
    },
    logLevel: 'warn',
    build: 'if-missing',
    onProgress: progress,
    signal,
  });
  const memory: MemorySources = {};
  for (const service of Object.values(stack.services)) {
    if (service.pid !== undefined) memory[service.name] = { kind: 'pid', pid: service.pid };
  }
  return {
    description: `a stack started for the pacing benchmark (${stack.urls.gatewayHttp})`,
    gatewayUrl: stack.urls.gatewayHttp,
    grpcAddress: stack.urls.gatewayGrpc,
    apiKey: stack.demo.apiKey,
    carrierSimUrl: stack.urls.carrierSim,
    memory,
    databases: {
      serverUrl: stack.postgresUrl,
      names: Object.values(stack.databaseUrls).map(databaseNameOf),
    },
    ownStack: stack,
  };
}

const benchConfig = loadBenchConfig();
const scenario = loadBenchScenario();
// Read before any stack is started, so a bad setting fails at once.
const scheduledConfig =
  loadBenchScenario() === 'scheduled' ? loadScheduledBenchConfig() : undefined;
const bulkConfig = loadBenchScenario() === 'bulk' ? loadBulkBenchConfig() : undefined;
const pacingConfig = loadBenchScenario() === 'pacing' ? loadPacingBenchConfig() : undefined;
const interrupted = new AbortController();
let target: Target | undefined;
const onSignal = (): void => {
  if (interrupted.signal.aborted) process.exit(130);
  progress('interrupted');
  interrupted.abort();
  // While a stack is starting, the abort makes startStack undo its steps and reject.
  if (target === undefined) return;
  void (target.ownStack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
};
takeOverShutdownSignals(onSignal);

async function singleBench(on: Target): Promise<number> {
  const client = new LocalHttpClient(on.gatewayUrl, benchConfig.concurrency);
  const sampler = new PeakMemorySampler(on.memory, 500);
  const deadline = performance.now() + benchConfig.deliveryTimeoutMs;
  const watch = new DeliveryWatch(on.grpcAddress, on.apiKey);
  try {
    const cpu = await CpuAccount.begin(on.memory);
    const send = await sendMessages(client, on.apiKey, {
      messages: benchConfig.messages,
      concurrency: benchConfig.concurrency,
      deadline,
    });
    progress(
      `${send.acceptedIds.length}/${benchConfig.messages} accepted; waiting for final statuses`,
    );
    const watched = await watch.waitFor(send.acceptedIds, deadline);
    const cpuPerMessage = await cpu.perMessage(send.acceptedIds.length);
    // The pushes time the deliveries; REST then confirms every final status once.
    const verified = await awaitFinalStatuses(client, on.apiKey, send.acceptedIds, {
      concurrency: benchConfig.concurrency,
      deadline: Math.max(deadline, performance.now() + 60_000),
      pauseMs: 1_000,
    });
    const delivery = {
      statuses: verified.statuses,
      delivered: verified.delivered,
      lastDeliveredSeenAt: watched.lastDeliveredAt,
      lastDeliveredPassMs: undefined,
      passes: verified.passes,
    };
    const outcome = {
      messages: benchConfig.messages,
      concurrency: benchConfig.concurrency,
      target: on.description,
      send,
      delivery,
      memory: await sampler.stop(),
      cpuPerMessage,
    };
    process.stdout.write(`${humanSummary(outcome).join('\n')}\n`);
    process.stdout.write(`${machineLine()}\n${JSON.stringify(benchResult(outcome))}\n`);
    return benchSucceeded(outcome) ? 0 : 1;
  } finally {
    watch.close();
    client.close();
    await sampler.stop();
  }
}

async function scheduledBench(on: Target, config: ScheduledBenchConfig): Promise<number> {
  const client = new LocalHttpClient(on.gatewayUrl, benchConfig.concurrency);
  const watch = new DeliveryWatch(on.grpcAddress, on.apiKey);
  try {
    const outcome = await runScheduledScenario(
      {
        client,
        watch,
        apiKey: on.apiKey,
        carrierSimUrl: on.carrierSimUrl,
        memory: on.memory,
        concurrency: benchConfig.concurrency,
        timeoutMs: benchConfig.deliveryTimeoutMs,
        progress,
      },
      config,
    );
    process.stdout.write(`${scheduledSummary(outcome, on.description).join('\n')}\n`);
    process.stdout.write(`${machineLine()}\n${JSON.stringify(scheduledResult(outcome))}\n`);
    return scheduledSucceeded(outcome) ? 0 : 1;
  } finally {
    watch.close();
    client.close();
  }
}

async function importBench(on: Target): Promise<number> {
  const outcome = await runImportScenario(
    {
      gatewayUrl: on.gatewayUrl,
      apiKey: on.apiKey,
      memory: on.memory,
      timeoutMs: benchConfig.deliveryTimeoutMs,
      progress,
    },
    loadImportBenchRows(),
  );
  process.stdout.write(`${importSummary(outcome, on.description).join('\n')}\n`);
  process.stdout.write(`${machineLine()}\n${JSON.stringify(importResult(outcome))}\n`);
  return importSucceeded(outcome) ? 0 : 1;
}

async function bulkBench(on: Target, config: BulkBenchConfig): Promise<number> {
  const client = new LocalHttpClient(on.gatewayUrl, benchConfig.concurrency);
  const watch = new DeliveryWatch(on.grpcAddress, on.apiKey);
  try {
    const outcome = await runBulkScenario(
      {
        client,
        watch,
        gatewayUrl: on.gatewayUrl,
        apiKey: on.apiKey,
        carrierSimUrl: on.carrierSimUrl,
        memory: on.memory,
        databases: on.databases,
        concurrency: benchConfig.concurrency,
        timeoutMs: benchConfig.deliveryTimeoutMs,
        progress,
      },
      config,
    );
    process.stdout.write(`${bulkSummary(outcome, on.description).join('\n')}\n`);
    process.stdout.write(`${machineLine()}\n${JSON.stringify(bulkResult(outcome))}\n`);
    return bulkSucceeded(outcome) ? 0 : 1;
  } finally {
    watch.close();
    client.close();
  }
}

async function pacingBench(on: Target, config: PacingBenchConfig): Promise<number> {
  if (on.ownStack === undefined) throw new Error('the pacing scenario needs a stack of its own');
  const outcome = await runPacingScenario(
    { stack: on.ownStack, timeoutMs: benchConfig.deliveryTimeoutMs, progress },
    config,
  );
  process.stdout.write(`${pacingSummary(outcome, on.description).join('\n')}\n`);
  process.stdout.write(`${machineLine()}\n${JSON.stringify(pacingResult(outcome))}\n`);
  return pacingSucceeded(outcome) ? 0 : 1;
}

function runScenario(on: Target): Promise<number> {
  switch (loadBenchScenario()) {
    case 'pacing':
      return pacingBench(on, pacingConfig ?? loadPacingBenchConfig());
    case 'import':
      return importBench(on);
    case 'bulk':
      return bulkBench(on, bulkConfig ?? loadBulkBenchConfig());
    case 'scheduled':
      return scheduledBench(on, scheduledConfig ?? loadScheduledBenchConfig());
    case 'single':
      return singleBench(on);
  }
}

let exitCode = 1;
try {
  target =
    loadBenchScenario() === 'pacing'
      ? await pacingTarget(interrupted.signal)
      : await findTarget(interrupted.signal);
  progress(`benchmarking ${target.description}`);
  exitCode = await runScenario(target);
} catch (error: unknown) {
  progress(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await target?.ownStack?.stop();
}
process.exit(interrupted.signal.aborted ? 130 : exitCode);
