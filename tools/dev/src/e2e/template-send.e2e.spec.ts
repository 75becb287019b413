import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  apiKeyMetadata,
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
  type HttpAnswer,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

/**
 * Issue 10: "a contact imported by CSV, a template with merge fields, sent to the contact,
 * delivered with the rendered text". The contact is imported by CSV; the rest is the whole path:
 * the template's latest version rendered with the contact, the tenant's custom values and the
 * business name, recorded on the message with its version, and the carrier receiving exactly
 * that text.
 */

const stack = inject('stack');
const BRAND = 'Template Send Co';

interface Message {
  id: string;
  status: string;
  to: string;
  contactId: string | null;
  templateId: string | null;
  templateVersion: number | null;
  body: string;
  purpose: string;
}

interface Problem {
  code: string;
  errors?: Array<{ field: string }>;
}

function expectProblem(
  answer: HttpAnswer<unknown>,
  status: number,
  code: string,
  fields: string[],
) {
  expect(answer.status, code).toBe(status);
  expect(answer.headers.get('content-type'), code).toContain('application/problem+json');
  const problem = answer.body as Problem;
  expect(problem.code).toBe(code);
  expect(problem.errors?.map((e) => e.field)).toEqual(fields);
}

describe('a template with merge fields sent to a contact', () => {
  let tenant: TestTenant;
  let grpcClient: MessagingClient;
  const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;
  const send = <T>(method: string, path: string, body?: unknown) =>
    call<T>(api(path), {
      method,
      headers: { ...bearer(tenant), 'Idempotency-Key': randomUUID() },
      ...(body !== undefined ? { body } : {}),
    });

  async function template(body: string): Promise<string> {
    const created = await send<{ id: string; version: number }>('POST', '/v1/templates', {
      kind: 'template',
      name: `Ready ${randomUUID().slice(0, 8)}`,
      body,
      purpose: 'transactional',
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  beforeAll(async () => {
    tenant = await createTenant(stack, BRAND);
    grpcClient = messagingClient(stack.urls.gatewayGrpc);
  });

  afterAll(() => grpcClient.close());

  it('is delivered with the rendered text, and the message records the template and version', async () => {
    const phone = randomPhone();
    expect((await send('PUT', '/v1/custom-values/store', { value: 'Elm St' })).status).toBe(201);
    // The contact comes in by CSV import, as a CRM syncs its list.
    const imported = await call<{ id: string }>(api('/v1/contact-imports'), {
      headers: { ...bearer(tenant), 'content-type': 'text/csv' },
      rawBody: ['id,phone,firstName,custom.plan', `tpl-send-ann,${phone},Ann,gold`].join('\r\n'),
    });
    expect(imported.status).toBe(202);
    await eventually(
      async () => {
        const job = await send<{ status: string; rows: { upserted: number } }>(
          'GET',
          `/v1/contact-imports/${imported.body.id}`,
        );
        return job.body.status === 'completed' ? job.body : undefined;
      },
      { what: 'the CSV import to complete' },
    ).then((job) => expect(job.rows.upserted).toBe(1));
    const templateId = await template('Old text for {{ contact.first_name }}');
    const revised = await send<{ version: number }>('PUT', `/v1/templates/${templateId}`, {
      name: 'Ready',
      body: 'Hi {{ contact.first_name }}, your {{ contact.plan }} order is ready at {{ custom_values.store }}.',
      purpose: 'transactional',
    });
    expect(revised.body.version).toBe(2);

    const rendered = 'Hi Ann, your gold order is ready at Elm St.';
    const sent = await send<Message>('POST', '/v1/messages', {
      contactId: 'tpl-send-ann',
      templateId,
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({
      to: phone,
      contactId: 'tpl-send-ann',
      templateId,
      templateVersion: 2,
      body: rendered,
      purpose: 'transactional',
    });

    const received = await eventually(
      async () => {
        const messages = await carrierReceived(stack, phone);
        return messages.length > 0 ? messages : undefined;
      },
      { what: 'the carrier to receive the rendered template' },
    );
    // The brand is added to a first message that lacks it.
    expect(received.map((m) => m.text)).toEqual([`${BRAND}: ${rendered}`]);

    const delivered = await eventually(
      async () => {
        const answer = await send<Message>('GET', `/v1/messages/${sent.body.id}`);
        return answer.body.status === 'delivered' ? answer.body : undefined;
      },
      { what: 'the message delivered' },
    );
    expect(delivered).toMatchObject({ templateId, templateVersion: 2, contactId: 'tpl-send-ann' });
  });

  it('over gRPC: a pinned older version to a bare number, rendered with contact.phone and custom values', async () => {
    const to = randomPhone();
    expect((await send('PUT', '/v1/custom-values/hours', { value: '9 to 5' })).status).toBe(201);
    const templateId = await template(
      'Open {{ custom_values.hours }}; this is {{ contact.phone }}',
    );
    expect(
      (
        await send('PUT', `/v1/templates/${templateId}`, {
          name: 'Hours',
          body: 'A later text',
          purpose: 'transactional',
        })
      ).status,
    ).toBe(200);
    const answer = await unary(
      grpcClient.SendMessage,
      grpcClient,
      { to, template_id: templateId, template_version: 1 },
      apiKeyMetadata(tenant.apiKey),
    );
    expect(answer.message).toMatchObject({
      template_id: templateId,
      template_version: 1,
      body: `Open 9 to 5; this is ${to}`,
    });
    const received = await eventually(
      async () => {
        const messages = await carrierReceived(stack, to);
        return messages.length > 0 ? messages : undefined;
      },
      { what: 'the carrier to receive the pinned version' },
    );
    expect(received.map((m) => m.text)).toEqual([`${BRAND}: Open 9 to 5; this is ${to}`]);
  });

  it('refuses what cannot be sent with a problem naming the field, and sends nothing', async () => {
    const to = randomPhone();
    const templateId = await template('Soon gone');
    expect((await send('DELETE', `/v1/templates/${templateId}`)).status).toBeLessThan(300);
    expectProblem(
      await send('POST', '/v1/messages', { to, templateId }),
      422,
      'template_archived',
      ['templateId'],
    );
    expectProblem(
      await send('POST', '/v1/messages', { to, templateId: randomUUID() }),
      422,
      'template_not_found',
      ['templateId'],
    );
    const live = await template('Still here');
    expectProblem(
      await send('POST', '/v1/messages', { to, templateId: live, templateVersion: 5 }),
      422,
      'template_version_not_found',
      ['templateVersion'],
    );
    expectProblem(
      await send('POST', '/v1/messages', { to, templateId: live, body: 'And this' }),
      400,
      'invalid_request',
      ['body', 'templateId'],
    );
    const listed = await send<{ items: Message[] }>(
      'GET',
      `/v1/messages?to=${encodeURIComponent(to)}`,
    );
    expect(listed.body.items).toEqual([]);
  });
});
