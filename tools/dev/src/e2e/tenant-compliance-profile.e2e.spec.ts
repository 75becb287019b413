import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  eventually,
  idempotencyKey,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

const BRAND = 'Profile Co';
const HELP_TEMPLATE =
  '{brand}: Questions? Call 800-555-0100. Msg & data rates may apply. Reply STOP to opt out.';
const HELP_AS_SENT =
  'Profile Co: Questions? Call 800-555-0100. Msg & data rates may apply. Reply STOP to opt out.';
/** Alcohol: restricted (SHAFT) content, blocked unless the tenant's policy is 'flag'. */
const RESTRICTED = 'Happy hour: $2 beer tonight';

interface Message {
  id: string;
  status: string;
  reason: string | null;
}

const FINAL = new Set(['sent', 'delivered', 'blocked', 'failed', 'undelivered']);

let tenant: TestTenant;

beforeAll(async () => {
  tenant = await createTenant(stack, BRAND);
});

async function putCompliance(compliance: unknown, headers: Record<string, string> = {}) {
  return call<Record<string, unknown>>(
    `${stack.urls.gatewayHttp}/admin/v1/tenants/${tenant.tenantId}/compliance`,
    {
      method: 'PUT',
      headers: { authorization: `Bearer ${stack.adminToken}`, ...headers },
      body: compliance,
    },
  );
}

/** Sends the restricted text to a fresh contact and waits for where it ends. */
async function sendRestricted(): Promise<Message & { to: string }> {
  const to = randomPhone();
  const sent = await call<Message>(`${stack.urls.gatewayHttp}/v1/messages`, {
    headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
    body: { to, body: RESTRICTED, purpose: 'transactional' },
  });
  expect(sent.status).toBe(202);
  const final = await eventually(
    async () => {
      const got = await call<Message>(`${stack.urls.gatewayHttp}/v1/messages/${sent.body.id}`, {
        headers: bearer(tenant),
      });
      return FINAL.has(got.body.status) ? got.body : undefined;
    },
    { what: `message ${sent.body.id} to end` },
  );
  return { ...final, to };
}

/**
 * Messaging applies the new policy once it has consumed the change from Kafka, shortly after the
 * PUT answered: until a message ends the expected way, try again with another contact.
 */
async function sendRestrictedUntil(
  ends: (m: Message) => boolean,
  what: string,
): Promise<Message & { to: string }> {
  return eventually(
    async () => {
      const message = await sendRestricted();
      return ends(message) ? message : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250, what },
  );
}

const wentThrough = (m: Message) => m.status === 'sent' || m.status === 'delivered';
const rejected = (m: Message) => m.status === 'blocked' && m.reason === 'content_rejected';

describe("a tenant's compliance profile changed after creation", () => {
  it('answers HELP with the new text, brand filled in', async () => {
    const put = await putCompliance({ helpText: HELP_TEMPLATE });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      id: tenant.tenantId,
      compliance: { helpText: HELP_TEMPLATE },
    });

    const phone = randomPhone();
    // Consent reads the profile from its own copy, built from the tenant events: a HELP that
    // overtook the change gets the default answer, so ask again until the new one comes.
    const help = await eventually(
      async () => {
        const injected = await call(`${stack.urls.carrierSim}/sim/inbound`, {
          body: { from: phone, to: tenant.sender, text: 'HELP' },
        });
        expect(injected.status).toBe(202);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return (await carrierReceived(stack, phone)).find((m) => m.text === HELP_AS_SENT);
      },
      { timeoutMs: 60_000, intervalMs: 0, what: 'the HELP answer with the new text' },
    );
    expect(help).toMatchObject({ from: tenant.sender, to: phone, text: HELP_AS_SENT });
  });

  it("lets restricted content through with 'flag' and blocks it again with 'block'", async () => {
    // The default policy blocks it.
    expect(await sendRestricted()).toMatchObject({ status: 'blocked', reason: 'content_rejected' });

    const flag = await putCompliance({ helpText: HELP_TEMPLATE, restrictedContent: 'flag' });
    expect(flag.status).toBe(200);
    expect(flag.body).toMatchObject({ compliance: { restrictedContent: 'flag' } });
    const through = await sendRestrictedUntil(wentThrough, "a restricted text sent under 'flag'");
    const [received] = await eventually(
      async () => {
        const got = await carrierReceived(stack, through.to);
        return got.length > 0 ? got : undefined;
      },
      { what: 'the carrier to receive the restricted text' },
    );
    // A first message to a contact names the business in front.
    expect(received?.text).toBe(`${BRAND}: ${RESTRICTED}`);

    const block = await putCompliance({ helpText: HELP_TEMPLATE, restrictedContent: 'block' });
    expect(block.status).toBe(200);
    const stopped = await sendRestrictedUntil(rejected, "a restricted text blocked under 'block'");
    expect(await carrierReceived(stack, stopped.to)).toEqual([]);
  });

  it('refuses a bad profile with 400 problem+json and records nothing; 404 for no such tenant', async () => {
    const before = await call<{ compliance: unknown }>(
      `${stack.urls.gatewayHttp}/admin/v1/tenants/${tenant.tenantId}`,
      { headers: { authorization: `Bearer ${stack.adminToken}` } },
    );
    for (const bad of [
      { helpText: 'Deals at bit.ly/profile' },
      { restrictedContent: 'allow' },
      { optOutConfirmationText: '{brand}: bye {firstName}' },
    ]) {
      const refused = await putCompliance(bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    const after = await call<{ compliance: unknown }>(
      `${stack.urls.gatewayHttp}/admin/v1/tenants/${tenant.tenantId}`,
      { headers: { authorization: `Bearer ${stack.adminToken}` } },
    );
    expect(after.body.compliance).toEqual(before.body.compliance);

    const unknown = await call(
      `${stack.urls.gatewayHttp}/admin/v1/tenants/0193a1b2-0000-7000-8000-000000000000/compliance`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${stack.adminToken}` },
        body: { restrictedContent: 'flag' },
      },
    );
    expect(unknown.status).toBe(404);
    const unauthenticated = await call(
      `${stack.urls.gatewayHttp}/admin/v1/tenants/${tenant.tenantId}/compliance`,
      { method: 'PUT', headers: { authorization: `Bearer ${tenant.apiKey}` }, body: {} },
    );
    expect(unauthenticated.status).toBe(401);
  });
});
