import { stringify } from 'csv-stringify/sync';
import { ApiError } from '../problems/api-error.js';

/** How `GET /v1/usage` groups what was charged. */
export const USAGE_GROUP_BYS = [
  'day',
  'sender',
  'campaign',
  'channel',
  'direction',
  'bulkSend',
] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BYS)[number];

export function usageGroupByOf(value: string | undefined): UsageGroupBy {
  if (value === undefined || value === '') return 'day';
  const found = USAGE_GROUP_BYS.find((groupBy) => groupBy === value);
  if (found === undefined) {
    throw ApiError.invalid('groupBy is not valid', [
      { field: 'groupBy', message: `must be one of ${USAGE_GROUP_BYS.join(', ')}` },
    ]);
  }
  return found;
}

/** One group's totals: texts, SMS segments (1 per MMS), micro-units charged, carrier fees. */
export interface UsageRow {
  /** The day (YYYY-MM-DD, UTC), sender number, campaign, channel, direction or bulk send; null: none. */
  key: string | null;
  currency: string;
  count: number;
  segments: number;
  amount: number;
  carrierFees: number;
  /** Number lookups charged: billing charges none yet, so always 0. */
  lookups: number;
}

export interface UsageReport {
  from: string;
  to: string;
  groupBy: UsageGroupBy;
  rows: UsageRow[];
}

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return
 * first, as OWASP's CSV-injection guidance lists) is prefixed with `'`, so it shows as text.
 */
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** The report as CSV (RFC 4180, a header row), every text cell formula-safe. */
export function usageCsv(report: UsageReport): string {
  const header = [
    report.groupBy,
    'currency',
    'count',
    'segments',
    'amount',
    'carrierFees',
    'lookups',
  ];
  const records = report.rows.map((row) => [
    spreadsheetSafe(row.key ?? ''),
    spreadsheetSafe(row.currency),
    String(row.count),
    String(row.segments),
    String(row.amount),
    String(row.carrierFees),
    String(row.lookups),
  ]);
  return stringify([header.map(spreadsheetSafe), ...records], { record_delimiter: 'windows' });
}
