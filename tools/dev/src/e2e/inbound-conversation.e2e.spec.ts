import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  createTenant,
  eventually,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

interface Page {
  items: Array<{
    id: string;
    direction: string;
    status: string;
    body: string;
    from: string;
    to: string;
  }>;
  nextCursor: string | null;
}

describe('conversations', () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Inbound Co');
  });

  it('shows an inbound text with the outbound ones, newest first, page by page', async () => {
    const contact = randomPhone();
    const outbound = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: bearer(tenant),
      body: { to: contact, body: 'Are you coming tomorrow?' },
    });
    expect(outbound.status).toBe(202);

    const injected = await call(`${stack.urls.carrierSim}/sim/inbound`, {
      body: { from: contact, to: tenant.sender, text: 'Yes, see you at 10' },
    });
    expect(injected.status).toBe(202);

    const page = await eventually(
      async () => {
        const answer = await call<Page>(
          `${stack.urls.gatewayHttp}/v1/conversations/${encodeURIComponent(contact)}/messages`,
          { headers: bearer(tenant) },
        );
        return answer.body.items.some((m) => m.direction === 'inbound') ? answer.body : undefined;
      },
      { what: 'the inbound text in the conversation' },
    );

    expect(page.items.map((m) => [m.direction, m.body])).toEqual([
      ['inbound', 'Yes, see you at 10'],
      // The first text to a contact was given the business name.
      ['outbound', 'Inbound Co: Are you coming tomorrow?'],
    ]);
    expect(page.items[0]).toMatchObject({ status: 'received', from: contact, to: tenant.sender });

    const first = await call<Page>(
      `${stack.urls.gatewayHttp}/v1/conversations/${encodeURIComponent(contact)}/messages?limit=1`,
      { headers: bearer(tenant) },
    );
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await call<Page>(
      `${stack.urls.gatewayHttp}/v1/conversations/${encodeURIComponent(contact)}/messages?limit=1&cursor=${first.body.nextCursor ?? ''}`,
      { headers: bearer(tenant) },
    );
    expect(second.body.items.map((m) => m.id)).toEqual([outbound.body.id]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("keeps each tenant's conversations to itself", async () => {
    const other = await createTenant(stack, 'Other Co');
    const contact = randomPhone();
    await call(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: bearer(tenant),
      body: { to: contact, body: 'For the first tenant only' },
    });
    const answer = await call<Page>(
      `${stack.urls.gatewayHttp}/v1/conversations/${encodeURIComponent(contact)}/messages`,
      { headers: bearer(other) },
    );
    expect(answer.body.items).toEqual([]);
  });
});
