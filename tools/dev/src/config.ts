import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Where the Postgres for the local stack comes from. */
export type PostgresSetting =
  | { readonly kind: 'url'; readonly url: string }
  /** Nothing given: use 127.0.0.1:5432 if it answers, else an embedded Postgres. */
  | { readonly kind: 'auto' };

export interface DevConfig {
  /** Cache folder for Kafka jars and data, Node 24, the embedded Postgres data dir. */
  readonly cacheDir: string;
  readonly postgres: PostgresSetting;
  /** KAFKA_BROKERS when set, else the local broker on 127.0.0.1:<KAFKA_PORT>. */
  readonly kafkaBrokers: readonly string[];
  /** True when KAFKA_BROKERS names a cluster that deploy/kafka/kafka.sh must not manage. */
  readonly kafkaIsExternal: boolean;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const libpqVariables = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'] as const;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Builds a connection URL from libpq's PG* variables, with libpq's defaults for the rest. */
function urlFromLibpqVariables(env: NodeJS.ProcessEnv): string {
  const host = nonEmpty(env['PGHOST']) ?? '127.0.0.1';
  const port = nonEmpty(env['PGPORT']) ?? '5432';
  const user = encodeURIComponent(nonEmpty(env['PGUSER']) ?? 'postgres');
  const password = nonEmpty(env['PGPASSWORD']);
  const credentials = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
  const database = encodeURIComponent(nonEmpty(env['PGDATABASE']) ?? 'postgres');
  // A PGHOST starting with '/' is a Unix socket directory, which node-postgres takes as ?host=.
  return host.startsWith('/')
    ? `postgresql://${credentials}@localhost:${port}/${database}?host=${encodeURIComponent(host)}`
    : `postgresql://${credentials}@${host}:${port}/${database}`;
}

function postgresSetting(env: NodeJS.ProcessEnv): PostgresSetting {
  const databaseUrl = nonEmpty(env['DATABASE_URL']);
  if (databaseUrl !== undefined) return { kind: 'url', url: databaseUrl };
  if (libpqVariables.some((name) => nonEmpty(env[name]) !== undefined)) {
    return { kind: 'url', url: urlFromLibpqVariables(env) };
  }
  return { kind: 'auto' };
}

function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

export function loadDevConfig(env: NodeJS.ProcessEnv = process.env): DevConfig {
  const externalBrokers = parseBrokers(env['KAFKA_BROKERS'] ?? '');
  const kafkaPort = nonEmpty(env['KAFKA_PORT']) ?? '9092';
  return Object.freeze({
    cacheDir: path.resolve(nonEmpty(env['TEXTPLANE_CACHE']) ?? path.join(repoRoot, '.cache')),
    postgres: postgresSetting(env),
    kafkaBrokers: externalBrokers.length > 0 ? externalBrokers : [`127.0.0.1:${kafkaPort}`],
    kafkaIsExternal: externalBrokers.length > 0,
  });
}

/** Ports the local stack listens on; 0 asks for a free port. */
export interface StackPorts {
  readonly gatewayHttp: number;
  readonly gatewayGrpc: number;
  readonly messagingHttp: number;
  readonly consentHttp: number;
  readonly registrationHttp: number;
  readonly billingHttp: number;
  readonly carrierSim: number;
}

export const defaultStackPorts: StackPorts = Object.freeze({
  gatewayHttp: 8080,
  gatewayGrpc: 50051,
  messagingHttp: 8081,
  consentHttp: 8083,
  registrationHttp: 8085,
  billingHttp: 8087,
  carrierSim: 4010,
});

export const serviceLogLevels = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const;
export type ServiceLogLevel = (typeof serviceLogLevels)[number];

export interface StackConfig {
  readonly ports: StackPorts;
  /** TEXTPLANE_DEMO_API_KEY: the demo tenant's API key (min 32 characters); else one is generated. */
  readonly demoApiKey: string | undefined;
  /** TEXTPLANE_ADMIN_TOKEN (min 16 characters): guards the gateway's admin API; else one is generated. */
  readonly adminToken: string | undefined;
  /**
   * TEXTPLANE_DEMO_CREDIT: US dollars credited to the demo tenant's wallet once (e.g. `1000`,
   * `25.50`, up to six decimals), in micro-units; default $1,000. `0` credits nothing.
   */
  readonly demoCreditMicros: number;
  readonly logLevel: ServiceLogLevel;
  /** The launcher's environment, handed on to the services (their own settings override it). */
  readonly inheritedEnv: Readonly<Record<string, string>>;
}

export class DevConfigError extends Error {
  override readonly name = 'DevConfigError';
}

function integerSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  range: { readonly min: number; readonly max: number },
): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new DevConfigError(
      `${name} must be an integer from ${range.min} to ${range.max}, got "${raw}"`,
    );
  }
  return value;
}

