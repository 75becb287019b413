import { readdir, readFile } from 'node:fs/promises';
import type { ServiceName } from '../stack/index.js';
import type { MemorySources } from './memory-sampler.js';

/** Linux reports CPU time in /proc in USER_HZ ticks, which is 100 per second on every arch. */
const TICK_MS = 10;

/** utime + stime, in ticks, from the text of /proc/<pid>/stat. */
export function processTicks(statText: string): number | undefined {
  // The command name (field 2) is in parentheses and may hold spaces and ')': skip past the last.
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isInteger(utime) && Number.isInteger(stime) ? utime + stime : undefined;
}

/** Busy and total ticks of all CPUs together, from the text of /proc/stat. */
export function machineTicks(statText: string): { busy: number; total: number } | undefined {
  const line = /^cpu\s+(.+)$/m.exec(statText)?.[1];
  if (line === undefined) return undefined;
  const values = line.trim().split(/\s+/).slice(0, 8).map(Number);
  if (values.length < 8 || values.some((value) => !Number.isFinite(value))) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values as Ticks8;
  const busy = user + nice + system + irq + softirq;
  return { busy, total: busy + idle + iowait + steal };
}

type Ticks8 = [number, number, number, number, number, number, number, number];

const SERVICE_ORDER: readonly ServiceName[] = [
  'gateway',
  'messaging',
  'consent',
  'registration',
  'billing',
  'carrier-sim',
];

/** The shared parts every message also costs, found among all of the machine's processes. */
export type SharedPart = 'postgres' | 'kafka';

const SHARED_PARTS: readonly SharedPart[] = ['postgres', 'kafka'];

/**
 * Which shared part a process is, from its command name and command line: every Postgres
 * process (the postmaster, its backends and workers) or the Kafka broker's JVM.
 */
export function sharedPartOf(comm: string, cmdline: string): SharedPart | undefined {
  if (comm === 'postgres' || comm === 'postmaster') return 'postgres';
  if (comm === 'java' && cmdline.split('\0').includes('kafka.Kafka')) return 'kafka';
  return undefined;
}

interface Reading {
  readonly services: Partial<Record<ServiceName, number>>;
  /** Ticks per process of each shared part, by pid: backends come and go within a window. */
  readonly shared: ReadonlyMap<number, { part: SharedPart; ticks: number }>;
  /** This process, the load generator: user + system, in ms. */
  readonly benchMs: number;
  readonly machine: { busy: number; total: number } | undefined;
}

/** CPU time per message over a window, per service and for the whole machine (in ms). */
export interface CpuPerMessage {
  readonly services: Readonly<Partial<Record<ServiceName, number>>>;
  /** Postgres and the Kafka broker, when found on this machine. */
  readonly shared: Readonly<Partial<Record<SharedPart, number>>>;
  /** The benchmark itself: the load generator and the delivery watch. */
  readonly bench: number | null;
  /** Every process on the machine: Postgres, Kafka and the benchmark itself included. */
  readonly machine: number | null;
  /** Share of the machine's CPU time that was busy over the window, 0..1. */
  readonly machineBusy: number | null;
}

async function read(sources: Readonly<MemorySources>): Promise<Reading> {
  const services: Partial<Record<ServiceName, number>> = {};
  await Promise.all(
    Object.entries(sources).map(async ([name, source]) => {
      if (source.kind !== 'pid') return;
      const text = await readFile(`/proc/${source.pid}/stat`, 'utf8').catch(() => undefined);
      const ticks = text === undefined ? undefined : processTicks(text);
      if (ticks !== undefined) services[name as ServiceName] = ticks;
    }),
  );
  const stat = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  const { user, system } = process.cpuUsage();
  return {
    services,
    shared: await readShared(),
    benchMs: (user + system) / 1_000,
    machine: stat === undefined ? undefined : machineTicks(stat),
  };
}

async function readShared(): Promise<Map<number, { part: SharedPart; ticks: number }>> {
  const shared = new Map<number, { part: SharedPart; ticks: number }>();
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name));
  const read = (pid: string, file: string): Promise<string | undefined> =>
    readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => undefined);
  await Promise.all(
    pids.map(async (pid) => {
      // Only what tells the process apart: the command line of a JVM, the times of a match.
      const comm = (await read(pid, 'comm'))?.trim();
      if (comm === undefined) return;
      const cmdline = comm === 'java' ? ((await read(pid, 'cmdline')) ?? '') : '';
      const part = sharedPartOf(comm, cmdline);
      if (part === undefined) return;
      const stat = await read(pid, 'stat');
      const ticks = stat === undefined ? undefined : processTicks(stat);
      if (ticks !== undefined) shared.set(Number(pid), { part, ticks });
    }),
  );
  return shared;
}

/**
 * Reads CPU time at the start of the load and again at its end: the services the benchmark
 * started itself (their /proc entries), Postgres and the Kafka broker, the benchmark itself, and
 * the whole machine. CPU time per message is what
 * throughput on a saturated machine comes down to, and it varies less from run to run.
 */
export class CpuAccount {
  private constructor(
    private readonly sources: Readonly<MemorySources>,
    private readonly start: Reading,
  ) {}

  static async begin(sources: Readonly<MemorySources>): Promise<CpuAccount> {
    return new CpuAccount(sources, await read(sources));
  }

  async perMessage(messages: number): Promise<CpuPerMessage> {
    const end = await read(this.sources);
    const services: Partial<Record<ServiceName, number>> = {};
    // In one fixed order, so runs print alike.
    for (const name of SERVICE_ORDER) {
      const [before, after] = [this.start.services[name], end.services[name]];
      if (before === undefined) continue;
      if (after !== undefined && messages > 0) {
        services[name] = round(((after - before) * TICK_MS) / messages);
      }
    }
    // A process that began within the window counts from zero; one that ended is lost.
    const sharedTicks = new Map<SharedPart, number>();
    for (const [pid, { part, ticks }] of end.shared) {
      const before = this.start.shared.get(pid)?.ticks ?? 0;
      sharedTicks.set(part, (sharedTicks.get(part) ?? 0) + ticks - before);
    }
    const shared: Partial<Record<SharedPart, number>> = {};
    for (const part of SHARED_PARTS) {
      const ticks = sharedTicks.get(part);
      if (ticks !== undefined && messages > 0) shared[part] = round((ticks * TICK_MS) / messages);
    }
    const [from, to] = [this.start.machine, end.machine];
    const total = from && to ? to.total - from.total : 0;
    return {
      services,
      shared,
      bench: messages > 0 ? round((end.benchMs - this.start.benchMs) / messages) : null,
      machine:
        from && to && messages > 0 ? round(((to.busy - from.busy) * TICK_MS) / messages) : null,
      machineBusy: from && to && total > 0 ? round((to.busy - from.busy) / total) : null,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
