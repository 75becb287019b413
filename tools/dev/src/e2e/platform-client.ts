import { randomInt, randomUUID } from 'node:crypto';
import { ConsumerGroups, Topics } from '@textplane/contracts';
import { createKafka } from '@textplane/kafka';
import { creditWallet, setTenantLimits, walletCovers } from '../stack/admin-api.js';
import { verifyTollFreeNumbers } from '../stack/sender-registration.js';
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

/**
 * A fresh number under `prefix` (a 555 one by default: fictional), valid E.164, unique enough per
 * test run. Its exchange starts with 2-9 as every real NANP number's does: a toll-free number
 * with 0 or 1 there is no number at all, and the Trust Center would not verify it.
 */
export function randomPhone(prefix = '+1555'): string {
  return `${prefix}${randomInt(2, 10)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/** Every test file works in its own tenant, so tests never depend on each other. */
export async function createTenant(
  stack: E2eStack,
  name: string,
  options: {
    sender?: string;
    carrierCaps?: boolean;
    /**
     * Micro-units credited to its wallet before it sends (every text is paid from it); default
     * $1,000, 0 for an empty wallet (the billing tests give theirs exactly what they need).
     */
    credit?: number;
  } = {},
): Promise<TestTenant> {
  const admin = { authorization: `Bearer ${stack.adminToken}` };
  const sender = options.sender ?? randomPhone('+1888');
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
  // Carrier caps bind only where a test sets them (the throughput tests): the others are not
  // slowed to 20 texts a second per toll-free number.
  if (options.carrierCaps !== true) {
    await setTenantLimits(stack.urls.gatewayHttp, stack.adminToken, created.body.id);
  }
  const tenant = { tenantId: created.body.id, apiKey: key.body.apiKey, sender };
  if (isTollFree(sender)) await verifyTollFree(stack, tenant, name, [sender]);
  const credit = options.credit ?? DEFAULT_TEST_CREDIT_MICROS;
  if (credit > 0) await fundWallet(stack, tenant, credit);
  return tenant;
}

/** What a test tenant's wallet is given unless its test says otherwise: $1,000. */
export const DEFAULT_TEST_CREDIT_MICROS = 1_000_000_000;

/**
 * Credits the tenant's wallet as a payment integration does (a fresh reference each time), and
 * waits until the gateway shows the credit: a single send is refused 402 on what the gateway last
 * saw of the wallet.
 */
export async function fundWallet(
  stack: E2eStack,
  tenant: TestTenant,
  micros: number,
): Promise<void> {
  const before = await call<{ available: number }>(`${stack.urls.gatewayHttp}/v1/wallet`, {
    method: 'GET',
    headers: bearer(tenant),
  });
  if (before.status !== 200) throw new Error(`wallet not read: ${before.status}`);
  await creditWallet(stack.urls.gatewayHttp, stack.adminToken, tenant.tenantId, {
    micros,
    reference: `e2e-${randomUUID()}`,
  });
  await walletCovers(stack.urls.gatewayHttp, tenant.apiKey, before.body.available + micros);
}

/** A US toll-free number (+1 800, 833, 844, 855, 866, 877, 888). */
export function isTollFree(phoneNumber: string): boolean {
  return /^\+18(00|33|44|55|66|77|88)\d{7}$/u.test(phoneNumber);
}

/**
 * Verifies a tenant's toll-free senders as a partner does (messaging sends from a toll-free
 * number only once its verification is approved), once registration knows the numbers, then
 * waits until messaging has consumed registration's topic that far: a text sent the moment the Trust Center shows the approval
 * would otherwise meet a messaging that knows of no verification, and be blocked.
 */
export async function verifyTollFree(
  stack: E2eStack,
  tenant: TestTenant,
  brandName: string,
  phoneNumbers: readonly string[],
): Promise<void> {
  // Registration checks the numbers against its own replica of the tenants topic.
  await consumedUpToNow(stack, ConsumerGroups.registrationTenants, Topics.gatewayTenants);
  await verifyTollFreeNumbers(stack.urls.gatewayHttp, tenant.apiKey, {
    key: `${tenant.tenantId}-${phoneNumbers.join(',')}`,
    brandName,
    phoneNumbers,
  });
  await consumedUpToNow(
    stack,
    ConsumerGroups.messagingRegistrations,
    Topics.registrationRegistrations,
  );
}

/** Waits until `groupId` has committed every partition of `topic` up to its end as of now. */
export async function consumedUpToNow(
  stack: E2eStack,
  groupId: string,
  topic: string,
): Promise<void> {
  const admin = createKafka({ clientId: 'textplane-e2e', brokers: stack.kafkaBrokers }).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    await eventually(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const behind = ends.some(({ partition, high }) => {
          const at = Number(committed?.partitions.find((p) => p.partition === partition)?.offset);
          return Number(high) > 0 && !(at >= Number(high));
        });
        return behind ? undefined : true;
      },
      { what: `${groupId} to consume ${topic} up to now` },
    );
  } finally {
    await admin.disconnect();
  }
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

/** A run of distinct fictional numbers `<prefix><base + i>` (7 digits), so a set never collides. */
export function phoneRange(count: number, prefix = '+1556'): string[] {
  const base = randomInt(0, 10_000_000 - count);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(base + i).padStart(7, '0')}`);
}

export interface ImportRow {
  id: string;
  phone: string;
  firstName?: string;
  tags?: string[];
}