const portRange = { min: 0, max: 65_535 } as const;
// The gateway's rule for a key brought to POST /admin/v1/tenants/{id}/api-keys: checked here
// too, so a bad key fails at once with advice instead of at the seeding step.
const minApiKeyLength = 32;
const maxApiKeyLength = 200;
const apiKeyAlphabet = /^[A-Za-z0-9_-]+$/;

/** A dollar amount (`1000`, `25.5`, at most six decimals, at most $1,000,000) in micro-units. */
function dollarSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const match = /^(\d{1,7})(?:\.(\d{1,6}))?$/u.exec(raw);
  const micros = match
    ? Number(match[1]) * 1_000_000 + Number((match[2] ?? '').padEnd(6, '0') || '0')
    : Number.NaN;
  if (!Number.isSafeInteger(micros) || micros > 1_000_000_000_000) {
    throw new DevConfigError(
      `${name} must be a dollar amount from 0 to 1000000 with at most six decimals (e.g. 1000 or 25.50), got "${raw}"`,
    );
  }
  return micros;
}

function apiKeySetting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = nonEmpty(env[name]);
  if (key === undefined) return undefined;
  const advice = `(for example: export ${name}=tp_demo_$(openssl rand -hex 16)), or leave it unset to get a generated one`;
  if (key.length < minApiKeyLength || key.length > maxApiKeyLength) {
    throw new DevConfigError(
      `${name} must be at least ${minApiKeyLength} characters (at most ${maxApiKeyLength}), got ${key.length}: set a longer key ${advice}`,
    );
  }
  if (!apiKeyAlphabet.test(key)) {
    throw new DevConfigError(
      `${name} may only contain letters, digits, "_" and "-": set another key ${advice}`,
    );
  }
  return key;
}

const minAdminTokenLength = 16;

function adminTokenSetting(env: NodeJS.ProcessEnv): string | undefined {
  const token = nonEmpty(env['TEXTPLANE_ADMIN_TOKEN']);
  if (token !== undefined && token.length < minAdminTokenLength) {
    throw new DevConfigError(
      `TEXTPLANE_ADMIN_TOKEN must be at least ${minAdminTokenLength} characters`,
    );
  }
  return token;
}

function logLevelSetting(env: NodeJS.ProcessEnv): ServiceLogLevel {
  const raw = nonEmpty(env['LOG_LEVEL'])?.toLowerCase();
  if (raw === undefined) return 'info';
  const level = serviceLogLevels.find((candidate) => candidate === raw);
  if (level === undefined) {
    throw new DevConfigError(
      `LOG_LEVEL must be one of ${serviceLogLevels.join(', ')}, got "${raw}"`,
    );
  }
  return level;
}

