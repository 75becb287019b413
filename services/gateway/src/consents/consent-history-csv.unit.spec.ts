import { describe, expect, it } from 'vitest';
import { CONSENT_HISTORY_CSV_COLUMNS, consentHistoryCsv, csvCell } from './consent-history-csv.js';
import type { ConsentLedgerEntry } from './consent.resource.js';

/** Splits CSV text into rows of cells, honouring quotes (RFC 4180), to read back what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

const granted: ConsentLedgerEntry = {
  sequence: 1,
  type: 'ConsentGranted',
  occurredAt: '2026-11-26T12:00:00.000Z',
  eventId: '0193a1b2-0000-7000-8000-000000000001',
  tenantId: 't',
  phone: '+15555550123',
  purpose: 'marketing',
  channel: 'all',
  requestId: '0193a1b2-0000-7000-8000-0000000000aa',
  evidence: {
    source: 'web_form',
    text: 'Yes, text me "deals", promos\nand news',
    textVersion: 'v3',
    checkboxDefaultUnchecked: true,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11; Linux)',
    pageUrl: 'https://acme.example/signup?a=1,b=2',
    capturedAt: '2026-11-25T18:30:00Z',
  },
};
const revoked: ConsentLedgerEntry = {
  sequence: 2,
  type: 'ConsentRevoked',
  occurredAt: '2026-11-26T13:00:00.000Z',
  eventId: '0193a1b2-0000-7000-8000-000000000002',
  scope: 'all',
  channel: 'all',
  method: 'keyword',
  keyword: 'STOP',
  message: { messageId: 'm-1', body: '=HYPERLINK("http://evil")', receivedAt: 'x' },
};

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(3)).toBe('3');
  });

  it('keeps E.164 phone numbers as they are', () => {
    expect(csvCell('+15555550123')).toBe('+15555550123');
    expect(csvCell('+15555550123=1')).toBe("'+15555550123=1");
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+1+cmd|calc')).toBe("'+1+cmd|calc");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('=A1,"b"')).toBe(`"'=A1,""b"""`);
  });
});

describe('consentHistoryCsv', () => {
  it('writes a header and one row per fact, in ledger order, evidence in its columns', () => {
    const rows = parseCsv(consentHistoryCsv([granted, revoked]));
    expect(rows[0]).toEqual([...CONSENT_HISTORY_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const [header, first, second] = rows as [string[], string[], string[]];
    const cell = (row: string[], column: string) => row[header.indexOf(column)];
    expect(cell(first, 'sequence')).toBe('1');
    expect(cell(first, 'type')).toBe('ConsentGranted');
    expect(cell(first, 'evidence_text')).toBe('Yes, text me "deals", promos\nand news');
    expect(cell(first, 'evidence_text_version')).toBe('v3');
    expect(cell(first, 'checkbox_default_unchecked')).toBe('true');
    expect(cell(first, 'page_url')).toBe('https://acme.example/signup?a=1,b=2');
    expect(cell(first, 'captured_at')).toBe('2026-11-25T18:30:00Z');
    expect(cell(first, 'request_id')).toBe(granted['requestId']);
    expect(cell(second, 'sequence')).toBe('2');
    expect(cell(second, 'keyword')).toBe('STOP');
    expect(cell(second, 'message_id')).toBe('m-1');
    expect(cell(second, 'message_body')).toBe(`'=HYPERLINK("http://evil")`);
    expect(cell(second, 'evidence_text')).toBe('');
  });

  it('starts with the required columns in the documented order', () => {
    expect(CONSENT_HISTORY_CSV_COLUMNS.slice(0, 21)).toEqual([
      'sequence',
      'occurred_at',
      'type',
      'purpose',
      'channel',
      'scope',
      'method',
      'keyword',
      'evidence_source',
      'evidence_text',
      'evidence_text_version',
      'checkbox_default_unchecked',
      'ip',
      'user_agent',
      'page_url',
      'captured_at',
      'message_id',
      'message_body',
      'request_id',
      'review_id',
      'note',
    ]);
  });
});

describe('consentHistoryCsv: every field of every fact', () => {
  const tenantId = '0193a1b2-0000-7000-8000-00000000aaaa';
  const phone = '+15555550123';
  const message = {
    messageId: '0193a1b2-0000-7000-8000-00000000m001',
    body: 'please stop',
    receivedAt: '2026-11-26T11:59:58.000Z',
  };
  /** Each fact as the JSON export shows it: ledger fields, then the event data, all fields set. */
  const facts: Array<[string, Record<string, unknown>]> = [
    [
      'ConsentGranted',
      {
        purpose: 'marketing',
        channel: 'sms',
        evidence: {
          source: 'web_form',
          text: 'I agree',
          textVersion: 'v7',
          checkboxDefaultUnchecked: true,
          ip: '198.51.100.4',
          userAgent: 'UA/1',
          pageUrl: 'https://acme.example/join',
          capturedAt: '2026-11-26T10:00:00.000Z',
        },
        requestId: '0193a1b2-0000-7000-8000-00000000r001',
        grantedAt: '2026-11-26T12:00:01.000Z',
      },
    ],
    [
      'ConsentRevoked',
      {
        scope: 'all',
        channel: 'all',
        method: 'free_text',
        keyword: 'STOP',
        message,
        requestId: '0193a1b2-0000-7000-8000-00000000r002',
        reviewId: '0193a1b2-0000-7000-8000-00000000v001',
        note: 'agent decided',
        revokedAt: '2026-11-26T12:00:02.000Z',
      },
    ],
    ['ConsentRestored', { keyword: 'START', message, restoredAt: '2026-11-26T12:00:03.000Z' }],
    [
      'DndSet',
      {
        channel: 'mms',
        requestId: '0193a1b2-0000-7000-8000-00000000r003',
        setAt: '2026-11-26T12:00:04.000Z',
      },
    ],
    [
      'DndCleared',
      {
        channel: 'mms',
        requestId: '0193a1b2-0000-7000-8000-00000000r004',
        clearedAt: '2026-11-26T12:00:05.000Z',
      },
    ],
    ['HelpRequested', { keyword: 'INFO', message, requestedAt: '2026-11-26T12:00:06.000Z' }],
    [
      'RevocationReviewOpened',
      {
        reviewId: '0193a1b2-0000-7000-8000-00000000v002',
        message,
        to: '+15555550177',
        confidence: 0.55,
        cue: 'not interested',
        openedAt: '2026-11-26T12:00:07.000Z',
      },
    ],
    [
      'RevocationReviewResolved',
      {
        reviewId: '0193a1b2-0000-7000-8000-00000000v003',
        decision: 'revoke',
        requestId: '0193a1b2-0000-7000-8000-00000000r005',
        resolvedBy: 'agent-7',
        note: 'clearly a stop',
        resolvedAt: '2026-11-26T12:00:08.000Z',
      },
    ],
    [
      'AutoReplyRequested',
      {
        replyId: '0193a1b2-0000-7000-8000-00000000p001',
        from: '+15555550188',
        kind: 'opt_out_confirmation',
        body: 'Acme: you are unsubscribed.',
        inReplyTo: '0193a1b2-0000-7000-8000-00000000m002',
        requestedAt: '2026-11-26T12:00:09.000Z',
      },
    ],
  ];

  function leaves(value: unknown, path: string): Array<[string, unknown]> {
    if (value !== null && typeof value === 'object') {
      return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
        leaves(v, path ? `${path}.${k}` : k),
      );
    }
    return [[path, value]];
  }

  /** What a value reads as in a parsed cell (formula-like text gets its leading quote). */
  const asCell = (value: unknown): string => parseCsv(`${csvCell(value)}\r\n`)[0]?.[0] ?? '';

  it.each(facts)('writes every field of %s to a column', (type, data) => {
    const occurredAt = Object.entries(data).find(([k]) => k.endsWith('At'))?.[1] as string;
    const entry: ConsentLedgerEntry = {
      sequence: 7,
      type,
      occurredAt,
      eventId: '0193a1b2-0000-7000-8000-00000000e001',
      tenantId,
      phone,
      ...data,
    };
    const [header, row] = parseCsv(consentHistoryCsv([entry])) as [string[], string[]];
    expect(row).toHaveLength(header.length);
    const missing = leaves(entry, '').filter(([, value]) => !row.includes(asCell(value)));
    expect(missing.map(([path]) => path)).toEqual([]);
  });

  it('names the new columns after the original ones', () => {
    expect(CONSENT_HISTORY_CSV_COLUMNS.slice(27)).toEqual([
      'message_received_at',
      'reply_from',
      'review_to',
      'opened_at',
      'resolved_at',
      'reply_id',
      'event_id',
      'tenant_id',
      'phone',
    ]);
    const [header, row] = parseCsv(
      consentHistoryCsv([
        {
          sequence: 1,
          type: 'AutoReplyRequested',
          occurredAt: '2026-11-26T12:00:09.000Z',
          eventId: '0193a1b2-0000-7000-8000-00000000e002',
          from: '+15555550188',
          replyId: 'r-1',
        },
      ]),
    ) as [string[], string[]];
    expect(row[header.indexOf('reply_from')]).toBe('+15555550188');
    expect(row[header.indexOf('review_to')]).toBe('');
  });
});