/** POST /v1/contact-imports with a CSV of `rows`; resolves once the job is completed. */
export async function importContacts(
  stack: E2eStack,
  tenant: TestTenant,
  rows: readonly ImportRow[],
): Promise<{ id: string; rows: { read: number; upserted: number; rejected: number } }> {
  const csv = [
    'id,phone,firstName,tags',
    ...rows.map((r) => `${r.id},${r.phone},${r.firstName ?? ''},${(r.tags ?? []).join(';')}`),
  ].join('\n');
  const accepted = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/contact-imports`, {
    headers: { ...bearer(tenant), 'content-type': 'text/csv' },
    rawBody: csv,
  });
  if (accepted.status !== 202) {
    throw new Error(`import not accepted: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  }
  return eventually(
    async () => {
      const job = await call<{
        id: string;
        status: string;
        rows: { read: number; upserted: number; rejected: number };
      }>(`${stack.urls.gatewayHttp}/v1/contact-imports/${accepted.body.id}`, {
        headers: bearer(tenant),
      });
      return job.body.status === 'completed' ? job.body : undefined;
    },
    { what: `the import of ${rows.length} contacts to complete`, timeoutMs: 120_000 },
  );
}

// ---- bulk sends (issue 11 §1; the REST contract in notes/bulk-shared.md) ----------------------

export type BulkSendStatus = 'scheduled' | 'running' | 'paused' | 'completed' | 'canceled';

export interface BulkSend {
  id: string;
  status: BulkSendStatus;
  pausedReason: 'user' | 'insufficient_funds' | null;
  message: Record<string, unknown>;
  delivery: Record<string, unknown>;
  recipients: {
    total: number;
    sendable: number;
    skipped: { duplicate_phone: number; missing_merge_value: number };
  };
  messages: {
    pending: number;
    scheduled: number;
    queued: number;
    sending: number;
    sent: number;
    delivered: number;
    undelivered: number;
    failed: number;
    blocked: number;
    canceled: number;
  };
  blocked: Record<string, number>;
  batches: { total: number; released: number; nextAt: string | null };
  eta: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  canceledAt: string | null;
}

export interface BulkRecipientRow {
  position: number;
  contactId: string;
  phone: string;
  batch: number | null;
  messageId: string | null;
  status: string;
  reason: string | null;
  sendAt: string | null;
}

export interface BulkSendPreviewAnswer {
  recipients: {
    total: number;
    sendable: number;
    blocked: Record<string, number>;
    skipped: { duplicate_phone: number; missing_merge_value: number };
    held: { quiet_hours_held: number };
  };
  delivery: {
    mode: string;
    at?: string;
    batches?: Array<{ index: number; at: string; size: number }>;
    totalBatches?: number;
    lastAt?: string | null;
  };
  eta: string | null;
}

/** The problem+json body of a refusal. */
export interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

export function previewBulkSend(stack: E2eStack, tenant: TestTenant, body: unknown) {
  return call<BulkSendPreviewAnswer>(`${stack.urls.gatewayHttp}/v1/bulk-sends/preview`, {
    headers: bearer(tenant),
    body,
  });
}

export function createBulkSend(
  stack: E2eStack,
  tenant: TestTenant,
  body: unknown,
  key: string = idempotencyKey(),
) {
  return call<BulkSend>(`${stack.urls.gatewayHttp}/v1/bulk-sends`, {
    headers: { ...bearer(tenant), 'idempotency-key': key },
    body,
  });
}

export function getBulkSend(stack: E2eStack, tenant: TestTenant, id: string) {
  return call<BulkSend>(`${stack.urls.gatewayHttp}/v1/bulk-sends/${encodeURIComponent(id)}`, {
    headers: bearer(tenant),
  });
}

export function listBulkSends(stack: E2eStack, tenant: TestTenant, query = '') {
  return call<{ data: BulkSend[]; nextCursor: string | null }>(
    `${stack.urls.gatewayHttp}/v1/bulk-sends${query}`,
    { headers: bearer(tenant) },
  );
}

/** POST /v1/bulk-sends/{id}/pause | resume | cancel: 200 with the new state, else a problem. */
export function controlBulkSend(
  stack: E2eStack,
  tenant: TestTenant,
  id: string,
  action: 'pause' | 'resume' | 'cancel',
) {
  return call<BulkSend & { code?: string; detail?: string }>(
    `${stack.urls.gatewayHttp}/v1/bulk-sends/${encodeURIComponent(id)}/${action}`,
    { method: 'POST', headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() } },
  );
}

/** Every row of GET /v1/bulk-sends/{id}/recipients (optionally `state=`), page after page. */
export async function bulkRecipients(
  stack: E2eStack,
  tenant: TestTenant,
  id: string,
  state?: string,
): Promise<BulkRecipientRow[]> {
  const rows: BulkRecipientRow[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1_000; page++) {
    const query = new URLSearchParams({ limit: '100' });
    if (state !== undefined) query.set('state', state);
    if (cursor !== null) query.set('cursor', cursor);
    const answer = await call<{ data: BulkRecipientRow[]; nextCursor: string | null }>(
      `${stack.urls.gatewayHttp}/v1/bulk-sends/${encodeURIComponent(id)}/recipients?${query.toString()}`,
      { headers: bearer(tenant) },
    );
    if (answer.status !== 200) {
      throw new Error(`recipients page: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    rows.push(...answer.body.data);
    cursor = answer.body.nextCursor;
    if (cursor === null) return rows;
  }
  throw new Error('recipients: more than 1,000 pages');
}

/** Polls GET /v1/bulk-sends/{id} until `done` holds for it. */
export function bulkSendWhen(
  stack: E2eStack,
  tenant: TestTenant,
  id: string,
  done: (bulk: BulkSend) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<BulkSend> {
  return eventually(
    async () => {
      const answer = await getBulkSend(stack, tenant, id);
      return answer.status === 200 && done(answer.body) ? answer.body : undefined;
    },
    { what, timeoutMs, intervalMs: 250 },
  );
}
