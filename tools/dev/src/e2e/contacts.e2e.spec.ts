import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as pb from '../generated/textplane/messaging/v1/contacts.js';
import { apiKeyMetadata } from '../platform/grpc-client.js';
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

interface Contact {
  id: string;
  version: number;
  phone: string;
  firstName: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
  consent?: Record<string, unknown>;
  lastMessageAt?: string | null;
}

interface Problem {
  status: number;
  code: string;
  errors?: Array<{ field: string; message: string }>;
}

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

interface ContactClient extends grpc.Client {
  UpsertContact: Unary<Partial<pb.UpsertContactRequest>, pb.UpsertContactResponse>;
  GetContact: Unary<pb.GetContactRequest, pb.GetContactResponse>;
}

/** A plain @grpc/grpc-js client of ContactService, as an internal team would write one. */
function contactClient(address: string): ContactClient {
  const definition = protoLoader.loadSync(
    'textplane/messaging/v1/contacts.proto' satisfies typeof pb.protobufFileName,
    {
      includeDirs: [fileURLToPath(new URL('../../../../proto', import.meta.url))],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    },
  );
  const root = grpc.loadPackageDefinition(definition) as unknown as {
    textplane: {
      messaging: {
        v1: {
          ContactService: new (address: string, c: grpc.ChannelCredentials) => ContactClient;
        };
      };
    };
  };
  return new root.textplane.messaging.v1.ContactService(address, grpc.credentials.createInsecure());
}

function unary<Req, Res>(
  method: Unary<Req, Res>,
  client: ContactClient,
  request: Req,
  metadata: grpc.Metadata,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, metadata, (error, response) => {
      if (error) reject(error);
      else if (response === undefined) reject(new Error('empty response'));
      else resolve(response);
    });
  });
}

function expectProblemNaming(answer: HttpAnswer<unknown>, status: number, field: string): void {
  expect(answer.status, field).toBe(status);
  expect(answer.headers.get('content-type'), field).toContain(PROBLEM);
  expect(
    (answer.body as Problem).errors?.map((e) => e.field),
    field,
  ).toContain(field);
}

