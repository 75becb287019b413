// The pure parts of `BENCH_SCENARIO=bulk make bench`: its contacts, and the figures from what it saw.
import type { PeakMemory, RssSample } from './memory-sampler.js';

/** Recipients +1 555 8xx xxxx: apart from the single-send run's +1 555 7xx xxxx. */
export function bulkRecipientPhone(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 1_000_000) {
    throw new RangeError(`recipient index must be an integer in [0, 1000000), got ${index}`);
  }
  return `+15558${String(index).padStart(6, '0')}`;
}

export function bulkContactId(run: string, index: number): string {
  return `bulk-${run}-${String(index).padStart(6, '0')}`;
}

/** A CSV of `rows` contacts with a first name (the body merges it) and the run's own tag. */
export function bulkContactsCsv(rows: number, run: string, tag: string): string {
  const lines = ['id,phone,firstName,tags'];
  for (let i = 0; i < rows; i++) {
    lines.push(`${bulkContactId(run, i)},${bulkRecipientPhone(i)},First${i},${tag}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One entry of the carrier simulator's log (GET /sim/messages). */
export interface CarrierEntry {
  readonly to: string;
  readonly received_at: string;
}

/**
 * The earliest carrier receive time (epoch ms) of a text to one of `phones` at or after
 * `notBeforeMs`, or undefined. The log is read while it holds far fewer than its bound, so the
 * first text of the bulk send is still in it.
 */
export function firstArrivalMs(
  log: readonly CarrierEntry[],
  phones: ReadonlySet<string>,
  notBeforeMs: number,
): number | undefined {
  let first: number | undefined;
  for (const entry of log) {
    if (!phones.has(entry.to)) continue;
    const at = Date.parse(entry.received_at);
    if (!Number.isFinite(at) || at < notBeforeMs) continue;
    if (first === undefined || at < first) first = at;
  }
  return first;
}

export type DatabaseSizes = Readonly<Record<string, number>>;

export interface BytesPerMessage {
  /** All the services' databases together, bytes per message. */
  readonly total: number;
  readonly perDatabase: Readonly<Record<string, number>>;
}

/**
 * pg_database_size growth over a run, per message. Undefined without messages or without a
 * reading on both sides for some database (then no total would be honest).
 */
export function bytesPerMessage(
  before: DatabaseSizes,
  after: DatabaseSizes,
  messages: number,
): BytesPerMessage | undefined {
  if (!(messages > 0)) return undefined;
  const names = Object.keys(before);
  if (names.length === 0 || names.some((name) => after[name] === undefined)) return undefined;
  const perDatabase: Record<string, number> = {};
  let total = 0;
  for (const name of names) {
    const grown = (after[name] ?? 0) - (before[name] ?? 0);
    perDatabase[name] = grown / messages;
    total += grown;
  }
  return { total: total / messages, perDatabase };
}

/** Each service's highest sampled resident memory (MiB) from `fromMs` of the sampling on. */
export function highestSince(samples: readonly RssSample[], fromMs: number): PeakMemory {
  const high = (name: keyof PeakMemory): number | null => {
    const values = samples.flatMap((s) => (s.atMs >= fromMs ? (s.rss[name] ?? []) : []));
    return values.length === 0 ? null : Math.max(...values);
  };
  return {
    gateway: high('gateway'),
    messaging: high('messaging'),
    consent: high('consent'),
    registration: high('registration'),
    billing: high('billing'),
    'carrier-sim': high('carrier-sim'),
  };
}

/** Issue 11 §5's goals. */
export const BULK_GOALS = Object.freeze({
  /** POST to the first text at the carrier. */
  firstTextMs: 5_000,
  /** Bulk delivered/s over the single-send run's delivered/s. */
  deliveredRatio: 1.5,
  /** Peak RSS of each service. */
  peakRssMiB: 300,
});

/** Bulk over single delivered/s, when both are known. */
export function deliveredRatio(
  bulkPerS: number | undefined,
  singlePerS: number | undefined,
): number | undefined {
  if (bulkPerS === undefined || singlePerS === undefined || !(singlePerS > 0)) return undefined;
  return bulkPerS / singlePerS;
}
