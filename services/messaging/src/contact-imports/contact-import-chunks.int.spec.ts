import { randomUUID } from 'node:crypto';
import type { ContactImportChunkRow, ContactRecord } from '@textplane/contracts';
import { EventStore, Inbox } from '@textplane/event-store';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumed, SettableClock } from '../../test/messaging-harness.js';
import { messagingMigrations } from '../migrations/index.js';
import { ContactImportChunkHandler } from './contact-import-chunks.handler.js';

let database: TestDatabase;
let inbox: Inbox;
let handler: ContactImportChunkHandler;
let chunks: EventHandlers;
const clock = new SettableClock(new Date('2026-11-26T12:00:00.000Z'));
const tenantId = randomUUID();
const GROUP = 'messaging.contact-imports';

beforeAll(async () => {
  database = await createTestDatabase({ migrations: messagingMigrations });
  inbox = new Inbox(database.dataSource);
  handler = new ContactImportChunkHandler(new EventStore(database.dataSource), clock);
  chunks = onceThroughInbox(inbox, GROUP, (e, m) => handler.apply(e, m));
});

afterAll(async () => {
  await database.drop();
});

function contact(phone: string, firstName: string): ContactRecord {
  return { phone, firstName, tags: ['imported'], customFields: { formula: '=cmd|"/c calc"!A1' } };
}

function row(n: number, contactId: string, record: ContactRecord): ContactImportChunkRow {
  return { row: n, contactId, contact: record, requestId: randomUUID() };
}

function chunkEvent(importId: string, chunk: number, rows: ContactImportChunkRow[]): ConsumedEvent {
  return consumed(
    'gateway.ContactImportChunkSubmitted.v1',
    `contact-import-${tenantId}-${importId}`,
    {
      importId,
      tenantId,
      chunk,
      rows,
      requestedAt: clock.now().toISOString(),
    },
  );
}

async function contactFacts(contactId: string) {
  return database.dataSource.query<
    Array<{ type: string; data: { version: number; created: boolean; requestId?: string } }>
  >(`SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version`, [
    `contact-${tenantId}-${contactId}`,
  ]);
}

async function chunkFacts(importId: string) {
  return database.dataSource.query<
    Array<{ type: string; data: { chunk: number; upserted: number; rejected: unknown[] } }>
  >(`SELECT type, data FROM events WHERE stream_id = $1 ORDER BY version`, [
    `contact-import-${tenantId}-${importId}`,
  ]);
}

async function lookup(contactId: string) {
  const rows = await database.dataSource.query<
    Array<{ version: number; phone: string; record: ContactRecord }>
  >(`SELECT version, phone, record FROM contacts WHERE tenant_id = $1 AND contact_id = $2`, [
    tenantId,
    contactId,
  ]);
  return rows[0] ?? null;
}

describe('contact import chunks (messaging)', () => {
  it('upserts each row of a chunk once, in row order, however often the chunk is delivered', async () => {
    const importId = randomUUID();
    const [a, b] = [`crm-${randomUUID()}`, `crm-${randomUUID()}`];
    const event = chunkEvent(importId, 0, [
      row(1, a, contact('+15555550101', 'Ana')),
      row(2, b, contact('+15555550102', 'Bo')),
      // The same contact again: the later row wins.
      row(3, a, contact('+15555550103', 'Ana B.')),
    ]);
    await chunks.handle(event);
    await chunks.handle(event);
    // Another delivery of the same chunk under a new event id: the import's stream knows it.
    await chunks.handle({ ...event, id: randomUUID() });

    expect((await contactFacts(a)).map((f) => [f.type, f.data.version, f.data.created])).toEqual([
      ['messaging.ContactUpserted.v1', 1, true],
      ['messaging.ContactUpserted.v1', 2, false],
    ]);
    expect((await contactFacts(b)).map((f) => f.data.version)).toEqual([1]);
    // No API call waits for an import row's upsert: its fact names no request.
    expect((await contactFacts(b)).map((f) => f.data.requestId)).toEqual([undefined]);
    expect(await lookup(a)).toEqual({
      version: 2,
      phone: '+15555550103',
      record: contact('+15555550103', 'Ana B.'),
    });
    // The formula cell is stored as the text it is.
    expect((await lookup(b))?.record.customFields).toEqual({ formula: '=cmd|"/c calc"!A1' });
    expect(
      (await chunkFacts(importId)).map((f) => [f.type, f.data.chunk, f.data.upserted]),
    ).toEqual([['messaging.ContactImportChunkProcessed.v1', 0, 3]]);
  });

  it('a chunk whose handler crashed mid-way upserts nothing, and each row once when redelivered', async () => {
    const importId = randomUUID();
    const ids = Array.from({ length: 50 }, () => `crm-${randomUUID()}`);
    const event = chunkEvent(
      importId,
      0,
      ids.map((id, i) => row(i + 1, id, contact(`+1555555${String(1000 + i)}`, `N${i}`))),
    );
    // The process dies after the rows were decided, before the commit.
    const crashing = onceThroughInbox(inbox, GROUP, async (e, m) => {
      await handler.apply(e, m);
      throw new Error('killed mid-chunk');
    });
    await expect(crashing.handle(event)).rejects.toThrow('killed mid-chunk');
    expect(await contactFacts(ids[0] ?? '')).toEqual([]);
    expect(await lookup(ids[49] ?? '')).toBeNull();
    expect(await chunkFacts(importId)).toEqual([]);

    await chunks.handle(event);
    await chunks.handle(event);
    for (const id of ids) expect((await contactFacts(id)).map((f) => f.data.version)).toEqual([1]);
    expect((await lookup(ids[49] ?? ''))?.version).toBe(1);
    expect((await chunkFacts(importId)).map((f) => f.data.upserted)).toEqual([50]);
  });

  it('upserts an existing contact again as its next version, and answers every chunk of an import', async () => {
    const importId = randomUUID();
    const id = `crm-${randomUUID()}`;
    await chunks.handle(chunkEvent(importId, 0, [row(1, id, contact('+15555550111', 'One'))]));
    await chunks.handle(chunkEvent(importId, 1, [row(2, id, contact('+15555550112', 'Two'))]));
    expect((await contactFacts(id)).map((f) => f.data.version)).toEqual([1, 2]);
    expect((await lookup(id))?.phone).toBe('+15555550112');
    expect((await chunkFacts(importId)).map((f) => [f.data.chunk, f.data.upserted])).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });
});
