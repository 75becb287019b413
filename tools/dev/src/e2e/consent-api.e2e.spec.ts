import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  createTenant,
  idempotencyKey,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

interface Entry {
  sequence: number;
  type: string;
  occurredAt: string;
  requestId?: string;
  evidence?: Record<string, unknown>;
  [field: string]: unknown;
}

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

const evidence = {
  source: 'web_form',
  text: 'Yes, send me offers from Consent Co by text, up to 4 msgs/month. Msg & data rates may apply. Reply STOP to opt out.',
  textVersion: 'signup-2026-11',
  checkboxDefaultUnchecked: true,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (e2e)',
  pageUrl: 'https://consent-co.example/signup',
  capturedAt: new Date(Date.now() - 60_000).toISOString(),
};

describe('consent API end to end', () => {
  let tenant: TestTenant;
  const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;
  const enc = encodeURIComponent;

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Consent Co');
  });

  async function history(phone: string) {
    return call<{ phone: string; entries: Entry[] }>(api(`/v1/consents/${enc(phone)}/history`), {
      headers: bearer(tenant),
    });
  }

  it('records a grant with its evidence, shows the standing, revokes, and exports every fact in order', async () => {
    const phone = randomPhone();
    const granted = await call<Entry>(api('/v1/consents'), {
      headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
      body: { phone, purpose: 'marketing', channel: 'sms', evidence },
    });
    expect(granted.status).toBe(201);
    expect(granted.headers.get('location')).toBe(`/v1/consents/${enc(phone)}/history`);
    expect(granted.body).toMatchObject({
      sequence: 1,
      type: 'ConsentGranted',
      purpose: 'marketing',
      channel: 'sms',
      evidence,
    });

    const standing = await call<Record<string, unknown>>(api(`/v1/consents/${enc(phone)}`), {
      headers: bearer(tenant),
    });
    expect(standing.status).toBe(200);
    expect(standing.body).toMatchObject({
      phone,
      marketing: { sms: { consented: true, allowed: true }, mms: { consented: false } },
      optedOut: { sms: false, mms: false },
      openReviewCount: 0,
    });

    const revoked = await call<Entry>(api(`/v1/consents/${enc(phone)}/revocations`), {
      headers: bearer(tenant),
      body: { scope: 'all', method: 'support_agent', note: '=HYPERLINK("http://x.example")' },
    });
    expect(revoked.status).toBe(201);
    expect(revoked.body).toMatchObject({
      type: 'ConsentRevoked',
      scope: 'all',
      method: 'support_agent',
    });

    const after = await call<Record<string, unknown>>(api(`/v1/consents/${enc(phone)}`), {
      headers: bearer(tenant),
    });
    expect(after.body).toMatchObject({
      optedOut: { sms: true, mms: true },
      marketing: { sms: { allowed: false } },
    });

    const json = await history(phone);
    expect(json.status).toBe(200);
    const entries = json.body.entries;
    expect(entries.map((e) => e.sequence)).toEqual(entries.map((_, i) => i + 1));
    const types = entries.map((e) => e.type);
    expect(types.indexOf('ConsentGranted')).toBeLessThan(types.indexOf('ConsentRevoked'));
    expect(entries[0]).toMatchObject({
      type: 'ConsentGranted',
      requestId: granted.body.requestId,
      evidence,
    });
    expect(entries.find((e) => e.type === 'ConsentRevoked')).toMatchObject({
      requestId: revoked.body.requestId,
      note: '=HYPERLINK("http://x.example")',
    });

    const csv = await call<string>(api(`/v1/consents/${enc(phone)}/history`), {
      headers: { ...bearer(tenant), accept: 'text/csv' },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(
      /^sequence,occurred_at,type,purpose,channel,scope,method,keyword,evidence_source,evidence_text,evidence_text_version,checkbox_default_unchecked,ip,user_agent,page_url,captured_at,message_id,message_body,request_id,review_id,note/,
    );
    expect(lines).toHaveLength(entries.length + 1);
    expect(lines[1]).toContain(`1,${entries[0]?.occurredAt},ConsentGranted,marketing,sms`);
    expect(lines[1]).toContain(`"${evidence.text}"`);
    expect(lines[1]).toContain(evidence.pageUrl);
    // A note that would run as a spreadsheet formula is neutralised, and quoted.
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x.example"")"`);
  });

  it('sets and clears do-not-disturb per channel', async () => {
    const phone = randomPhone();
    const set = await call<Entry>(api(`/v1/consents/${enc(phone)}/dnd/mms`), {
      method: 'PUT',
      headers: bearer(tenant),
    });
    expect(set.status).toBe(201);
    expect(set.body).toMatchObject({ type: 'DndSet', channel: 'mms' });
    const during = await call<{ dnd: { sms: boolean; mms: boolean } }>(
      api(`/v1/consents/${enc(phone)}`),
      { headers: bearer(tenant) },
    );
    expect(during.body.dnd).toEqual({ sms: false, mms: true });

    const cleared = await call<Entry>(api(`/v1/consents/${enc(phone)}/dnd/mms`), {
      method: 'DELETE',
      headers: bearer(tenant),
    });
    expect(cleared.status).toBe(201);
    expect(cleared.body).toMatchObject({ type: 'DndCleared', channel: 'mms' });
    const afterwards = await call<{ dnd: { sms: boolean; mms: boolean } }>(
      api(`/v1/consents/${enc(phone)}`),
      { headers: bearer(tenant) },
    );
    expect(afterwards.body.dnd).toEqual({ sms: false, mms: false });
    expect((await history(phone)).body.entries.map((e) => e.type)).toEqual([
      'DndSet',
      'DndCleared',
    ]);
  });

  it('refuses bad input with a problem and records nothing', async () => {
    const phone = randomPhone();
    const before = (await history(phone)).body.entries.length;
    const grant = { phone, purpose: 'marketing', evidence };
    const bad: Array<[string, string, unknown, string]> = [
      ['POST', '/v1/consents', { ...grant, channel: 'fax' }, 'channel'],
      ['POST', '/v1/consents', { ...grant, purpose: 'promo' }, 'purpose'],
      ['POST', '/v1/consents', { ...grant, phone: '555-0100' }, 'phone'],
      ['POST', '/v1/consents', { phone, purpose: 'marketing' }, 'evidence'],
      [
        'POST',
        '/v1/consents',
        { ...grant, evidence: { ...evidence, text: undefined } },
        'evidence.text',
      ],
      [
        'POST',
        '/v1/consents',
        { ...grant, evidence: { ...evidence, source: 'psychic' } },
        'evidence.source',
      ],
      [
        'POST',
        '/v1/consents',
        { ...grant, evidence: { ...evidence, capturedAt: '2999-01-01T00:00:00Z' } },
        'evidence.capturedAt',
      ],
      [
        'POST',
        '/v1/consents',
        { ...grant, evidence: { ...evidence, capturedAt: 'soon' } },
        'evidence.capturedAt',
      ],
      ['POST', '/v1/consents', { ...grant, extra: true }, 'extra'],
      ['POST', `/v1/consents/${enc(phone)}/revocations`, { scope: 'everything' }, 'scope'],
      ['PUT', `/v1/consents/${enc(phone)}/dnd/pager`, undefined, 'channel'],
    ];
    for (const [method, path, body, field] of bad) {
      const answer = await call<Problem>(api(path), {
        method,
        headers: bearer(tenant),
        ...(body === undefined ? {} : { body }),
      });
      expect(answer.status, `${method} ${path} ${field}`).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors?.map((e) => e.field)).toContain(field);
    }
    const notE164 = await call<Problem>(api('/v1/consents/5550100/history'), {
      headers: bearer(tenant),
    });
    expect(notE164.status).toBe(400);
    // Recording is asynchronous: an empty history right now would prove nothing. A valid grant
    // made after the bad requests travels the same way; once it is on the ledger (201), the
    // ledger must hold it and nothing else.
    const valid = await call<Entry>(api('/v1/consents'), {
      headers: { ...bearer(tenant), 'idempotency-key': idempotencyKey() },
      body: grant,
    });
    expect(valid.status).toBe(201);
    expect(before).toBe(0);
    const entries = (await history(phone)).body.entries;
    expect(entries.map((e) => [e.type, e.requestId])).toEqual([
      ['ConsentGranted', valid.body.requestId],
    ]);
  });

  it('answers for a number it never heard of, and 404 for an unknown review', async () => {
    const unknown = await call<Record<string, unknown>>(api(`/v1/consents/${enc(randomPhone())}`), {
      headers: bearer(tenant),
    });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({
      marketing: { sms: { consented: false, allowed: false } },
    });
    const review = await call<Problem>(
      api('/v1/consent-reviews/0193a1b2-0000-7000-8000-000000000000/resolution'),
      { headers: bearer(tenant), body: { decision: 'dismiss' } },
    );
    expect(review.status).toBe(404);
    const queue = await call<{ items: unknown[] }>(api('/v1/consent-reviews?status=open'), {
      headers: bearer(tenant),
    });
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([]);
  });

  it('previews the compliance verdict, counting what compliance adds', async () => {
    const preview = (body: Record<string, unknown>) =>
      call<{
        segments: number;
        characters: number;
        compliance: { verdict: string; reasons: string[]; added?: string };
      }>(api('/v1/messages/preview'), { headers: bearer(tenant), body });

    const shortened = await preview({ body: 'See https://bit.ly/3xYz for details' });
    expect(shortened.status).toBe(200);
    expect(shortened.body.compliance).toMatchObject({
      verdict: 'block',
      reasons: ['content_rejected'],
    });

    const marketing = await preview({
      body: 'Big sale this weekend',
      to: randomPhone(),
      purpose: 'marketing',
      at: '2026-11-24T18:00:00Z',
    });
    expect(marketing.body.compliance.verdict).toBe('block');
    expect(marketing.body.compliance.reasons).toContain('no_marketing_consent');
    expect(marketing.body.compliance.added).toBeTruthy();
    // The count covers the body as sent: brand on a first message, opt-out language.
    expect(marketing.body.characters).toBeGreaterThan('Big sale this weekend'.length);

    const plain = await preview({ body: 'Your order shipped' });
    expect(plain.body.compliance).toMatchObject({ verdict: 'send', reasons: [] });
  });
});
