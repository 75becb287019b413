// `BENCH_SCENARIO=pacing make bench`: pacing under a binding carrier cap (issue 12 §3 and §6).
// One bulk send of BENCH_PACING_N from a long code whose campaign is capped at
// BENCH_PACING_CAP_PER_MIN, first with the stack's one messaging instance, then with a second
// one running beside it: how close the rate at the carrier comes to the cap without passing it.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fundTenant, seedTenant, setTenantLimits, type TenantProfile } from '../stack/admin-api.js';
import { BENCH_CREDIT_PER_MESSAGE_MICROS } from './config.js';
import { registerSenders } from '../stack/sender-registration.js';
import { startMessagingInstance } from '../stack/messaging-instance.js';
import type { Stack } from '../stack/start-stack.js';
import { importContacts } from './bulk-scenario.js';
import type { CarrierEntry } from './bulk-figures.js';
import type { PacingBenchConfig } from './config.js';
import {
  type BusiestWindow,
  busiestWindow,
  capRatio,
  etaError,
  fastestSpanMs,
  PACING_GOALS,
  type PacingVerdict,
  pacingVerdict,
  receiveTimes,
} from './pacing-figures.js';

export interface PacingScenarioTarget {
  /** The stack the scenario started: its admin token, and the second instance's database. */
  readonly stack: Stack;
  /** BENCH_TIMEOUT_S: the import, and the slack past the fastest span the cap allows. */
  readonly timeoutMs: number;
  readonly progress: (line: string) => void;
}

export interface PacingRun {
  readonly instances: 1 | 2;
  readonly sender: string;
  readonly bulkId: string | undefined;
  readonly refusal: string | undefined;
  /** Accepted sends in the carrier simulator's log. */
  readonly atCarrier: number;
  readonly busiest: BusiestWindow;
  readonly ratio: number | undefined;
  /** Sends the simulator refused past its cap (Telnyx's 429 / 40318). */
  readonly refused: number | undefined;
  readonly status: string | undefined;
  readonly counts: Readonly<Record<string, number>>;
  /** POST to the first and to the last text at the carrier. */
  readonly firstTextMs: number | undefined;
  readonly lastTextMs: number | undefined;
  /** First to last text at the carrier, and the least the cap allows for it. */
  readonly spanMs: number | undefined;
  readonly fastestSpanMs: number;
  /** POST to every message final (GET /v1/bulk-sends/{id}). */
  readonly wallClockMs: number | undefined;
  /**
   * The preview's `eta` (taken just before the POST) minus the last text's receive time, ms, and
   * as a share of the run (issue 12 §6: within 10%). Reported, not part of the run's success:
   * the preview's ETA counts the carriers' limits only from d194561 on (a gateway built before
   * says the moment of the preview).
   */
  readonly previewEtaErrorMs: number | undefined;
  readonly previewEtaError: number | undefined;
  readonly verdict: PacingVerdict;
}

export interface PacingOutcome {
  readonly config: PacingBenchConfig;
  readonly runs: readonly PacingRun[];
  readonly totalMs: number;
}

const FINAL = ['delivered', 'undelivered', 'failed', 'blocked', 'canceled'] as const;

interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

