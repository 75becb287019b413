import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { ServiceName } from '../stack/index.js';

/** The value in kB of a field such as `VmHWM:    123456 kB` in /proc/<pid>/status. */
export function procStatusKb(statusText: string, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB$`, 'm').exec(statusText);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The `process_resident_memory_bytes` gauge in a Prometheus text exposition. */
export function residentMemoryBytes(metricsText: string): number | undefined {
  const match = /^process_resident_memory_bytes(?:\{[^}]*\})?\s+([0-9.eE+-]+)\s*$/m.exec(
    metricsText,
  );
  if (match?.[1] === undefined) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : undefined;
}

/** Where one process's memory is read: its /proc entry (our child) or its /metrics (not ours). */
export type MemorySource =
  | { readonly kind: 'pid'; readonly pid: number }
  | { readonly kind: 'metrics'; readonly url: string };

/** One reading: the peak so far (the kernel's own, when known) and the resident set now. */
interface MemoryReading {
  readonly peakBytes: number;
  readonly currentBytes: number;
}

async function sampleBytes(source: MemorySource): Promise<MemoryReading | undefined> {
  switch (source.kind) {
    case 'pid': {
      const status = await readFile(`/proc/${source.pid}/status`, 'utf8').catch(() => undefined);
      if (status === undefined) return undefined;
      const rssKb = procStatusKb(status, 'VmRSS');
      if (rssKb === undefined) return undefined;
      // VmHWM is the kernel's own peak, so nothing between two samples is missed.
      const peakKb = procStatusKb(status, 'VmHWM') ?? rssKb;
      return { peakBytes: peakKb * 1_024, currentBytes: rssKb * 1_024 };
    }
    case 'metrics': {
      try {
        const response = await fetch(source.url, { signal: AbortSignal.timeout(2_000) });
        const bytes = response.ok ? residentMemoryBytes(await response.text()) : undefined;
        return bytes === undefined ? undefined : { peakBytes: bytes, currentBytes: bytes };
      } catch {
        return undefined;
      }
    }
  }
}

export type MemorySources = Partial<Record<ServiceName, MemorySource>>;

/** Resident memory in MiB per service; null where it could not be read. */
export type PeakMemory = Readonly<Record<ServiceName, number | null>>;

/**
 * Peak (since the process started, so its start-up counts) and final resident memory: the
 * final figure, read after the last delivery, shows what a service keeps once the load is over,
 * and a final close to the peak over a long run is what growth looks like.
 */
export interface MemoryFigures {
  readonly peak: PeakMemory;
  readonly final: PeakMemory;
  /** Every reading of the resident sets, oldest first: whether they stay flat over a long run. */
  readonly samples: readonly RssSample[];
}

/** The resident memory of each service (MiB), read `atMs` after sampling began. */
export interface RssSample {
  readonly atMs: number;
  readonly rss: PeakMemory;
}

/** The lowest and highest resident memory of each service (MiB) over one span of the run. */
export interface RssWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly low: PeakMemory;
  readonly high: PeakMemory;
}

/**
 * The samples in consecutive windows of `windowMs` (the first starting at 0), each with every
 * service's lowest and highest reading; a window without samples is left out.
 */
export function rssWindows(samples: readonly RssSample[], windowMs: number): RssWindow[] {
  if (!(windowMs > 0)) throw new Error(`windowMs must be positive, got ${windowMs}`);
  const byWindow = new Map<number, RssSample[]>();
  for (const sample of samples) {
    const index = Math.floor(sample.atMs / windowMs);
    const window = byWindow.get(index);
    if (window === undefined) byWindow.set(index, [sample]);
    else window.push(sample);
  }
  return [...byWindow.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, inWindow]) => {
      const extreme = (pick: (values: number[]) => number): PeakMemory => {
        const of = (name: ServiceName): number | null => {
          const values = inWindow.flatMap((sample) => sample.rss[name] ?? []);
          return values.length === 0 ? null : pick(values);
        };
        return perServiceName(of);
      };
      return {
        fromMs: index * windowMs,
        toMs: (index + 1) * windowMs,
        low: extreme((values) => Math.min(...values)),
        high: extreme((values) => Math.max(...values)),
      };
    });
}

/** Samples every `intervalMs`; keeps each process's peak and its latest resident memory. */
export class PeakMemorySampler {
  readonly #sources: Readonly<MemorySources>;
  readonly #peaks = new Map<ServiceName, number>();
  readonly #latest = new Map<ServiceName, number>();
  readonly #samples: RssSample[] = [];
  readonly #now: () => number;
  readonly #startedAt: number;
  readonly #timer: NodeJS.Timeout;
  #inFlight: Promise<void>;

  #result: Promise<MemoryFigures> | undefined;

  /** `now` is a monotonic clock in ms (default performance.now) that dates the samples. */
  constructor(
    sources: Readonly<MemorySources>,
    intervalMs: number,
    now: () => number = () => performance.now(),
  ) {
    this.#sources = sources;
    this.#now = now;
    this.#startedAt = now();
    this.#inFlight = this.#sample();
    this.#timer = setInterval(() => {
      this.#inFlight = this.#inFlight.then(() => this.#sample());
    }, intervalMs);
  }

  async #sample(): Promise<void> {
    const atMs = this.#now() - this.#startedAt;
    const current = new Map<ServiceName, number>();
    await Promise.all(
      Object.entries(this.#sources).map(async ([name, source]) => {
        if (!isServiceName(name)) return;
        const reading = await sampleBytes(source);
        if (reading === undefined) return;
        this.#peaks.set(name, Math.max(reading.peakBytes, this.#peaks.get(name) ?? 0));
        this.#latest.set(name, reading.currentBytes);
        current.set(name, reading.currentBytes);
      }),
    );
    if (current.size > 0) this.#samples.push({ atMs, rss: inMiB(current) });
  }

  /** Takes a last sample and returns the figures; later calls return the same figures. */
  stop(): Promise<MemoryFigures> {
    this.#result ??= this.#finish();
    return this.#result;
  }

  async #finish(): Promise<MemoryFigures> {
    clearInterval(this.#timer);
    await this.#inFlight;
    await this.#sample();
    return { peak: inMiB(this.#peaks), final: inMiB(this.#latest), samples: [...this.#samples] };
  }
}

function perServiceName(of: (name: ServiceName) => number | null): PeakMemory {
  return {
    gateway: of('gateway'),
    messaging: of('messaging'),
    consent: of('consent'),
    registration: of('registration'),
    billing: of('billing'),
    'carrier-sim': of('carrier-sim'),
  };
}

function inMiB(bytesByService: ReadonlyMap<ServiceName, number>): PeakMemory {
  return perServiceName((name) => {
    const bytes = bytesByService.get(name);
    return bytes === undefined ? null : Math.round((bytes / 1_048_576) * 10) / 10;
  });
}

export function isServiceName(name: string): name is ServiceName {
  return (
    name === 'gateway' ||
    name === 'messaging' ||
    name === 'consent' ||
    name === 'registration' ||
    name === 'billing' ||
    name === 'carrier-sim'
  );
}
