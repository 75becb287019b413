import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitFinalStatuses, benchRecipient } from '../bench/load-run.js';
import { LocalHttpClient } from '../bench/local-http.js';
import { setTenantLimits, type Stack, startStack } from '../stack/index.js';
import {
  carrierTally,
  deadLetters,
  pipelineSnapshot,
  reconciledOutcomes,
  webhookTally,
} from './accounting.js';
import { loadResilienceConfig } from './config.js';
import { sendThroughOutage } from './load.js';
import { OwnKafka } from './own-kafka.js';
import { OwnPostgres } from './own-postgres.js';

/**
 * Issue 17's proof: Postgres restarted and, separately, the Kafka broker killed with kill -9 and
 * restarted, each during a 2,000-message send through REST. Every accepted message must reach
 * a final state, the carrier must have received each exactly once, and every DLQ must be
 * empty. The stack is this file's own: its own embedded Postgres and its own broker (other
 * suites use the machine's server and the broker on 9092), started and crashed here.
 */

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const config = loadResilienceConfig();
/** The outage is injected once this share of the messages has been accepted. */
const FAULT_AFTER_SHARE = 0.1;
/** How long the crashed dependency stays down before it is started again. */
const DOWN_MS = 3_000;
/**
 * Receipts refused while Postgres is down are retried by the carrier three times within a
 * second, then given up: reconciliation brings those messages home. 600 s in production; 20 s
 * here so the proof ends in minutes.
 */
const messagingEnv = {
  RECEIPT_RECONCILE_AFTER_S: '20',
  RECEIPT_RECONCILE_INTERVAL_MS: '2000',
  RECEIPT_RECONCILE_BACKOFF_S: '5',
};