async function call<T>(
  url: string,
  init: { method?: string; apiKey?: string; body?: unknown; idempotencyKey?: string } = {},
): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.apiKey === undefined ? {} : { authorization: `Bearer ${init.apiKey}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.idempotencyKey === undefined ? {} : { 'idempotency-key': init.idempotencyKey }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
}

/** A second messaging instance beside the stack's; resolves with its stop. */
async function startSecondMessaging(stack: Stack): Promise<() => Promise<void>> {
  const second = await startMessagingInstance({
    databaseUrl: stack.databaseUrls.messaging,
    kafkaBrokers: stack.kafkaBrokers,
    carrierSimUrl: stack.urls.carrierSim,
    logFile: path.join(path.dirname(stack.services.messaging.logFile), 'messaging-2.log'),
  });
  return () => second.stop(10_000);
}

/** A tenant of its own per run, with a fresh sender: the simulator's log holds only its sends. */
function pacingTenant(): TenantProfile {
  const sender = `+15559${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  return {
    id: randomUUID(),
    name: 'Pacing Co',
    brandName: 'Pacing Co',
    timeZone: 'America/New_York',
    senderNumbers: [sender],
    defaultSender: sender,
  };
}

async function pacingRun(
  target: PacingScenarioTarget,
  config: PacingBenchConfig,
  instances: 1 | 2,
): Promise<PacingRun> {
  const { stack, progress } = target;
  const gateway = stack.urls.gatewayHttp;
  const sim = stack.urls.carrierSim;
  const tenant = pacingTenant();
  const sender = tenant.defaultSender;
  const apiKey = `tp_bench_${randomBytes(24).toString('base64url')}`;
  await seedTenant(gateway, stack.adminToken, tenant, { label: 'bench-pacing', key: apiKey });
  // Its texts are held and captured like any tenant's: a wallet that covers the run.
  await fundTenant(
    gateway,
    stack.adminToken,
    { tenantId: tenant.id, apiKey },
    {
      micros: config.messages * BENCH_CREDIT_PER_MESSAGE_MICROS,
      reference: `bench-pacing-${randomBytes(8).toString('hex')}`,
    },
  );
  await registerSenders(gateway, apiKey, tenant);
  // The cap binds twice: messaging's pacer (the operator's override of the campaign's AT&T
  // cap), and the simulator, which refuses a send past it as Telnyx does.
  await setTenantLimits(gateway, stack.adminToken, tenant.id, {
    attPerMinute: { sms: config.capPerMinute },
  });
  const caps = await call(`${sim}/sim/caps`, {
    method: 'PUT',
    body: {
      caps: [
        { scope: 'sender', from: sender, windowMs: config.windowMs, limit: config.capPerMinute },
      ],
    },
  });
  if (caps.status !== 200) throw new Error(`PUT /sim/caps answered ${caps.status}`);
  progress(
    `pacing, ${instances} messaging instance${instances === 1 ? '' : 's'}: tenant ${tenant.id}, sender ${sender} capped at ${config.capPerMinute}/min`,
  );

  const run = randomUUID().slice(0, 8);
  const tag = `bench-pacing-${run}`;
  await importContacts(
    { gatewayUrl: gateway, apiKey, timeoutMs: target.timeoutMs, progress },
    config.messages,
    run,
    tag,
  );
  const body = {
    recipients: { tags: { all: [tag] } },
    message: { body: 'Pacing Co: your order is ready', purpose: 'transactional', from: sender },
    delivery: { mode: 'now' },
  };
  // The gateway's contacts read model may hold the last contact before all the others: the send
  // waits until a preview of it sees every recipient sendable (else it freezes fewer).
  const previewDeadline = performance.now() + target.timeoutMs;
  let preview: Answer<{ eta?: string | null; recipients?: { sendable?: number } }>;
  for (;;) {
    preview = await call(`${gateway}/v1/bulk-sends/preview`, { apiKey, body });
    if (preview.body.recipients?.sendable === config.messages) break;
    if (performance.now() > previewDeadline) {
      throw new Error(
        `the preview sees ${preview.body.recipients?.sendable ?? '?'} of ${config.messages} recipients sendable after ${target.timeoutMs} ms`,
      );
    }
    await sleep(250);
  }
  const previewEta =
    typeof preview.body.eta === 'string' ? Date.parse(preview.body.eta) : undefined;

  const fastest = fastestSpanMs(config.messages, config.capPerMinute, config.windowMs);
  const postedAtEpochMs = Date.now();
  const posted = performance.now();
  const created = await call<{ id?: string }>(`${gateway}/v1/bulk-sends`, {
    apiKey,
    body,
    idempotencyKey: randomUUID(),
  });
  const empty = {
    instances,
    sender,
    atCarrier: 0,
    busiest: { count: 0, startMs: undefined },
    ratio: undefined,
    refused: undefined,
    status: undefined,
    counts: {},
    firstTextMs: undefined,
    lastTextMs: undefined,
    spanMs: undefined,
    fastestSpanMs: fastest,
    wallClockMs: undefined,
    previewEtaErrorMs: undefined,
    previewEtaError: undefined,
    verdict: pacingVerdict(undefined, 0),
  };
  if (created.status !== 202 || created.body.id === undefined) {
    return {
      ...empty,
      bulkId: undefined,
      refusal: `HTTP ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`,
    };
  }
  const id = created.body.id;
  progress(`  bulk send ${id}: ${config.messages} recipients, mode now`);

  // Every message final, or the deadline: the fastest span the cap allows and BENCH_TIMEOUT_S.
  const deadline = posted + fastest + Math.max(target.timeoutMs, 2 * config.windowMs);
  let bulk: { status?: string; messages?: Record<string, number> } = {};
  let finalAt: number | undefined;
  for (let read = 0; performance.now() < deadline; read++) {
    const answer = await call<typeof bulk>(`${gateway}/v1/bulk-sends/${id}`, { apiKey });
    if (answer.status === 200) bulk = answer.body;
    const counts = bulk.messages ?? {};
    const final = FINAL.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
    if (bulk.status === 'completed' && final >= config.messages) {
      finalAt = performance.now();
      break;
    }
    if (read % 10 === 9) {
      progress(
        `  ${bulk.status ?? '?'}: ${['queued', 'sending', 'sent', 'delivered', 'failed'].map((s) => `${s} ${counts[s] ?? 0}`).join(', ')}`,
      );
    }
    await sleep(1_000);
  }

  const log = await call<{ data: (CarrierEntry & { from: string })[] }>(
    `${sim}/sim/messages?from=${encodeURIComponent(sender)}`,
  );
  const times = receiveTimes(log.body.data, sender, postedAtEpochMs);
  const busiest = busiestWindow(times, config.windowMs);
  const ratio = capRatio(busiest.count, config.capPerMinute);
  const capList = await call<{ data: Array<{ from?: string; rejected: number }> }>(
    `${sim}/sim/caps`,
  );
  const refused = capList.body.data.find((cap) => cap.from === sender)?.rejected;
  const first = times.length === 0 ? undefined : Math.min(...times);
  const last = times.length === 0 ? undefined : Math.max(...times);
  return {
    instances,
    sender,
    bulkId: id,
    refusal: undefined,
    atCarrier: times.length,
    busiest,
    ratio,
    refused,
    status: bulk.status,
    counts: bulk.messages ?? {},
    firstTextMs: first === undefined ? undefined : first - postedAtEpochMs,
    lastTextMs: last === undefined ? undefined : last - postedAtEpochMs,
    spanMs: first === undefined || last === undefined ? undefined : last - first,
    fastestSpanMs: fastest,
    wallClockMs: finalAt === undefined ? undefined : finalAt - posted,
    previewEtaErrorMs:
      previewEta === undefined || last === undefined ? undefined : previewEta - last,
    previewEtaError: etaError(previewEta, postedAtEpochMs, last),
    verdict: pacingVerdict(ratio, refused),
  };
}

export async function runPacingScenario(
  target: PacingScenarioTarget,
  config: PacingBenchConfig,
): Promise<PacingOutcome> {
  const started = performance.now();
  const runs: PacingRun[] = [];
  try {
    runs.push(await pacingRun(target, config, 1));
    target.progress('starting a second messaging instance');
    const stopSecond = await startSecondMessaging(target.stack);
    try {
      runs.push(await pacingRun(target, config, 2));
    } finally {
      await stopSecond();
    }
  } finally {
    // Back to the simulator's configured caps (none in the stack the scenario starts).
    await call(`${target.stack.urls.carrierSim}/sim/caps`, { method: 'DELETE' }).catch(
      () => undefined,
    );
  }
  return { config, runs, totalMs: performance.now() - started };
}

/** Both runs: every text delivered, none refused, no window past the cap. */
export function pacingSucceeded(outcome: PacingOutcome): boolean {
  return (
    outcome.runs.length === 2 &&
    outcome.runs.every(
      (run) =>
        run.verdict.held &&
        run.counts['delivered'] === outcome.config.messages &&
        run.atCarrier === outcome.config.messages,
    )
  );
}

const rounded = (value: number | undefined, decimals = 0): number | null => {
  if (value === undefined) return null;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

/** The scenario's last line: its keys are a contract for whoever collects results. */
export function pacingResult(outcome: PacingOutcome): Record<string, unknown> {
  const { config } = outcome;
  return {
    scenario: 'pacing',
    n: config.messages,
    cap_per_min: config.capPerMinute,
    window_ms: config.windowMs,
    total_ms: rounded(outcome.totalMs),
    runs: outcome.runs.map((run) => ({
      instances: run.instances,
      bulk_id: run.bulkId ?? null,
      status: run.status ?? null,
      at_carrier: run.atCarrier,
      busiest_window: run.busiest.count,
      ratio: rounded(run.ratio, 3),
      refused: run.refused ?? null,
      delivered: run.counts['delivered'] ?? 0,
      failed: run.counts['failed'] ?? 0,
      first_text_ms: rounded(run.firstTextMs),
      last_text_ms: rounded(run.lastTextMs),
      span_ms: rounded(run.spanMs),
      fastest_span_ms: run.fastestSpanMs,
      wall_clock_ms: rounded(run.wallClockMs),
      preview_eta_error_ms: rounded(run.previewEtaErrorMs),
      preview_eta_error: rounded(run.previewEtaError, 3),
      held: run.verdict.held,
      close: run.verdict.close,
      refusal: run.refusal ?? null,
    })),
    goals: {
      max_ratio: PACING_GOALS.maxRatio,
      min_ratio: PACING_GOALS.minRatio,
      eta_error: PACING_GOALS.etaError,
    },
  };
}

export function pacingSummary(outcome: PacingOutcome, target: string): string[] {
  const { config } = outcome;
  const s = (ms: number | undefined): string =>
    ms === undefined ? 'n/a' : `${(ms / 1_000).toFixed(1)} s`;
  const yes = (ok: boolean) => (ok ? 'met' : 'not met');
  const lines = [
    `textplane bench (pacing): ${config.messages} texts in one bulk send against a cap of ${config.capPerMinute} per ${config.windowMs / 1_000} s (messaging's pacer and the simulator's cap), against ${target}`,
  ];
  for (const run of outcome.runs) {
    lines.push(`  ${run.instances} messaging instance${run.instances === 1 ? '' : 's'}:`);
    if (run.refusal !== undefined) {
      lines.push(`    bulk send refused: ${run.refusal}`);
      continue;
    }
    lines.push(
      `    busiest ${config.windowMs / 1_000} s window: ${run.busiest.count} -> ${run.ratio?.toFixed(3) ?? 'n/a'} of the cap (goal ≤ ${PACING_GOALS.maxRatio}: ${yes(run.verdict.held)}; ≥ ${PACING_GOALS.minRatio}: ${yes(run.verdict.close)})`,
      `    refused by the carrier (429 / 40318): ${run.refused ?? 'n/a'}; at the carrier ${run.atCarrier}/${config.messages}`,
      `    bulk send ${run.bulkId ?? ''}: ${run.status ?? '?'}, ${Object.entries(run.counts)
        .map(([status, n]) => `${status} ${n}`)
        .join(', ')}`,
      `    POST to first text ${s(run.firstTextMs)}, to last text ${s(run.lastTextMs)}; first to last ${s(run.spanMs)} (the cap allows ${s(run.fastestSpanMs)} at the fastest)`,
      `    wall clock, POST to every message final: ${s(run.wallClockMs)}`,
      `    preview ETA minus the last text: ${s(run.previewEtaErrorMs)}, ${run.previewEtaError === undefined ? 'n/a' : `${(run.previewEtaError * 100).toFixed(1)}%`} of the run (goal within ±${PACING_GOALS.etaError * 100}%: ${yes(run.previewEtaError !== undefined && Math.abs(run.previewEtaError) <= PACING_GOALS.etaError)}; not part of the run's success)`,
    );
  }
  lines.push(`  total ${s(outcome.totalMs)}`);
  return lines;
}
