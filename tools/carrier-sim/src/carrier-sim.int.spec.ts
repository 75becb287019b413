import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import Telnyx, {
  APIConnectionTimeoutError,
  type APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  UnprocessableEntityError,
} from 'telnyx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningCarrierSim, startCarrierSim } from './server.js';

/** A webhook as the receiver got it: raw body and flat headers, as `unwrap` wants them. */
interface ReceivedWebhook {
  readonly rawBody: string;
  readonly headers: Record<string, string>;
}

interface EventEnvelope {
  data: {
    event_type: string;
    id: string;
    payload: {
      id: string;
      direction: string;
      text: string;
      to: Array<{ phone_number: string; status: string }>;
      from: { phone_number: string };
      errors: Array<{ code: string }>;
    };
  };
  meta?: { attempt: number; delivered_to: string };
}

/** A local stand-in for the platform's webhook endpoint. */
class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Webhooks to refuse once with a 500 (others get 200), matched by their body. */
  readonly refusals: Array<(event: EventEnvelope) => boolean> = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string') headers[name] = value;
        }
        const rawBody = Buffer.concat(chunks).toString('utf8');
        this.received.push({ rawBody, headers });
        const event = JSON.parse(rawBody) as EventEnvelope;
        const refusal = this.refusals.findIndex((matches) => matches(event));
        if (refusal >= 0) this.refusals.splice(refusal, 1);
        res.writeHead(refusal >= 0 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/webhooks/telnyx`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Webhooks about one message, in arrival order. */
  about(messageId: string): ReceivedWebhook[] {
    return this.received.filter(
      (w) => (JSON.parse(w.rawBody) as EventEnvelope).data.payload.id === messageId,
    );
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for webhooks');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const FROM = '+15555550100';

function uniqueHandset(): string {
  return `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

describe('carrier simulator, through the official Telnyx SDK', () => {
  const receiver = new WebhookReceiver();
  let sim: RunningCarrierSim;
  let client: Telnyx;

  beforeAll(async () => {
    await receiver.start();
    sim = await startCarrierSim({
      port: 0,
      webhookUrl: receiver.url,
      deliveryDelayMs: 5,
      webhookRetryBaseDelayMs: 20,
    });
    client = new Telnyx({
      apiKey: 'test',
      publicKey: sim.publicKey,
      baseURL: `${sim.url}/v2`,
      maxRetries: 0,
    });
  });

  afterAll(async () => {
    await sim.close();
    await receiver.stop();
  });

  beforeEach(async () => {
    receiver.refusals.length = 0;
    await fetch(`${sim.url}/sim/faults`, { method: 'DELETE' });
  });

  async function unwrap(webhook: ReceivedWebhook): Promise<EventEnvelope> {
    return (await client.webhooks.unwrap(webhook.rawBody, {
      headers: webhook.headers,
    })) as unknown as EventEnvelope;
  }

  async function sentTo(
    to: string,
  ): Promise<Array<{ id: string; idempotency_key: string | null }>> {
    const res = await fetch(`${sim.url}/sim/messages?to=${encodeURIComponent(to)}`);
    return ((await res.json()) as { data: Array<{ id: string; idempotency_key: string | null }> })
      .data;
  }

  async function armFault(fault: { mode: string; count?: number; to?: string }): Promise<void> {
    const res = await fetch(`${sim.url}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    expect(res.status).toBe(201);
  }

  it('accepts a send with the Telnyx response shape, then posts signed sent and finalized webhooks in order', async () => {
    const to = uniqueHandset();
    const response = await client.messages.send({ from: FROM, to, text: 'Hello from textplane' });

    const message = response.data;
    expect(message).toMatchObject({
      record_type: 'message',
      direction: 'outbound',
      type: 'SMS',
      from: { phone_number: FROM, carrier: 'TELNYX LLC', line_type: 'VoIP' },
      to: [{ phone_number: to, status: 'queued', line_type: 'Wireless' }],
      text: 'Hello from textplane',
      encoding: 'GSM-7',
      parts: 1,
      sent_at: null,
      completed_at: null,
      errors: [],
      cost: { currency: 'USD' },
    });
    expect(message?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(message?.received_at).toBeDefined();
    expect(message?.valid_until).toBeDefined();
    const id = message?.id ?? '';

    await receiver.waitFor(() => receiver.about(id).length === 2);
    const events = await Promise.all(receiver.about(id).map(unwrap));
    expect(events.map((e) => e.data.event_type)).toEqual(['message.sent', 'message.finalized']);
    expect(events[0]?.data.payload.to[0]?.status).toBe('sent');
    expect(events[1]?.data.payload.to[0]?.status).toBe('delivered');
    expect(events[1]?.meta).toEqual({ attempt: 1, delivered_to: receiver.url });
  });

  it('counts UCS-2 segments for texts outside GSM-7', async () => {
    const response = await client.messages.send({
      from: FROM,
      to: uniqueHandset(),
      text: 'ą'.repeat(71),
    });
    expect(response.data).toMatchObject({ encoding: 'UCS-2', parts: 2 });
  });

  it('replays the first answer for a repeated Idempotency-Key and sends nothing twice', async () => {
    const to = uniqueHandset();
    const key = randomUUID();
    const body = { from: FROM, to, text: 'once only' };
    const first = await client.messages.send(body, { headers: { 'Idempotency-Key': key } });
    const second = await client.messages.send(body, { headers: { 'Idempotency-Key': key } });

    expect(second.data?.id).toBe(first.data?.id);
    expect(second).toEqual(first);
    const recorded = await sentTo(to);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.idempotency_key).toBe(key);
  });

  it('records a message sent twice under two keys twice', async () => {
    const to = uniqueHandset();
    const body = { from: FROM, to, text: 'duplicate' };
    await client.messages.send(body, { headers: { 'Idempotency-Key': randomUUID() } });
    await client.messages.send(body, { headers: { 'Idempotency-Key': randomUUID() } });
    expect(await sentTo(to)).toHaveLength(2);
  });

  it('answers 422 when an Idempotency-Key is reused with another body', async () => {
    const key = randomUUID();
    const to = uniqueHandset();
    await client.messages.send(
      { from: FROM, to, text: 'first' },
      { headers: { 'Idempotency-Key': key } },
    );
    const error = await client.messages
      .send({ from: FROM, to, text: 'second' }, { headers: { 'Idempotency-Key': key } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as APIError).status).toBe(422);
    expect(await sentTo(to)).toHaveLength(1);
  });

  it.each([
    [{ to: '5555550199', text: 'x' }, '40310', '/to'],
    [{ to: '+15555550199', text: 'x', from: '+15555559999' }, '40305', '/from'],
    [{ to: '+15555550199' }, '10004', '/text'],
  ])('refuses %j with Telnyx code %s', async (params, code, pointer) => {
    const error = await client.messages.send({ from: FROM, ...params }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as APIError).error).toEqual({
      errors: [expect.objectContaining({ code, source: { pointer } })],
    });
  });

  it('refuses malformed JSON with 10015 and a missing API key with 401', async () => {
    const badJson = await fetch(`${sim.url}/v2/messages`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: '{"to": ',
    });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({
      errors: [{ code: '10015', title: 'Bad Request' }],
    });

    const anonymous = new Telnyx({ apiKey: ' ', baseURL: `${sim.url}/v2`, maxRetries: 0 });
    const error = await anonymous.messages
      .send({ from: FROM, to: uniqueHandset(), text: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as APIError).error).toMatchObject({ errors: [{ code: '10009' }] });
  });

  it('fails the next send with 500 under the http_500 fault, and the retry with the same key goes through once', async () => {
    const to = uniqueHandset();
    await armFault({ mode: 'http_500', count: 1, to });
    const key = randomUUID();
    const body = { from: FROM, to, text: 'retry me' };

    const error = await client.messages
      .send(body, { headers: { 'Idempotency-Key': key } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(await sentTo(to)).toHaveLength(0);

    const retried = await client.messages.send(body, { headers: { 'Idempotency-Key': key } });
    expect(retried.data?.to?.[0]?.status).toBe('queued');
    expect(await sentTo(to)).toHaveLength(1);
  });

  it('answers 429 with Retry-After under the http_429 fault', async () => {
    const to = uniqueHandset();
    await armFault({ mode: 'http_429', count: 1, to });
    const error = await client.messages
      .send({ from: FROM, to, text: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as APIError).headers?.get('retry-after')).toBe('1');
    expect((error as APIError).error).toMatchObject({ errors: [{ code: '10011' }] });
  });

  it('withholds the answer under the timeout fault; the message was taken, and a retry with the same key replays it', async () => {
    const to = uniqueHandset();
    await armFault({ mode: 'timeout', count: 1, to });
    const key = randomUUID();
    const body = { from: FROM, to, text: 'did it go?' };
    const impatient = client.withOptions({ timeout: 300 });

    const error = await impatient.messages
      .send(body, { headers: { 'Idempotency-Key': key } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    const [taken] = await sentTo(to);
    expect(taken).toBeDefined();

    const retried = await client.messages.send(body, { headers: { 'Idempotency-Key': key } });
    expect(retried.data?.id).toBe(taken?.id);
    expect(await sentTo(to)).toHaveLength(1);
  });

  it('reports delivery_failed with errors in message.finalized under that fault', async () => {
    const to = uniqueHandset();
    await armFault({ mode: 'delivery_failed', count: 1, to });
    const response = await client.messages.send({ from: FROM, to, text: 'doomed' });
    const id = response.data?.id ?? '';

    await receiver.waitFor(() => receiver.about(id).length === 2);
    const finalized = await unwrap(receiver.about(id)[1] as ReceivedWebhook);
    expect(finalized.data.event_type).toBe('message.finalized');
    expect(finalized.data.payload.to[0]?.status).toBe('delivery_failed');
    expect(finalized.data.payload.errors[0]?.code).toBe('40008');
  });

  it('reports sending_failed with only a message.finalized', async () => {
    const to = uniqueHandset();
    await armFault({ mode: 'sending_failed', count: 1, to });
    const response = await client.messages.send({ from: FROM, to, text: 'never left' });
    const id = response.data?.id ?? '';

    await receiver.waitFor(() => receiver.about(id).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const events = await Promise.all(receiver.about(id).map(unwrap));
    expect(events.map((e) => e.data.event_type)).toEqual(['message.finalized']);
    expect(events[0]?.data.payload.to[0]?.status).toBe('sending_failed');
  });

  it('posts a signed message.received for an injected inbound text', async () => {
    const from = uniqueHandset();
    const res = await fetch(`${sim.url}/sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, to: FROM, text: 'STOP' }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    await receiver.waitFor(() => receiver.about(id).length === 1);
    const event = await unwrap(receiver.about(id)[0] as ReceivedWebhook);
    expect(event.data.event_type).toBe('message.received');
    expect(event.data.payload).toMatchObject({
      direction: 'inbound',
      text: 'STOP',
      from: { phone_number: from },
      to: [{ phone_number: FROM }],
    });
  });

  it('retries a webhook the receiver refused, with the attempt number in meta', async () => {
    const to = uniqueHandset();
    receiver.refusals.push((event) => event.data.payload.to[0]?.phone_number === to);
    const response = await client.messages.send({ from: FROM, to, text: 'again' });
    const id = response.data?.id ?? '';

    await receiver.waitFor(() => receiver.about(id).length === 3);
    const events = await Promise.all(receiver.about(id).map(unwrap));
    expect(events.map((e) => [e.data.event_type, e.meta?.attempt])).toEqual([
      ['message.sent', 1],
      ['message.sent', 2],
      ['message.finalized', 1],
    ]);
    expect(events[0]?.data.id).toBe(events[1]?.data.id);
  });

  it('signs so that unwrap refuses a tampered body', async () => {
    const response = await client.messages.send({
      from: FROM,
      to: uniqueHandset(),
      text: 'genuine',
    });
    const id = response.data?.id ?? '';
    await receiver.waitFor(() => receiver.about(id).length >= 1);
    const genuine = receiver.about(id)[0] as ReceivedWebhook;

    await expect(unwrap(genuine)).resolves.toBeDefined();
    const tampered = genuine.rawBody.replace('genuine', 'forged!');
    await expect(client.webhooks.unwrap(tampered, { headers: genuine.headers })).rejects.toThrow(
      /signature/i,
    );
  });

  it('serves the public key and forgets everything on reset', async () => {
    const key = (await (await fetch(`${sim.url}/sim/public-key`)).json()) as { publicKey: string };
    expect(key.publicKey).toBe(sim.publicKey);
    expect((await fetch(`${sim.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${sim.url}/readyz`)).status).toBe(200);

    const to = uniqueHandset();
    const idempotencyKey = randomUUID();
    await client.messages.send(
      { from: FROM, to, text: 'a' },
      { headers: { 'Idempotency-Key': idempotencyKey } },
    );
    expect((await fetch(`${sim.url}/sim/reset`, { method: 'POST' })).status).toBe(204);
    expect(await sentTo(to)).toHaveLength(0);
    // The key is forgotten too: another body under it is a new send, not a 422.
    await client.messages.send(
      { from: FROM, to, text: 'b' },
      { headers: { 'Idempotency-Key': idempotencyKey } },
    );
    expect(await sentTo(to)).toHaveLength(1);
  });

  describe('GET /v2/messages/{id} (messages.retrieve)', () => {
    async function retrieveUntil(id: string, status: string) {
      let last = await client.messages.retrieve(id);
      const deadline = Date.now() + 5_000;
      // The SDK types `to` as a union (a number, or a recipient with its status).
      const statusOf = (answer: typeof last): unknown => {
        const first = answer.data?.to?.[0];
        return typeof first === 'object' && 'status' in first ? first.status : undefined;
      };
      while (statusOf(last) !== status) {
        if (Date.now() > deadline) throw new Error(`message ${id} never reached ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
        last = await client.messages.retrieve(id);
      }
      return last;
    }

    it('answers with the message as it stands, in the send answer shape', async () => {
      const to = uniqueHandset();
      const sent = await client.messages.send({ from: FROM, to, text: 'where is it' });
      const id = sent.data?.id ?? '';
      const retrieved = await retrieveUntil(id, 'delivered');
      expect(retrieved.data).toMatchObject({
        record_type: 'message',
        direction: 'outbound',
        id,
        from: { phone_number: FROM },
        to: [{ phone_number: to, status: 'delivered' }],
        text: 'where is it',
        errors: [],
      });
      expect(retrieved.data).toHaveProperty('completed_at', expect.any(String));
      expect(retrieved.data).toHaveProperty('sent_at', expect.any(String));
    });

    it('reports a failed delivery with its error code', async () => {
      const to = uniqueHandset();
      await armFault({ mode: 'delivery_failed', to });
      const sent = await client.messages.send({ from: FROM, to, text: 'fails' });
      const retrieved = await retrieveUntil(sent.data?.id ?? '', 'delivery_failed');
      expect(retrieved.data?.errors?.[0]).toMatchObject({ code: '40008' });
    });

    it('knows the outcome of a message whose receipts were lost (receipts_lost fault)', async () => {
      const to = uniqueHandset();
      await armFault({ mode: 'receipts_lost', to });
      const sent = await client.messages.send({ from: FROM, to, text: 'no receipts' });
      const id = sent.data?.id ?? '';
      await retrieveUntil(id, 'delivered');
      expect(receiver.about(id)).toEqual([]);
    });

    it('answers 404 with code 10005 for a message it does not know', async () => {
      const error: unknown = await client.messages.retrieve(randomUUID()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as APIError).error).toMatchObject({ errors: [{ code: '10005' }] });
    });
  });
});
