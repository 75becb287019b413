import { cpus, machine, totalmem } from 'node:os';
import type { DeliveryResult, SendResult } from './load-run.js';
import type { CpuPerMessage } from './cpu-account.js';
import { type MemoryFigures, type PeakMemory, rssWindows } from './memory-sampler.js';
import { ratePerSecond, summariseLatencies } from './percentiles.js';

export interface BenchOutcome {
  readonly messages: number;
  readonly concurrency: number;
  /** Which platform was measured, for the summary. */
  readonly target: string;
  readonly send: SendResult;
  readonly delivery: DeliveryResult;
  readonly memory: MemoryFigures;
  /** From the first request to the last delivery; absent when it was not measured. */
  readonly cpuPerMessage?: CpuPerMessage;
}

/** The last line `make bench` prints; its keys are a contract for whoever collects results. */
export interface BenchResultLine {
  readonly n: number;
  readonly accepted_per_s: number | null;
  readonly delivered_per_s: number | null;
  readonly accept_p50_ms: number | null;
  readonly accept_p99_ms: number | null;
  /** Peak resident memory per service. */
  readonly rss_mb: PeakMemory;
  /** Resident memory per service once every message is final. */
  readonly final_rss_mb: PeakMemory;
}

function rounded(value: number | undefined, decimals: number): number | null {
  if (value === undefined) return null;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/**
 * Accepted per second: 202s over the time from the first request to the last 202. Delivered per
 * second: deliveries over the time from the first request to the poll pass that saw the last one.
 */
export function benchResult(outcome: BenchOutcome): BenchResultLine {
  const { send, delivery } = outcome;
  const latencies = summariseLatencies(send.latenciesMs);
  const deliverySpan =
    delivery.lastDeliveredSeenAt === undefined
      ? 0
      : delivery.lastDeliveredSeenAt - send.firstSendAt;
  return {
    n: outcome.messages,
    accepted_per_s: rounded(
      ratePerSecond(send.acceptedIds.length, send.lastAcceptAt - send.firstSendAt),
      1,
    ),
    delivered_per_s: rounded(ratePerSecond(delivery.delivered, deliverySpan), 1),
    accept_p50_ms: rounded(latencies.p50Ms, 2),
    accept_p99_ms: rounded(latencies.p99Ms, 2),
    rss_mb: outcome.memory.peak,
    final_rss_mb: outcome.memory.final,
  };
}

/** True when every message was accepted and delivered. */
export function benchSucceeded(outcome: BenchOutcome): boolean {
  return (
    outcome.send.acceptedIds.length === outcome.messages &&
    outcome.delivery.delivered === outcome.messages
  );
}

export function humanSummary(outcome: BenchOutcome): string[] {
  const { send, delivery } = outcome;
  const result = benchResult(outcome);
  const latencies = summariseLatencies(send.latenciesMs);
  const show = (value: number | null, unit: string): string =>
    value === null ? 'n/a' : `${value} ${unit}`;
  const lines = [
    `textplane bench: ${outcome.messages} messages, concurrency ${outcome.concurrency}, against ${outcome.target}`,
    `  accepted   ${send.acceptedIds.length}/${outcome.messages} in ${((send.lastAcceptAt - send.firstSendAt) / 1_000).toFixed(2)} s: ${show(result.accepted_per_s, 'msg/s')}`,
    `  accept latency  p50 ${show(result.accept_p50_ms, 'ms')}, p99 ${show(result.accept_p99_ms, 'ms')}, max ${show(rounded(latencies.maxMs, 2), 'ms')}`,
    `  final statuses  ${[...delivery.statuses].map(([status, n]) => `${status} ${n}`).join(', ') || 'none'} (checked over REST in ${delivery.passes} pass${delivery.passes === 1 ? '' : 'es'})`,
    `  delivered  ${delivery.delivered}/${outcome.messages}: ${show(result.delivered_per_s, 'msg/s')}`,
  ];
  if (delivery.lastDeliveredPassMs === undefined) {
    lines.push('    (each delivery is timed when gRPC WatchMessages pushes it to the benchmark)');
  } else {
    lines.push(
      `    (a delivery is timed by the status poll that first sees it; the last one was seen by a ${(delivery.lastDeliveredPassMs / 1_000).toFixed(2)} s pass, so the delivery time is late by at most that much and the rate is a lower bound)`,
    );
  }
  for (const [reason, n] of send.rejections) lines.push(`  not accepted ×${n}: ${reason}`);
  const mibs = (memory: PeakMemory): string =>
    Object.entries(memory)
      .map(([name, mb]) => `${name} ${mb === null ? 'n/a' : `${mb} MiB`}`)
      .join(', ');
  lines.push(`  peak RSS   ${mibs(outcome.memory.peak)}`);
  lines.push(`  final RSS  ${mibs(outcome.memory.final)}`);
  lines.push(...rssOverTime(outcome.memory));
  const cpu = outcome.cpuPerMessage;
  if (cpu !== undefined) {
    const services = [
      ...Object.entries(cpu.services),
      ...Object.entries(cpu.shared),
      ...(cpu.bench === null ? [] : [['load generator', cpu.bench] as const]),
    ].map(([name, ms]) => `${name} ${ms} ms`);
    const machine =
      cpu.machine === null
        ? []
        : [
            `whole machine ${cpu.machine} ms${cpu.machineBusy === null ? '' : ` (busy ${Math.round(cpu.machineBusy * 100)}% of the time)`}`,
          ];
    lines.push(`  CPU per message  ${[...services, ...machine].join(', ') || 'n/a'}`);
  }
  return lines;
}

// At most about 20 lines: 30 s windows, or a multiple of 30 s for a longer run.
const RSS_WINDOW_STEP_MS = 30_000;
const RSS_MAX_WINDOWS = 20;
const SERVICE_ORDER = [
  'gateway',
  'messaging',
  'consent',
  'registration',
  'billing',
  'carrier-sim',
] as const;

/** Lowest–highest RSS of each service per window since the stack was measured: flat or growing. */
export function rssOverTime(memory: MemoryFigures): string[] {
  const lastAtMs = memory.samples.at(-1)?.atMs;
  if (lastAtMs === undefined) return [];
  const windowMs =
    RSS_WINDOW_STEP_MS * Math.max(1, Math.ceil(lastAtMs / (RSS_WINDOW_STEP_MS * RSS_MAX_WINDOWS)));
  const range = (low: number | null, high: number | null): string =>
    low === null || high === null ? 'n/a' : `${Math.round(low)}–${Math.round(high)}`;
  return [
    `  RSS over time (MiB, lowest–highest in each ${windowMs / 1_000} s)`,
    ...rssWindows(memory.samples, windowMs).map((window) => {
      const services = SERVICE_ORDER.map(
        (name) => `${name} ${range(window.low[name], window.high[name])}`,
      ).join(', ');
      return `    ${window.fromMs / 1_000}–${window.toMs / 1_000} s  ${services}`;
    }),
  ];
}

/** The machine the numbers come from, printed as its own JSON line before the result line. */
export function machineLine(): string {
  const cores = cpus();
  return JSON.stringify({
    machine: {
      cpus: cores.length,
      cpu_model: cores[0]?.model.trim() ?? 'unknown',
      ram_mb: Math.round(totalmem() / 1_048_576),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      /** As `uname -m` prints it (x86_64, aarch64). */
      uname_m: machine(),
    },
  });
}
