import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { topicRegistry } from '@textplane/contracts';
import { createKafka, ensureTopics } from '@textplane/kafka';
import {
  loadDevConfig,
  loadStackConfig,
  type ServiceLogLevel,
  type StackPorts,
} from '../config.js';
import { ensureDatabase, resolvePostgres, type PostgresServer } from '../infra/postgres.js';
import { benchTenant, creditWallet, demoTenant, seedTenant, walletCovers } from './admin-api.js';
import { freePort } from '../net/free-port.js';
import { runKafkaScript } from './local-kafka.js';
import { registerSenders } from './sender-registration.js';
import { waitUntilReady } from './readiness.js';
import type { RestartBackoff } from './restart-backoff.js';
import { type ServiceName, ServiceProcess, type SupervisionEvent } from './service-process.js';
import { generateWebhookKeyPair, type WebhookKeyPair } from './webhook-keys.js';

export type { ServiceName, SupervisionEvent } from './service-process.js';

/** What the stack's supervision did, including whether a restarted service became ready. */
export type StackSupervisionEvent =
  | SupervisionEvent
  | { readonly kind: 'ready-again'; readonly service: ServiceName; readonly restart: number }
  | {
      readonly kind: 'not-ready-again';
      readonly service: ServiceName;
      readonly restart: number;
      readonly message: string;
    };

/** Whether to build the services (nx, cached) before starting them. */
export type BuildPolicy = 'always' | 'if-missing' | 'never';

export interface StackOptions {
  /** Per port: a number, or 0 for a free one. Defaults: env / 8080, 50051, 8081, 8083, 4010. */
  readonly ports?: Partial<StackPorts>;
  /** Each service writes `<logDir>/<service>.log`. Default `<cache>/logs`. */
  readonly logDir?: string;
  /** Receives every output line of every service (interactive echo). */
  readonly onServiceLine?: (service: ServiceName, line: string) => void;
  /** Receives the launcher's own progress lines. */
  readonly onProgress?: (line: string) => void;
  /** Default TEXTPLANE_DEMO_API_KEY, else a generated `tp_demo_…`. */
  readonly demoApiKey?: string;
  /** Default TEXTPLANE_ADMIN_TOKEN, else a generated one. */
  readonly adminToken?: string;
  /** Use these brokers instead of the configured / local Kafka; the stack never stops them. */
  readonly kafkaBrokers?: readonly string[];
  /** A Postgres server's maintenance URL to use instead of resolving one; never stopped here. */
  readonly postgresUrl?: string;
  /** Database names; default textplane_<service>. Tests pass unique ones. */
  readonly databases?: StackDatabases;
  /** Extra environment per service (e.g. CARRIER_SIM_DELIVERY_DELAY_MS in a test). */
  readonly serviceEnv?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  readonly logLevel?: ServiceLogLevel;
  /** Default 'always': nx answers from its cache when nothing changed. */
  readonly build?: BuildPolicy;
  /** Per service, to answer its readiness probe. Default 120 s (two shared cores, cold JIT). */
  readonly readyTimeoutMs?: number;
  /** SIGTERM grace before SIGKILL when stopping a service. Default 10 s. */
  readonly stopGraceMs?: number;
  /**
   * Once the stack is up, a service that exits on its own (not through stop() or restart()) is
   * started again after this backoff (`make dev`). Default: it stays down, as the end-to-end
   * tests that kill a service expect until they restart it.
   */
  readonly supervise?: RestartBackoff;
  /** Receives what supervision does (restart scheduled, restarted, ready again). */
  readonly onSupervision?: (event: StackSupervisionEvent) => void;
  /** Aborting gives up starting: what was started is stopped and startStack rejects. */
  readonly signal?: AbortSignal;
}

/** One database per service (their names, or their URLs). */
export interface StackDatabases {
  readonly gateway: string;
  readonly messaging: string;
  readonly consent: string;
  readonly registration: string;
  readonly billing: string;
}

export interface StackUrls {
  readonly gatewayHttp: string;
  /** host:port, plaintext. */
  readonly gatewayGrpc: string;
  readonly messagingHttp: string;
  readonly consentHttp: string;
  readonly registrationHttp: string;
  readonly billingHttp: string;
  readonly carrierSim: string;
}

export interface StackService {
  readonly name: ServiceName;
  /** The current child's pid (changes on restart); undefined while it is not running. */
  readonly pid: number | undefined;
  readonly logFile: string;
  /** Sends a signal to the running child; false when none runs. */
  kill(signal: NodeJS.Signals): boolean;
  /** Resolves with how the child ended (at once if it is not running). */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined>;
  /** Stops the child if it still runs, starts it again with the same env, waits until ready. */
  restart(): Promise<void>;
}

