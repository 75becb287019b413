import { randomUUID } from 'node:crypto';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import { type ConsumedEvent, outboxContractCheck } from '@textplane/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { gatewayMigrations } from '../migrations/index.js';
import { ApiError } from '../problems/api-error.js';
import { rebuildGatewayReadModels } from '../rebuild/gateway-read-models.rebuild.js';
import type { StoredEnvelope } from '@textplane/service-runtime';
import { ContactImportReadModel } from './contact-import-read-model.js';
import { ContactImportProjection } from './contact-import.projection.js';
import { ContactImportsApplication } from './contact-imports.application.js';

/**
 * The gateway's half of an import over real Postgres (with the publisher's contract check at
 * append): a refused upload records nothing; an accepted one is recorded whole with its job,
 * which messaging's chunk facts (played here by hand) move to completed.
 */
let database: TestDatabase;
let imports: ContactImportsApplication;
let projection: ContactImportProjection;
/** Every chunk answer delivered, in order: messaging's topic as a rebuild reads it. */
const answers: ConsumedEvent[] = [];
const now = new Date('2026-11-26T12:00:00.000Z');

function newTenant(): AuthenticatedTenant {
  return { tenantId: randomUUID(), keyId: randomUUID() };
}

beforeAll(async () => {
  database = await createTestDatabase({ migrations: gatewayMigrations });
  projection = new ContactImportProjection(
    new Inbox(database.dataSource),
    'gateway.contact-import-read-models',
  );
  imports = new ContactImportsApplication(
    new EventStore(database.dataSource, { check: outboxContractCheck }),
    projection,
    new ContactImportReadModel(database.dataSource),
    { authenticate: () => Promise.resolve(null) },
    new IdempotencyStore(database.dataSource),
    { now: () => now },
    // Small chunks, so a handful of rows makes several.
    { maxBytes: 1_000_000, maxItems: 2 },
  );
});

afterAll(async () => {
  await database.drop();
});

