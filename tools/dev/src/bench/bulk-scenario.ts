// `BENCH_SCENARIO=bulk make bench`: one bulk send of BENCH_BULK_N recipients (mode now, no carrier
// caps) against a single-send run in the same invocation (issue 11 §5).
import { bulkMessageId } from '@textplane/contracts';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { rssOverTime } from './bench-report.js';
import {
  BULK_GOALS,
  bulkContactId,
  bulkContactsCsv,
  bulkRecipientPhone,
  type BytesPerMessage,
  bytesPerMessage,
  type CarrierEntry,
  type DatabaseSizes,
  deliveredRatio,
  firstArrivalMs,
  highestSince,
} from './bulk-figures.js';
import type { BulkBenchConfig } from './config.js';
import { CpuAccount, type CpuPerMessage } from './cpu-account.js';
import { type BenchDatabases, databaseSizes } from './database-size.js';
import type { DeliveryWatch } from './delivery-watch.js';
import { sendMessages } from './load-run.js';
import type { LocalHttpClient } from './local-http.js';
import {
  type MemoryFigures,
  type MemorySources,
  type PeakMemory,
  PeakMemorySampler,
} from './memory-sampler.js';
import { ratePerSecond } from './percentiles.js';

export interface BulkScenarioTarget {
  readonly client: LocalHttpClient;
  readonly watch: DeliveryWatch;
  readonly gatewayUrl: string;
  readonly apiKey: string;
  readonly carrierSimUrl: string;
  readonly memory: Readonly<MemorySources>;
  /** Where the services' databases are, for bytes per message; absent: not measured. */
  readonly databases: BenchDatabases | undefined;
  readonly concurrency: number;
  /**
   * BENCH_TIMEOUT_S: how long each part (import, single run, bulk send) may take; the bulk send
   * at least 20 ms per recipient.
   */
  readonly timeoutMs: number;
  readonly progress: (line: string) => void;
}

export interface RunFigures {
  readonly messages: number;
  readonly delivered: number;
  readonly deliveredPerS: number | undefined;
  readonly bytesPerMessage: BytesPerMessage | undefined;
}

export interface BulkOutcome {
  readonly config: BulkBenchConfig;
  readonly concurrency: number;
  readonly importMs: number | undefined;
  readonly single: RunFigures & { readonly accepted: number };
  readonly bulk: RunFigures & {
    readonly id: string | undefined;
    /** POST to its 202: the recipient set frozen and recorded. */
    readonly frozenMs: number | undefined;
    /** POST to the first text of the bulk send in the carrier simulator's log. */
    readonly firstTextMs: number | undefined;
    /** POST to the last delivery (pushed over gRPC WatchMessages, else seen in the counts). */
    readonly lastDeliveredMs: number | undefined;
    readonly timedBy: 'pushes' | 'counts';
    /** GET /v1/bulk-sends/{id} at the end: its status and message counts. */
    readonly status: string | undefined;
    readonly counts: Readonly<Record<string, number>>;
    readonly cpuPerMessage: CpuPerMessage | undefined;
    /** Each service's highest sampled RSS from the POST on. */
    readonly highestRss: PeakMemory;
    readonly refusal: string | undefined;
  };
  readonly ratio: number | undefined;
  readonly memory: MemoryFigures;
}

const auth = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

async function sizes(databases: BenchDatabases | undefined): Promise<DatabaseSizes | undefined> {
  if (databases === undefined) return undefined;
  return databaseSizes(databases).catch(() => undefined);
}

function perMessage(
  before: DatabaseSizes | undefined,
  after: DatabaseSizes | undefined,
  messages: number,
): BytesPerMessage | undefined {
  return before === undefined || after === undefined
    ? undefined
    : bytesPerMessage(before, after, messages);
}

/**
 * Imports `rows` contacts tagged `tag` through POST /v1/contact-imports and waits until the
 * gateway's read model holds the last of them (it freezes a bulk send's recipients). Resolves
 * with how long that took; the pacing scenario imports its recipients the same way.
 */
