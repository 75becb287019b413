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

  it('U+0000 or a lone surrogate in a body: 400 naming it, on the send and the preview alike', async () => {
    for (const body of ['hello\u0000', 'STOP\u0000', 'half an emoji \ud83d', '\ude00']) {
      const sent = await send({ to, body });
      expectProblem(sent, 400);
      expect(sent.body.errors).toContainEqual({
        field: 'body',
        message: 'must not contain U+0000 or unpaired surrogates',
      });
      const preview = await call<Problem>(`${stack.urls.gatewayHttp}/v1/messages/preview`, {
        headers: bearer(tenant),
        body: { to, body },
      });
      expectProblem(preview, 400);
      expect(preview.body.errors).toEqual(sent.body.errors);
    }
  });

  it('media URLs the platform must not fetch', async () => {
    for (const url of [
      'http://127.0.0.1:5432/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/a.jpg',
      'http://[::1]/a.jpg',
      'http://localhost/a.jpg',
      'file:///etc/passwd',
    ]) {
      const answer = await send({ to, body: 'pic', mediaUrls: [url] });
      expectProblem(answer, 400);
      expect(answer.body.errors?.[0]?.field, url).toBe('mediaUrls.0');
      const preview = await call<Problem>(`${stack.urls.gatewayHttp}/v1/messages/preview`, {
        headers: bearer(tenant),
        body: { body: 'pic', mediaUrls: [url] },
      });
      expectProblem(preview, 400);
    }
  });

  it('a time zone that is not an IANA name', async () => {
    const answer = await send({ to, body: 'hi', recipientTimeZone: '+1555' });
    expectProblem(answer, 400);
    expect(answer.body.errors?.[0]?.field).toBe('recipientTimeZone');
  });

  it('an Idempotency-Key is scoped to its route: a send key is free for a preview', async () => {
    const key = `scope-${randomPhone('')}`;
    const headers = { ...bearer(tenant), 'idempotency-key': key };
    const other = randomPhone();
    const sent = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers,
      body: { to: other, body: 'scoped key' },
    });
    expect(sent.status).toBe(202);
    const preview = await call(`${stack.urls.gatewayHttp}/v1/messages/preview`, {
      headers,
      body: { body: 'another body entirely' },
    });
    expect(preview.status).toBe(200);
    const replay = await call<{ id: string }>(`${stack.urls.gatewayHttp}/v1/messages`, {
      headers,
      body: { to: other, body: 'scoped key' },
    });
    expect(replay.status).toBe(202);
    expect(replay.body.id).toBe(sent.body.id);
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

describe('bad admin and consent input', () => {
  const admin = { authorization: `Bearer ${stack.adminToken}` };
  const tenantBody = (overrides: Record<string, unknown>) => {
    const sender = randomPhone('+1888');
    return {
      name: 'Careless Admin Co',
      brandName: 'Careless',
      timeZone: 'America/Chicago',
      senderNumbers: [sender],
      defaultSender: sender,
      ...overrides,
    };
  };

  it.each([
    ['timeZone', { timeZone: '+1555' }],
    ['compliance.supportContact', { compliance: { supportContact: ' ' } }],
    ['name', { name: 'Careless\u0000' }],
    ['brandName', { brandName: 'Care\ud800less' }],
  ])('a tenant with a bad %s: 400 naming it, no tenant', async (field, overrides) => {
    const answer = await call<Problem>(`${stack.urls.gatewayHttp}/admin/v1/tenants`, {
      headers: admin,
      body: tenantBody(overrides),
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors?.map((e) => e.field)).toContain(field);
  });

  it.each([
    ['capturedAt', { capturedAt: '0000-01-01T00:00:00Z' }],
    ['pageUrl', { pageUrl: 'javascript:alert(1)' }],
    ['pageUrl', { pageUrl: 'file:///etc/passwd' }],
    ['text', { text: 'I agree\u0000' }],
  ])('consent evidence with a bad %s: 400 naming it', async (field, overrides) => {
    const tenant = await createTenant(stack, 'Careless Consent Co');
    const answer = await call<Problem>(`${stack.urls.gatewayHttp}/v1/consents`, {
      headers: bearer(tenant),
      body: {
        phone: randomPhone(),
        purpose: 'marketing',
        evidence: {
          source: 'web_form',
          text: 'I agree to receive texts',
          capturedAt: '2026-01-01T00:00:00Z',
          ...overrides,
        },
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.field)).toContain(`evidence.${field}`);
  });
});