async function recorded(tenant: AuthenticatedTenant) {
  const [events] = await database.dataSource.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM events WHERE stream_id LIKE $1`,
    [`contact-import-${tenant.tenantId}-%`],
  );
  const [jobs] = await database.dataSource.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM contact_imports WHERE tenant_id = $1`,
    [tenant.tenantId],
  );
  const [keys] = await database.dataSource.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM idempotency_records WHERE scope = $1`,
    [`tenant:${tenant.tenantId}`],
  );
  return { events: events?.n, jobs: jobs?.n, keys: keys?.n };
}

async function chunkEvents(importId: string) {
  return database.dataSource.query<
    Array<{ type: string; data: { chunk: number; rows: Array<{ row: number }> } }>
  >(
    `SELECT type, data FROM events WHERE stream_id LIKE $1 AND type = 'gateway.ContactImportChunkSubmitted.v1' ORDER BY version`,
    [`contact-import-%-${importId}`],
  );
}

function chunkProcessed(
  tenant: AuthenticatedTenant,
  importId: string,
  chunk: number,
  upserted: number,
): ConsumedEvent {
  const event: ConsumedEvent = {
    id: randomUUID(),
    type: 'messaging.ContactImportChunkProcessed.v1',
    source: '/textplane/messaging',
    subject: `contact-import-${tenant.tenantId}-${importId}`,
    time: now.toISOString(),
    tenantId: tenant.tenantId,
    correlationId: importId,
    data: {
      importId,
      tenantId: tenant.tenantId,
      chunk,
      upserted,
      rejected: [],
      processedAt: '2026-11-26T12:00:03.000Z',
    },
    topic: 'messaging.contact-imports.events.v1',
    partition: 0,
    offset: '0',
  };
  answers.push(event);
  return event;
}

async function refusalOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

const csv = [
  'id,phone,firstName,custom.note',
  'crm-1,+15555550101,Ana,"=HYPERLINK(""http://evil.example"")"',
  'crm-2,not-a-phone,Bo,',
  'crm-3,+15555550103,Cy,',
  'crm-1,+15555550104,Ana B.,',
].join('\n');

describe('contact imports (gateway)', () => {
  it('refuses an import that is not CSV or NDJSON, has no rows or 100,001, recording nothing', async () => {
    const tenant = newTenant();
    const json = await refusalOf(
      imports.start(tenant, 'application/json', Buffer.from('{"id":"a"}'), 'key-1'),
    );
    expect([json.kind, json.violations[0]?.field]).toEqual([
      'unsupported_media_type',
      'Content-Type',
    ]);
    const empty = await refusalOf(
      imports.start(tenant, 'text/csv', Buffer.from('id,phone\n'), 'key-2'),
    );
    expect([empty.kind, empty.code]).toEqual(['unprocessable', 'empty_import']);
    const rows = Array.from({ length: 100_001 }, (_, i) => `crm-${i},+15555550101`);
    const tooMany = await refusalOf(
      imports.start(tenant, 'text/csv', Buffer.from(['id,phone', ...rows].join('\n')), 'key-3'),
    );
    expect([tooMany.kind, tooMany.code]).toEqual(['unprocessable', 'too_many_rows']);
    expect(await recorded(tenant)).toEqual({ events: 0, jobs: 0, keys: 0 });
  });

  it('records an accepted import whole, and completes it as messaging answers each chunk once', async () => {
    const tenant = newTenant();
    const { job, replayed } = await imports.start(tenant, 'text/csv', Buffer.from(csv), undefined);
    expect(replayed).toBe(false);
    expect(job).toEqual({
      id: job.id,
      status: 'processing',
      format: 'csv',
      rows: { read: 4, upserted: 0, rejected: 1 },
      rejectedRows: [
        expect.objectContaining({ row: 2, reason: 'invalid_contact', field: 'phone' }),
      ],
      createdAt: now.toISOString(),
      completedAt: null,
    });
    const chunks = await chunkEvents(job.id);
    expect(chunks.map((c) => [c.data.chunk, c.data.rows.map((r) => r.row)])).toEqual([
      [0, [1, 3]],
      [1, [4]],
    ]);

    await projection.handle(chunkProcessed(tenant, job.id, 1, 1));
    const redelivered = chunkProcessed(tenant, job.id, 1, 1);
    await projection.handle(redelivered);
    await projection.handle(redelivered);
    expect((await imports.get(tenant, job.id)).status).toBe('processing');
    await projection.handle(chunkProcessed(tenant, job.id, 0, 2));
    expect(await imports.get(tenant, job.id)).toMatchObject({
      status: 'completed',
      rows: { read: 4, upserted: 3, rejected: 1 },
      completedAt: '2026-11-26T12:00:03.000Z',
    });
    const page = await imports.list(tenant, { limit: 10 });
    expect(page.items.map((i) => i.id)).toEqual([job.id]);
    expect(page.nextCursor).toBeNull();
  });

  it('records a large import in several statements of one stream, every chunk in order', async () => {
    const tenant = newTenant();
    const rows = Array.from({ length: 41 }, (_, i) => `big-${i},+1555555${String(1000 + i)}`);
    const { job } = await imports.start(
      tenant,
      'text/csv',
      Buffer.from(['id,phone', ...rows].join('\n')),
      undefined,
    );
    const stored = await database.dataSource.query<Array<{ version: number; type: string }>>(
      `SELECT version, type FROM events WHERE stream_id = $1 ORDER BY version`,
      [`contact-import-${tenant.tenantId}-${job.id}`],
    );
    // 21 chunks of at most 2 rows, then the start: two append statements (16 events each at most).
    expect(stored.map((e) => e.version)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(stored.filter((e) => e.type === 'gateway.ContactImportChunkSubmitted.v1')).toHaveLength(
      21,
    );
    expect((await chunkEvents(job.id)).map((c) => c.data.chunk)).toEqual(
      Array.from({ length: 21 }, (_, i) => i),
    );
  });

  it('answers a retry with the same Idempotency-Key and bytes with the same job, and refuses other bytes', async () => {
    const tenant = newTenant();
    const first = await imports.start(tenant, 'text/csv', Buffer.from(csv), 'import-1');
    const again = await imports.start(tenant, 'text/csv', Buffer.from(csv), 'import-1');
    expect(again.replayed).toBe(true);
    expect(again.job.id).toBe(first.job.id);
    const other = await refusalOf(
      imports.start(tenant, 'text/csv', Buffer.from(`${csv}\ncrm-9,+15555550109,,`), 'import-1'),
    );
    expect([other.kind, other.code]).toEqual(['unprocessable', 'idempotency_key_reused']);
    const { events, jobs } = await recorded(tenant);
    expect([events, jobs]).toEqual([4, 1]);
  });

  it('answers an unknown or malformed import id with 404 or 400', async () => {
    const tenant = newTenant();
    expect((await refusalOf(imports.get(tenant, randomUUID()))).kind).toBe('not_found');
    expect((await refusalOf(imports.get(tenant, 'nope'))).violations[0]?.field).toBe('id');
  });

  it('rebuilds the import read model from the store and the chunk answers, as it stands', async () => {
    const stored = await database.dataSource.query<
      Array<{
        event_id: string;
        stream_id: string;
        stream_type: string;
        type: string;
        data: unknown;
      }>
    >(
      `SELECT event_id, stream_id, stream_type, type, data FROM events WHERE stream_type = 'contact-import' ORDER BY global_position`,
    );
    const store: StoredEnvelope[] = stored.map((e) => ({
      id: e.event_id,
      type: e.type,
      source: '/textplane/gateway',
      subject: e.stream_id,
      time: now.toISOString(),
      correlationId: e.stream_id,
      data: e.data,
      topic: 'gateway.contact-imports.events.v1',
      partition: 0,
      offset: '0',
      streamType: e.stream_type,
    }));
    const target = await createTestDatabase({ migrations: gatewayMigrations });
    try {
      await rebuildGatewayReadModels(target.dataSource, {
        store,
        topics: { 'messaging.contact-imports.events.v1': answers },
      });
      for (const [table, order] of [
        ['contact_imports', 'import_id'],
        ['contact_import_rejected_rows', 'import_id, row'],
      ] as const) {
        const rows = (dataSource: typeof database.dataSource) =>
          dataSource.query<unknown[]>(`SELECT * FROM ${table} ORDER BY ${order}`);
        const live: unknown[] = await rows(database.dataSource);
        expect(live.length, table).toBeGreaterThan(0);
        expect(await rows(target.dataSource), table).toEqual(live);
      }
    } finally {
      await target.drop();
    }
  });
});
