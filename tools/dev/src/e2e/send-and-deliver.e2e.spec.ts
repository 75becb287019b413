import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  apiKeyMetadata,
  type GrpcMessage,
  messagingClient,
  type MessagingClient,
  unary,
} from '../platform/grpc-client.js';
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

interface Message {
  id: string;
  status: string;
  to: string;
  from: string;
  body: string;
  encoding: string;
  segments: number;
  carrierMessageId: string | null;
  deliveredAt: string | null;
}

describe('a text message end to end', () => {
  let tenant: TestTenant;
  let grpcClient: MessagingClient;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Send Co');
    grpcClient = messagingClient(stack.urls.gatewayGrpc);
  });

  afterAll(() => grpcClient.close());

  it('goes from REST to the carrier and its delivery receipt comes back to REST, gRPC and watchers', async () => {
    const to = randomPhone();
    const watched: string[] = [];
    const watch = grpcClient.WatchMessages({ message_ids: [] }, apiKeyMetadata(tenant.apiKey));
    watch.on('data', (change: { message: GrpcMessage }) => {
      if (change.message.to === to) watched.push(change.message.status);
    });
    watch.on('error', () => undefined);
    // Let the stream register before the send.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const sent = await call<Message>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: bearer(tenant),
      body: { to, body: 'Your order #1234 has shipped' },
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({
      status: 'queued',
      to,
      from: tenant.sender,
      body: 'Your order #1234 has shipped',
      encoding: 'GSM-7',
      segments: 1,
    });

    const received = await eventually(
      async () => {
        const messages = await carrierReceived(stack, to);
        return messages.length > 0 ? messages : undefined;
      },
      { what: 'the carrier to receive the message' },
    );
    expect(received).toHaveLength(1);
    // A first message to a contact names the business: the brand is added when missing.
    expect(received[0]).toMatchObject({
      from: tenant.sender,
      to,
      text: 'Send Co: Your order #1234 has shipped',
    });
    expect(received[0]?.idempotency_key).toBe(sent.body.id);

    const delivered = await eventually(
      async () => {
        const answer = await call<Message>(
          `${stack.urls.gatewayHttp}/v1/messages/${sent.body.id}`,
          {
            headers: bearer(tenant),
          },
        );
        return answer.body.status === 'delivered' ? answer.body : undefined;
      },
      { what: 'status delivered over REST' },
    );
    expect(delivered.carrierMessageId).toBe(received[0]?.id);
    expect(delivered.deliveredAt).not.toBeNull();
    // The resource shows the text as it went out.
    expect(delivered.body).toBe('Send Co: Your order #1234 has shipped');

    const overGrpc = await unary(
      grpcClient.GetMessage,
      grpcClient,
      { id: sent.body.id },
      apiKeyMetadata(tenant.apiKey),
    );
    expect(overGrpc.message).toMatchObject({
      id: sent.body.id,
      status: 'MESSAGE_STATUS_DELIVERED',
      to,
    });

    await eventually(
      () => Promise.resolve(watched.includes('MESSAGE_STATUS_DELIVERED') ? true : undefined),
      {
        what: 'WatchMessages to report the delivery',
      },
    );
    watch.cancel();

    // Messaging counts what its consumers handled, batches included.
    const metrics = await (await fetch(`${stack.urls.messagingHttp}/metrics`)).text();
    for (const group of ['messaging.send-requests', 'messaging.carrier-submission']) {
      const line = metrics
        .split('\n')
        .find((l) => l.startsWith('messaging_events_handled_total') && l.includes(`"${group}"`));
      expect(Number(line?.split(' ').at(-1) ?? 0), group).toBeGreaterThan(0);
    }
  });

  it('sends over gRPC too, and refuses a call without an API key', async () => {
    const to = randomPhone();
    const response = await unary(
      grpcClient.SendMessage,
      grpcClient,
      { to, body: 'Sent over gRPC' },
      apiKeyMetadata(tenant.apiKey),
    );
    expect(response.message).toMatchObject({ to, status: 'MESSAGE_STATUS_QUEUED' });
    await eventually(
      async () => {
        const answer = await call<Message>(
          `${stack.urls.gatewayHttp}/v1/messages/${response.message.id}`,
          {
            headers: bearer(tenant),
          },
        );
        return answer.body.status === 'delivered' ? true : undefined;
      },
      { what: 'the gRPC-sent message to be delivered' },
    );

    await expect(
      unary(
        grpcClient.GetMessage,
        grpcClient,
        { id: response.message.id },
        apiKeyMetadata('not-a-key'),
      ),
    ).rejects.toMatchObject({ code: 16 });
  });

  it('replays the first answer for a repeated Idempotency-Key and refuses the key with another body', async () => {
    const to = randomPhone();
    const key = `order-${to}`;
    const first = await call<Message>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: { ...bearer(tenant), 'idempotency-key': key },
      body: { to, body: 'Once only' },
    });
    const again = await call<Message>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: { ...bearer(tenant), 'idempotency-key': key },
      body: { to, body: 'Once only' },
    });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const other = await call(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: { ...bearer(tenant), 'idempotency-key': key },
      body: { to, body: 'Something else' },
    });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');

    await eventually(async () =>
      (await carrierReceived(stack, to)).length > 0 ? true : undefined,
    );
    // Give a duplicate time to show up, then check there was none.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await carrierReceived(stack, to)).toHaveLength(1);
  });

  it('counts segments in the preview without sending', async () => {
    const preview = await call(`${stack.urls.gatewayHttp}/v1/messages/preview`, {
      headers: bearer(tenant),
      body: { body: `${'a'.repeat(159)}€` },
    });
    expect(preview).toMatchObject({
      status: 200,
      body: { encoding: 'GSM-7', segments: 2, characters: 160 },
    });
    const emoji = await call(`${stack.urls.gatewayHttp}/v1/messages/preview`, {
      headers: bearer(tenant),
      body: { body: 'Thanks 👍' },
    });
    expect(emoji.body).toEqual({
      encoding: 'UCS-2',
      segments: 1,
      characters: 8,
      compliance: { verdict: 'send', reasons: [], flags: [] },
    });
  });

  it('holds a preview to its Idempotency-Key like every POST', async () => {
    const headers = { ...bearer(tenant), 'idempotency-key': `preview-${randomPhone()}` };
    const url = `${stack.urls.gatewayHttp}/v1/messages/preview`;
    const first = await call(url, { headers, body: { body: 'Hello' } });
    const again = await call(url, { headers, body: { body: 'Hello' } });
    const other = await call(url, { headers, body: { body: 'Goodbye' } });
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(other.status).toBe(422);
  });

  it('serves its OpenAPI 3.1 document', async () => {
    const document = await call<{ openapi: string; paths: Record<string, unknown> }>(
      `${stack.urls.gatewayHttp}/openapi.json`,
    );
    expect(document.body.openapi).toBe('3.1.0');
    expect(Object.keys(document.body.paths)).toContain('/v1/messages');
  });
});
