import { createPrivateKey, randomUUID, sign } from 'node:crypto';
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

function signedHeaders(
  body: string,
  timestamp: number,
  privateKeyBase64 = stack.webhookPrivateKey,
) {
  const key = createPrivateKey({
    key: Buffer.from(privateKeyBase64, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const signature = sign(null, Buffer.from(`${timestamp}|${body}`), key).toString('base64');
  return {
    'content-type': 'application/json',
    'telnyx-signature-ed25519': signature,
    'telnyx-timestamp': String(timestamp),
  };
}

function finalizedWebhook(carrierMessageId: string, to: string, from: string): string {
  return JSON.stringify({
    data: {
      event_type: 'message.finalized',
      id: randomUUID(),
      occurred_at: new Date().toISOString(),
      record_type: 'event',
      payload: {
        id: carrierMessageId,
        record_type: 'message',
        direction: 'outbound',
        from: { phone_number: from },
        to: [{ phone_number: to, status: 'delivery_failed' }],
        errors: [{ code: '40008', title: 'Undeliverable', detail: 'forged' }],
      },
    },
    meta: { attempt: 1, delivered_to: `${stack.urls.gatewayHttp}/webhooks/telnyx` },
  });
}

describe('carrier webhooks', () => {
  let tenant: TestTenant;
  let message: { id: string; to: string; carrierMessageId: string };

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Webhook Co');
    const to = randomPhone();
    const sent = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: bearer(tenant),
      body: { to, body: 'Receipt target' },
    });
    message = await eventually(
      async () => {
        const answer = await call<{ status: string; carrierMessageId: string | null }>(
          `${stack.urls.gatewayHttp}/v1/messages/${sent.body.id}`,
          { headers: bearer(tenant) },
        );
        return answer.body.status === 'delivered' && answer.body.carrierMessageId
          ? { id: sent.body.id, to, carrierMessageId: answer.body.carrierMessageId }
          : undefined;
      },
      { what: 'the target message to be delivered' },
    );
  });

  async function statusOfMessage(): Promise<string> {
    const answer = await call<{ status: string }>(
      `${stack.urls.gatewayHttp}/v1/messages/${message.id}`,
      {
        headers: bearer(tenant),
      },
    );
    return answer.body.status;
  }

  async function sendToGateway(body: string, headers: Record<string, string>) {
    return call<{ code?: string }>(`${stack.urls.gatewayHttp}/webhooks/telnyx`, {
      headers,
      rawBody: body,
    });
  }

  it('refuses a webhook signed with another key, and changes nothing', async () => {
    const body = finalizedWebhook(message.carrierMessageId, message.to, tenant.sender);
    const { privateKey } = await import('node:crypto').then((c) =>
      c.generateKeyPairSync('ed25519'),
    );
    const forgedKey = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const answer = await sendToGateway(
      body,
      signedHeaders(body, Math.floor(Date.now() / 1000), forgedKey),
    );
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.code).toBe('invalid_webhook_signature');
  });

  it('refuses a correctly signed webhook whose timestamp is too old', async () => {
    const body = finalizedWebhook(message.carrierMessageId, message.to, tenant.sender);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
    const answer = await sendToGateway(body, signedHeaders(body, tenMinutesAgo));
    expect(answer.status).toBe(401);
  });

  it('refuses a body altered after signing', async () => {
    const body = finalizedWebhook(message.carrierMessageId, message.to, tenant.sender);
    const headers = signedHeaders(body, Math.floor(Date.now() / 1000));
    const answer = await sendToGateway(body.replace('delivery_failed', 'delivered'), headers);
    expect(answer.status).toBe(401);
  });

  it('left the message as it was after the refused webhooks', async () => {
    // Had any forged receipt been accepted, messaging would have had time to apply it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await statusOfMessage()).toBe('delivered');
  });

  it('accepts a correctly signed webhook and acknowledges its redelivery once', async () => {
    const body = JSON.stringify({
      data: {
        event_type: 'message.sent',
        id: randomUUID(),
        occurred_at: new Date().toISOString(),
        record_type: 'event',
        payload: {
          id: message.carrierMessageId,
          to: [{ phone_number: message.to, status: 'sent' }],
        },
      },
      meta: { attempt: 1 },
    });
    const headers = signedHeaders(body, Math.floor(Date.now() / 1000));
    const first = await sendToGateway(body, headers);
    const again = await sendToGateway(body, headers);
    expect(first).toMatchObject({ status: 200, body: { received: true, duplicate: false } });
    expect(again).toMatchObject({ status: 200, body: { received: true, duplicate: true } });
    // A late "sent" never moves a delivered message back.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await statusOfMessage()).toBe('delivered');
  });
});
