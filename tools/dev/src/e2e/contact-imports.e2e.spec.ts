import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type * as pb from '../generated/textplane/messaging/v1/contact_imports.js';
import { apiKeyMetadata } from '../platform/grpc-client.js';
import {
  bearer,
  call,
  createTenant,
  eventually,
  idempotencyKey,
  randomPhone,
  type TestTenant,
} from './platform-client.js';

const stack = inject('stack');

interface ContactImport {
  id: string;
  status: 'processing' | 'completed';
  format: string;
  rows: { read: number; upserted: number; rejected: number };
  rejectedRows: Array<{ row: number; reason: string; field?: string; message: string }>;
  createdAt: string;
  completedAt: string | null;
}

interface Contact {
  id: string;
  version: number;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
}

let tenant: TestTenant;

beforeAll(async () => {
  tenant = await createTenant(stack, `imports-${randomUUID().slice(0, 8)}`);
});

function upload(contentType: string, text: string, key?: string) {
  return call<ContactImport & { code?: string; errors?: Array<{ field: string }> }>(
    `${stack.urls.gatewayHttp}/v1/contact-imports`,
    {
      headers: {
        ...bearer(tenant),
        'content-type': contentType,
        ...(key ? { 'idempotency-key': key } : {}),
      },
      rawBody: text,
    },
  );
}

function getImport(id: string) {
  return call<ContactImport>(`${stack.urls.gatewayHttp}/v1/contact-imports/${id}`, {
    headers: bearer(tenant),
  });
}

describe('contact imports (e2e)', () => {
  it('imports a small CSV: bad row rejected, formula cell kept as text, contacts listed', async () => {
    const run = randomUUID().slice(0, 8);
    const phones = [randomPhone(), randomPhone(), randomPhone(), randomPhone()];
    const formula = '=HYPERLINK("http://evil.example","click")';
    const csv = [
      'id,phone,firstName,lastName,tags,custom.plan,custom.seats:number',
      `${run}-1,${phones[0]},Ana,Lima,vip;gold,pro,12`,
      `${run}-2,not-a-phone,Bo,,,,`,
      `${run}-3,${phones[1]},"${formula.replaceAll('"', '""')}",@SUM(A1),${run},,`,
      `${run}-4,${phones[2]},+SUM(1),-2+3,${run},,`,
      `${run}-1,${phones[3]},Ana,Lima-Last,${run},pro,13`,
    ].join('\r\n');
    const key = idempotencyKey();
    const accepted = await upload('text/csv', csv, key);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('location')).toBe(`/v1/contact-imports/${accepted.body.id}`);
    expect(accepted.body).toMatchObject({ format: 'csv', rows: { read: 5, rejected: 1 } });

    const done = await eventually(
      async () => {
        const job = await getImport(accepted.body.id);
        return job.body.status === 'completed' ? job.body : undefined;
      },
      { what: 'the import to complete' },
    );
    expect(done).toMatchObject({ rows: { read: 5, upserted: 4, rejected: 1 } });
    expect(done.rejectedRows).toEqual([
      expect.objectContaining({ row: 2, reason: 'invalid_contact', field: 'phone' }),
    ]);
    expect(done.completedAt).not.toBeNull();

    // Retried with the same key and bytes: the same job, nothing imported again.
    const retried = await upload('text/csv', csv, key);
    expect([retried.status, retried.body.id]).toEqual([202, accepted.body.id]);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');

    const listed = await eventually(
      async () => {
        const page = await call<{ items: Contact[] }>(
          `${stack.urls.gatewayHttp}/v1/contacts?limit=100&tag=${run}`,
          { headers: bearer(tenant) },
        );
        return page.body.items.length === 3 ? page.body.items : undefined;
      },
      { what: 'the imported contacts in GET /v1/contacts' },
    );
    const byId = new Map(listed.map((c) => [c.id, c]));
    // The same id twice: the later row won, at version 2.
    expect(byId.get(`${run}-1`)).toMatchObject({
      version: 2,
      phone: phones[3],
      lastName: 'Lima-Last',
      customFields: { plan: 'pro', seats: 13 },
    });
    expect(byId.get(`${run}-3`)).toMatchObject({ firstName: formula, lastName: '@SUM(A1)' });
    expect(byId.get(`${run}-4`)).toMatchObject({ firstName: '+SUM(1)', lastName: '-2+3' });
    const one = await call<Contact>(
      `${stack.urls.gatewayHttp}/v1/contacts/${encodeURIComponent(`${run}-3`)}`,
      { headers: bearer(tenant) },
    );
    expect([one.status, one.body.firstName, one.body.version]).toEqual([200, formula, 1]);

    const imports = await call<{ items: ContactImport[] }>(
      `${stack.urls.gatewayHttp}/v1/contact-imports`,
      { headers: bearer(tenant) },
    );
    expect(imports.body.items[0]?.id).toBe(accepted.body.id);
  });

  it('refuses what is not an import, recording nothing', async () => {
    tenant = await createTenant(stack, `imports-refused-${randomUUID().slice(0, 8)}`);
    const json = await upload('application/json', '{"id":"x","phone":"+15555550101"}');
    expect([
      json.status,
      json.headers.get('content-type')?.split(';')[0],
      json.body.errors?.[0]?.field,
    ]).toEqual([415, 'application/problem+json', 'Content-Type']);
    const empty = await upload('text/csv', 'id,phone\r\n');
    expect([empty.status, empty.body.code]).toEqual([422, 'empty_import']);
    const ndjson = await upload('application/x-ndjson', '');
    expect([ndjson.status, ndjson.body.code]).toEqual([422, 'empty_import']);
    const list = await call<{ items: ContactImport[] }>(
      `${stack.urls.gatewayHttp}/v1/contact-imports?limit=100`,
      { headers: bearer(tenant) },
    );
    expect(list.body.items).toEqual([]);
    const unknown = await getImport(randomUUID());
    expect(unknown.status).toBe(404);
  });
});

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

