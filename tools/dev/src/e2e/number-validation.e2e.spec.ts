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

interface Message {
  id: string;
  status: string;
  reason: string | null;
}

const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;

/** The simulator's rule (tools/carrier-sim README): a number ending in 0 or 1 is a landline. */
function numberEndingIn(digit: string): string {
  return `${randomPhone().slice(0, -1)}${digit}`;
}

async function send(tenant: TestTenant, to: string): Promise<Message> {
  const answer = await call<Message>(api('/v1/messages'), {
    headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
    body: { to, body: 'Your table is ready', purpose: 'transactional' },
  });
  expect(answer.status).toBe(202);
  return answer.body;
}

function settled(tenant: TestTenant, id: string, status: string): Promise<Message> {
  return eventually(
    async () => {
      const answer = await call<Message>(api(`/v1/messages/${id}`), { headers: bearer(tenant) });
      return answer.body.status === status ? answer.body : undefined;
    },
    { what: `message ${id} ${status}` },
  );
}

async function lookupsOf(phone: string): Promise<number> {
  const answer = await call<{ data: unknown[] }>(
    `${stack.urls.carrierSim}/sim/lookups?phoneNumber=${encodeURIComponent(phone)}`,
  );
  return answer.body.data.length;
}

describe('number validation (the tenant setting)', () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Lookup Co');
    const patched = await call(api('/v1/settings'), {
      method: 'PATCH',
      headers: bearer(tenant),
      body: { numberValidation: { enabled: true } },
    });
    expect(patched.status).toBe(200);
  });

  it('blocks a landline recipient recipient_not_mobile, looking the number up once', async () => {
    // Messaging applies the setting once it has consumed it from the tenants topic, shortly
    // after the PATCH answered: until a text to a landline is blocked, try another landline.
    const landline = await eventually(
      async () => {
        const to = numberEndingIn('0');
        const sent = await send(tenant, to);
        const final = await eventually(
          async () => {
            const answer = await call<Message>(api(`/v1/messages/${sent.id}`), {
              headers: bearer(tenant),
            });
            return ['blocked', 'delivered', 'sent'].includes(answer.body.status)
              ? answer.body
              : undefined;
          },
          { what: `message ${sent.id} final` },
        );
        return final.reason === 'recipient_not_mobile' ? to : undefined;
      },
      {
        timeoutMs: 60_000,
        intervalMs: 0,
        what: 'a text to a landline blocked recipient_not_mobile',
      },
    );
    const second = await send(tenant, landline);
    expect((await settled(tenant, second.id, 'blocked')).reason).toBe('recipient_not_mobile');
    expect(await lookupsOf(landline)).toBe(1);
    expect(await carrierReceived(stack, landline)).toEqual([]);

    // The gateway's read model follows messaging's lookup topic, a moment behind the block.
    const lookup = await eventually(
      async () => {
        const answer = await call<{ lineType: string }>(
          api(`/v1/numbers/${encodeURIComponent(landline)}/lookup`),
          { headers: bearer(tenant) },
        );
        return answer.status === 200 ? answer.body : undefined;
      },
      { what: `the lookup of ${landline} shown by the gateway` },
    );
    expect(lookup.lineType).toBe('landline');
  });

  it('lets a mobile recipient through after its lookup', async () => {
    const mobile = numberEndingIn('5');
    const sent = await send(tenant, mobile);
    await settled(tenant, sent.id, 'delivered');
    expect(await lookupsOf(mobile)).toBe(1);
    expect(await carrierReceived(stack, mobile)).toHaveLength(1);
  });
});
