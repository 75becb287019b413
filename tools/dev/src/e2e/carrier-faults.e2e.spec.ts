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
const FINAL = new Set(['delivered', 'failed', 'undelivered']);

interface Message {
  id: string;
  status: string;
  errorCode: string | null;
  errorDetail: string | null;
}

describe('when the carrier misbehaves', () => {
  let tenant: TestTenant;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Unlucky Co');
  });

  async function fault(mode: string, to: string, count = 1): Promise<void> {
    const armed = await call(`${stack.urls.carrierSim}/sim/faults`, { body: { mode, count, to } });
    expect(armed.status).toBeLessThan(300);
  }

  async function sendAndSettle(to: string): Promise<Message> {
    const sent = await call<Message>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: bearer(tenant),
      body: { to, body: 'Appointment tomorrow at 9' },
    });
    expect(sent.status).toBe(202);
    return eventually(
      async () => {
        const answer = await call<Message>(
          `${stack.urls.gatewayHttp}/v1/messages/${sent.body.id}`,
          {
            headers: bearer(tenant),
          },
        );
        return FINAL.has(answer.body.status) ? answer.body : undefined;
      },
      { timeoutMs: 60_000, what: `a final status for the message to ${to}` },
    );
  }

  it('retries through server errors and rate limits, and sends once', async () => {
    const to = randomPhone();
    await fault('http_500', to, 2);
    await fault('http_429', to, 1);
    const message = await sendAndSettle(to);
    expect(message.status).toBe('delivered');
    expect(await carrierReceived(stack, to)).toHaveLength(1);
  });

  it('retries a call that timed out with the same idempotency key: the carrier sends once', async () => {
    const to = randomPhone();
    await fault('timeout', to, 1);
    const message = await sendAndSettle(to);
    expect(message.status).toBe('delivered');
    const received = await carrierReceived(stack, to);
    expect(received).toHaveLength(1);
    expect(received[0]?.idempotency_key).toBe(message.id);
  });

  it("records the carrier's error code when delivery fails", async () => {
    const to = randomPhone();
    await fault('delivery_failed', to, 1);
    const message = await sendAndSettle(to);
    expect(message).toMatchObject({ status: 'undelivered', errorCode: '40008' });
    expect(message.errorDetail).not.toBeNull();
  });

  it('marks a message the carrier could not send as failed, with its code', async () => {
    const to = randomPhone();
    await fault('sending_failed', to, 1);
    const message = await sendAndSettle(to);
    expect(message).toMatchObject({ status: 'failed', errorCode: '40006' });
  });
});