export async function importContacts(
  target: Pick<BulkScenarioTarget, 'gatewayUrl' | 'apiKey' | 'timeoutMs' | 'progress'>,
  rows: number,
  run: string,
  tag: string,
): Promise<number> {
  const csv = bulkContactsCsv(rows, run, tag);
  target.progress(`importing ${rows} contacts (${(csv.length / 1_048_576).toFixed(1)} MiB of CSV)`);
  const started = performance.now();
  const answer = await fetch(`${target.gatewayUrl}/v1/contact-imports`, {
    method: 'POST',
    headers: { ...auth(target.apiKey), 'content-type': 'text/csv' },
    body: csv,
  });
  const job = (await answer.json()) as { id?: string };
  if (answer.status !== 202 || job.id === undefined) {
    throw new Error(`import not accepted: ${answer.status} ${JSON.stringify(job)}`);
  }
  const deadline = started + target.timeoutMs;
  const lastId = encodeURIComponent(bulkContactId(run, rows - 1));
  for (let done = false; performance.now() < deadline; await sleep(250)) {
    if (!done) {
      const read = await fetch(`${target.gatewayUrl}/v1/contact-imports/${job.id}`, {
        headers: auth(target.apiKey),
      });
      const status = (await read.json()) as { status?: string; rows?: { upserted?: number } };
      if (status.status !== 'completed') continue;
      if (status.rows?.upserted !== rows) {
        throw new Error(`the import upserted ${status.rows?.upserted} of ${rows} rows`);
      }
      done = true;
    }
    // The gateway's read model freezes the recipients: its last contact must be there.
    const last = await fetch(`${target.gatewayUrl}/v1/contacts/${lastId}`, {
      headers: auth(target.apiKey),
    });
    await last.body?.cancel();
    if (last.status === 200) return performance.now() - started;
  }
  throw new Error(`the import of ${rows} contacts did not complete in ${target.timeoutMs} ms`);
}

interface BulkResource {
  id?: string;
  status?: string;
  messages?: Record<string, number>;
  batches?: { total: number; released: number };
}

async function readBulk(target: BulkScenarioTarget, id: string): Promise<BulkResource> {
  const answer = await target.client.send(
    'GET',
    `/v1/bulk-sends/${encodeURIComponent(id)}`,
    auth(target.apiKey),
  );
  return answer.status === 200 ? (JSON.parse(answer.body) as BulkResource) : {};
}