function stackPorts(env: NodeJS.ProcessEnv): StackPorts {
  const d = defaultStackPorts;
  return Object.freeze({
    gatewayHttp: integerSetting(env, 'GATEWAY_HTTP_PORT', d.gatewayHttp, portRange),
    gatewayGrpc: integerSetting(env, 'GATEWAY_GRPC_PORT', d.gatewayGrpc, portRange),
    messagingHttp: integerSetting(env, 'MESSAGING_HTTP_PORT', d.messagingHttp, portRange),
    consentHttp: integerSetting(env, 'CONSENT_HTTP_PORT', d.consentHttp, portRange),
    registrationHttp: integerSetting(env, 'REGISTRATION_HTTP_PORT', d.registrationHttp, portRange),
    billingHttp: integerSetting(env, 'BILLING_HTTP_PORT', d.billingHttp, portRange),
    carrierSim: integerSetting(env, 'CARRIER_SIM_PORT', d.carrierSim, portRange),
  });
}

/** Settings of the stack launcher behind `make dev` (tools/dev/src/stack). */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const inheritedEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) inheritedEnv[name] = value;
  }
  return Object.freeze({
    ports: stackPorts(env),
    demoApiKey: apiKeySetting(env, 'TEXTPLANE_DEMO_API_KEY'),
    adminToken: adminTokenSetting(env),
    demoCreditMicros: dollarSetting(env, 'TEXTPLANE_DEMO_CREDIT', 1_000_000_000),
    logLevel: logLevelSetting(env),
    inheritedEnv: Object.freeze(inheritedEnv),
  });
}

export interface BenchConfig {
  /** BENCH_N: messages to send. */
  readonly messages: number;
  /** BENCH_CONCURRENCY: requests in flight at once. */
  readonly concurrency: number;
  /** BENCH_API_KEY, else TEXTPLANE_DEMO_API_KEY. */
  readonly apiKey: string | undefined;
  readonly adminToken: string | undefined;
  /** GATEWAY_HTTP_PORT: where a running `make dev` stack is looked for (on 127.0.0.1). */
  readonly gatewayHttpPort: number;
  /** BENCH_TIMEOUT_S: how long to wait for every message to reach a final status. */
  readonly deliveryTimeoutMs: number;
}

/** Settings of `make bench` (tools/dev/src/bench.ts). */
export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  return Object.freeze({
    messages: integerSetting(env, 'BENCH_N', 10_000, { min: 1, max: 1_000_000 }),
    concurrency: integerSetting(env, 'BENCH_CONCURRENCY', 64, { min: 1, max: 1_024 }),
    apiKey: apiKeySetting(env, 'BENCH_API_KEY') ?? apiKeySetting(env, 'TEXTPLANE_DEMO_API_KEY'),
    adminToken: nonEmpty(env['TEXTPLANE_ADMIN_TOKEN']),
    gatewayHttpPort: integerSetting(env, 'GATEWAY_HTTP_PORT', defaultStackPorts.gatewayHttp, {
      min: 1,
      max: 65_535,
    }),
    deliveryTimeoutMs: integerSetting(env, 'BENCH_TIMEOUT_S', 600, { min: 1, max: 3_600 }) * 1_000,
  });
}

export interface FuzzConfig {
  /** FUZZ_RUNS: generated cases per fuzzed target (REST operation, gRPC method, webhook). */
  readonly runsPerTarget: number;
  /** FUZZ_SEED: replays a run; else a new seed each run (printed, and in every failure). */
  readonly seed: number | undefined;
}

/** Settings of the end-to-end fuzz suite (tools/dev/src/e2e/fuzz.e2e.spec.ts). */
export function loadFuzzConfig(env: NodeJS.ProcessEnv = process.env): FuzzConfig {
  const seed = nonEmpty(env['FUZZ_SEED']);
  return Object.freeze({
    runsPerTarget: integerSetting(env, 'FUZZ_RUNS', 100, { min: 1, max: 1_000_000 }),
    seed:
      seed === undefined
        ? undefined
        : integerSetting(env, 'FUZZ_SEED', 0, { min: -2_147_483_648, max: 2_147_483_647 }),
  });
}
