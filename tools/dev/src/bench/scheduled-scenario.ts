// `BENCH_SCENARIO=scheduled make bench`: how late scheduled messages reach the carrier.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScheduledBenchConfig } from './config.js';
import { CpuAccount, type CpuPerMessage } from './cpu-account.js';
import type { DeliveryWatch } from './delivery-watch.js';
import { benchRecipient, sendMessages, type SendResult } from './load-run.js';
import type { LocalHttpClient } from './local-http.js';
import {
  type MemoryFigures,
  type MemorySources,
  type PeakMemory,
  PeakMemorySampler,
} from './memory-sampler.js';
import { ratePerSecond } from './percentiles.js';
import { rssOverTime } from './bench-report.js';
import {
  type BurstFigures,
  burstFigures,
  type CarrierSend,
  carrierArrivals,
  evenSchedule,
  type ReleaseLag,
  releaseLag,
  scheduleLeadMs,
  type ScheduledMessage,
} from './scheduled-figures.js';

export interface ScheduledScenarioTarget {
  readonly client: LocalHttpClient;
  readonly watch: DeliveryWatch;
  readonly apiKey: string;
  readonly carrierSimUrl: string;
  readonly memory: Readonly<MemorySources>;
  readonly concurrency: number;
  /** BENCH_TIMEOUT_S: how long each part may wait for its messages beyond their sendAt. */
  readonly timeoutMs: number;
  readonly progress: (line: string) => void;
}

export interface SingleRunFigures {
  readonly messages: number;
  readonly accepted: number;
  readonly delivered: number;
  readonly acceptedPerS: number | undefined;
  readonly deliveredPerS: number | undefined;
}

export interface ScheduledOutcome {
  readonly config: ScheduledBenchConfig;
  readonly concurrency: number;
  readonly single: SingleRunFigures;
  readonly spread: ReleaseLag & {
    readonly accepted: number;
    readonly acceptedPerS: number | undefined;
    readonly leadMs: number;
    /** Last accept to the first sendAt (ms): negative means accepts ran into the schedule. */
    readonly acceptsDoneBeforeMs: number;
  };
  readonly burst: BurstFigures & {
    readonly accepted: number;
    readonly acceptedPerS: number | undefined;
    readonly leadMs: number;
    readonly acceptsDoneBeforeMs: number;
    /** When gRPC WatchMessages pushed the last delivery, after the sendAt (ms). */
    readonly lastDeliveredAfterMs: number | undefined;
    /** CPU per message from the sendAt to the last delivery. */
    readonly cpuPerMessage: CpuPerMessage;
  };
  readonly memory: MemoryFigures;
  readonly rejections: ReadonlyMap<string, number>;
}

// Accepts of scheduled messages were measured at the single-send run's pace or faster (no
// delivery work beside them); the lead allows half as long again, plus a margin.
const LEAD = { safety: 1.5, marginMs: 10_000 } as const;

