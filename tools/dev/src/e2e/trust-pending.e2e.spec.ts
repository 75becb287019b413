import { describe, expect, inject, it } from 'vitest';
import { seedBrand, seedCampaign } from '../stack/sender-registration.js';
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

/**
 * Issue 12 §6: a pending campaign holds its messages and its approval releases them. The
 * simulator's hold (`POST /sim/trust/holds`) keeps the sender's assignment PENDING_ASSIGNMENT
 * (so the campaign `pending`) until the test posts the carrier's decision for the number.
 */

const stack = inject('stack');

interface Standing {
  id: string;
  status: string;
  carrierStatus: string | null;
}

interface Campaign extends Standing {
  carrierCampaignId: string | null;
  numbers: Array<{ phoneNumber: string; status: string; carrierStatus: string | null }>;
}

interface Message {
  id: string;
  status: string;
  reason: string | null;
  reasons: string[];
  waitingFor: string | null;
}

const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;
const sim = (path: string) => `${stack.urls.carrierSim}${path}`;

function post<T>(tenant: TestTenant, path: string, body: unknown) {
  return call<T>(api(path), {
    headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
    body,
  });
}

async function read<T>(tenant: TestTenant, path: string): Promise<T> {
  const answer = await call<T>(api(path), { headers: bearer(tenant) });
  expect(answer.status).toBe(200);
  return answer.body;
}

function profileOf(tenant: TestTenant, brandName: string) {
  return {
    id: tenant.tenantId,
    name: brandName,
    brandName,
    timeZone: 'America/Chicago',
    senderNumbers: [tenant.sender],
    defaultSender: tenant.sender,
  };
}

const campaignOf = (tenant: TestTenant, id: string) =>
  read<Campaign>(tenant, `/v1/trust/campaigns/${id}`);

/**
 * A tenant with an approved brand and a campaign the carrier has taken, its sender held at the
 * simulator and then assigned: the assignment is submitted and stays pending.
 */
async function pendingSender(
  brandName: string,
): Promise<{ tenant: TestTenant; campaignId: string }> {
  const tenant = await createTenant(stack, brandName, { sender: randomPhone('+1555') });
  const profile = profileOf(tenant, brandName);
  const brand = await post<Standing>(tenant, '/v1/trust/brands', seedBrand(profile));
  expect(brand.status).toBe(202);
  await eventually(
    async () => {
      const b = await read<Standing>(tenant, `/v1/trust/brands/${brand.body.id}`);
      return b.status === 'approved' ? b : undefined;
    },
    { what: 'the brand approved' },
  );
  const campaign = await post<Campaign>(
    tenant,
    '/v1/trust/campaigns',
    seedCampaign(profile, brand.body.id),
  );
  expect(campaign.status).toBe(202);
  const campaignId = campaign.body.id;
  await eventually(
    async () =>
      (await campaignOf(tenant, campaignId)).carrierCampaignId !== null ? true : undefined,
    { what: 'the campaign submitted to the carrier' },
  );

  const held = await call<{
    data: Array<{ phoneNumber: string; assignmentStatus: string | null }>;
  }>(sim('/sim/trust/holds'), { body: { phoneNumber: tenant.sender } });
  expect(held.status).toBe(201);
  expect(held.body.data).toContainEqual({ phoneNumber: tenant.sender, assignmentStatus: null });

  const assigned = await post<Campaign>(tenant, `/v1/trust/campaigns/${campaignId}/numbers`, {
    phoneNumber: tenant.sender,
  });
  expect(assigned.status).toBe(202);
  // Submitted to the carrier (its raw status recorded by registration), and left pending.
  const submitted = await eventually(
    async () => {
      const c = await campaignOf(tenant, campaignId);
      const number = c.numbers.find((n) => n.phoneNumber === tenant.sender);
      return number?.carrierStatus ? c : undefined;
    },
    { what: "the number's assignment submitted to the carrier" },
  );
  expect(submitted.status).toBe('pending');
  expect(submitted.numbers).toMatchObject([{ phoneNumber: tenant.sender, status: 'pending' }]);
  return { tenant, campaignId };
}