export interface Stack {
  readonly urls: StackUrls;
  readonly demo: { readonly tenantId: string; readonly apiKey: string };
  readonly adminToken: string;
  /** The carrier simulator signs webhooks with this pair; tests use it to forge or sign their own. */
  readonly webhookKeys: WebhookKeyPair;
  readonly kafkaBrokers: readonly string[];
  /** Maintenance URL of the Postgres server the services' databases live on. */
  readonly postgresUrl: string;
  readonly databaseUrls: StackDatabases;
  readonly services: Readonly<Record<ServiceName, StackService>>;
  /** Stops the services, then Kafka and the embedded Postgres if this stack started them. */
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const entries: Readonly<Record<ServiceName, string>> = {
  'carrier-sim': 'tools/carrier-sim/dist/main.js',
  messaging: 'services/messaging/dist/main.js',
  consent: 'services/consent/dist/main.js',
  registration: 'services/registration/dist/main.js',
  billing: 'services/billing/dist/main.js',
  gateway: 'services/gateway/dist/main.js',
};
/**
 * V8 sizes each service's heap from the machine's memory. On 24 GB it sets a 4 GB limit and
 * 64 MB semi-spaces. A busy service then kept 128 MB of new space resident, and let garbage pile
 * up in old space to two or three times its live heap (60-65 MB in heap snapshots under
 * `make bench` load) before collecting it. These flags take effect only at start-up: V8 reads
 * them when it creates the heap, so the launcher passes them.
 * - 8 MB semi-spaces: 16 MB of new space.
 * - A 256 MB old space: about four times the live heap. V8 scales its heap-growing factor with
 *   the limit, and under load old space then stayed within about 10 MB of the live heap. A live
 *   heap that grew towards the limit would first cost more collections, then end the service
 *   out of memory (a supervised stack starts it again).
 * Over 20,000 messages peak RSS was 209/207/147 MiB (gateway/messaging/consent; 418/463/371 with
 * V8's defaults at 5,000), for about a quarter more CPU per message in the gateway and messaging
 * (16 MB semi-spaces: 218/210/159 MiB for about 15%). README, Benchmark, Memory.
 */
const serviceNodeFlags: readonly string[] = ['--max-semi-space-size=8', '--max-old-space-size=256'];
/**
 * glibc gives each thread that allocates its own malloc arena, up to eight per core: a service's
 * main thread, four V8 workers and four libuv workers. Under `make bench` load malloc held 32-37
 * MB of the gateway's and messaging's RSS over six or more arenas (smaps), a third of it freed
 * memory each arena kept. With two arenas malloc held 21-28 MB, and peak RSS over 20,000
 * messages fell from 207/199 to 199/191 MiB (gateway/messaging) for no more CPU per message.
 * glibc reads this only at start-up; a value in the launcher's own environment wins, to measure
 * others. README, Benchmark, Memory.
 */
const serviceMallocEnv: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/**
 * A service's environment: the malloc settings, then the launcher's own environment, then what
 * the stack sets for the service, then a caller's extras; each later one wins.
 */
export function serviceEnvironment(
  inherited: Readonly<Record<string, string>>,
  own: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return { ...serviceMallocEnv, ...inherited, ...own, ...extra };
}
const nxProjects: Readonly<Record<ServiceName, string>> = {
  'carrier-sim': '@textplane/carrier-sim',
  messaging: '@textplane/messaging',
  consent: '@textplane/consent',
  registration: '@textplane/registration',
  billing: '@textplane/billing',
  gateway: '@textplane/gateway',
};
const serviceNames: readonly ServiceName[] = [
  'carrier-sim',
  'messaging',
  'consent',
  'registration',
  'billing',
  'gateway',
];
/** Gateway first: it stops taking requests before the services behind it go. */
const stopOrder: readonly ServiceName[] = [
  'gateway',
  'billing',
  'registration',
  'consent',
  'messaging',
  'carrier-sim',
];

function perService<T>(make: (name: ServiceName) => T): Record<ServiceName, T> {
  return {
    'carrier-sim': make('carrier-sim'),
    messaging: make('messaging'),
    consent: make('consent'),
    registration: make('registration'),
    billing: make('billing'),
    gateway: make('gateway'),
  };
}

function secret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function build(policy: BuildPolicy, progress: (line: string) => void): Promise<void> {
  if (policy === 'never') return;
  if (policy === 'if-missing') {
    const present = await Promise.all(
      serviceNames.map((name) => exists(path.join(repoRoot, entries[name]))),
    );
    if (present.every(Boolean)) return;
  }
  progress('building the services (nx, cached)');
  const nx = path.join(repoRoot, 'node_modules/nx/dist/bin/nx.js');
  const args = [
    nx,
    'run-many',
    '-t',
    'build',
    `--projects=${serviceNames.map((n) => nxProjects[n]).join(',')}`,
  ];
  const { code, output } = await new Promise<{ code: number; output: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, args, {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('close', (exitCode) => resolve({ code: exitCode ?? 1, output: text }));
    },
  );
  if (code !== 0)
    throw new Error(
      `build failed (exit ${code}):\n${output.trimEnd().split('\n').slice(-40).join('\n')}`,
    );
}

async function resolvePorts(requested: StackPorts): Promise<StackPorts> {
  const pick = async (port: number): Promise<number> => (port === 0 ? freePort() : port);
  return {
    gatewayHttp: await pick(requested.gatewayHttp),
    gatewayGrpc: await pick(requested.gatewayGrpc),
    messagingHttp: await pick(requested.messagingHttp),
    consentHttp: await pick(requested.consentHttp),
    registrationHttp: await pick(requested.registrationHttp),
    billingHttp: await pick(requested.billingHttp),
    carrierSim: await pick(requested.carrierSim),
  };
}

/**
 * Starts the local platform: Kafka (unless given or configured elsewhere), Postgres with one
 * database per service, the topics of the registry, the carrier simulator, messaging, consent
 * and the gateway; then seeds the demo tenant and its API key. On any failure it undoes what it did.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const devConfig = loadDevConfig();
  const stackConfig = loadStackConfig();
  const progress = options.onProgress ?? ((): void => undefined);
  const undo: Array<() => Promise<void>> = [];
  const rollback = async (): Promise<void> => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    undo.length = 0;
  };

  const checkpoint = (): void => options.signal?.throwIfAborted();
  try {
    checkpoint();
    await build(options.build ?? 'always', progress);
    for (const name of serviceNames) {
      if (!(await exists(path.join(repoRoot, entries[name])))) {
        throw new Error(`${entries[name]} is missing: run \`npm run build\` first`);
      }
    }

    checkpoint();
    const kafkaBrokers = options.kafkaBrokers ?? devConfig.kafkaBrokers;
    if (options.kafkaBrokers === undefined && !devConfig.kafkaIsExternal) {
      const status = await runKafkaScript(repoRoot, 'status');
      if (status.code !== 0) {
        progress('starting Kafka (deploy/kafka/kafka.sh start)');
        const started = await runKafkaScript(repoRoot, 'start', progress);
        if (started.code !== 0) throw new Error(`Kafka did not start:\n${started.output}`);
        undo.push(async () => {
          progress('stopping Kafka');
          await runKafkaScript(repoRoot, 'stop', progress);
        });
      } else {
        progress(`using the running local Kafka on ${kafkaBrokers.join(',')}`);
      }
    }

    checkpoint();
    let postgres: PostgresServer;
    if (options.postgresUrl !== undefined) {
      postgres = { url: options.postgresUrl, source: 'environment', stop: () => Promise.resolve() };
    } else {
      postgres = await resolvePostgres({ cacheDir: devConfig.cacheDir });
      undo.push(() => postgres.stop());
    }
    progress(`Postgres (${postgres.source}) at ${withoutPassword(postgres.url)}`);
    const databaseNames = options.databases ?? {
      gateway: 'textplane_gateway',
      messaging: 'textplane_messaging',
      consent: 'textplane_consent',
      registration: 'textplane_registration',
      billing: 'textplane_billing',
    };
    const databaseUrls: StackDatabases = {
      gateway: await ensureDatabase(postgres.url, databaseNames.gateway),
      messaging: await ensureDatabase(postgres.url, databaseNames.messaging),
      consent: await ensureDatabase(postgres.url, databaseNames.consent),
      registration: await ensureDatabase(postgres.url, databaseNames.registration),
      billing: await ensureDatabase(postgres.url, databaseNames.billing),
    };

    checkpoint();
    const kafka = createKafka({ clientId: 'textplane-dev', brokers: [...kafkaBrokers] });
    const { created } = await ensureTopics(kafka, topicRegistry);
    progress(
      `Kafka topics: ${created.length} created, ${topicRegistry.length - created.length} already there`,
    );

    checkpoint();
    const ports = await resolvePorts({ ...stackConfig.ports, ...options.ports });
    const urls: StackUrls = {
      gatewayHttp: `http://127.0.0.1:${ports.gatewayHttp}`,
      gatewayGrpc: `127.0.0.1:${ports.gatewayGrpc}`,
      messagingHttp: `http://127.0.0.1:${ports.messagingHttp}`,
      consentHttp: `http://127.0.0.1:${ports.consentHttp}`,
      registrationHttp: `http://127.0.0.1:${ports.registrationHttp}`,
      billingHttp: `http://127.0.0.1:${ports.billingHttp}`,
      carrierSim: `http://127.0.0.1:${ports.carrierSim}`,
    };
    const keys = generateWebhookKeyPair();
    const adminToken = options.adminToken ?? stackConfig.adminToken ?? secret('tp_admin_');
    const logLevel = options.logLevel ?? stackConfig.logLevel;
    const brokers = kafkaBrokers.join(',');
    const envOf: Readonly<Record<ServiceName, Readonly<Record<string, string>>>> = {
      'carrier-sim': {
        CARRIER_SIM_PORT: String(ports.carrierSim),
        CARRIER_SIM_WEBHOOK_URL: `${urls.gatewayHttp}/webhooks/telnyx`,
        CARRIER_SIM_PRIVATE_KEY: keys.privateKeyPkcs8Base64,
        CARRIER_SIM_NUMBERS: [...demoTenant.senderNumbers, ...benchTenant.senderNumbers].join(','),
      },
      messaging: {
        MESSAGING_HTTP_PORT: String(ports.messagingHttp),
        MESSAGING_DATABASE_URL: databaseUrls.messaging,
        KAFKA_BROKERS: brokers,
        TELNYX_API_KEY: 'carrier-sim',
        // The SDK's base URL includes the API version, as https://api.telnyx.com/v2 does.
        TELNYX_BASE_URL: `${urls.carrierSim}/v2`,
        LOG_LEVEL: logLevel,
      },
      consent: {
        CONSENT_HTTP_PORT: String(ports.consentHttp),
        CONSENT_DATABASE_URL: databaseUrls.consent,
        KAFKA_BROKERS: brokers,
        LOG_LEVEL: logLevel,
      },
      registration: {
        REGISTRATION_HTTP_PORT: String(ports.registrationHttp),
        REGISTRATION_DATABASE_URL: databaseUrls.registration,
        KAFKA_BROKERS: brokers,
        TELNYX_API_KEY: 'carrier-sim',
        TELNYX_BASE_URL: `${urls.carrierSim}/v2`,
        // 10DLC and toll-free status webhooks come to the gateway like message webhooks.
        REGISTRATION_WEBHOOK_URL: `${urls.gatewayHttp}/webhooks/telnyx`,
        LOG_LEVEL: logLevel,
      },
      billing: {
        BILLING_HTTP_PORT: String(ports.billingHttp),
        BILLING_DATABASE_URL: databaseUrls.billing,
        KAFKA_BROKERS: brokers,
        LOG_LEVEL: logLevel,
      },
      gateway: {
        GATEWAY_HTTP_PORT: String(ports.gatewayHttp),
        GATEWAY_GRPC_PORT: String(ports.gatewayGrpc),
        // A local stack with a generated admin token: not reachable from other machines.
        GATEWAY_HOST: '127.0.0.1',
        GATEWAY_PUBLIC_URL: urls.gatewayHttp,
        GATEWAY_DATABASE_URL: databaseUrls.gateway,
        KAFKA_BROKERS: brokers,
        TELNYX_PUBLIC_KEY: keys.publicKeyRawBase64,
        TEXTPLANE_ADMIN_TOKEN: adminToken,
        LOG_LEVEL: logLevel,
      },
    };
    const readyUrl: Record<ServiceName, string> = {
      'carrier-sim': `${urls.carrierSim}/healthz`,
      messaging: `${urls.messagingHttp}/readyz`,
      consent: `${urls.consentHttp}/readyz`,
      registration: `${urls.registrationHttp}/readyz`,
      billing: `${urls.billingHttp}/readyz`,
      gateway: `${urls.gatewayHttp}/readyz`,
    };
    const logDir = options.logDir ?? path.join(devConfig.cacheDir, 'logs');
    const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
    const stopGraceMs = options.stopGraceMs ?? 10_000;

    const processes = perService(
      (name) =>
        new ServiceProcess({
          name,
          entry: path.join(repoRoot, entries[name]),
          execArgv: serviceNodeFlags,
          cwd: repoRoot,
          env: serviceEnvironment(
            stackConfig.inheritedEnv,
            envOf[name],
            options.serviceEnv?.[name],
          ),
          logFile: path.join(logDir, `${name}.log`),
          ...(options.onServiceLine === undefined ? {} : { onLine: options.onServiceLine }),
        }),
    );
    const stopServices = async (): Promise<void> => {
      // No restart while stopping: a service that exits now is meant to.
      for (const name of serviceNames) processes[name].endSupervision();
      for (const name of stopOrder) await processes[name].stop(stopGraceMs);
    };
    // If this process dies without stop(), the children must not outlive it holding the ports.
    const killOnExit = (): void => {
      for (const name of serviceNames) processes[name].killNow();
    };
    process.once('exit', killOnExit);
    undo.push(async () => {
      await stopServices();
      process.removeListener('exit', killOnExit);
    });

    checkpoint();
    progress(`starting ${serviceNames.join(', ')} (logs in ${logDir})`);
    for (const name of serviceNames) await processes[name].start();
    await Promise.all(
      serviceNames.map((name) =>
        waitUntilReady(processes[name], readyUrl[name], readyTimeoutMs, options.signal),
      ),
    );

    checkpoint();
    const apiKey = options.demoApiKey ?? stackConfig.demoApiKey ?? secret('tp_demo_');
    const demo = await seedTenant(urls.gatewayHttp, adminToken, demoTenant, {
      label: 'demo',
      key: apiKey,
    });
    progress(`demo tenant ${demo.tenantId} seeded`);
    // Every text is paid from the tenant's prepaid wallet: the demo gets its credit once (the
    // reference names the amount, so a seeded database is not credited again).
    if (stackConfig.demoCreditMicros > 0) {
      const credit = await creditWallet(urls.gatewayHttp, adminToken, demo.tenantId, {
        micros: stackConfig.demoCreditMicros,
        reference: `demo-credit-${stackConfig.demoCreditMicros}`,
      });
      if (credit === 'accepted') {
        await walletCovers(urls.gatewayHttp, apiKey, stackConfig.demoCreditMicros);
        progress(`demo wallet credited ${stackConfig.demoCreditMicros / 1_000_000} USD`);
      } else {
        progress(`demo wallet: credited ${stackConfig.demoCreditMicros / 1_000_000} USD before`);
      }
    }
    // Messaging sends from a US long code only once its 10DLC campaign is approved.
    const registered = await registerSenders(urls.gatewayHttp, apiKey, demoTenant, {
      ...(options.signal ? { signal: options.signal } : {}),
    });
    progress(
      `demo senders ${registered.numbers.join(', ')} on approved 10DLC campaign ${registered.campaignId}`,
    );

    const backoff = options.supervise;
    if (backoff !== undefined) {
      const report = options.onSupervision ?? ((): void => undefined);
      for (const name of serviceNames) {
        const service = processes[name];
        service.supervise({
          backoff,
          onEvent: (event) => {
            report(event);
            if (event.kind !== 'restarted') return;
            waitUntilReady(service, readyUrl[name], readyTimeoutMs).then(
              () => report({ kind: 'ready-again', service: name, restart: event.restart }),
              (error: unknown) => {
                // Exited again: the supervisor reports that and schedules the next restart.
                if (service.pid !== event.pid) return;
                report({
                  kind: 'not-ready-again',
                  service: name,
                  restart: event.restart,
                  message: error instanceof Error ? error.message : String(error),
                });
              },
            );
          },
        });
      }
      progress(
        `supervising the services: one that exits is restarted after ${backoff.initialMs} ms, doubling to ${backoff.maxMs} ms`,
      );
    }

    const services = perService((name): StackService => {
      const service = processes[name];
      return {
        name,
        get pid() {
          return service.pid;
        },
        logFile: service.logFile,
        kill: (signal) => service.kill(signal),
        exited: () => service.exited(),
        restart: async () => {
          await service.stop(stopGraceMs);
          await service.start();
          await waitUntilReady(service, readyUrl[name], readyTimeoutMs);
        },
      };
    });

    let stopping: Promise<void> | undefined;
    return {
      urls,
      demo,
      adminToken,
      webhookKeys: keys,
      kafkaBrokers,
      postgresUrl: postgres.url,
      databaseUrls,
      services,
      stop: () => (stopping ??= rollback()),
    };
  } catch (error: unknown) {
    await rollback();
    throw error;
  }
}

/** The URL with its password masked, for printing. */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '';
  return parsed.toString();
}
