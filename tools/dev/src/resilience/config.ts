import { loadStackConfig } from '../config.js';

/** Settings of the resilience proof (tools/dev/src/resilience). */
export interface ResilienceConfig {
  /** RESILIENCE_N: messages per scenario (the figure: 2,000). */
  readonly messages: number;
  /** RESILIENCE_CONCURRENCY: REST requests in flight at once. */
  readonly concurrency: number;
  /** RESILIENCE_FINAL_TIMEOUT_S: how long, after the send, every message has to become final. */
  readonly finalTimeoutMs: number;
  /** RESILIENCE_DIR: where the scenario's Postgres, Kafka and logs live (default: a new temp dir). */
  readonly baseDir: string | undefined;
  /** The environment handed to the broker script. */
  readonly inheritedEnv: Readonly<Record<string, string>>;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be an integer from 1 to ${max}, got "${raw}"`);
  }
  return value;
}

export function loadResilienceConfig(env: NodeJS.ProcessEnv = process.env): ResilienceConfig {
  const baseDir = env['RESILIENCE_DIR']?.trim();
  return Object.freeze({
    messages: positive(env, 'RESILIENCE_N', 2_000, 100_000),
    concurrency: positive(env, 'RESILIENCE_CONCURRENCY', 16, 256),
    finalTimeoutMs: positive(env, 'RESILIENCE_FINAL_TIMEOUT_S', 300, 3_600) * 1000,
    baseDir: baseDir === undefined || baseDir === '' ? undefined : baseDir,
    inheritedEnv: loadStackConfig(env).inheritedEnv,
  });
}
