import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  carrierReceived,
  createTenant,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Array<{ field: string; message: string }>;
}

describe('bad input', () => {
  let tenant: TestTenant;
  const to = randomPhone();

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Careless Co');
  });

  async function send(
    body: unknown,
    init: { rawBody?: string; headers?: Record<string, string> } = {},
  ) {
    return call<Problem>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers: { ...bearer(tenant), ...init.headers },
      ...(init.rawBody !== undefined ? { rawBody: init.rawBody } : { body }),
    });
  }

  function expectProblem(
    answer: { status: number; headers: Headers; body: Problem },
    status: number,
  ) {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.status).toBe(status);
    expect(answer.body.title).not.toBe('');
    expect(answer.body.detail).not.toBe('');
  }

  it('malformed JSON', async () => {
    expectProblem(await send(undefined, { rawBody: '{"to": "+1555' }), 400);
  });

  it('unknown fields, naming them', async () => {
    const answer = await send({ to, body: 'hi', priority: 'urgent' });
    expectProblem(answer, 400);
    expect(answer.body.errors).toContainEqual({
      field: 'priority',
      message: 'is not a known field',
    });
  });

  it('numbers that are not E.164', async () => {
    for (const bad of [
      '5555550123',
      '+0555550123',
      '+1 555 555 0123',
      '+1555555012345678',
      '+1415555',
      '+10555550123',
    ]) {
      const answer = await send({ to: bad, body: 'hi' });
      expectProblem(answer, 400);
      expect(answer.body.errors?.[0]?.field).toBe('to');
    }
    expectProblem(await send({ to, from: '555', body: 'hi' }), 400);
  });

  it('an empty message', async () => {
    const answer = await send({ to, body: '   ' });
    expectProblem(answer, 400);
    expect(answer.body.errors?.[0]?.field).toBe('body');
    expectProblem(await send({ to }), 400);
  });

  it('a body over 10 segments', async () => {
    // 11 × 153 GSM-7 septets need 11 segments; 1,600 characters fit the length limit.
    const answer = await send({ to, body: 'x'.repeat(153 * 10 + 1) });
    expectProblem(answer, 400);
    expect(answer.body.detail).toContain('11 segments');
  });

  it('a sender the tenant does not own', async () => {
    expectProblem(await send({ to, from: '+15555550199', body: 'hi' }), 422);
  });

  it('an oversized request', async () => {
    expectProblem(
      await send(undefined, { rawBody: JSON.stringify({ to, body: 'x'.repeat(200_000) }) }),
      413,
    );
  });

  it('a wrong or missing API key', async () => {
    expectProblem(
      await send({ to, body: 'hi' }, { headers: { authorization: 'Bearer tp_live_not_a_key' } }),
      401,
    );
    const anonymous = await call<Problem>(`${stack.urls.gatewayHttp}/v1/messages`, {
      body: { to, body: 'hi' },
    });
    expectProblem(anonymous, 401);
  });

  it('a message id or cursor that does not exist', async () => {
    const missing = await call<Problem>(`${stack.urls.gatewayHttp}/v1/messages/not-an-id`, {
      headers: bearer(tenant),
    });
    expectProblem(missing, 404);
    const cursor = await call<Problem>(
      `${stack.urls.gatewayHttp}/v1/conversations/${encodeURIComponent(to)}/messages?cursor=garbage`,
      { headers: bearer(tenant) },
    );
    expectProblem(cursor, 400);
  });

  it('changed nothing: no message recorded, nothing reached the carrier', async () => {
    const conversation = await call<{ items: unknown[] }>(
      `${stack.urls.gatewayHttp}/v1/conversations/${encodeURIComponent(to)}/messages`,
      { headers: bearer(tenant) },
    );
    expect(conversation.body.items).toEqual([]);
    expect(await carrierReceived(stack, to)).toEqual([]);
  });
});