async function send(tenant: TestTenant, to: string): Promise<Message> {
  const answer = await post<Message>(tenant, '/v1/messages', {
    to,
    from: tenant.sender,
    body: 'Your table is ready',
    purpose: 'transactional',
  });
  expect(answer.status).toBe(202);
  return answer.body;
}

function settled(tenant: TestTenant, id: string, status: string) {
  return eventually(
    async () => {
      const message = await read<Message>(tenant, `/v1/messages/${id}`);
      return message.status === status ? message : undefined;
    },
    { what: `message ${id} ${status}` },
  );
}

/** Queued on the registration, then still so (and nothing at the carrier) for `forMs`. */
async function heldForRegistration(tenant: TestTenant, id: string, to: string, forMs = 1_500) {
  // Accepted first (queued, its turn), then parked by the sender-registration gate.
  await eventually(
    async () => {
      const m = await read<Message>(tenant, `/v1/messages/${id}`);
      return m.status === 'queued' && m.waitingFor === 'registration' ? true : undefined;
    },
    { what: `message ${id} queued waiting for registration` },
  );
  const until = Date.now() + forMs;
  while (Date.now() < until) {
    const message = await read<Message>(tenant, `/v1/messages/${id}`);
    expect(message).toMatchObject({ status: 'queued', waitingFor: 'registration' });
    expect(await carrierReceived(stack, to)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function decide(phoneNumber: string, outcome: 'approved' | 'rejected', reasons: string[] = []) {
  return call<{ assignmentStatus: string }>(sim('/sim/trust/decisions'), {
    body: { phoneNumber, outcome, reasons },
  });
}

describe("a pending campaign holds its sender's messages until the carrier decides", () => {
  it('releases the held message once the number is provisioned and the campaign approved', async () => {
    const { tenant, campaignId } = await pendingSender('Held Crumb Bakery');
    const to = randomPhone();
    const message = await send(tenant, to);
    await heldForRegistration(tenant, message.id, to);
    expect((await campaignOf(tenant, campaignId)).status).toBe('pending');

    const decided = await decide(tenant.sender, 'approved');
    expect(decided.status).toBe(200);
    expect(decided.body.assignmentStatus).toBe('ASSIGNED');
    const approved = await eventually(
      async () => {
        const c = await campaignOf(tenant, campaignId);
        return c.status === 'approved' && c.numbers[0]?.status === 'approved' ? c : undefined;
      },
      { what: 'the campaign approved with its number provisioned' },
    );
    expect(approved.numbers.map((n) => n.phoneNumber)).toEqual([tenant.sender]);

    await settled(tenant, message.id, 'delivered');
    const received = await carrierReceived(stack, to);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ from: tenant.sender, to });
    // The first text to a recipient names the brand; the body is the one sent.
    expect(received[0]?.text).toContain('Your table is ready');
    // The decision ended the hold.
    const holds = await call<{ data: Array<{ phoneNumber: string }> }>(sim('/sim/trust/holds'));
    expect(holds.body.data.map((h) => h.phoneNumber)).not.toContain(tenant.sender);
  });

  it('blocks the held message sender_not_registered when the carrier rejects the number', async () => {
    const { tenant, campaignId } = await pendingSender('Held Fern Florist');
    const to = randomPhone();
    const message = await send(tenant, to);
    await heldForRegistration(tenant, message.id, to);

    const decided = await decide(tenant.sender, 'rejected', ['Number not eligible for 10DLC']);
    expect(decided.status).toBe(200);
    expect(decided.body.assignmentStatus).toBe('FAILED_ASSIGNMENT');

    const blocked = await settled(tenant, message.id, 'blocked');
    expect(blocked.reason).toBe('sender_not_registered');
    const campaign = await eventually(
      async () => {
        const c = await campaignOf(tenant, campaignId);
        return c.numbers[0]?.status === 'rejected' ? c : undefined;
      },
      { what: "the number's assignment rejected" },
    );
    expect(campaign.status).not.toBe('approved');
    expect(await carrierReceived(stack, to)).toEqual([]);
  });
});
