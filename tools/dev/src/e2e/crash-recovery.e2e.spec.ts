import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  eventually,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');
const IN_FLIGHT = 200;
const FINAL = new Set(['delivered', 'failed', 'undelivered']);

async function control(path: string): Promise<void> {
  const answer = await fetch(`${stack.controlUrl}${path}`, { method: 'POST' });
  if (answer.status !== 204) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
}

describe('messaging killed mid-flight', () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Crash Co');
  });

  async function statusOf(id: string): Promise<string> {
    const answer = await call<{ status: string }>(`${stack.urls.gatewayHttp}/v1/messages/${id}`, {
      headers: bearer(tenant),
    });
    return answer.body.status;
  }

  it('brings every message to a final state and the carrier receives each exactly once', async () => {
    const sends = Array.from({ length: IN_FLIGHT }, async () => {
      const to = randomPhone('+1666');
      const answer = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
        headers: bearer(tenant),
        body: { to, body: 'Flash sale ends tonight' },
      });
      expect(answer.status).toBe(202);
      return answer.body.id;
    });
    const ids = await Promise.all(sends.slice(0, IN_FLIGHT / 2));

    // Kill messaging without warning while half the messages are being worked on.
    await control('/services/messaging/kill?signal=SIGKILL');
    ids.push(...(await Promise.all(sends.slice(IN_FLIGHT / 2))));
    const atKill = await Promise.all(ids.map((id) => statusOf(id)));
    // The test only proves something if messages were still in flight when messaging died.
    expect(atKill.filter((status) => !FINAL.has(status)).length).toBeGreaterThan(0);
    await control('/services/messaging/restart');

    const statuses = await eventually(
      async () => {
        const all = await Promise.all(ids.map((id) => statusOf(id)));
        return all.every((status) => FINAL.has(status)) ? all : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what: 'every message to reach a final state' },
    );
    expect(statuses.filter((status) => status === 'delivered')).toHaveLength(IN_FLIGHT);

    const received = (await carrierReceived(stack)).filter((m) =>
      ids.includes(m.idempotency_key ?? ''),
    );
    const perMessage = new Map<string, number>();
    for (const message of received) {
      const key = message.idempotency_key ?? '';
      perMessage.set(key, (perMessage.get(key) ?? 0) + 1);
    }
    expect(perMessage.size).toBe(IN_FLIGHT);
    expect([...perMessage.values()].every((count) => count === 1)).toBe(true);
  });
});