async function carrierLog(carrierSimUrl: string): Promise<CarrierEntry[]> {
  const response = await fetch(`${carrierSimUrl}/sim/messages`, {
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) throw new Error(`GET /sim/messages answered ${response.status}`);
  return ((await response.json()) as { data: CarrierEntry[] }).data;
}

/** The sender number of a message (GET /v1/messages/{id}), when it can be read. */
async function senderOf(
  target: BulkScenarioTarget,
  messageId: string | undefined,
): Promise<string | undefined> {
  if (messageId === undefined) return undefined;
  const answer = await target.client.send(
    'GET',
    `/v1/messages/${encodeURIComponent(messageId)}`,
    auth(target.apiKey),
  );
  if (answer.status !== 200) return undefined;
  const { from } = JSON.parse(answer.body) as { from?: unknown };
  return typeof from === 'string' ? from : undefined;
}

const OUT_OF_DISPATCH = ['sending', 'sent', 'delivered', 'undelivered', 'failed'] as const;

/**
 * Waits for the bulk send's first text to leave for the carrier (its counts, or its first
 * recipient's number in the carrier's log), then reads the whole log once, while it still holds
 * the first text, for the earliest receive time of any of its numbers.
 */
async function firstText(
  target: BulkScenarioTarget,
  id: string,
  phones: ReadonlySet<string>,
  postedAtEpochMs: number,
  deadline: number,
): Promise<number | undefined> {
  const firstPhone = encodeURIComponent(bulkRecipientPhone(0));
  while (performance.now() < deadline) {
    const [bulk, mine] = await Promise.all([
      readBulk(target, id),
      fetch(`${target.carrierSimUrl}/sim/messages?to=${firstPhone}`).then(
        async (r) => ((await r.json()) as { data: CarrierEntry[] }).data,
      ),
    ]);
    const moving = OUT_OF_DISPATCH.some((status) => (bulk.messages?.[status] ?? 0) > 0);
    if (moving || firstArrivalMs(mine, phones, postedAtEpochMs) !== undefined) {
      const first = firstArrivalMs(await carrierLog(target.carrierSimUrl), phones, postedAtEpochMs);
      if (first !== undefined) return first - postedAtEpochMs;
    }
    await sleep(100);
  }
  return undefined;
}

const FINAL = ['delivered', 'undelivered', 'failed', 'blocked', 'canceled'] as const;

interface Deliveries {
  readonly delivered: number;
  /** performance.now() of the last delivery. */
  readonly lastDeliveredAt: number | undefined;
  readonly timedBy: 'pushes' | 'counts';
}

/**
 * Times the deliveries by the gRPC WatchMessages pushes, as the single-send run is timed. The
 * bulk send's own counts are read every second beside them (a progress line every 5 s); should
 * they show every message final while the pushes lag 10 s behind, the counts time the run
 * instead (a delivery is then late by at most the second between two reads).
 */
async function awaitDeliveries(
  target: BulkScenarioTarget,
  id: string,
  messageIds: readonly string[],
  deadline: number,
): Promise<Deliveries> {
  let polling = true;
  const byCounts = (async (): Promise<Deliveries | undefined> => {
    for (let read = 0; polling && performance.now() < deadline; read++) {
      await sleep(1_000);
      const bulk: BulkResource = await readBulk(target, id).catch(() => ({}));
      const counts = bulk.messages ?? {};
      if (read % 5 === 4) {
        target.progress(
          `  ${bulk.status ?? '?'}: batches ${bulk.batches?.released ?? '?'}/${bulk.batches?.total ?? '?'}, ${[...OUT_OF_DISPATCH, 'blocked'].map((s) => `${s} ${counts[s] ?? 0}`).join(', ')}`,
        );
      }
      const final = FINAL.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
      if (bulk.status === 'completed' && final >= messageIds.length) {
        const seenAt = performance.now();
        await sleep(10_000);
        return { delivered: counts['delivered'] ?? 0, lastDeliveredAt: seenAt, timedBy: 'counts' };
      }
    }
    return undefined;
  })();
  const byPushes = target.watch
    .waitFor(messageIds, deadline)
    .then((watched): Deliveries => ({ ...watched, timedBy: 'pushes' }));
  try {
    const first = await Promise.race([byPushes, byCounts]);
    return first ?? (await byPushes);
  } finally {
    polling = false;
  }
}

export async function runBulkScenario(
  target: BulkScenarioTarget,
  config: BulkBenchConfig,
): Promise<BulkOutcome> {
  const { client, watch, apiKey, progress } = target;
  const sampler = new PeakMemorySampler(target.memory, 500);
  const samplingStartedAt = performance.now();
  try {
    const run = randomUUID().slice(0, 8);
    const tag = `bench-bulk-${run}`;
    const importMs = await importContacts(target, config.recipients, run, tag);
    progress(`imported in ${((importMs ?? 0) / 1_000).toFixed(1)} s`);

    // 1. The single-send run of the same invocation: what the bulk send is compared with.
    progress(`single-send run: ${config.singleMessages} messages`);
    const singleBefore = await sizes(target.databases);
    const singleSend = await sendMessages(client, apiKey, {
      messages: config.singleMessages,
      concurrency: target.concurrency,
      deadline: performance.now() + target.timeoutMs,
    });
    const singleWatched = await watch.waitFor(
      singleSend.acceptedIds,
      performance.now() + target.timeoutMs,
    );
    const single = {
      messages: config.singleMessages,
      accepted: singleSend.acceptedIds.length,
      delivered: singleWatched.delivered,
      deliveredPerS:
        singleWatched.lastDeliveredAt === undefined
          ? undefined
          : ratePerSecond(
              singleWatched.delivered,
              singleWatched.lastDeliveredAt - singleSend.firstSendAt,
            ),
      bytesPerMessage: perMessage(
        singleBefore,
        await sizes(target.databases),
        singleWatched.delivered,
      ),
    };
    progress(
      `single-send run: ${single.delivered} delivered at ${single.deliveredPerS?.toFixed(1) ?? '-'}/s`,
    );

    // 2. The bulk send: one request for every contact of the run's tag, from the number the
    // single sends went from (the same sender for both runs; and messaging knows no default
    // sender for a tenant created before its bulk-send migration, such as a reused bench tenant).
    const from = await senderOf(target, singleSend.acceptedIds[0]);
    const contactIds = Array.from({ length: config.recipients }, (_, i) => bulkContactId(run, i));
    const phones = new Set(contactIds.map((_, i) => bulkRecipientPhone(i)));
    const bulkBefore = await sizes(target.databases);
    const cpu = await CpuAccount.begin(target.memory);
    const bulkSamplesFrom = performance.now() - samplingStartedAt;
    progress(`bulk send: ${config.recipients} recipients, mode now`);
    const postedAtEpochMs = Date.now();
    const posted = performance.now();
    const answer = await fetch(`${target.gatewayUrl}/v1/bulk-sends`, {
      method: 'POST',
      headers: {
        ...auth(apiKey),
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        recipients: { tags: { all: [tag] } },
        message: {
          body: 'textplane bench: hi {{ contact.first_name }}',
          purpose: 'transactional',
          ...(from === undefined ? {} : { from }),
        },
        delivery: { mode: 'now' },
      }),
    });
    const frozenMs = performance.now() - posted;
    const created = (await answer.json()) as BulkResource & { detail?: string };
    if (answer.status !== 202 || created.id === undefined) {
      return {
        config,
        concurrency: target.concurrency,
        importMs,
        single,
        bulk: {
          id: undefined,
          messages: config.recipients,
          delivered: 0,
          deliveredPerS: undefined,
          timedBy: 'pushes',
          bytesPerMessage: undefined,
          frozenMs: undefined,
          firstTextMs: undefined,
          lastDeliveredMs: undefined,
          status: undefined,
          counts: {},
          cpuPerMessage: undefined,
          highestRss: highestSince([], 0),
          refusal: `HTTP ${answer.status}: ${JSON.stringify(created).slice(0, 300)}`,
        },
        ratio: undefined,
        memory: await sampler.stop(),
      };
    }
    const id = created.id;
    progress(`bulk send ${id} frozen in ${(frozenMs / 1_000).toFixed(2)} s (202)`);
    // 100,000 texts may take longer than one part's BENCH_TIMEOUT_S: at least 20 ms each.
    const deadline = posted + Math.max(target.timeoutMs, config.recipients * 20);
    const firstTextMs = await firstText(target, id, phones, postedAtEpochMs, deadline);
    progress(
      `first text at the carrier ${firstTextMs === undefined ? 'not seen' : `${(firstTextMs / 1_000).toFixed(2)} s`} after the POST`,
    );
    const delivery = await awaitDeliveries(
      target,
      id,
      contactIds.map((contactId) => bulkMessageId(id, contactId)),
      deadline,
    );
    const cpuPerMessage = await cpu.perMessage(delivery.delivered);
    const lastDeliveredMs =
      delivery.lastDeliveredAt === undefined ? undefined : delivery.lastDeliveredAt - posted;
    // The resource catches up with the pushes; read it until it shows them all (briefly).
    let final = await readBulk(target, id);
    for (let i = 0; i < 40 && (final.messages?.['delivered'] ?? 0) < delivery.delivered; i++) {
      await sleep(250);
      final = await readBulk(target, id);
    }
    const memory = await sampler.stop();
    const deliveredPerS =
      lastDeliveredMs === undefined
        ? undefined
        : ratePerSecond(delivery.delivered, lastDeliveredMs);
    return {
      config,
      concurrency: target.concurrency,
      importMs,
      single,
      bulk: {
        id,
        messages: config.recipients,
        delivered: delivery.delivered,
        deliveredPerS,
        timedBy: delivery.timedBy,
        bytesPerMessage: perMessage(bulkBefore, await sizes(target.databases), delivery.delivered),
        frozenMs,
        firstTextMs,
        lastDeliveredMs,
        status: final.status,
        counts: final.messages ?? {},
        cpuPerMessage,
        highestRss: highestSince(memory.samples, bulkSamplesFrom),
        refusal: undefined,
      },
      ratio: deliveredRatio(deliveredPerS, single.deliveredPerS),
      memory,
    };
  } finally {
    await sampler.stop();
  }
}

