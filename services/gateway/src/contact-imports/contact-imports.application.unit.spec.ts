import { describe, expect, it } from 'vitest';
import { ApiError } from '../problems/api-error.js';
import { importEvents, parseUpload, rowRequestIds } from './contact-imports.application.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const importId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c13';
const tenantId = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c12';
const startedAt = '2026-11-26T12:00:00.000Z';
const bytes = (text: string) => Buffer.from(text, 'utf8');

async function refusal(contentType: string | undefined, text: string): Promise<ApiError> {
  const error: unknown = await parseUpload(contentType, bytes(text)).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error('expected a refusal');
  return error;
}

describe('parseUpload', () => {
  it('keeps formula-injection cells as the text they are', async () => {
    const csv = [
      'id,phone,firstName,lastName,companyName,custom.note',
      "crm-1,+15555550101,=cmd|' /C calc'!A0,+SUM(1),@SUM(A1),-2+3",
    ].join('\n');
    const parsed = await parseUpload('text/csv', bytes(csv));
    expect(parsed.contacts).toEqual([
      {
        row: 1,
        contactId: 'crm-1',
        contact: {
          phone: '+15555550101',
          firstName: "=cmd|' /C calc'!A0",
          lastName: '+SUM(1)',
          companyName: '@SUM(A1)',
          tags: [],
          customFields: { note: '-2+3' },
        },
      },
    ]);
  });

  it('rejects a bad row with its number and reason, and keeps the rest', async () => {
    const csv = 'id,phone\ncrm-1,+15555550101\ncrm-2,555\ncrm-3,+15555550103\n';
    const parsed = await parseUpload('text/csv; charset=utf-8', bytes(csv));
    expect(parsed.rowsRead).toBe(3);
    expect(parsed.contacts.map((c) => c.row)).toEqual([1, 3]);
    expect(parsed.rejected).toEqual([
      expect.objectContaining({ row: 2, reason: 'invalid_contact', field: 'phone' }),
    ]);
  });

  it('reads NDJSON', async () => {
    const parsed = await parseUpload(
      'application/x-ndjson',
      bytes('{"id":"a","phone":"+15555550101"}\nnot json\n'),
    );
    expect(parsed.contacts.map((c) => c.contactId)).toEqual(['a']);
    expect(parsed.rejected.map((r) => [r.row, r.reason])).toEqual([[2, 'invalid_json']]);
  });

  it('refuses an import as a whole, naming the field', async () => {
    const json = await refusal('application/json', '{}');
    expect([json.kind, json.violations[0]?.field]).toEqual([
      'unsupported_media_type',
      'Content-Type',
    ]);
    const empty = await refusal('text/csv', 'id,phone\n');
    expect([empty.kind, empty.code, empty.violations[0]?.field]).toEqual([
      'unprocessable',
      'empty_import',
      'body',
    ]);
    const header = await refusal('text/csv', 'id,phone,colour\ncrm-1,+15555550101,red\n');
    expect([header.code, header.violations[0]?.field]).toEqual(['bad_header', 'colour']);
    const tooMany = await refusal(
      'text/csv',
      ['id,phone', ...Array.from({ length: 100_001 }, (_, i) => `c${i},+15555550101`)].join('\n'),
    );
    expect([tooMany.kind, tooMany.code]).toEqual(['unprocessable', 'too_many_rows']);
  });
});

describe('importEvents', () => {
  it('records the rejected rows and the chunks as they fill, then the start with the totals, each row with a request id of its own', async () => {
    const csv = ['id,phone', 'a,+15555550101', 'b,bad', 'c,+15555550103', 'a,+15555550104'].join(
      '\n',
    );
    const limits = { maxBytes: 1_000_000, maxItems: 2 };
    const upload = { contentType: 'text/csv', body: bytes(csv) };
    const events = await collect(importEvents(importId, tenantId, upload, startedAt, limits));
    expect(events.map((e) => e.type)).toEqual([
      'gateway.ContactImportChunkSubmitted.v1',
      'gateway.ContactImportRowsRejected.v1',
      'gateway.ContactImportChunkSubmitted.v1',
      'gateway.ContactImportStarted.v1',
    ]);
    expect(events.at(-1)?.data).toEqual({
      importId,
      tenantId,
      format: 'csv',
      rowsRead: 4,
      rejectedRows: 1,
      submittedRows: 3,
      chunks: 2,
      startedAt,
    });
    const chunks = events.flatMap((e) =>
      e.type === 'gateway.ContactImportChunkSubmitted.v1' ? [e.data] : [],
    );
    expect(chunks.map((c) => [c.chunk, c.rows.map((r) => [r.row, r.contactId])])).toEqual([
      [
        0,
        [
          [1, 'a'],
          [3, 'c'],
        ],
      ],
      [1, [[4, 'a']]],
    ]);
    const requestIds = chunks.flatMap((c) => c.rows.map((r) => r.requestId));
    expect(new Set(requestIds).size).toBe(3);
    // The same import and row name the same request: a retried chunk is the same upsert.
    const again = await collect(importEvents(importId, tenantId, upload, startedAt, limits));
    expect(again).toEqual(events);
  });
});

describe('rowRequestIds', () => {
  it('names each row of an import with its own UUID, the same every time, another for another import', () => {
    const ids = rowRequestIds(importId);
    const other = rowRequestIds('01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c14');
    expect(ids(1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids(100_000)).toBe(rowRequestIds(importId)(100_000));
    expect(new Set([ids(1), ids(2), ids(100_000), other(1)]).size).toBe(4);
  });
});
