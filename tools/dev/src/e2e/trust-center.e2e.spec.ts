import { ConsumerGroups, Topics } from '@textplane/contracts';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { seedBrand, seedCampaign } from '../stack/sender-registration.js';
import {
  bearer,
  call,
  carrierReceived,
  consumedUpToNow,
  createTenant,
  eventually,
  idempotencyKey,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

interface Standing {
  id: string;
  status: string;
  carrierStatus: string | null;
  reasons: Array<{ code: string; carrierReason: string; suggestedFix: string }>;
  history: Array<{ status: string; carrierStatus: string | null }>;
}

interface Campaign extends Standing {
  carrierCampaignId: string | null;
  numbers: Array<{ phoneNumber: string; status: string; removal: { status: string } | null }>;
}

interface Message {
  id: string;
  status: string;
  reason: string | null;
  reasons: string[];
  waitingFor: string | null;
}

const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;

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

/** The profile the seeding bodies take, for a test tenant. */
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

async function send(tenant: TestTenant, from: string, to = randomPhone()): Promise<Message> {
  const answer = await post<Message>(tenant, '/v1/messages', {
    to,
    from,
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

/** Brand, campaign and the tenant's sender assigned through the Trust Center, all approved. */
async function registeredSender(tenant: TestTenant, brandName: string): Promise<string> {
  const profile = profileOf(tenant, brandName);
  const brand = await post<Standing>(tenant, '/v1/trust/brands', seedBrand(profile));
  expect(brand.status).toBe(202);
  await eventually(
    async () =>
      (await read<Standing>(tenant, `/v1/trust/brands/${brand.body.id}`)).status === 'approved'
        ? true
        : undefined,
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
      (await read<Campaign>(tenant, `/v1/trust/campaigns/${campaignId}`)).carrierCampaignId !== null
        ? true
        : undefined,
    { what: 'the campaign submitted to the carrier' },
  );
  const assigned = await post<Campaign>(tenant, `/v1/trust/campaigns/${campaignId}/numbers`, {
    phoneNumber: tenant.sender,
  });
  expect(assigned.status).toBe(202);
  await eventually(
    async () => {
      const c = await read<Campaign>(tenant, `/v1/trust/campaigns/${campaignId}`);
      return c.status === 'approved' && c.numbers[0]?.status === 'approved' ? true : undefined;
    },
    { what: 'the campaign approved with its number provisioned' },
  );
  return campaignId;
}

describe('the Trust Center: 10DLC registration before any send', () => {
  const brandName = 'Trellis Dental';
  let tenant: TestTenant;
  let unregistered: string;

  beforeAll(async () => {
    tenant = await createTenant(stack, brandName, { sender: randomPhone('+1555') });
    unregistered = randomPhone('+1555');
    const added = await call(api(`/admin/v1/tenants/${tenant.tenantId}/sender-numbers`), {
      headers: { authorization: `Bearer ${stack.adminToken}` },
      body: { phoneNumber: unregistered },
    });
    expect(added.status).toBe(200);
  });

  it('blocks a long code on no campaign, registers brand, campaign and number, then the text goes out', async () => {
    const before = await send(tenant, tenant.sender);
    const blocked = await settled(tenant, before.id, 'blocked');
    expect(blocked.reason).toBe('sender_not_registered');

    const profile = profileOf(tenant, brandName);
    const brand = await post<Standing>(tenant, '/v1/trust/brands', seedBrand(profile));
    expect(brand.status).toBe(202);
    expect(brand.body.status).toBe('pending');
    const approvedBrand = await eventually(
      async () => {
        const b = await read<Standing>(tenant, `/v1/trust/brands/${brand.body.id}`);
        return b.status === 'approved' ? b : undefined;
      },
      { what: 'the brand approved (the carrier status webhook)' },
    );
    expect(approvedBrand.carrierStatus).not.toBeNull();
    expect(approvedBrand.history.at(-1)?.status).toBe('approved');

    const campaign = await post<Campaign>(
      tenant,
      '/v1/trust/campaigns',
      seedCampaign(profile, brand.body.id),
    );
    expect(campaign.status).toBe(202);
    await eventually(
      async () => {
        const c = await read<Campaign>(tenant, `/v1/trust/campaigns/${campaign.body.id}`);
        return c.carrierCampaignId !== null ? c : undefined;
      },
      { what: 'the campaign submitted to the carrier' },
    );
    const assigned = await post<Campaign>(
      tenant,
      `/v1/trust/campaigns/${campaign.body.id}/numbers`,
      { phoneNumber: tenant.sender },
    );
    expect(assigned.status).toBe(202);
    const approved = await eventually(
      async () => {
        const c = await read<Campaign>(tenant, `/v1/trust/campaigns/${campaign.body.id}`);
        return c.status === 'approved' && c.numbers[0]?.status === 'approved' ? c : undefined;
      },
      { what: 'the campaign approved with its number provisioned' },
    );
    expect(approved.numbers.map((n) => n.phoneNumber)).toEqual([tenant.sender]);

    const to = randomPhone();
    const after = await send(tenant, tenant.sender, to);
    await eventually(
      async () => ((await carrierReceived(stack, to)).length === 1 ? true : undefined),
      { what: 'the text at the carrier' },
    );
    await settled(tenant, after.id, 'delivered');

    // The tenant's other number is on no campaign: blocked, never at the carrier.
    const other = randomPhone();
    const refused = await send(tenant, unregistered, other);
    expect((await settled(tenant, refused.id, 'blocked')).reason).toBe('sender_not_registered');
    expect(await carrierReceived(stack, other)).toEqual([]);
  });

  it("shows a rejected brand with the carrier's reasons and a suggested fix for each", async () => {
    const rejectedTenant = await createTenant(stack, 'Zero Ein Co', {
      sender: randomPhone('+1555'),
    });
    const body = { ...seedBrand(profileOf(rejectedTenant, 'Zero Ein Co')), ein: '00-0000000' };
    const brand = await post<Standing>(rejectedTenant, '/v1/trust/brands', body);
    expect(brand.status).toBe(202);
    const rejected = await eventually(
      async () => {
        const b = await read<Standing>(rejectedTenant, `/v1/trust/brands/${brand.body.id}`);
        return b.status === 'rejected' ? b : undefined;
      },
      { what: 'the brand rejected' },
    );
    expect(rejected.reasons.length).toBeGreaterThan(0);
    for (const reason of rejected.reasons) {
      expect(reason.carrierReason).toMatch(/EIN/);
      expect(reason.suggestedFix.length).toBeGreaterThan(0);
    }
    // Requested, taken by the carrier (its raw status), then rejected.
    expect(rejected.history.at(0)?.status).toBe('pending');
    expect(rejected.history.at(-1)).toMatchObject({ status: 'rejected' });
    expect(rejected.history.at(-1)?.carrierStatus).not.toBeNull();
  });

  it('removes a number from its campaign (DELETE): the text before goes out, the next is blocked sender_not_registered', async () => {
    const removing = await createTenant(stack, 'Alder Optics', { sender: randomPhone('+1555') });
    const campaignId = await registeredSender(removing, 'Alder Optics');
    const before = randomPhone();
    const sent = await send(removing, removing.sender, before);
    await settled(removing, sent.id, 'delivered');
    expect(await carrierReceived(stack, before)).toHaveLength(1);

    const removal = await call<Campaign>(
      api(`/v1/trust/campaigns/${campaignId}/numbers/${removing.sender}`),
      { method: 'DELETE', headers: { ...bearer(removing), 'idempotency-key': idempotencyKey() } },
    );
    expect(removal.status).toBe(202);
    expect(removal.body.numbers[0]).toMatchObject({ status: 'approved' });
    expect(removal.body.numbers[0]?.removal?.status).toBe('requested');
    // The carrier removes it (its DELETION webhook), registration records NumberUnassigned.
    await eventually(
      async () => {
        const c = await read<Campaign>(removing, `/v1/trust/campaigns/${campaignId}`);
        return c.numbers[0]?.removal?.status === 'removed' ? c : undefined;
      },
      { what: 'the number removed from the campaign' },
    );
    // The Trust Center and messaging's projection follow registration's topic, each at its pace.
    await consumedUpToNow(
      stack,
      ConsumerGroups.messagingRegistrations,
      Topics.registrationRegistrations,
    );

    const after = randomPhone();
    const blocked = await send(removing, removing.sender, after);
    expect((await settled(removing, blocked.id, 'blocked')).reason).toBe('sender_not_registered');
    expect(await carrierReceived(stack, after)).toEqual([]);
  });
});
