import { randomInt, randomUUID } from 'node:crypto';
import type { E2eStack } from './e2e-stack.js';

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A minimal HTTP client for the platform's REST API and the carrier simulator's control API. */
export async function call<T = Record<string, unknown>>(
  url: string,
  init: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    rawBody?: string;
  } = {},
): Promise<HttpAnswer<T>> {
  const hasBody = init.body !== undefined || init.rawBody !== undefined;
  const response = await fetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...init.headers },
    ...(hasBody ? { body: init.rawBody ?? JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  const body = (text && type.includes('json') ? JSON.parse(text) : text) as T;
  return { status: response.status, headers: response.headers, body };
}

export interface TestTenant {
  tenantId: string;
  apiKey: string;
  sender: string;
}

/** A fresh 555 number: fictional, valid E.164, unique enough per test run. */
export function randomPhone(prefix = '+1555'): string {
  return `${prefix}${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/** Every test file works in its own tenant, so tests never depend on each other. */
export async function createTenant(stack: E2eStack, name: string): Promise<TestTenant> {
  const admin = { authorization: `Bearer ${stack.adminToken}` };
  const sender = randomPhone('+1888');
  const created = await call<{ id: string }>(`${stack.urls.gatewayHttp}/admin/v1/tenants`, {
    headers: admin,
    body: {
      name,
      brandName: name,
      timeZone: 'America/Chicago',
      senderNumbers: [sender],
      defaultSender: sender,
    },
  });
  if (created.status !== 201)
    throw new Error(`tenant not created: ${created.status} ${JSON.stringify(created.body)}`);
  const key = await call<{ apiKey: string }>(
    `${stack.urls.gatewayHttp}/admin/v1/tenants/${created.body.id}/api-keys`,
    { headers: admin, body: { label: 'e2e' } },
  );
  if (key.status !== 201) throw new Error(`key not issued: ${key.status}`);
  return { tenantId: created.body.id, apiKey: key.body.apiKey, sender };
}

export function bearer(tenant: TestTenant): Record<string, string> {
  return { authorization: `Bearer ${tenant.apiKey}` };
}

export interface SimMessage {
  id: string;
  from: string;
  to: string;
  text: string;
  idempotency_key: string | null;
  /** When the carrier received the send request (the simulator's clock). */
  received_at: string;
}

export async function carrierReceived(stack: E2eStack, to?: string): Promise<SimMessage[]> {
  const query = to ? `?to=${encodeURIComponent(to)}` : '';
  const answer = await call<{ data: SimMessage[] }>(
    `${stack.urls.carrierSim}/sim/messages${query}`,
  );
  return answer.body.data;
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function idempotencyKey(): string {
  return randomUUID();
}
