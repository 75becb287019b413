import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  checkContactImport,
  contactImportFormatOf,
  parseContactImport,
  type ContactImportFormat,
  type ContactImportLimits,
  type ContactImportRow,
  type ContactImportSource,
} from './contact-import.js';
import { ContactImportError, type ContactImportFailure } from './contact-import-errors.js';

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield await Promise.resolve(part);
}

/** The rows an import yields, and the failure that ended it, if any. */
async function read(
  source: ContactImportSource,
  format: ContactImportFormat,
  limits: Partial<ContactImportLimits> = {},
): Promise<{ rows: ContactImportRow[]; failure?: ContactImportFailure }> {
  const rows: ContactImportRow[] = [];
  try {
    for await (const row of parseContactImport(source, format, limits)) rows.push(row);
  } catch (error) {
    if (error instanceof ContactImportError) return { rows, failure: error.failure };
    throw error;
  }
  return { rows };
}

const csv = (text: string, limits?: Partial<ContactImportLimits>) =>
  read(chunks(Buffer.from(text, 'utf8')), 'csv', limits);
const ndjson = (text: string, limits?: Partial<ContactImportLimits>) =>
  read(chunks(Buffer.from(text, 'utf8')), 'ndjson', limits);

const bare = (id: string, phone: string) => ({ id, phone, tags: [], customFields: {} });