interface ContactImportClient extends grpc.Client {
  ImportContacts: Unary<Partial<pb.ImportContactsRequest>, pb.ImportContactsResponse>;
  GetContactImport: Unary<pb.GetContactImportRequest, pb.GetContactImportResponse>;
}

/** A plain @grpc/grpc-js client of ContactImportService, as an internal team would write one. */
function contactImportClient(address: string): ContactImportClient {
  const definition = protoLoader.loadSync(
    'textplane/messaging/v1/contact_imports.proto' satisfies typeof pb.protobufFileName,
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
          ContactImportService: new (
            address: string,
            c: grpc.ChannelCredentials,
          ) => ContactImportClient;
        };
      };
    };
  };
  return new root.textplane.messaging.v1.ContactImportService(
    address,
    grpc.credentials.createInsecure(),
  );
}

function unary<Req, Res>(
  method: Unary<Req, Res>,
  client: ContactImportClient,
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

describe('contact imports over gRPC (e2e)', () => {
  it('ImportContacts takes NDJSON bytes and GetContactImport follows the job; bad input is INVALID_ARGUMENT', async () => {
    const grpcTenant = await createTenant(stack, `imports-grpc-${randomUUID().slice(0, 8)}`);
    const client = contactImportClient(stack.urls.gatewayGrpc);
    const metadata = apiKeyMetadata(grpcTenant.apiKey);
    try {
      const run = randomUUID().slice(0, 8);
      const ndjson = [
        JSON.stringify({ id: `${run}-a`, phone: randomPhone(), firstName: '@SUM(A1)' }),
        'not json',
        JSON.stringify({ id: `${run}-b`, phone: randomPhone(), tags: ['grpc'] }),
      ].join('\n');
      const started = await unary(
        client.ImportContacts,
        client,
        { format: 'CONTACT_IMPORT_FORMAT_NDJSON', data: Buffer.from(ndjson) },
        metadata,
      );
      expect(started.replayed).toBe(false);
      expect(started.contact_import).toMatchObject({
        format: 'CONTACT_IMPORT_FORMAT_NDJSON',
        rows: { read: 3, rejected: 1 },
      });
      const id = started.contact_import?.id ?? '';
      const done = await eventually(
        async () => {
          const got = await unary(client.GetContactImport, client, { import_id: id }, metadata);
          return got.contact_import?.status === 'CONTACT_IMPORT_STATUS_COMPLETED'
            ? got.contact_import
            : undefined;
        },
        { what: 'the gRPC import to complete' },
      );
      expect(done.rows).toMatchObject({ read: 3, upserted: 2, rejected: 1 });
      expect(done.rejected_rows).toEqual([
        expect.objectContaining({ row: 2, reason: 'invalid_json' }),
      ]);
      expect(done.complete_time).not.toBeNull();

      const unset = await unary(
        client.ImportContacts,
        client,
        { data: Buffer.from(ndjson) },
        metadata,
      ).catch((error: unknown) => error as grpc.ServiceError);
      expect(unset).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
      expect((unset as grpc.ServiceError).details).toContain('format');
      const empty = await unary(
        client.ImportContacts,
        client,
        { format: 'CONTACT_IMPORT_FORMAT_CSV', data: Buffer.from('id,phone\n') },
        metadata,
      ).catch((error: unknown) => error as grpc.ServiceError);
      expect(empty).toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
      const missing = await unary(
        client.GetContactImport,
        client,
        { import_id: randomUUID() },
        metadata,
      ).catch((error: unknown) => error as grpc.ServiceError);
      expect(missing).toMatchObject({ code: grpc.status.NOT_FOUND });
    } finally {
      client.close();
    }
  });
});
