// `BENCH_SCENARIO=import make bench`: how fast a contact import of BENCH_IMPORT_N rows completes.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type MemoryFigures, type MemorySources, PeakMemorySampler } from './memory-sampler.js';

export interface ImportScenarioTarget {
  readonly gatewayUrl: string;
  readonly apiKey: string;
  readonly memory: Readonly<MemorySources>;
  /** BENCH_TIMEOUT_S: how long the job may take to complete. */
  readonly timeoutMs: number;
  readonly progress: (line: string) => void;
}

export interface ImportOutcome {
  readonly rows: number;
  readonly bytes: number;
  /** POST sent to its 202 (the upload parsed, validated and recorded). */
  readonly acceptMs: number;
  /** POST sent to the job read as completed. */
  readonly completedMs: number | undefined;
  /** POST sent to the last row's contact readable through GET /v1/contacts/{id}. */
  readonly visibleMs: number | undefined;
  readonly upserted: number;
  readonly rejected: number;
  readonly rowsPerS: number | undefined;
  readonly memory: MemoryFigures;
}

/** The goal of issue 10: at least 2,000 rows/s from POST to completed on the 2-core machine. */
export const IMPORT_GOAL_ROWS_PER_S = 2_000;

/** A CSV of `rows` distinct contacts with the usual columns (about 120 bytes a row). */
export function benchContactsCsv(rows: number, run: string): string {
  const lines = ['id,phone,firstName,lastName,email,tags,custom.plan,custom.seats:number'];
  for (let i = 0; i < rows; i++) {
    const n = String(i).padStart(7, '0');
    lines.push(
      `bench-${run}-${n},+1555${n},First${i},Last${i},c${i}@bench.example,bench;t${i % 10},pro,${i % 50}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

interface Job {
  status: string;
  rows: { read: number; upserted: number; rejected: number };
}

export async function runImportScenario(
  target: ImportScenarioTarget,
  rows: number,
): Promise<ImportOutcome> {
  const run = randomUUID().slice(0, 8);
  const csv = benchContactsCsv(rows, run);
  const bytes = Buffer.byteLength(csv);
  const auth = { authorization: `Bearer ${target.apiKey}` };
  target.progress(`importing ${rows} contacts (${(bytes / 1_048_576).toFixed(1)} MiB of CSV)`);
  const sampler = new PeakMemorySampler(target.memory, 500);
  try {
    const started = performance.now();
    const answer = await fetch(`${target.gatewayUrl}/v1/contact-imports`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: csv,
    });
    const acceptMs = performance.now() - started;
    const body = (await answer.json()) as { id?: string };
    if (answer.status !== 202 || body.id === undefined) {
      throw new Error(`import not accepted: ${answer.status} ${JSON.stringify(body)}`);
    }
    target.progress(`accepted in ${Math.round(acceptMs)} ms; waiting for the job to complete`);
    const deadline = started + target.timeoutMs;
    let job: Job | undefined;
    let completedMs: number | undefined;
    while (performance.now() < deadline) {
      const read = await fetch(`${target.gatewayUrl}/v1/contact-imports/${body.id}`, {
        headers: auth,
      });
      job = (await read.json()) as Job;
      if (job.status === 'completed') {
        completedMs = performance.now() - started;
        break;
      }
      await sleep(100);
    }
    const lastId = `bench-${run}-${String(rows - 1).padStart(7, '0')}`;
    let visibleMs: number | undefined;
    while (completedMs !== undefined && performance.now() < deadline) {
      const read = await fetch(`${target.gatewayUrl}/v1/contacts/${lastId}`, { headers: auth });
      await read.body?.cancel();
      if (read.status === 200) {
        visibleMs = performance.now() - started;
        break;
      }
      await sleep(100);
    }
    return {
      rows,
      bytes,
      acceptMs,
      completedMs,
      visibleMs,
      upserted: job?.rows.upserted ?? 0,
      rejected: job?.rows.rejected ?? 0,
      rowsPerS: completedMs === undefined ? undefined : (rows * 1_000) / completedMs,
      memory: await sampler.stop(),
    };
  } finally {
    await sampler.stop();
  }
}

const ms = (value: number | undefined): string =>
  value === undefined ? 'not reached' : `${(value / 1_000).toFixed(2)} s`;

export function importSummary(outcome: ImportOutcome, description: string): string[] {
  const peak = Object.entries(outcome.memory.peak)
    .map(([service, mib]) => `${service} ${mib === null ? '-' : Math.round(mib)} MiB`)
    .join(', ');
  return [
    `contact import of ${outcome.rows} rows (${(outcome.bytes / 1_048_576).toFixed(1)} MiB CSV) on ${description}`,
    `  accept (POST to 202):        ${ms(outcome.acceptMs)}`,
    `  completed (POST to job done): ${ms(outcome.completedMs)}` +
      ` -> ${outcome.rowsPerS === undefined ? '-' : Math.round(outcome.rowsPerS)} rows/s (goal >= ${IMPORT_GOAL_ROWS_PER_S})`,
    `  last contact readable:       ${ms(outcome.visibleMs)}`,
    `  upserted ${outcome.upserted}, rejected ${outcome.rejected}`,
    `  peak RSS: ${peak}`,
  ];
}

export function importResult(outcome: ImportOutcome): Record<string, unknown> {
  return {
    scenario: 'import',
    rows: outcome.rows,
    bytes: outcome.bytes,
    acceptMs: Math.round(outcome.acceptMs),
    completedMs: outcome.completedMs === undefined ? null : Math.round(outcome.completedMs),
    visibleMs: outcome.visibleMs === undefined ? null : Math.round(outcome.visibleMs),
    rowsPerS: outcome.rowsPerS === undefined ? null : Math.round(outcome.rowsPerS),
    upserted: outcome.upserted,
    rejected: outcome.rejected,
    peakRssMiB: outcome.memory.peak,
  };
}

export function importSucceeded(outcome: ImportOutcome): boolean {
  return outcome.upserted === outcome.rows && (outcome.rowsPerS ?? 0) >= IMPORT_GOAL_ROWS_PER_S;
}
