/** The gateway's admin API, as far as seeding a tenant needs it. */

export interface TenantProfile {
  readonly id: string;
  readonly name: string;
  readonly brandName: string;
  /** IANA zone. */
  readonly timeZone: string;
  readonly senderNumbers: readonly string[];
  readonly defaultSender: string;
}

export interface SeededTenant {
  readonly tenantId: string;
  readonly apiKey: string;
}

export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
}

/** Fixed, so `make dev` finds the same demo tenant in a database it seeded before. */
export const demoTenant: TenantProfile = Object.freeze({
  id: '5eed0000-de70-4000-8000-000000000001',
  name: 'Demo Co',
  brandName: 'Demo Co',
  timeZone: 'America/New_York',
  senderNumbers: Object.freeze(['+15555550100']),
  defaultSender: '+15555550100',
});

/**
 * The bench's tenant: a sender number belongs to one tenant, so it has its own, and a fixed id
 * so that benches against one database find it again (each run issues it a new key).
 */
export const benchTenant: TenantProfile = Object.freeze({
  id: '5eed0000-be7c-4000-8000-000000000002',
  name: 'Bench Co',
  brandName: 'Bench Co',
  timeZone: 'America/New_York',
  senderNumbers: Object.freeze(['+15555550101']),
  defaultSender: '+15555550101',
});

async function post(
  gatewayUrl: string,
  adminToken: string,
  path: string,
  body: unknown,
): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL(path, gatewayUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: await response.text() };
}

/**
 * Throughput overrides so high that no carrier cap binds: the benchmark measures the platform,
 * not the carriers, and end-to-end tests other than the pacing ones are not slowed by them.
 */
export const UNBOUND_LIMITS = Object.freeze({
  attPerMinute: { sms: 1_000_000, mms: 1_000_000 },
  tMobilePerDay: 1_000_000_000,
  tollFreePerNumberPerSecond: 100_000,
  accountPerSecond: { sms: 100_000, mms: 100_000 },
});

/** Sets the operator's throughput overrides of a tenant (PUT /admin/v1/tenants/{id}/limits). */
export async function setTenantLimits(
  gatewayUrl: string,
  adminToken: string,
  tenantId: string,
  limits: object = UNBOUND_LIMITS,
): Promise<void> {
  const path = `/admin/v1/tenants/${encodeURIComponent(tenantId)}/limits`;
  const response = await fetch(new URL(path, gatewayUrl), {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(limits),
    signal: AbortSignal.timeout(15_000),
  });
  if (response.status !== 200) {
    throw new AdminApiError(`PUT ${path} answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * Creates the tenant (or finds it, same data) and registers `apiKey` for it (or finds it).
 * Both calls are idempotent, so seeding an already seeded database is harmless.
 */
export async function seedTenant(
  gatewayUrl: string,
  adminToken: string,
  tenant: TenantProfile,
  apiKey: { readonly label: string; readonly key: string },
): Promise<SeededTenant> {
  const created = await post(gatewayUrl, adminToken, '/admin/v1/tenants', tenant);
  if (created.status === 409) {
    throw new AdminApiError(
      `tenant ${tenant.id} exists with other data than ${JSON.stringify(tenant)}: ${created.body}`,
    );
  }
  if (created.status !== 201 && created.status !== 200) {
    throw new AdminApiError(`POST /admin/v1/tenants answered ${created.status}: ${created.body}`);
  }
  const keyPath = `/admin/v1/tenants/${encodeURIComponent(tenant.id)}/api-keys`;
  const issued = await post(gatewayUrl, adminToken, keyPath, {
    label: apiKey.label,
    key: apiKey.key,
  });
  if (issued.status !== 201 && issued.status !== 200) {
    throw new AdminApiError(`POST ${keyPath} answered ${issued.status}: ${issued.body}`);
  }
  return { tenantId: tenant.id, apiKey: apiKey.key };
}

/** $1,000 in micro-units: what `make dev` gives the demo tenant unless TEXTPLANE_DEMO_CREDIT says. */
export const DEFAULT_DEMO_CREDIT_MICROS = 1_000_000_000;

/**
 * Credits a tenant's prepaid wallet as a payment integration does
 * (POST /admin/v1/tenants/{id}/wallet/credits): `accepted` (202, billing posts it) or `repeat`
 * (200: the same reference and amount were credited before, so seeding a seeded database
 * changes nothing).
 */
export async function creditWallet(
  gatewayUrl: string,
  adminToken: string,
  tenantId: string,
  credit: { readonly micros: number; readonly currency?: string; readonly reference: string },
): Promise<'accepted' | 'repeat'> {
  const path = `/admin/v1/tenants/${encodeURIComponent(tenantId)}/wallet/credits`;
  const answered = await post(gatewayUrl, adminToken, path, {
    amount: credit.micros,
    currency: credit.currency ?? 'USD',
    reference: credit.reference,
  });
  if (answered.status === 200) return 'repeat';
  if (answered.status !== 202) {
    throw new AdminApiError(`POST ${path} answered ${answered.status}: ${answered.body}`);
  }
  return 'accepted';
}

/**
 * Waits until the gateway's wallet of the tenant shows at least `micros` available (billing
 * posted the credit and the gateway read it): a single send is refused 402 on what the gateway
 * last saw, so a seeded tenant is ready to send only then.
 */
export async function walletCovers(
  gatewayUrl: string,
  apiKey: string,
  micros: number,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(new URL('/v1/wallet', gatewayUrl), {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(15_000),
    });
    last = `${response.status} ${await response.text()}`;
    if (response.status === 200) {
      const wallet = JSON.parse(last.slice(4)) as { available?: unknown };
      if (typeof wallet.available === 'number' && wallet.available >= micros) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new AdminApiError(`the wallet did not show ${micros} micro-units available: ${last}`);
}

/**
 * Credits a tenant's wallet and waits until the gateway shows the funds available (its
 * projection of billing's answer): a credit of `micros` under `reference` (a repeat credits
 * nothing more).
 */
export async function fundTenant(
  gatewayUrl: string,
  adminToken: string,
  tenant: { readonly tenantId: string; readonly apiKey: string },
  credit: { readonly micros: number; readonly reference: string },
): Promise<void> {
  if (credit.micros <= 0) return;
  await creditWallet(gatewayUrl, adminToken, tenant.tenantId, credit);
  await walletCovers(gatewayUrl, tenant.apiKey, credit.micros);
}