/** Every text of both runs delivered and the bulk send completed (the goals are reported apart). */
export function bulkSucceeded(outcome: BulkOutcome): boolean {
  const { single, bulk } = outcome;
  return (
    single.delivered === single.messages &&
    bulk.delivered === bulk.messages &&
    bulk.status === 'completed'
  );
}

const rounded = (value: number | undefined, decimals = 0): number | null => {
  if (value === undefined) return null;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

function goals(outcome: BulkOutcome) {
  const { bulk, memory, ratio } = outcome;
  const peaks = Object.values(memory.peak).filter((mib): mib is number => mib !== null);
  return {
    firstText: bulk.firstTextMs !== undefined && bulk.firstTextMs <= BULK_GOALS.firstTextMs,
    ratio: ratio !== undefined && ratio >= BULK_GOALS.deliveredRatio,
    peakRss: peaks.length > 0 && peaks.every((mib) => mib <= BULK_GOALS.peakRssMiB),
  };
}

const bytes = (figure: BytesPerMessage | undefined) =>
  figure === undefined
    ? null
    : {
        total: Math.round(figure.total),
        ...Object.fromEntries(
          Object.entries(figure.perDatabase).map(([name, b]) => [name, Math.round(b)]),
        ),
      };

/** The scenario's last line: its keys are a contract for whoever collects results. */
export function bulkResult(outcome: BulkOutcome): Record<string, unknown> {
  const { single, bulk } = outcome;
  const met = goals(outcome);
  return {
    scenario: 'bulk',
    import_ms: rounded(outcome.importMs),
    single: {
      n: single.messages,
      delivered: single.delivered,
      delivered_per_s: rounded(single.deliveredPerS, 1),
      pg_bytes_per_message: bytes(single.bytesPerMessage),
    },
    bulk: {
      n: bulk.messages,
      id: bulk.id ?? null,
      status: bulk.status ?? null,
      delivered: bulk.delivered,
      frozen_ms: rounded(bulk.frozenMs),
      first_text_ms: rounded(bulk.firstTextMs),
      last_delivered_ms: rounded(bulk.lastDeliveredMs),
      timed_by: bulk.timedBy,
      delivered_per_s: rounded(bulk.deliveredPerS, 1),
      pg_bytes_per_message: bytes(bulk.bytesPerMessage),
      highest_rss_mb: bulk.highestRss,
      refusal: bulk.refusal ?? null,
    },
    ratio: rounded(outcome.ratio, 2),
    goals: {
      first_text_ms: BULK_GOALS.firstTextMs,
      first_text_met: met.firstText,
      ratio: BULK_GOALS.deliveredRatio,
      ratio_met: met.ratio,
      peak_rss_mb: BULK_GOALS.peakRssMiB,
      peak_rss_met: met.peakRss,
    },
    rss_mb: outcome.memory.peak,
    final_rss_mb: outcome.memory.final,
  };
}

export function bulkSummary(outcome: BulkOutcome, target: string): string[] {
  const { single, bulk } = outcome;
  const met = goals(outcome);
  const s = (ms: number | undefined): string =>
    ms === undefined ? 'n/a' : `${(ms / 1_000).toFixed(2)} s`;
  const perS = (value: number | undefined): string =>
    value === undefined ? 'n/a' : `${value.toFixed(1)}/s`;
  const mibs = (memory: PeakMemory): string =>
    Object.entries(memory)
      .map(([name, mb]) => `${name} ${mb === null ? 'n/a' : `${mb} MiB`}`)
      .join(', ');
  const perMessageBytes = (figure: BytesPerMessage | undefined): string =>
    figure === undefined
      ? 'n/a'
      : `${Math.round(figure.total)} B (${Object.entries(figure.perDatabase)
          .map(([name, b]) => `${name} ${Math.round(b)}`)
          .join(', ')})`;
  const yes = (ok: boolean) => (ok ? 'met' : 'not met');
  const lines = [
    `textplane bench (bulk): ${bulk.messages} recipients in one bulk send vs ${single.messages} single sends at concurrency ${outcome.concurrency}, against ${target}`,
    `  contacts imported and readable in ${s(outcome.importMs)}`,
    `  single-send run  ${single.accepted}/${single.messages} accepted, ${single.delivered} delivered at ${perS(single.deliveredPerS)}; Postgres ${perMessageBytes(single.bytesPerMessage)} per message`,
  ];
  if (bulk.refusal !== undefined) {
    lines.push(`  bulk send refused: ${bulk.refusal}`);
  } else {
    const cpu = bulk.cpuPerMessage;
    const cpuParts =
      cpu === undefined
        ? []
        : [
            ...Object.entries(cpu.services),
            ...Object.entries(cpu.shared),
            ...(cpu.bench === null ? [] : [['load generator', cpu.bench] as const]),
          ].map(([name, value]) => `${name} ${value} ms`);
    lines.push(
      `  bulk send ${bulk.id ?? ''}: ${bulk.status ?? '?'}, ${bulk.delivered}/${bulk.messages} delivered`,
      `    POST to 202 (recipients frozen): ${s(bulk.frozenMs)}`,
      `    POST to the first text at the carrier: ${s(bulk.firstTextMs)} (goal ≤ ${BULK_GOALS.firstTextMs / 1_000} s: ${yes(met.firstText)})`,
      `    POST to the last delivery: ${s(bulk.lastDeliveredMs)} -> ${perS(bulk.deliveredPerS)} delivered (timed by ${bulk.timedBy === 'pushes' ? 'the gRPC WatchMessages pushes' : 'the bulk send counts, read every second: the pushes lagged'})`,
      `    ratio to the single-send run: ${outcome.ratio === undefined ? 'n/a' : `${outcome.ratio.toFixed(2)}×`} (goal ≥ ${BULK_GOALS.deliveredRatio}×: ${yes(met.ratio)})`,
      `    final counts (GET /v1/bulk-sends/{id}): ${Object.entries(bulk.counts)
        .map(([status, n]) => `${status} ${n}`)
        .join(', ')}`,
      `    Postgres per message: ${perMessageBytes(bulk.bytesPerMessage)}`,
      `    highest RSS from the POST on: ${mibs(bulk.highestRss)}`,
      `    CPU per message: ${cpuParts.join(', ') || 'n/a'}`,
    );
  }
  lines.push(
    `  peak RSS (since each service started; goal ≤ ${BULK_GOALS.peakRssMiB} MiB: ${yes(met.peakRss)})  ${mibs(outcome.memory.peak)}`,
  );
  lines.push(`  final RSS  ${mibs(outcome.memory.final)}`);
  lines.push(...rssOverTime(outcome.memory));
  return lines;
}