describe('CSV imports', () => {
  it('reads the header and every row into contacts', async () => {
    const text = [
      'id,phone,firstName,lastName,email,companyName,timeZone,tags',
      'c1,+15555550101,Ana,Lima,ana@example.com,Acme,america/new_york,vip;gold',
      'c2,+447911123456,,,,,,',
    ].join('\n');
    expect(await csv(text)).toEqual({
      rows: [
        {
          row: 1,
          contact: {
            id: 'c1',
            phone: '+15555550101',
            firstName: 'Ana',
            lastName: 'Lima',
            email: 'ana@example.com',
            companyName: 'Acme',
            timeZone: 'America/New_York',
            tags: ['vip', 'gold'],
            customFields: {},
          },
        },
        { row: 2, contact: bare('c2', '+447911123456') },
      ],
    });
  });

  it('drops a byte-order mark and reads CRLF line ends', async () => {
    const text = '\ufeffid,phone,firstName\r\nc1,+15555550101,Ana\r\nc2,+15555550102,Bo\r\n';
    expect(await csv(text)).toEqual({
      rows: [
        { row: 1, contact: { ...bare('c1', '+15555550101'), firstName: 'Ana' } },
        { row: 2, contact: { ...bare('c2', '+15555550102'), firstName: 'Bo' } },
      ],
    });
  });

  it('reads quoted cells holding commas, quotes and line ends', async () => {
    const text =
      'id,phone,companyName,custom.notes\n' +
      'c1,+15555550101,"Acme, ""the best"" Inc","line 1\r\nline 2\nline 3"\n' +
      'c2,+15555550102,Plain,x\n';
    expect(await csv(text)).toEqual({
      rows: [
        {
          row: 1,
          contact: {
            ...bare('c1', '+15555550101'),
            companyName: 'Acme, "the best" Inc',
            customFields: { notes: 'line 1\r\nline 2\nline 3' },
          },
        },
        {
          row: 2,
          contact: {
            ...bare('c2', '+15555550102'),
            companyName: 'Plain',
            customFields: { notes: 'x' },
          },
        },
      ],
    });
  });

  it('keeps formula-injection cells as text, verbatim (a + phone is just a phone)', async () => {
    const text =
      'id,phone,firstName,lastName,companyName,custom.tab_cell,custom.cr_cell,custom.plus_cell\n' +
      'c1,+15555550101,"=HYPERLINK(""http://evil.example"",""x"")",-2+3,@SUM(A1:A9),"\t=1+1","\r=cmd|\' /C calc\'!A0",+SUM(1)\n';
    expect(await csv(text)).toEqual({
      rows: [
        {
          row: 1,
          contact: {
            ...bare('c1', '+15555550101'),
            firstName: '=HYPERLINK("http://evil.example","x")',
            lastName: '-2+3',
            companyName: '@SUM(A1:A9)',
            customFields: {
              tab_cell: '\t=1+1',
              cr_cell: "\r=cmd|' /C calc'!A0",
              plus_cell: '+SUM(1)',
            },
          },
        },
      ],
    });
  });

  it('splits tags on ";", trimmed, empty pieces and duplicates dropped', async () => {
    const { rows } = await csv('id,phone,tags\nc1,+15555550101, vip ;gold;;vip; \n');
    expect(rows).toEqual([
      { row: 1, contact: { ...bare('c1', '+15555550101'), tags: ['vip', 'gold'] } },
    ]);
  });

  it('types custom.<key>:<type> cells; an untyped custom column keeps text, even "12"', async () => {
    const text =
      'id,phone,custom.plan,custom.seats:number,custom.vip:boolean,custom.renews:date,custom.code:string\n' +
      'c1,+15555550101,12,-3.5e2,TRUE,2026-12-24,007\n' +
      'c2,+15555550102,gold,0,false,2026-12-24T10:00:00+01:00,x\n';
    const { rows } = await csv(text);
    expect(rows.map((row) => ('contact' in row ? row.contact.customFields : row.error))).toEqual([
      { plan: '12', seats: -350, vip: true, renews: { date: '2026-12-24' }, code: '007' },
      {
        plan: 'gold',
        seats: 0,
        vip: false,
        renews: { date: '2026-12-24T09:00:00.000Z' },
        code: 'x',
      },
    ]);
  });

  it.each([
    ['custom.seats:number', '12 seats', 'customFields.seats'],
    ['custom.seats:number', '1e999', 'customFields.seats'],
    ['custom.seats:number', '0x10', 'customFields.seats'],
    ['custom.vip:boolean', 'yes', 'customFields.vip'],
    ['custom.renews:date', '24/12/2026', 'customFields.renews'],
  ])('rejects the row when a %s cell is %j, naming %s', async (column, cell, field) => {
    const { rows } = await csv(`id,phone,${column}\nc1,+15555550101,${cell}\n`);
    expect(rows).toEqual([
      {
        row: 1,
        error: expect.objectContaining({ reason: 'invalid_contact', field }) as unknown,
      },
    ]);
  });

  it('takes an empty or blank cell as an absent field', async () => {
    const { rows } = await csv('id,phone,firstName,email,custom.plan\nc1,+15555550101,,  ,""\n');
    expect(rows).toEqual([{ row: 1, contact: bare('c1', '+15555550101') }]);
  });

  it('rejects bad rows with their numbers and goes on with the rest', async () => {
    const text = [
      'id,phone,email',
      'c1,+15555550101,',
      'c2,555,not-an-email',
      'c3,+15555550103',
      '',
      ',,',
      ',+15555550104,',
      'c 5,+15555550105,',
      'c6,+15555550106,a@example.com',
    ].join('\n');
    const { rows, failure } = await csv(text);
    expect(failure).toBeUndefined();
    expect(rows).toEqual([
      { row: 1, contact: bare('c1', '+15555550101') },
      {
        row: 2,
        error: {
          reason: 'invalid_contact',
          field: 'phone',
          message: expect.stringMatching(/^phone must be an E\.164 .* \(and 1 more\)$/u) as unknown,
          errors: [
            { field: 'phone', message: expect.stringContaining('E.164') as unknown },
            { field: 'email', message: 'must be an email address such as ana@example.com' },
          ],
        },
      },
      {
        row: 3,
        error: {
          reason: 'wrong_column_count',
          message: 'has 2 cells where the header has 3 columns',
        },
      },
      {
        row: 4,
        error: {
          reason: 'invalid_contact',
          field: 'id',
          message: 'id is required',
          errors: [{ field: 'id', message: 'is required' }],
        },
      },
      {
        row: 5,
        error: expect.objectContaining({ reason: 'invalid_contact', field: 'id' }) as unknown,
      },
      { row: 6, contact: { ...bare('c6', '+15555550106'), email: 'a@example.com' } },
    ]);
  });

  it.each([
    ['id,phone,first_name', 'first_name', 'not a contact field'],
    ['id,phone,FirstName', 'FirstName', 'did you mean "firstName"?'],
    ['id,firstName', 'phone', 'no "phone" column'],
    ['phone,firstName', 'id', 'no "id" column'],
    ['id,phone,phone', 'phone', 'appears twice'],
    ['id,phone,custom.plan,custom.plan:number', 'custom.plan:number', 'appears twice'],
    ['id,phone,', '(column 3)', 'has no name'],
    ['id,phone,custom.Plan', 'custom.Plan', 'must match'],
    ['id,phone,custom.email', 'custom.email', 'built-in'],
    ['id,phone,custom.seats:integer', 'custom.seats:integer', 'type must be one of'],
    ['id,phone,customFields', 'customFields', 'not a contact field'],
  ])('refuses the header %j before any row, naming %s', async (header, field, message) => {
    const { rows, failure } = await csv(`${header}\nc1,+15555550101,x\n`);
    expect(rows).toEqual([]);
    expect(failure).toEqual({
      code: 'bad_header',
      field,
      message: expect.stringContaining(message) as unknown,
    });
  });

  it('trims spaces around header names', async () => {
    const { rows } = await csv(' id , phone \nc1,+15555550101\n');
    expect(rows).toEqual([{ row: 1, contact: bare('c1', '+15555550101') }]);
  });

  it.each([
    ['', 'no header row'],
    ['\ufeff', 'no header row'],
    ['id,phone', 'header but no contacts'],
    ['id,phone\r\n', 'header but no contacts'],
    ['id,phone\n\n\r\n', 'header but no contacts'],
    ['id,phone,firstName\n,,\n , ,\n', 'header but no contacts'],
  ])('refuses %j: no rows', async (text, message) => {
    expect(await csv(text)).toEqual({
      rows: [],
      failure: { code: 'empty_import', message: expect.stringContaining(message) as unknown },
    });
  });

  it('reads maxRows rows, and refuses maxRows + 1 once the extra row is reached', async () => {
    const body = (n: number) =>
      ['id,phone', ...Array.from({ length: n }, (_, i) => `c${i},+1555555010${i}`)].join('\n');
    expect((await csv(body(3), { maxRows: 3 })).rows).toHaveLength(3);
    const over = await csv(body(4), { maxRows: 3 });
    expect(over.rows.map((row) => row.row)).toEqual([1, 2, 3]);
    expect(over.failure).toEqual({
      code: 'too_many_rows',
      message: 'The import has more than 3 rows (the limit); split it',
    });
  });

  it('refuses a malformed CSV (an unclosed quote)', async () => {
    const { failure } = await csv('id,phone,firstName\nc1,+15555550101,"Ana\nc2,+15555550102,Bo\n');
    expect(failure).toEqual({
      code: 'malformed_csv',
      message: expect.stringContaining('The CSV cannot be read') as unknown,
    });
  });

  it('refuses a CSV record longer than maxRowLength', async () => {
    const { failure } = await csv(`id,phone,firstName\nc1,+15555550101,${'x'.repeat(500)}\n`, {
      maxRowLength: 100,
    });
    expect(failure?.code).toBe('malformed_csv');
  });

  it('reads the same whatever the chunk boundaries (one byte at a time, inside ë, 🙂 and the BOM)', async () => {
    const text = '\ufeffid,phone,firstName,custom.note\r\nc1,+15555550101,Zoë🙂,"a\r\nb"\r\n';
    const oneByOne = [...Buffer.from(text, 'utf8')].map((byte) => Uint8Array.of(byte));
    expect(await read(chunks(...oneByOne), 'csv')).toEqual({
      rows: [
        {
          row: 1,
          contact: {
            ...bare('c1', '+15555550101'),
            firstName: 'Zoë🙂',
            customFields: { note: 'a\r\nb' },
          },
        },
      ],
    });
  });

  it('reads strings and a Readable as well as byte chunks', async () => {
    const text = 'id,phone\nc1,+15555550101\n';
    const expected = { rows: [{ row: 1, contact: bare('c1', '+15555550101') }] };
    expect(await read(chunks('id,pho', 'ne\nc1,+15555550101\n'), 'csv')).toEqual(expected);
    expect(await read(Readable.from([Buffer.from(text)]), 'csv')).toEqual(expected);
  });
});