describe('contacts end to end', () => {
  let tenant: TestTenant;
  const api = (path: string) => `${stack.urls.gatewayHttp}${path}`;
  const contactUrl = (id: string) => api(`/v1/contacts/${encodeURIComponent(id)}`);
  const put = (id: string, body: unknown, headers: Record<string, string> = {}) =>
    call<Contact>(contactUrl(id), {
      method: 'PUT',
      headers: { ...bearer(tenant), ...headers },
      body,
    });
  const get = (id: string) => call<Contact>(contactUrl(id), { headers: bearer(tenant) });

  beforeAll(async () => {
    tenant = await createTenant(stack, 'Contacts Co');
  });

  it('PUT creates (201, ETag), GET sees it at once, PUT replaces (200, version 2), a stale If-Match is 412', async () => {
    const id = `crm:${randomUUID()}`;
    const phone = randomPhone();
    const created = await put(id, {
      phone,
      firstName: 'Ana',
      lastName: 'Lima',
      timeZone: 'us/central',
      tags: [' vip ', 'vip', 'gold'],
      customFields: { plan: 'pro', seats: 12, renews_on: { date: '2026-12-24' } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/v1/contacts/${encodeURIComponent(id)}`);
    expect(created.body).toMatchObject({
      id,
      version: 1,
      phone,
      firstName: 'Ana',
      timeZone: 'America/Chicago',
      tags: ['vip', 'gold'],
      customFields: { plan: 'pro', seats: 12, renews_on: { date: '2026-12-24' } },
    });

    const seen = await get(id);
    expect(seen.status).toBe(200);
    expect(seen.headers.get('etag')).toBe('"1"');
    expect(seen.body).toMatchObject({ id, version: 1, firstName: 'Ana', lastMessageAt: null });
    expect(seen.body.consent).toMatchObject({ phone, optedOut: { sms: false, mms: false } });

    const replaced = await put(id, { phone, firstName: 'Bea' }, { 'if-match': '"1"' });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    expect(replaced.body).toMatchObject({
      version: 2,
      firstName: 'Bea',
      tags: [],
      customFields: {},
    });

    const stale = await put(id, { phone, firstName: 'Cy' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('content-type')).toContain(PROBLEM);
    expect(stale.body).toMatchObject({ status: 412, code: 'version_mismatch' });
    expect((await get(id)).body).toMatchObject({ version: 2, firstName: 'Bea' });
  });

  it('lists by tag and by q (names, email, company; any case), page by page', async () => {
    const tag = `t-${randomUUID().slice(0, 8)}`;
    const ids = ['a', 'b', 'c'].map((s) => `${tag}-${s}`);
    expect(
      (await put(ids[0] ?? '', { phone: randomPhone(), firstName: 'Zora', tags: [tag] })).status,
    ).toBe(201);
    expect(
      (await put(ids[1] ?? '', { phone: randomPhone(), email: 'ops@initech.example', tags: [tag] }))
        .status,
    ).toBe(201);
    expect(
      (await put(ids[2] ?? '', { phone: randomPhone(), companyName: 'Initech LLC', tags: [tag] }))
        .status,
    ).toBe(201);

    const list = (query: string) =>
      call<{ items: Contact[]; nextCursor: string | null }>(api(`/v1/contacts?${query}`), {
        headers: bearer(tenant),
      });
    const first = await list(`tag=${tag}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((c) => c.id)).toEqual(ids.slice(0, 2));
    const second = await list(`tag=${tag}&limit=2&cursor=${first.body.nextCursor ?? ''}`);
    expect(second.body).toMatchObject({ items: [{ id: ids[2] }], nextCursor: null });

    expect((await list(`tag=${tag}&q=INITECH`)).body.items.map((c) => c.id)).toEqual(ids.slice(1));
    expect((await list(`tag=${tag}&q=zor`)).body.items.map((c) => c.id)).toEqual([ids[0]]);
    expectProblemNaming(await list('limit=0'), 400, 'limit');
    expectProblemNaming(await list('cursor=nope'), 400, 'cursor');
    expectProblemNaming(await list('phone=123'), 400, 'phone');
  });

  it('DELETE answers 204, then the contact is 404 and a second DELETE is 404', async () => {
    const id = `crm-${randomUUID()}`;
    expect((await put(id, { phone: randomPhone() })).status).toBe(201);
    const deleted = await call(contactUrl(id), { method: 'DELETE', headers: bearer(tenant) });
    expect(deleted.status).toBe(204);
    expect((await get(id)).status).toBe(404);
    const again = await call(contactUrl(id), { method: 'DELETE', headers: bearer(tenant) });
    expect(again.status).toBe(404);
    expect(again.headers.get('content-type')).toContain(PROBLEM);
  });

  it.each([
    ['id', 'bad id!', { phone: '+15555550123' }],
    ['id', 'x'.repeat(129), { phone: '+15555550123' }],
    ['phone', 'ok-phone', { phone: '5555550123' }],
    ['phone', 'ok-phone-nanp', { phone: '+1415555' }],
    ['phone', 'ok-no-phone', { firstName: 'Ana' }],
    ['timeZone', 'ok-zone', { phone: '+15555550123', timeZone: 'Mars/Olympus' }],
    ['timeZone', 'ok-offset', { phone: '+15555550123', timeZone: '+05:00' }],
    ['firstName', 'ok-long', { phone: '+15555550123', firstName: 'x'.repeat(101) }],
    ['companyName', 'ok-company', { phone: '+15555550123', companyName: 'x'.repeat(201) }],
    ['email', 'ok-email', { phone: '+15555550123', email: 'not-an-email' }],
    ['tags[0]', 'ok-tag', { phone: '+15555550123', tags: ['a;b'] }],
    ['customFields.Plan', 'ok-key', { phone: '+15555550123', customFields: { Plan: 'pro' } }],
    ['customFields.email', 'ok-reserved', { phone: '+15555550123', customFields: { email: 'x' } }],
    ['nickname', 'ok-unknown', { phone: '+15555550123', nickname: 'A' }],
  ])('refuses a bad %s (400 naming it) and records nothing', async (field, suffix, body) => {
    const id = suffix.startsWith('ok-') ? `${suffix}-${randomUUID()}` : suffix;
    const answer = await put(id, body);
    expectProblemNaming(answer, 400, field);
    if (suffix.startsWith('ok-')) expect((await get(id)).status).toBe(404);
  });

  it('refuses an If-Match that is not a version, recording nothing', async () => {
    const id = `crm-${randomUUID()}`;
    expectProblemNaming(
      await put(id, { phone: randomPhone() }, { 'if-match': 'W/"1"' }),
      400,
      'If-Match',
    );
    expect((await get(id)).status).toBe(404);
  });

  describe('over gRPC', () => {
    let client: ContactClient;

    beforeAll(() => {
      client = contactClient(stack.urls.gatewayGrpc);
    });

    afterAll(() => {
      client.close();
    });

    it('UpsertContact stores the contact and GetContact reads it; bad input is INVALID_ARGUMENT', async () => {
      const id = `grpc-${randomUUID()}`;
      const phone = randomPhone();
      const metadata = apiKeyMetadata(tenant.apiKey);
      const upserted = await unary(
        client.UpsertContact,
        client,
        {
          contact_id: id,
          phone,
          first_name: 'Gia',
          tags: ['grpc'],
          custom_fields: { seats: { number_value: 3 }, plan: { string_value: 'pro' } },
        },
        metadata,
      );
      expect(upserted).toMatchObject({
        status: 'CONTACT_REQUEST_STATUS_RECORDED',
        created: true,
        contact: { id, version: 1, phone, first_name: 'Gia', tags: ['grpc'] },
      });
      const got = await unary(client.GetContact, client, { contact_id: id }, metadata);
      expect(got.contact).toMatchObject({ id, version: 1, phone });
      expect(got.contact?.custom_fields.seats).toMatchObject({ number_value: 3 });
      expect((await get(id)).body).toMatchObject({
        id,
        firstName: 'Gia',
        customFields: { seats: 3, plan: 'pro' },
      });

      const stale = await unary(
        client.UpsertContact,
        client,
        { contact_id: id, phone, expected_version: 7 },
        metadata,
      ).catch((error: unknown) => error as grpc.ServiceError);
      expect(stale).toMatchObject({ code: grpc.status.FAILED_PRECONDITION });

      const bad = await unary(
        client.UpsertContact,
        client,
        { contact_id: id, phone: '555' },
        metadata,
      ).catch((error: unknown) => error as grpc.ServiceError);
      expect(bad).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
      const missing = await unary(
        client.GetContact,
        client,
        { contact_id: `none-${randomUUID()}` },
        metadata,
      ).catch((error: unknown) => error as grpc.ServiceError);
      expect(missing).toMatchObject({ code: grpc.status.NOT_FOUND });
    });
  });
});
