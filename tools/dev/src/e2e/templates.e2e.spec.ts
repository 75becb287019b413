import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bearer,
  call,
  createTenant,
  type HttpAnswer,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');
const PROBLEM = 'application/problem+json';

interface Template {
  id: string;
  kind: string;
  name: string;
  body: string;
  version: number;
  warnings: Array<{ code: string; message: string }>;
  archivedAt: string | null;
}

interface Estimate {
  encoding: string;
  segments: number;
  characters: number;
}

interface Problem {
  code: string;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

function expectProblem(answer: HttpAnswer<unknown>, status: number, field: string): Problem {
  expect(answer.status, field).toBe(status);
  expect(answer.headers.get('content-type'), field).toContain(PROBLEM);
  const problem = answer.body as Problem;
  expect(
    problem.errors?.map((e) => e.field),
    field,
  ).toContain(field);
  return problem;
}

describe('templates, snippets and custom values end to end', () => {
  let tenant: TestTenant;
  const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;
  const send = <T>(method: string, path: string, body?: unknown, headers = {}) =>
    call<T>(api(path), {
      method,
      headers: { ...bearer(tenant), ...headers },
      ...(body !== undefined ? { body } : {}),
    });

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Templates Co');
  });

  it('custom values: PUT 201 then 200, GET, list, DELETE 204 then 404; a bad key is 400 naming it', async () => {
    expect((await send('PUT', '/v1/custom-values/store', { value: 'Main St' })).status).toBe(201);
    const replaced = await send<{ key: string; value: string }>('PUT', '/v1/custom-values/store', {
      value: 'Elm St',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ key: 'store', value: 'Elm St' });
    expect((await send('PUT', '/v1/custom-values/gone', { value: 'x' })).status).toBe(201);
    const got = await send<{ value: string }>('GET', '/v1/custom-values/store');
    expect(got.body.value).toBe('Elm St');
    const list = await send<{ items: Array<{ key: string }> }>('GET', '/v1/custom-values');
    expect(list.body.items.map((v) => v.key)).toEqual(['gone', 'store']);
    expect((await send('DELETE', '/v1/custom-values/gone')).status).toBe(204);
    expect((await send('GET', '/v1/custom-values/gone')).status).toBe(404);
    expectProblem(await send('PUT', '/v1/custom-values/Bad-Key', { value: 'x' }), 400, 'key');
    expectProblem(
      await send('PUT', '/v1/custom-values/long', { value: 'x'.repeat(1001) }),
      400,
      'value',
    );
  });

  it('templates: create with warnings, syntax error 400 with its position, new version, list, preview, archive', async () => {
    const marker = randomUUID().slice(0, 8);
    const created = await send<Template>(
      'POST',
      '/v1/templates',
      {
        kind: 'template',
        name: `Sale ${marker}`,
        body: 'Hi {{ contact.first_name | default: "there" }}, 20% off at {{ custom_values.store }}: https://bit.ly/x',
        purpose: 'marketing',
      },
      { 'Idempotency-Key': randomUUID() },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/templates/${created.body.id}`);
    expect(created.body).toMatchObject({ kind: 'template', version: 1, purpose: 'marketing' });
    expect(created.body.warnings.map((w) => w.code).sort()).toEqual([
      'missing_brand',
      'no_opt_out_language',
      'url_shortener',
    ]);
    const id = created.body.id;

    const broken = expectProblem(
      await send('POST', '/v1/templates', {
        kind: 'template',
        name: `Broken ${marker}`,
        body: 'Hi\n{% if contact.first_name %}open',
      }),
      400,
      'body',
    );
    expect(broken.code).toBe('invalid_template');
    expect(broken.errors?.[0]?.message).toMatch(/^line \d+, column \d+: syntax/);

    const revised = await send<Template>('PUT', `/v1/templates/${id}`, {
      name: `Sale ${marker}`,
      body: 'Templates Co: hi {{ contact.first_name | default: "there" }}, 30% off at {{ custom_values.store }}. Reply STOP to opt out.',
      purpose: 'marketing',
    });
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ version: 2, warnings: [] });
    const first = await send<Template>('GET', `/v1/templates/${id}/versions/1`);
    expect(first.body).toMatchObject({ version: 1, body: created.body.body });

    const snippet = await send<Template>('POST', '/v1/templates', {
      kind: 'snippet',
      name: `Sig ${marker}`,
      body: 'Thanks! Templates Co',
    });
    expect(snippet.status).toBe(201);
    const snippets = await send<{ items: Template[] }>(
      'GET',
      `/v1/templates?kind=snippet&q=${encodeURIComponent(`sig ${marker}`)}`,
    );
    expect(snippets.body.items.map((t) => t.id)).toEqual([snippet.body.id]);
    expectProblem(await send('GET', '/v1/templates?kind=memo'), 400, 'kind');

    // Preview: a contact with a long emoji name makes the worst case UCS-2.
    const phone = randomPhone();
    expect((await send('PUT', '/v1/contacts/tpl-ana', { phone, firstName: 'Ana' })).status).toBe(
      201,
    );
    expect(
      (
        await send('PUT', '/v1/contacts/tpl-zoe', {
          phone: randomPhone(),
          firstName: 'Zoë 😀 Zoë 😀 Zoë',
        })
      ).status,
    ).toBe(201);
    const forAna = await send<Estimate & { text: string }>('POST', `/v1/templates/${id}/preview`, {
      contactId: 'tpl-ana',
    });
    expect(forAna.status).toBe(200);
    expect(forAna.body).toMatchObject({
      text: 'Templates Co: hi Ana, 30% off at Elm St. Reply STOP to opt out.',
      encoding: 'GSM-7',
      segments: 1,
    });
    const range = await send<{ best: Estimate; worst: Estimate }>(
      'POST',
      `/v1/templates/${id}/preview`,
      {},
    );
    expect(range.status).toBe(200);
    expect(range.body.best.encoding).toBe('GSM-7');
    expect(range.body.worst.encoding).toBe('UCS-2');
    expect(range.body.worst.segments).toBeGreaterThanOrEqual(2);

    const needsName = await send<Template>('POST', '/v1/templates', {
      kind: 'template',
      name: `Strict ${marker}`,
      body: 'Templates Co: hi {{ contact.last_name }}',
    });
    const missing = expectProblem(
      await send('POST', `/v1/templates/${needsName.body.id}/preview`, { contactId: 'tpl-ana' }),
      422,
      'contact.last_name',
    );
    expect(missing.code).toBe('missing_merge_value');

    expect((await send('DELETE', `/v1/templates/${id}`)).status).toBe(204);
    const listed = await send<{ items: Template[] }>(
      'GET',
      `/v1/templates?q=${encodeURIComponent(marker)}&limit=100`,
    );
    expect(listed.body.items.map((t) => t.id).sort()).toEqual(
      [snippet.body.id, needsName.body.id].sort(),
    );
    expect((await send<Template>('GET', `/v1/templates/${id}/versions/2`)).status).toBe(200);
    expect((await send('PUT', `/v1/templates/${id}`, { name: 'x', body: 'y' })).status).toBe(409);
  });
});
