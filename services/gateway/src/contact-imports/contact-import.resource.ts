import type { ContactImportFormatName, ContactImportRejectedRow } from '@textplane/contracts';
import type { ContactImportJobRow, ContactImportStatus } from './contact-import-job.js';

/** At most this many rejected rows are listed on a job (the lowest row numbers); `rows.rejected` counts all. */
export const LISTED_REJECTED_ROWS = 1_000;

export interface ContactImportResource {
  id: string;
  status: ContactImportStatus;
  format: ContactImportFormatName;
  rows: { read: number; upserted: number; rejected: number };
  /** The first LISTED_REJECTED_ROWS rejected rows by row number; more exist when `rows.rejected` is larger. */
  rejectedRows: ContactImportRejectedRow[];
  createdAt: string;
  completedAt: string | null;
}

export interface ContactImportPage {
  items: ContactImportResource[];
  nextCursor: string | null;
}

export function contactImportResourceOf(
  row: ContactImportJobRow,
  rejectedRows: readonly ContactImportRejectedRow[],
): ContactImportResource {
  return {
    id: row.import_id,
    status: row.status,
    format: row.format,
    rows: { read: row.rows_read, upserted: row.upserted, rejected: row.rejected },
    rejectedRows: rejectedRows.slice(0, LISTED_REJECTED_ROWS).map((r) => ({
      row: r.row,
      reason: r.reason,
      message: r.message,
      ...(r.field !== undefined ? { field: r.field } : {}),
    })),
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}