let baseDir: string;
let postgres: OwnPostgres;
let kafka: OwnKafka;
let stack: Stack;
let reads: LocalHttpClient;
const figures: Record<string, unknown> = {
  machine: { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' },
  messagesPerScenario: config.messages,
  concurrency: config.concurrency,
};

beforeAll(async () => {
  baseDir =
    config.baseDir ?? path.join(tmpdir(), `textplane-resilience-${randomBytes(4).toString('hex')}`);
  await mkdir(baseDir, { recursive: true });
  // Run as root, the embedded server runs as user `postgres`, which must reach its data dir.
  await chmod(baseDir, 0o755);
  const started = performance.now();
  [postgres, kafka] = await Promise.all([
    OwnPostgres.start(path.join(baseDir, 'postgres', 'data')),
    OwnKafka.start(repoRoot, path.join(baseDir, 'cache'), config.inheritedEnv),
  ]);
  const suffix = randomBytes(4).toString('hex');
  stack = await startStack({
    ports: {
      gatewayHttp: 0,
      gatewayGrpc: 0,
      messagingHttp: 0,
      consentHttp: 0,
      registrationHttp: 0,
      billingHttp: 0,
      carrierSim: 0,
    },
    kafkaBrokers: kafka.brokers,
    postgresUrl: postgres.url,
    databases: {
      gateway: `tp_res_gateway_${suffix}`,
      messaging: `tp_res_messaging_${suffix}`,
      consent: `tp_res_consent_${suffix}`,
      registration: `tp_res_registration_${suffix}`,
      billing: `tp_res_billing_${suffix}`,
    },
    build: 'if-missing',
    logLevel: 'warn',
    logDir: path.join(baseDir, 'logs'),
    serviceEnv: { messaging: messagingEnv },
    onProgress: (line) => process.stdout.write(`[resilience stack] ${line}\n`),
  });
  // What is measured is the platform through restarts, not the carriers' caps.
  await setTenantLimits(stack.urls.gatewayHttp, stack.adminToken, stack.demo.tenantId);
  reads = new LocalHttpClient(stack.urls.gatewayHttp, config.concurrency);
  figures['stackStartMs'] = Math.round(performance.now() - started);
  process.stdout.write(`[resilience] logs and data in ${baseDir}\n`);
});

afterAll(async () => {
  reads?.close();
  await stack?.stop();
  await kafka?.stop().catch(() => undefined);
  await postgres?.stop().catch(() => undefined);
  if (baseDir)
    await writeFile(path.join(baseDir, 'figures.json'), JSON.stringify(figures, null, 2));
  process.stdout.write(`[resilience] figures: ${JSON.stringify(figures, null, 2)}\n`);
});

interface Scenario {
  readonly name: string;
  readonly firstRecipient: number;
  readonly outage: () => Promise<{ downForMs: number }>;
}

/** Sends through the outage, waits for every accepted message, and counts what became of it. */
async function prove(scenario: Scenario): Promise<void> {
  const started = performance.now();
  const threshold = Math.ceil(config.messages * FAULT_AFTER_SHARE);
  let outage: Promise<{ downForMs: number; atMs: number }> | undefined;
  const tally = await sendThroughOutage(stack.urls.gatewayHttp, stack.demo.apiKey, {
    messages: config.messages,
    concurrency: config.concurrency,
    firstRecipient: scenario.firstRecipient,
    retryDeadline: performance.now() + 5 * 60_000,
    onAccepted: (count) => {
      if (count < threshold || outage) return;
      const atMs = Math.round(performance.now() - started);
      outage = scenario.outage().then((down) => ({ ...down, atMs }));
    },
  });
  expect(outage, 'the outage was injected during the send').toBeDefined();
  const down = await outage;
  const acceptedIds = [...tally.accepted.values()];
  const finals = await awaitFinalStatuses(reads, stack.demo.apiKey, acceptedIds, {
    concurrency: config.concurrency,
    deadline: performance.now() + config.finalTimeoutMs,
    pauseMs: 1_000,
  });
  const allFinalMs = Math.round(performance.now() - started);
  const recipients = new Set(
    Array.from({ length: config.messages }, (_, i) => benchRecipient(scenario.firstRecipient + i)),
  );
  const carrier = await carrierTally(stack.urls.carrierSim, acceptedIds, recipients);
  const dlq = await deadLetters(kafka.brokers);
  const dlqTotal = Object.values(dlq).reduce((sum, n) => sum + n, 0);
  const webhooks = await webhookTally(stack.urls.carrierSim);
  const reconciled = await reconciledOutcomes(stack.databaseUrls.messaging, acceptedIds);
  // Where the stragglers are held up, should any be left: said in the failure itself.
  const stuck = finals.statuses.has('pending')
    ? await pipelineSnapshot(stack.databaseUrls, kafka.brokers, acceptedIds)
    : undefined;

  figures[scenario.name] = {
    sent: config.messages,
    accepted: acceptedIds.length,
    notAccepted: tally.notAccepted,
    answers: Object.fromEntries(tally.answers),
    outage: down,
    finalStatuses: Object.fromEntries(finals.statuses),
    carrier,
    // Cumulative over the stack's life: the simulator's webhook counters are not per scenario.
    webhooksSoFar: webhooks,
    outcomesLearntByReconciliation: reconciled,
    dlq: { total: dlqTotal, byTopic: dlq },
    ...(stuck ? { stuck } : {}),
    sendMs: Math.round(tally.durationMs),
    allFinalMs,
  };

  expect(acceptedIds, 'every send accepted, retried through 503s').toHaveLength(config.messages);
  expect(tally.answers.get('HTTP 500') ?? 0, 'no 500 during the outage').toBe(0);
  expect(
    Object.fromEntries(finals.statuses),
    `every accepted message final${stuck ? `; the others: ${JSON.stringify(stuck)}` : ''}`,
  ).toEqual({
    delivered: acceptedIds.length,
  });
  expect(carrier, 'the carrier received each accepted message exactly once').toEqual({
    once: acceptedIds.length,
    never: 0,
    twiceOrMore: 0,
    unexplained: 0,
  });
  expect(dlq, 'every DLQ empty').toEqual(
    Object.fromEntries(Object.keys(dlq).map((topic) => [topic, 0])),
  );
}

describe('nothing lost when Postgres or Kafka goes down during a send', () => {
  it('brings home messages whose receipts were all lost, by asking the carrier', async () => {
    const lost = 20;
    const armed = await fetch(`${stack.urls.carrierSim}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'receipts_lost', count: lost }),
    });
    expect(armed.status).toBe(201);
    const started = performance.now();
    const tally = await sendThroughOutage(stack.urls.gatewayHttp, stack.demo.apiKey, {
      messages: lost,
      concurrency: 4,
      firstRecipient: 200_000,
      retryDeadline: performance.now() + 60_000,
    });
    const ids = [...tally.accepted.values()];
    expect(ids).toHaveLength(lost);
    const finals = await awaitFinalStatuses(reads, stack.demo.apiKey, ids, {
      concurrency: 4,
      deadline: performance.now() + 120_000,
      pauseMs: 1_000,
    });
    expect(Object.fromEntries(finals.statuses)).toEqual({ delivered: lost });
    expect(await reconciledOutcomes(stack.databaseUrls.messaging, ids)).toBe(lost);
    figures['receiptsLost'] = {
      messages: lost,
      delivered: finals.delivered,
      allFinalMs: Math.round(performance.now() - started),
    };
  });

  it('Postgres crashed (immediate shutdown) and restarted a few seconds into the send', async () => {
    await prove({
      name: 'postgresRestart',
      firstRecipient: 0,
      outage: () => postgres.crashAndRestart(DOWN_MS),
    });
  });

  it('the Kafka broker killed with kill -9 and restarted a few seconds into the send', async () => {
    await prove({
      name: 'kafkaKill9',
      firstRecipient: 100_000,
      outage: () => kafka.killAndRestart(DOWN_MS),
    });
  });
});