describe('NDJSON imports', () => {
  it('reads one contact per line, the same fields as the REST body', async () => {
    const text =
      '{"id":"c1","phone":"+15555550101","firstName":"Ana","tags":["vip"],"customFields":{"seats":3,"vip":true,"renews":{"date":"2026-12-24"}}}\n' +
      '{"id":"c2","phone":"+15555550102","timeZone":"US/Eastern"}\n';
    expect(await ndjson(text)).toEqual({
      rows: [
        {
          row: 1,
          contact: {
            ...bare('c1', '+15555550101'),
            firstName: 'Ana',
            tags: ['vip'],
            customFields: { seats: 3, vip: true, renews: { date: '2026-12-24' } },
          },
        },
        { row: 2, contact: { ...bare('c2', '+15555550102'), timeZone: 'America/New_York' } },
      ],
    });
  });

  it('drops a BOM, reads CRLF, skips blank lines (not numbered), reads a last line without \\n', async () => {
    const text =
      '\ufeff{"id":"c1","phone":"+15555550101"}\r\n\r\n   \n{"id":"c2","phone":"+15555550102"}';
    expect(await ndjson(text)).toEqual({
      rows: [
        { row: 1, contact: bare('c1', '+15555550101') },
        { row: 2, contact: bare('c2', '+15555550102') },
      ],
    });
  });

  it('rejects bad lines with their numbers and goes on with the rest', async () => {
    const text = [
      '{"id":"c1","phone":"+15555550101"}',
      'id,phone',
      '[1,2]',
      '"text"',
      '{"phone":"+15555550105"}',
      '{"id":5,"phone":"+15555550106"}',
      '{"id":"c7","phone":"+15555550107","firstName":"\\ud800","extra":1}',
      '{"id":"c8","phone":"+15555550108"}',
    ].join('\n');
    const { rows, failure } = await ndjson(text);
    expect(failure).toBeUndefined();
    expect(rows).toEqual([
      { row: 1, contact: bare('c1', '+15555550101') },
      {
        row: 2,
        error: {
          reason: 'invalid_json',
          message: expect.stringContaining('is not JSON') as unknown,
        },
      },
      { row: 3, error: { reason: 'not_an_object', message: expect.any(String) as unknown } },
      { row: 4, error: { reason: 'not_an_object', message: expect.any(String) as unknown } },
      {
        row: 5,
        error: {
          reason: 'invalid_contact',
          field: 'id',
          message: 'id is required',
          errors: [{ field: 'id', message: 'is required' }],
        },
      },
      {
        row: 6,
        error: expect.objectContaining({
          field: 'id',
          errors: [{ field: 'id', message: 'must be a string' }],
        }) as unknown,
      },
      {
        row: 7,
        error: expect.objectContaining({
          reason: 'invalid_contact',
          errors: [
            { field: 'extra', message: 'is not a known field' },
            {
              field: 'firstName',
              message: expect.stringContaining('unpaired surrogates') as unknown,
            },
          ],
        }) as unknown,
      },
      { row: 8, contact: bare('c8', '+15555550108') },
    ]);
  });

  it('rejects a line longer than maxRowLength without holding it, and goes on', async () => {
    const long = `{"id":"c2","phone":"+15555550102","firstName":"${'x'.repeat(5000)}"}`;
    const text = `{"id":"c1","phone":"+15555550101"}\n${long}\n{"id":"c3","phone":"+15555550103"}\n`;
    // Cut into small chunks, so the long line spans many of them.
    const parts = text.match(/[\s\S]{1,64}/gu) ?? [];
    const { rows } = await read(chunks(...parts), 'ndjson', { maxRowLength: 200 });
    expect(rows).toEqual([
      { row: 1, contact: bare('c1', '+15555550101') },
      { row: 2, error: { reason: 'row_too_large', message: 'is longer than 200 characters' } },
      { row: 3, contact: bare('c3', '+15555550103') },
    ]);
  });

  it.each([[''], ['\n\n'], ['\ufeff\r\n  \r\n']])('refuses %j: no rows', async (text) => {
    expect(await ndjson(text)).toEqual({
      rows: [],
      failure: { code: 'empty_import', message: 'The import has no contacts' },
    });
  });

  it('refuses maxRows + 1 rows once the extra row is reached', async () => {
    const lines = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        JSON.stringify({ id: `c${i}`, phone: `+1555555010${i}` }),
      ).join('\n');
    expect((await ndjson(lines(2), { maxRows: 2 })).failure).toBeUndefined();
    const over = await ndjson(lines(3), { maxRows: 2 });
    expect(over.rows).toHaveLength(2);
    expect(over.failure?.code).toBe('too_many_rows');
  });
});

