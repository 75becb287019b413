import type { ContactImportRejectedRow } from '@textplane/contracts';
import type { DataSource } from 'typeorm';
import type { PagePosition } from '../http/page-cursor.js';
import { jobRowOf } from './contact-import.projection.js';
import type { ContactImportJobRow } from './contact-import-job.js';
import {
  type ContactImportResource,
  contactImportResourceOf,
  LISTED_REJECTED_ROWS,
} from './contact-import.resource.js';

const JOB_COLUMNS = `import_id, tenant_id, format, status, rows_read, submitted_rows, upserted,
  rejected, chunks, processed_chunks, created_at, completed_at`;

type SelectedJobRow = Parameters<typeof jobRowOf>[0];

/** The queries the contact-imports API makes of the gateway's read models. */
export interface ContactImportQueries {
  job(tenantId: string, importId: string): Promise<ContactImportResource | null>;
  list(
    tenantId: string,
    after: PagePosition | null,
    limit: number,
  ): Promise<{ jobs: ContactImportResource[]; more: boolean }>;
}

export class ContactImportReadModel implements ContactImportQueries {
  constructor(private readonly dataSource: DataSource) {}

  async job(tenantId: string, importId: string): Promise<ContactImportResource | null> {
    const rows = await this.dataSource.query<SelectedJobRow[]>(
      `SELECT ${JOB_COLUMNS} FROM contact_imports WHERE tenant_id = $1 AND import_id = $2`,
      [tenantId, importId],
    );
    const row = rows[0];
    if (!row) return null;
    const job = jobRowOf(row);
    return contactImportResourceOf(job, await this.rejectedRows(job));
  }

  /** Newest first, by (created_at, import_id). */
  async list(
    tenantId: string,
    after: PagePosition | null,
    limit: number,
  ): Promise<{ jobs: ContactImportResource[]; more: boolean }> {
    const rows = await this.dataSource.query<SelectedJobRow[]>(
      `SELECT ${JOB_COLUMNS} FROM contact_imports
       WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, import_id) < ($2, $3::uuid))
       ORDER BY created_at DESC, import_id DESC LIMIT $4`,
      [tenantId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = rows.slice(0, limit).map(jobRowOf);
    const jobs: ContactImportResource[] = [];
    for (const job of page) jobs.push(contactImportResourceOf(job, await this.rejectedRows(job)));
    return { jobs, more: rows.length > limit };
  }

  private async rejectedRows(job: ContactImportJobRow): Promise<ContactImportRejectedRow[]> {
    if (job.rejected === 0) return [];
    const rows = await this.dataSource.query<
      Array<{ row: number; reason: string; field: string | null; message: string }>
    >(
      `SELECT row, reason, field, message FROM contact_import_rejected_rows
       WHERE import_id = $1 ORDER BY row LIMIT $2`,
      [job.import_id, LISTED_REJECTED_ROWS],
    );
    return rows.map((r) => ({
      row: r.row,
      reason: r.reason,
      message: r.message,
      ...(r.field !== null ? { field: r.field } : {}),
    }));
  }
}
