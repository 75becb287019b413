/**
 * Which `make bench` scenario runs, and the settings of the scheduled one: the only place in
 * bench/ that reads the environment (the settings both scenarios share are ../config.ts's
 * loadBenchConfig).
 */

export class BenchScenarioConfigError extends Error {
  override readonly name = 'BenchScenarioConfigError';
}

export const benchScenarios = ['single', 'scheduled', 'import', 'bulk', 'pacing'] as const;
export type BenchScenario = (typeof benchScenarios)[number];

export interface ScheduledBenchConfig {
  /** BENCH_N (default 1,000): messages spread evenly over the spread window (release lag). */
  readonly spreadMessages: number;
  /** BENCH_SPREAD_S (default 60): the window their sendAt instants cover. */
  readonly spreadMs: number;
  /** BENCH_BURST_N (default 10,000): messages all scheduled for one instant. */
  readonly burstMessages: number;
  /**
   * BENCH_SINGLE_N (default 1,000): messages of the short single-send run that comes first. It
   * warms the stack, gives the accept rate the schedules are placed by, and the delivered/s the
   * burst is compared with.
   */
  readonly singleMessages: number;
}

function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  range: { readonly min: number; readonly max: number },
): number {
  const raw = setting(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new BenchScenarioConfigError(
      `${name} must be an integer from ${range.min} to ${range.max}, got "${raw}"`,
    );
  }
  return value;
}

/** BENCH_IMPORT_N (default and most 100,000): the rows of the import scenario's CSV. */
export function loadImportBenchRows(env: NodeJS.ProcessEnv = process.env): number {
  return integer(env, 'BENCH_IMPORT_N', 100_000, { min: 1, max: 100_000 });
}

/**
 * BENCH_SCENARIO: `single` (the default: BENCH_N single sends), `scheduled`, `import`, `bulk` or
 * `pacing`.
 */
export function loadBenchScenario(env: NodeJS.ProcessEnv = process.env): BenchScenario {
  const raw = setting(env, 'BENCH_SCENARIO');
  if (raw === undefined) return 'single';
  const scenario = benchScenarios.find((name) => name === raw);
  if (scenario === undefined) {
    throw new BenchScenarioConfigError(
      `BENCH_SCENARIO must be one of ${benchScenarios.join(', ')}, got "${raw}"`,
    );
  }
  return scenario;
}

// The maxima add up to 90,000: under the 100,000 sends the carrier simulator keeps in its log.
export function loadScheduledBenchConfig(
  env: NodeJS.ProcessEnv = process.env,
): ScheduledBenchConfig {
  return Object.freeze({
    spreadMessages: integer(env, 'BENCH_N', 1_000, { min: 1, max: 20_000 }),
    spreadMs: integer(env, 'BENCH_SPREAD_S', 60, { min: 1, max: 3_600 }) * 1_000,
    burstMessages: integer(env, 'BENCH_BURST_N', 10_000, { min: 1, max: 60_000 }),
    singleMessages: integer(env, 'BENCH_SINGLE_N', 1_000, { min: 1, max: 10_000 }),
  });
}

export interface BulkBenchConfig {
  /** BENCH_BULK_N (default and most 100,000): contacts imported, then one bulk send to them all. */
  readonly recipients: number;
  /**
   * BENCH_SINGLE_N (default 10,000, as `make bench`'s own run): single sends run first in the
   * same invocation, whose delivered/s the bulk send's is compared with.
   */
  readonly singleMessages: number;
}

export function loadBulkBenchConfig(env: NodeJS.ProcessEnv = process.env): BulkBenchConfig {
  return Object.freeze({
    recipients: integer(env, 'BENCH_BULK_N', 100_000, { min: 1, max: 100_000 }),
    singleMessages: integer(env, 'BENCH_SINGLE_N', 10_000, { min: 1, max: 50_000 }),
  });
}

export interface PacingBenchConfig {
  /** BENCH_PACING_N (default 150): the recipients of each run's bulk send. */
  readonly messages: number;
  /**
   * BENCH_PACING_CAP_PER_MIN (default 60): the campaign's AT&T SMS cap per minute, set as the
   * tenant's override and as the carrier simulator's cap on the run's sender.
   */
  readonly capPerMinute: number;
  /** The cap's window: a minute, as AT&T counts. */
  readonly windowMs: number;
}

/**
 * The pacing scenario's settings. The cap must bind: more messages than one window takes, and
 * at most 30 windows of them (each of its two runs then takes at most half an hour; the
 * defaults, 150 at 60 a minute, about two minutes).
 */
export function loadPacingBenchConfig(env: NodeJS.ProcessEnv = process.env): PacingBenchConfig {
  const messages = integer(env, 'BENCH_PACING_N', 150, { min: 2, max: 20_000 });
  const capPerMinute = integer(env, 'BENCH_PACING_CAP_PER_MIN', 60, { min: 1, max: 4_500 });
  if (messages <= capPerMinute) {
    throw new BenchScenarioConfigError(
      `BENCH_PACING_N (${messages}) must be more than BENCH_PACING_CAP_PER_MIN (${capPerMinute}): else the cap does not bind`,
    );
  }
  if (messages > capPerMinute * 30) {
    throw new BenchScenarioConfigError(
      `BENCH_PACING_N (${messages}) must be at most 30 minutes of BENCH_PACING_CAP_PER_MIN (${capPerMinute * 30})`,
    );
  }
  return Object.freeze({ messages, capPerMinute, windowMs: 60_000 });
}

/**
 * What the bench credits its tenant with per text it may send: $0.10, ten times a one-segment
 * SMS's worst case on the default card ($0.0083 and the highest carrier fee), so a run is never
 * kept waiting for funds; the funds gate still holds and captures every text.
 */
export const BENCH_CREDIT_PER_MESSAGE_MICROS = 100_000;

/** The most texts a scenario sends (the wallet it needs): its settings' counts, summed. */
export function benchMessagesAtMost(
  scenario: BenchScenario,
  singleMessages: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  switch (scenario) {
    case 'single':
      return singleMessages;
    case 'scheduled': {
      const c = loadScheduledBenchConfig(env);
      return c.spreadMessages + c.burstMessages + c.singleMessages;
    }
    case 'import':
      return 0;
    case 'bulk': {
      const c = loadBulkBenchConfig(env);
      return c.recipients + c.singleMessages;
    }
    case 'pacing':
      // Two runs, one tenant each: what one run sends.
      return loadPacingBenchConfig(env).messages;
  }
}