async function carrierLog(carrierSimUrl: string): Promise<CarrierSend[]> {
  const response = await fetch(`${carrierSimUrl}/sim/messages`, {
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) throw new Error(`GET /sim/messages answered ${response.status}`);
  const { data } = (await response.json()) as { data: CarrierSend[] };
  return data;
}

/** performance.now() as epoch ms, on the clock the carrier simulator stamps its log with. */
const wallClock = (performanceMs: number): number => performance.timeOrigin + performanceMs;

function acceptRate(send: SendResult): number | undefined {
  return ratePerSecond(send.acceptedIds.length, send.lastAcceptAt - send.firstSendAt);
}

function scheduled(send: SendResult, firstRecipient: number, sendAtOf: (i: number) => number) {
  return send.acceptedIds.map((id, k): ScheduledMessage => {
    const index = send.acceptedIndexes[k] ?? 0;
    return { id, to: benchRecipient(firstRecipient + index), sendAtMs: sendAtOf(index) };
  });
}

function mergeRejections(sends: readonly SendResult[]): Map<string, number> {
  const all = new Map<string, number>();
  for (const send of sends) {
    for (const [reason, n] of send.rejections) all.set(reason, (all.get(reason) ?? 0) + n);
  }
  return all;
}

export async function runScheduledScenario(
  target: ScheduledScenarioTarget,
  config: ScheduledBenchConfig,
): Promise<ScheduledOutcome> {
  const { client, watch, apiKey, progress } = target;
  const sampler = new PeakMemorySampler(target.memory, 500);
  try {
    // 1. A short single-send run: warms the stack, measures accept and delivery rates.
    progress(`single-send run: ${config.singleMessages} messages`);
    const singleSend = await sendMessages(client, apiKey, {
      messages: config.singleMessages,
      concurrency: target.concurrency,
      deadline: performance.now() + target.timeoutMs,
    });
    const singleWatched = await watch.waitFor(
      singleSend.acceptedIds,
      performance.now() + target.timeoutMs,
    );
    const single: SingleRunFigures = {
      messages: config.singleMessages,
      accepted: singleSend.acceptedIds.length,
      delivered: singleWatched.delivered,
      acceptedPerS: acceptRate(singleSend),
      deliveredPerS:
        singleWatched.lastDeliveredAt === undefined
          ? undefined
          : ratePerSecond(
              singleWatched.delivered,
              singleWatched.lastDeliveredAt - singleSend.firstSendAt,
            ),
    };
    if (single.acceptedPerS === undefined || single.deliveredPerS === undefined) {
      throw new Error('the single-send run delivered nothing: no rate to schedule by');
    }
    progress(
      `single-send run: ${single.acceptedPerS.toFixed(1)} accepted/s, ${single.deliveredPerS.toFixed(1)} delivered/s`,
    );

    // 2. Release lag: sendAt spread evenly over the window, starting after the last accept.
    const spreadFirst = config.singleMessages;
    const spreadLeadMs = scheduleLeadMs(config.spreadMessages, single.acceptedPerS, LEAD);
    const spreadStartedAt = Date.now();
    const spreadTimes = evenSchedule(
      config.spreadMessages,
      spreadStartedAt + spreadLeadMs,
      config.spreadMs,
    );
    const spreadAt = (i: number): number => spreadTimes[i] ?? Number.NaN;
    progress(
      `release lag: ${config.spreadMessages} messages over ${config.spreadMs / 1_000} s from ${new Date(spreadAt(0)).toISOString()}`,
    );
    const spreadSend = await sendMessages(client, apiKey, {
      messages: config.spreadMessages,
      concurrency: target.concurrency,
      deadline: performance.now() + spreadLeadMs,
      firstRecipient: spreadFirst,
      sendAtOf: (i) => new Date(spreadAt(i)).toISOString(),
    });
    const spreadDoneBeforeMs = spreadAt(0) - wallClock(spreadSend.lastAcceptAt);
    progress(
      `release lag: ${spreadSend.acceptedIds.length} accepted, ${(spreadDoneBeforeMs / 1_000).toFixed(1)} s before the first sendAt; waiting for the last sendAt and its delivery`,
    );
    const spreadLastAt = spreadTimes.at(-1) ?? spreadStartedAt;
    await watch.waitFor(
      spreadSend.acceptedIds,
      performance.now() + Math.max(0, spreadLastAt - Date.now()) + target.timeoutMs,
    );
    const spreadMessages = scheduled(spreadSend, spreadFirst, spreadAt);
    const spreadLag = releaseLag(
      spreadMessages,
      carrierArrivals(spreadMessages, await carrierLog(target.carrierSimUrl), spreadStartedAt),
    );

    // 3. Burst: every message for one instant, placed by the accept rate just measured.
    const burstFirst = spreadFirst + config.spreadMessages;
    const burstAcceptPerS = acceptRate(spreadSend) ?? single.acceptedPerS;
    const burstLeadMs = scheduleLeadMs(config.burstMessages, burstAcceptPerS, LEAD);
    const burstStartedAt = Date.now();
    const burstAt = burstStartedAt + burstLeadMs;
    progress(
      `burst: ${config.burstMessages} messages for ${new Date(burstAt).toISOString()} (${(burstLeadMs / 1_000).toFixed(0)} s ahead)`,
    );
    const burstSend = await sendMessages(client, apiKey, {
      messages: config.burstMessages,
      concurrency: target.concurrency,
      deadline: performance.now() + burstLeadMs,
      firstRecipient: burstFirst,
      sendAtOf: () => new Date(burstAt).toISOString(),
    });
    const burstDoneBeforeMs = burstAt - wallClock(burstSend.lastAcceptAt);
    progress(
      `burst: ${burstSend.acceptedIds.length} accepted, ${(burstDoneBeforeMs / 1_000).toFixed(1)} s before the sendAt`,
    );
    await sleep(Math.max(0, burstAt - Date.now()));
    const cpu = await CpuAccount.begin(target.memory);
    const burstWatched = await watch.waitFor(
      burstSend.acceptedIds,
      performance.now() + target.timeoutMs,
    );
    const cpuPerMessage = await cpu.perMessage(burstSend.acceptedIds.length);
    const burstMessages = scheduled(burstSend, burstFirst, () => burstAt);
    const burst = burstFigures(
      burstMessages,
      carrierArrivals(burstMessages, await carrierLog(target.carrierSimUrl), burstStartedAt),
      single.deliveredPerS,
    );

    return {
      config,
      concurrency: target.concurrency,
      single,
      spread: {
        ...spreadLag,
        accepted: spreadSend.acceptedIds.length,
        acceptedPerS: acceptRate(spreadSend),
        leadMs: spreadLeadMs,
        acceptsDoneBeforeMs: spreadDoneBeforeMs,
      },
      burst: {
        ...burst,
        accepted: burstSend.acceptedIds.length,
        acceptedPerS: acceptRate(burstSend),
        leadMs: burstLeadMs,
        acceptsDoneBeforeMs: burstDoneBeforeMs,
        lastDeliveredAfterMs:
          burstWatched.lastDeliveredAt === undefined
            ? undefined
            : wallClock(burstWatched.lastDeliveredAt) - burstAt,
        cpuPerMessage,
      },
      memory: await sampler.stop(),
      rejections: mergeRejections([singleSend, spreadSend, burstSend]),
    };
  } finally {
    await sampler.stop();
  }
}

/** Every message accepted and received once, none early, and the schedules kept clear of accepts. */
export function scheduledSucceeded(outcome: ScheduledOutcome): boolean {
  const { config, single, spread, burst } = outcome;
  return (
    single.accepted === config.singleMessages &&
    spread.accepted === config.spreadMessages &&
    burst.accepted === config.burstMessages &&
    spread.received === spread.messages &&
    burst.received === burst.messages &&
    spread.early + burst.early + spread.duplicates + burst.duplicates === 0 &&
    spread.acceptsDoneBeforeMs > 0 &&
    burst.acceptsDoneBeforeMs > 0
  );
}

const rounded = (value: number | undefined, decimals = 0): number | null => {
  if (value === undefined) return null;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

export const RELEASE_LAG_P99_GOAL_MS = 1_000;

/** The scenario's last line: its keys are a contract for whoever collects results. */
export function scheduledResult(outcome: ScheduledOutcome): Record<string, unknown> {
  const { single, spread, burst } = outcome;
  return {
    scenario: 'scheduled',
    single: {
      n: single.messages,
      accepted_per_s: rounded(single.acceptedPerS, 1),
      delivered_per_s: rounded(single.deliveredPerS, 1),
    },
    release_lag: {
      n: spread.messages,
      spread_s: outcome.config.spreadMs / 1_000,
      received: spread.received,
      p50_ms: rounded(spread.p50Ms),
      p99_ms: rounded(spread.p99Ms),
      max_ms: rounded(spread.maxMs),
      min_ms: rounded(spread.minMs),
      early: spread.early,
      duplicates: spread.duplicates,
      goal_p99_ms: RELEASE_LAG_P99_GOAL_MS,
      goal_met:
        spread.p99Ms !== undefined &&
        spread.p99Ms <= RELEASE_LAG_P99_GOAL_MS &&
        spread.received === spread.messages &&
        spread.early === 0 &&
        spread.duplicates === 0,
    },
    burst: {
      n: burst.messages,
      received: burst.received,
      first_after_ms: rounded(burst.firstAfterMs),
      last_after_ms: rounded(burst.lastAfterMs),
      last_delivered_after_ms: rounded(burst.lastDeliveredAfterMs),
      carrier_per_s: rounded(burst.carrierPerS, 1),
      early: burst.early,
      duplicates: burst.duplicates,
      goal_ms: burst.goalMs ?? null,
      goal_met: burst.goalMet,
    },
    rss_mb: outcome.memory.peak,
    final_rss_mb: outcome.memory.final,
  };
}

export function scheduledSummary(outcome: ScheduledOutcome, target: string): string[] {
  const { config, single, spread, burst } = outcome;
  const s = (ms: number | undefined): string =>
    ms === undefined ? 'n/a' : `${(ms / 1_000).toFixed(3)} s`;
  const ms = (value: number | undefined): string =>
    value === undefined ? 'n/a' : `${Math.round(value)} ms`;
  const perS = (value: number | undefined): string =>
    value === undefined ? 'n/a' : `${value.toFixed(1)}/s`;
  const mibs = (memory: PeakMemory): string =>
    Object.entries(memory)
      .map(([name, mb]) => `${name} ${mb === null ? 'n/a' : `${mb} MiB`}`)
      .join(', ');
  const cpu = burst.cpuPerMessage;
  const cpuParts = [
    ...Object.entries(cpu.services),
    ...Object.entries(cpu.shared),
    ...(cpu.bench === null ? [] : [['load generator', cpu.bench] as const]),
  ].map(([name, value]) => `${name} ${value} ms`);
  if (cpu.machine !== null) {
    cpuParts.push(
      `whole machine ${cpu.machine} ms${cpu.machineBusy === null ? '' : ` (busy ${Math.round(cpu.machineBusy * 100)}%)`}`,
    );
  }
  const lines = [
    `textplane bench (scheduled): accepts at concurrency ${outcome.concurrency}, against ${target}`,
    `  single-send run  ${single.accepted}/${single.messages} accepted at ${perS(single.acceptedPerS)}, ${single.delivered} delivered at ${perS(single.deliveredPerS)}`,
    `  release lag  ${spread.messages} messages, sendAt spread over ${config.spreadMs / 1_000} s, first ${s(spread.leadMs)} ahead`,
    `    accepted ${spread.accepted} at ${perS(spread.acceptedPerS)}, done ${s(spread.acceptsDoneBeforeMs)} before the first sendAt`,
    `    carrier receive − sendAt: p50 ${ms(spread.p50Ms)}, p99 ${ms(spread.p99Ms)}, max ${ms(spread.maxMs)}, min ${ms(spread.minMs)} (goal p99 ≤ ${RELEASE_LAG_P99_GOAL_MS} ms: ${spread.p99Ms !== undefined && spread.p99Ms <= RELEASE_LAG_P99_GOAL_MS ? 'met' : 'not met'})`,
    `    received ${spread.received}/${spread.messages}, early ${spread.early}, duplicates at the carrier ${spread.duplicates}`,
    `  burst  ${burst.messages} messages for one instant, ${s(burst.leadMs)} ahead`,
    `    accepted ${burst.accepted} at ${perS(burst.acceptedPerS)}, done ${s(burst.acceptsDoneBeforeMs)} before the sendAt`,
    `    at the carrier: first ${s(burst.firstAfterMs)}, last ${s(burst.lastAfterMs)} after the sendAt (${perS(burst.carrierPerS)} between them); last delivery pushed ${s(burst.lastDeliveredAfterMs)} after`,
    `    goal: ${burst.messages} ÷ the single-send run's ${perS(single.deliveredPerS)} delivered + 2 s = ${s(burst.goalMs)}: ${burst.goalMet ? 'met' : 'not met'}`,
    `    received ${burst.received}/${burst.messages}, early ${burst.early}, duplicates at the carrier ${burst.duplicates}`,
    `    CPU per message, sendAt to last delivery: ${cpuParts.join(', ') || 'n/a'}`,
  ];
  for (const [reason, n] of outcome.rejections) lines.push(`  not accepted ×${n}: ${reason}`);
  lines.push(`  peak RSS   ${mibs(outcome.memory.peak)}`);
  lines.push(`  final RSS  ${mibs(outcome.memory.final)}`);
  lines.push(...rssOverTime(outcome.memory));
  return lines;
}
