import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { connect } from 'node:net';
import type * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiKeyMetadata, messagingClient, type MessagingClient } from '../platform/grpc-client.js';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  eventually,
  type HttpAnswer,
  idempotencyKey,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

/** The demo tenant `make dev` seeds (tools/dev/src/stack/admin-api.ts). */
const DEMO_NUMBER = '+15555550100';
const PROBLEM = 'application/problem+json';

interface Problem {
  status: number;
  code: string;
  detail: string;
}

function expectProblem(answer: HttpAnswer<unknown>, status: number, code?: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toContain(PROBLEM);
  expect(answer.body).toMatchObject({ status, ...(code ? { code } : {}) });
  expect((answer.body as Problem).detail).toEqual(expect.stringMatching(/\w/));
}

let tenant: TestTenant;

beforeAll(async () => {
  tenant = await createTenant(stack, 'Edge Contract Co');
});

describe('bodies: only documented content gets in', () => {
  const send = (init: { headers: Record<string, string>; body: string | Uint8Array }) =>
    fetch(`${stack.urls.gatewayHttp}/v1/messages`, {
      method: 'POST',
      headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey(), ...init.headers },
      body: init.body,
    }).then(async (response) => {
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: JSON.parse(text) as unknown,
      };
    });
  const to = randomPhone();
  const json = JSON.stringify({ to, body: 'Edge test' });

  it.each([
    [
      'form-encoded',
      { 'content-type': 'application/x-www-form-urlencoded' },
      `to=${encodeURIComponent(to)}&body=hi`,
    ],
    ['text/plain', { 'content-type': 'text/plain' }, json],
    ['charset=latin1', { 'content-type': 'application/json; charset=latin1' }, json],
    ['charset=utf-16', { 'content-type': 'application/json; charset=utf-16' }, json],
  ])('a %s body is 415, naming application/json', async (_, headers, body) => {
    const answer = await send({ headers, body });
    expectProblem(answer, 415, 'unsupported_media_type');
    expect((answer.body as Problem).detail).toContain('application/json');
  });

  it('a body labelled gzip that is not gzip is 415', async () => {
    const answer = await send({
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: json,
    });
    expectProblem(answer, 415, 'unsupported_content_encoding');
  });

  it('invalid UTF-8 is 400, not sent with U+FFFD', async () => {
    const body = Buffer.concat([
      Buffer.from(`{"to":"${to}","body":"caf`),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const answer = await send({ headers: { 'content-type': 'application/json' }, body });
    expectProblem(answer, 400, 'invalid_utf8');
  });

  it('none of them sent anything', async () => {
    expect(await carrierReceived(stack, to)).toEqual([]);
  });
});

