import { describe, expect, inject, it } from 'vitest';
import { bearer, call, createTenant, randomPhone } from './platform-client.js';

const stack = inject('stack');

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

interface Tenant {
  id: string;
  senderNumbers: string[];
}

describe('a sender number belongs to at most one tenant', () => {
  const admin = { authorization: `Bearer ${stack.adminToken}` };
  const tenants = `${stack.urls.gatewayHttp}/admin/v1/tenants`;

  it('refuses a taken number (409), moves it only once released', async () => {
    const owner = await createTenant(stack, 'Number Owner Co');
    const rival = await createTenant(stack, 'Number Rival Co');
    const moving = randomPhone('+1888');

    // A tenant created with another tenant's number: 409, and no tenant.
    const id = crypto.randomUUID();
    const taken = await call<Problem>(tenants, {
      headers: admin,
      body: {
        id,
        name: 'Takeover Co',
        brandName: 'Takeover',
        timeZone: 'America/Chicago',
        senderNumbers: [owner.sender],
        defaultSender: owner.sender,
      },
    });
    expect(taken.status).toBe(409);
    expect(taken.headers.get('content-type')).toContain('application/problem+json');
    expect(taken.body.code).toBe('sender_number_taken');
    expect((await call(`${tenants}/${id}`, { headers: admin })).status).toBe(404);

    // Adding another tenant's number: 409.
    expect(
      (
        await call(`${tenants}/${owner.tenantId}/sender-numbers`, {
          headers: admin,
          body: { phoneNumber: moving },
        })
      ).status,
    ).toBe(200);
    const claim = () =>
      call<Problem | Tenant>(`${tenants}/${rival.tenantId}/sender-numbers`, {
        headers: admin,
        body: { phoneNumber: moving },
      });
    const refused = await claim();
    expect(refused.status).toBe(409);
    expect((refused.body as Problem).code).toBe('sender_number_taken');

    // The default sender stays; another number is released and can be claimed.
    const path = (tenantId: string, number: string) =>
      `${tenants}/${tenantId}/sender-numbers/${encodeURIComponent(number)}`;
    const keepDefault = await call<Problem>(path(owner.tenantId, owner.sender), {
      method: 'DELETE',
      headers: admin,
    });
    expect(keepDefault.status).toBe(409);
    expect(keepDefault.body.code).toBe('default_sender_not_removable');
    const released = await call<Tenant>(path(owner.tenantId, moving), {
      method: 'DELETE',
      headers: admin,
    });
    expect(released.status).toBe(200);
    expect(released.body.senderNumbers).toEqual([owner.sender]);
    expect(
      (await call(path(owner.tenantId, moving), { method: 'DELETE', headers: admin })).status,
    ).toBe(404);

    const claimed = await claim();
    expect(claimed.status).toBe(200);
    expect((claimed.body as Tenant).senderNumbers).toContain(moving);

    // The old owner can no longer send from it; the new one can.
    const to = randomPhone();
    const fromOld = await call<Problem>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: bearer(owner),
      body: { to, from: moving, body: 'still mine?' },
    });
    expect(fromOld.status).toBe(422);
    const fromNew = await call(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: bearer(rival),
      body: { to, from: moving, body: 'mine now' },
    });
    expect(fromNew.status).toBe(202);
  });

  it('of concurrent claims on one number, exactly one wins', async () => {
    const claimants = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createTenant(stack, `Claimant ${i} Co`)),
    );
    const contested = randomPhone('+1888');
    const answers = await Promise.all(
      claimants.map((t) =>
        call(`${tenants}/${t.tenantId}/sender-numbers`, {
          headers: admin,
          body: { phoneNumber: contested },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
  });
});
