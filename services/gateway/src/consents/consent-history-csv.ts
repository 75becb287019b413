import type { ConsentLedgerEntry } from './consent.resource.js';

/**
 * The columns an auditor's spreadsheet gets, in order; the later ones carry review and reply
 * facts. Every field of every fact has a column, as in the JSON export (a fact's own timestamp,
 * such as grantedAt, is `occurred_at`). New columns are only ever appended.
 */
export const CONSENT_HISTORY_CSV_COLUMNS = [
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
  'decision',
  'resolved_by',
  'confidence',
  'cue',
  'reply_kind',
  'reply_body',
  'message_received_at',
  'reply_from',
  'review_to',
  'opened_at',
  'resolved_at',
  'reply_id',
  'event_id',
  'tenant_id',
  'phone',
] as const;

type Column = (typeof CONSENT_HISTORY_CSV_COLUMNS)[number];

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function cellsOf(entry: ConsentLedgerEntry): Record<Column, unknown> {
  const evidence = record(entry['evidence']);
  const message = record(entry['message']);
  const isReply = entry.type === 'AutoReplyRequested';
  const isReviewOpened = entry.type === 'RevocationReviewOpened';
  return {
    sequence: entry.sequence,
    occurred_at: entry.occurredAt,
    type: entry.type,
    purpose: entry['purpose'],
    channel: entry['channel'],
    scope: entry['scope'],
    method: entry['method'],
    keyword: entry['keyword'],
    evidence_source: evidence['source'],
    evidence_text: evidence['text'],
    evidence_text_version: evidence['textVersion'],
    checkbox_default_unchecked: evidence['checkboxDefaultUnchecked'],
    ip: evidence['ip'],
    user_agent: evidence['userAgent'],
    page_url: evidence['pageUrl'],
    captured_at: evidence['capturedAt'],
    message_id: isReply ? entry['inReplyTo'] : message['messageId'],
    message_body: message['body'],
    request_id: entry['requestId'],
    review_id: entry['reviewId'],
    note: entry['note'],
    decision: entry['decision'],
    resolved_by: entry['resolvedBy'],
    confidence: entry['confidence'],
    cue: entry['cue'],
    reply_kind: isReply ? entry['kind'] : undefined,
    reply_body: isReply ? entry['body'] : undefined,
    message_received_at: message['receivedAt'],
    reply_from: isReply ? entry['from'] : undefined,
    review_to: isReviewOpened ? entry['to'] : undefined,
    opened_at: entry['openedAt'],
    resolved_at: entry['resolvedAt'],
    reply_id: entry['replyId'],
    event_id: entry.eventId,
    tenant_id: entry['tenantId'],
    phone: entry['phone'],
  };
}

/**
 * One CSV cell: RFC 4180 quoting (a cell with a comma, quote or line break is quoted, quotes
 * doubled), and safe to open in a spreadsheet: text starting with = + - @ (or a tab or carriage
 * return) would run as a formula, so it gets a leading single quote (OWASP's advice).
 */
/** A phone number in E.164 cannot run as a formula and is kept as it is, for an auditor's tools. */
const E164 = /^\+[1-9]\d{1,14}$/;

export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !E164.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole history as CSV: a header row, then one row per fact in ledger order (CRLF lines). */
export function consentHistoryCsv(entries: readonly ConsentLedgerEntry[]): string {
  const lines = [CONSENT_HISTORY_CSV_COLUMNS.join(',')];
  for (const entry of entries) {
    const cells = cellsOf(entry);
    lines.push(CONSENT_HISTORY_CSV_COLUMNS.map((column) => csvCell(cells[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