describe("Fastify's and Node's refusals are problems", () => {
  it('a malformed %-escape in the path', async () => {
    const answer = await call(`${stack.urls.gatewayHttp}/v1/messages/%ff`, {
      headers: bearer(tenant),
    });
    expectProblem(answer, 400, 'malformed_url');
  });

  it('a path parameter that is too long', async () => {
    const answer = await call(`${stack.urls.gatewayHttp}/v1/messages/${'a'.repeat(2000)}`, {
      headers: bearer(tenant),
    });
    expectProblem(answer, 414, 'uri_too_long');
  });

  it('headers too large (answered for Node, on the socket)', async () => {
    const url = new URL(stack.urls.gatewayHttp);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () =>
        socket.write(
          `GET /v1/messages HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
        ),
      );
      let received = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (received += chunk));
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer.toLowerCase()).toContain(`content-type: ${PROBLEM}`);
    expect(JSON.parse(answer.split('\r\n\r\n')[1] ?? '')).toMatchObject({
      status: 431,
      code: 'headers_too_large',
    });
  });
});

/** Positions the server never issues, in its own encoding: dates Date.parse took, Postgres did not. */
const forgedCursors = [
  ['1', randomUUID()],
  ['2026', randomUUID()],
  ['2026-02-30', randomUUID()],
  ['-271821-04-20', randomUUID()],
  [new Date().toISOString(), '-'.repeat(36)],
].map((position) => Buffer.from(JSON.stringify(position)).toString('base64url'));

describe('cursors', () => {
  it('the cursors the server issues page through a conversation, each item once', async () => {
    const phone = randomPhone();
    const sent: string[] = [];
    for (const body of ['one', 'two', 'three']) {
      const answer = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
        headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
        body: { to: phone, body },
      });
      expect(answer.status).toBe(202);
      sent.push(answer.body.id);
    }
    const conversation = `${stack.urls.gatewayHttp}/v1/conversations/${encodeURIComponent(phone)}/messages`;
    await eventually(
      async () => {
        const all = await call<{ items: unknown[] }>(conversation, { headers: bearer(tenant) });
        return all.body.items.length === 3 ? true : undefined;
      },
      { what: 'the three messages in the conversation' },
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=1' : `?limit=1&cursor=${cursor}`;
      const page: HttpAnswer<{ items: { id: string }[]; nextCursor: string | null }> = await call(
        `${conversation}${query}`,
        { headers: bearer(tenant) },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null && seen.length < 10);
    expect([...seen].sort()).toEqual([...sent].sort());
  });

  it.each(forgedCursors)(
    'a forged conversation cursor (%s) is 400 invalid_cursor',
    async (cursor) => {
      const answer = await call(
        `${stack.urls.gatewayHttp}/v1/conversations/${encodeURIComponent(randomPhone())}/messages?cursor=${cursor}`,
        { headers: bearer(tenant) },
      );
      expectProblem(answer, 400, 'invalid_cursor');
    },
  );

  it.each(forgedCursors)('a forged review cursor (%s) is 400 invalid_cursor', async (cursor) => {
    const answer = await call(`${stack.urls.gatewayHttp}/v1/consent-reviews?cursor=${cursor}`, {
      headers: bearer(tenant),
    });
    expectProblem(answer, 400, 'invalid_cursor');
  });

  describe('over gRPC', () => {
    type ListConversation = (
      request: { phone: string; page_size: number; page_token: string },
      metadata: grpc.Metadata,
      callback: (error: grpc.ServiceError | null) => void,
    ) => grpc.ClientUnaryCall;
    let client: MessagingClient & { ListConversationMessages: ListConversation };

    beforeAll(() => {
      client = messagingClient(stack.urls.gatewayGrpc) as MessagingClient & {
        ListConversationMessages: ListConversation;
      };
    });
    afterAll(() => client.close());

    it.each(forgedCursors)('a forged page_token (%s) is INVALID_ARGUMENT', async (token) => {
      const error = await new Promise<grpc.ServiceError | null>((resolve) => {
        client.ListConversationMessages(
          { phone: randomPhone(), page_size: 10, page_token: token },
          apiKeyMetadata(tenant.apiKey),
          resolve,
        );
      });
      expect(error?.code).toBe(3); // INVALID_ARGUMENT
    });
  });
});

function signedHeaders(body: string): Record<string, string> {
  const key = createPrivateKey({
    key: Buffer.from(stack.webhookPrivateKey, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    'content-type': 'application/json',
    'telnyx-signature-ed25519': sign(null, Buffer.from(`${timestamp}|${body}`), key).toString(
      'base64',
    ),
    'telnyx-timestamp': timestamp,
  };
}

describe('carrier webhooks', () => {
  const webhookUrl = () => `${stack.urls.gatewayHttp}/webhooks/telnyx`;

  it.each([
    ['an unsigned text/plain body', { 'content-type': 'text/plain' }, 'hello'],
    ['an unsigned empty body', { 'content-type': 'text/plain' }, ''],
    ['an unsigned empty JSON body', { 'content-type': 'application/json' }, ''],
    ['an unsigned form body', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'],
  ])('%s is 401: the signature is checked first', async (_, headers, rawBody) => {
    const answer = await call(webhookUrl(), { method: 'POST', headers, rawBody });
    expectProblem(answer, 401, 'invalid_webhook_signature');
  });

  it('a redelivered webhook whose id is not a UUID is recognised as a duplicate', async () => {
    const body = JSON.stringify({
      data: {
        event_type: 'message.finalized',
        id: `evt_${randomUUID()}`,
        occurred_at: new Date().toISOString(),
        record_type: 'event',
        payload: { id: randomUUID(), record_type: 'message', direction: 'outbound', to: [] },
      },
    });
    const first = await call(webhookUrl(), { headers: signedHeaders(body), rawBody: body });
    expect(first).toMatchObject({ status: 200, body: { duplicate: false } });
    const again = await call(webhookUrl(), { headers: signedHeaders(body), rawBody: body });
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
  });
});

describe('inbound texts with U+0000 or a lone surrogate', () => {
  interface LedgerEntry {
    type: string;
    method?: string;
    message?: { body: string };
  }

  it.each([
    ['U+0000', 'STOP\u0000', 'STOP\uFFFD'],
    ['a lone surrogate', 'STOP\ud800', 'STOP\uFFFD'],
  ])('STOP followed by %s is recorded and revokes consent', async (_, text, recordedBody) => {
    const phone = randomPhone();
    // The simulator signs and posts the webhook exactly as Telnyx would, `\u0000` escaped in JSON.
    const injected = await call(`${stack.urls.carrierSim}/sim/inbound`, {
      body: { from: phone, to: DEMO_NUMBER, text },
    });
    expect(injected.status).toBe(202);
    const entries = await eventually(
      async () => {
        const answer = await call<{ entries: LedgerEntry[] }>(
          `${stack.urls.gatewayHttp}/v1/consents/${encodeURIComponent(phone)}/history`,
          { headers: bearer({ ...stack.demo, sender: DEMO_NUMBER }) },
        );
        return answer.body.entries?.some((e) => e.type === 'ConsentRevoked')
          ? answer.body.entries
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the opt-out in the consent ledger' },
    );
    expect(entries.filter((e) => e.type === 'ConsentRevoked')).toHaveLength(1);
    expect(entries.find((e) => e.type === 'ConsentRevoked')).toMatchObject({
      method: 'keyword',
      message: { body: recordedBody },
    });
    // And the person is told, once, that they are unsubscribed.
    await eventually(
      async () => {
        const received = await carrierReceived(stack, phone);
        return received.some((m) => /unsubscribed/i.test(m.text)) ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'the opt-out confirmation' },
    );
  });
});
