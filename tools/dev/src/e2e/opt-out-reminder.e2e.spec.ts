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
const LINE = 'Reply STOP to opt out.';
const BODY = 'Your table for two is ready at the front desk.';

let tenant: TestTenant;

beforeAll(async () => {
  tenant = await createTenant(stack, 'Reminder Bistro');
});

async function send(to: string): Promise<void> {
  const sent = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
    headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
    body: { to, body: BODY, purpose: 'conversational' },
  });
  expect(sent.status).toBe(202);
}

/** The texts the carrier got for the phone, once it has `count` of them. */
function received(to: string, count: number): Promise<string[]> {
  return eventually(
    async () => {
      const texts = (await carrierReceived(stack, to)).map((m) => m.text);
      return texts.length >= count ? texts : undefined;
    },
    { what: `${count} text(s) to ${to} at the carrier` },
  );
}

describe('the periodic opt-out reminder on the shared stack', () => {
  it('PATCH /v1/settings turns it on: the first conversational text has the line, the next one not', async () => {
    const settings = `${stack.urls.gatewayHttp}/v1/settings`;
    expect(await call(settings, { method: 'GET', headers: bearer(tenant) })).toMatchObject({
      status: 200,
      body: { optOutReminder: null },
    });
    const bad = await call<{ errors: Array<{ field: string }> }>(settings, {
      method: 'PATCH',
      headers: bearer(tenant),
      body: { optOutReminder: { everyDays: 0 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toContain('optOutReminder.everyDays');

    const patched = await call(settings, {
      method: 'PATCH',
      headers: bearer(tenant),
      body: { optOutReminder: { everyDays: 30 } },
    });
    expect(patched).toMatchObject({ status: 200, body: { optOutReminder: { everyDays: 30 } } });
    expect(await call(settings, { method: 'GET', headers: bearer(tenant) })).toMatchObject({
      status: 200,
      body: { optOutReminder: { everyDays: 30 } },
    });

    // Messaging applies the setting once it has consumed it from the tenants topic, shortly
    // after the PATCH answered: until a first text carries the line, try another number.
    const phone = await eventually(
      async () => {
        const to = randomPhone();
        await send(to);
        const [first] = await received(to, 1);
        return first?.includes(LINE) ? to : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 0, what: 'a first conversational text with the line' },
    );
    await send(phone);
    const [first, second] = await received(phone, 2);
    expect(first).toContain(BODY);
    expect(first?.endsWith(`\n${LINE}`)).toBe(true);
    expect(second).toBe(BODY);
  });
});
