import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceName, Stack, StackUrls } from './start-stack.js';

/**
 * What a running `make dev` publishes about itself, so `make bench` (or a developer) can use it:
 * where it listens, the demo key and the admin token, and the service pids. Local secrets only,
 * so the file is private to the user, and removed when the stack stops.
 */
export interface StackState {
  readonly urls: StackUrls;
  readonly demo: { readonly tenantId: string; readonly apiKey: string };
  readonly adminToken: string;
  readonly pids: Readonly<Partial<Record<ServiceName, number>>>;
}

export function stackStateFile(cacheDir: string): string {
  return path.join(cacheDir, 'dev', 'stack.json');
}

export function stackStateOf(stack: Stack): StackState {
  const pids: Partial<Record<ServiceName, number>> = {};
  for (const service of Object.values(stack.services)) {
    if (service.pid !== undefined) pids[service.name] = service.pid;
  }
  return { urls: stack.urls, demo: stack.demo, adminToken: stack.adminToken, pids };
}

export async function writeStackState(file: string, state: StackState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export async function removeStackState(file: string): Promise<void> {
  await rm(file, { force: true });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** Parses a state file's text; undefined when it is not one (stale format, partial write). */
export function parseStackState(text: string): StackState | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || !isRecord(value['urls']) || !isRecord(value['demo'])) return undefined;
  const urls = value['urls'];
  const demo = value['demo'];
  const gatewayHttp = stringField(urls, 'gatewayHttp');
  const gatewayGrpc = stringField(urls, 'gatewayGrpc');
  const messagingHttp = stringField(urls, 'messagingHttp');
  const consentHttp = stringField(urls, 'consentHttp');
  const registrationHttp = stringField(urls, 'registrationHttp');
  const billingHttp = stringField(urls, 'billingHttp');
  const carrierSim = stringField(urls, 'carrierSim');
  const tenantId = stringField(demo, 'tenantId');
  const apiKey = stringField(demo, 'apiKey');
  const adminToken = stringField(value, 'adminToken');
  if (
    gatewayHttp === undefined ||
    gatewayGrpc === undefined ||
    messagingHttp === undefined ||
    consentHttp === undefined ||
    registrationHttp === undefined ||
    billingHttp === undefined ||
    carrierSim === undefined ||
    tenantId === undefined ||
    apiKey === undefined ||
    adminToken === undefined
  ) {
    return undefined;
  }
  const pids: Partial<Record<ServiceName, number>> = {};
  const rawPids = isRecord(value['pids']) ? value['pids'] : {};
  for (const name of [
    'carrier-sim',
    'messaging',
    'consent',
    'registration',
    'billing',
    'gateway',
  ] as const) {
    const pid = rawPids[name];
    if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0) pids[name] = pid;
  }
  return {
    urls: {
      gatewayHttp,
      gatewayGrpc,
      messagingHttp,
      consentHttp,
      registrationHttp,
      billingHttp,
      carrierSim,
    },
    demo: { tenantId, apiKey },
    adminToken,
    pids,
  };
}

export async function readStackState(file: string): Promise<StackState | undefined> {
  try {
    return parseStackState(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