describe('import limits and encodings', () => {
  it.each(['csv', 'ndjson'] as const)('refuses %s input over maxBytes', async (format) => {
    const text =
      format === 'csv' ? 'id,phone\nc1,+15555550101\n' : '{"id":"c1","phone":"+15555550101"}\n';
    const exact = Buffer.byteLength(text);
    expect((await read(chunks(text), format, { maxBytes: exact })).failure).toBeUndefined();
    expect(
      await read(chunks(text.slice(0, 5), text.slice(5)), format, { maxBytes: exact - 1 }),
    ).toEqual({
      rows: [],
      failure: {
        code: 'too_large',
        message: `The import is larger than ${exact - 1} bytes (the limit); split it`,
      },
    });
  });

  it.each(['csv', 'ndjson'] as const)('refuses %s bytes that are not UTF-8', async (format) => {
    const latin1 = Buffer.from('id,phone,firstName\nc1,+15555550101,Zo\xeb\n', 'latin1');
    expect((await read(chunks(latin1), format)).failure?.code).toBe('not_utf8');
    // A multi-byte sequence cut by the end of the input.
    const cut = Buffer.concat([Buffer.from('id,phone\nc1,+15555550101,'), Buffer.from([0xc3])]);
    expect((await read(chunks(cut), format)).failure?.code).toBe('not_utf8');
  });

  it('refuses a format that is neither csv nor ndjson', () => {
    let thrown: unknown;
    try {
      parseContactImport(chunks(''), 'xlsx' as ContactImportFormat);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContactImportError);
    expect((thrown as ContactImportError).code).toBe('unsupported_format');
  });

  it.each([
    ['text/csv', 'csv'],
    ['text/csv; charset=utf-8', 'csv'],
    ['Text/CSV; Charset="UTF-8"', 'csv'],
    ['application/x-ndjson', 'ndjson'],
    ['application/ndjson', 'ndjson'],
    ['application/jsonl', 'ndjson'],
    ['text/csv; charset=windows-1252', undefined],
    ['application/json', undefined],
    ['text/plain', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('takes the Content-Type %j as %j', (contentType, format) => {
    expect(contactImportFormatOf(contentType)).toBe(format);
  });
});

describe('checkContactImport, the first pass', () => {
  it('counts accepted and rejected rows', async () => {
    const text = 'id,phone\nc1,+15555550101\nc2,nope\nc3,+15555550103\n';
    expect(await checkContactImport(chunks(text), 'csv')).toEqual({
      ok: true,
      rows: 3,
      accepted: 2,
      rejected: 1,
    });
  });

  it('reports an import refused as a whole (limit + 1 rows, a bad header, no rows)', async () => {
    const text = 'id,phone\nc1,+15555550101\nc2,+15555550102\n';
    expect(await checkContactImport(chunks(text), 'csv', { maxRows: 1 })).toEqual({
      ok: false,
      failure: { code: 'too_many_rows', message: expect.any(String) as unknown },
    });
    expect(await checkContactImport(chunks('id,mobile\n'), 'csv')).toMatchObject({
      ok: false,
      failure: { code: 'bad_header', field: 'mobile' },
    });
    expect(await checkContactImport(chunks(''), 'ndjson')).toMatchObject({
      ok: false,
      failure: { code: 'empty_import' },
    });
    expect(await checkContactImport(chunks(''), 'pdf' as ContactImportFormat)).toMatchObject({
      ok: false,
      failure: { code: 'unsupported_format' },
    });
  });

  it('lets a failure of the source itself through', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield await Promise.resolve('id,phone\n');
      throw new Error('disk gone');
    }
    await expect(checkContactImport(failing(), 'csv')).rejects.toThrow('disk gone');
  });
});
