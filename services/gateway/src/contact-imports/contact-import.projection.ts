import type { ContactImportRejectedRow } from '@textplane/contracts';
import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import {
  type ContactImportEvent,
  type ContactImportJobRow,
  contactImportRejectedRowsOf,
  evolveContactImportJob,
  isContactImportEventType,
} from './contact-import-job.js';

const JOB_COLUMNS = `import_id, tenant_id, format, status, rows_read, submitted_rows, upserted,
  rejected, chunks, processed_chunks, created_at, completed_at`;

/** Rejected rows written per statement. */
const REJECTED_ROWS_PER_INSERT = 5_000;

type SelectedJobRow = Omit<ContactImportJobRow, 'created_at' | 'completed_at'> & {
  created_at: Date;
  completed_at: Date | null;
};

export function jobRowOf(row: SelectedJobRow): ContactImportJobRow {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
  };
}

/**
 * Writes `contact_imports` and `contact_import_rejected_rows` with `evolveContactImportJob` and
 * `contactImportRejectedRowsOf`: the gateway's own import events inline, in the transaction that
 * records them (the POST's answer reads them back), and messaging's chunk facts from its topic,
 * each with its inbox record.
 */
export class ContactImportProjection implements EventHandlers {
  private readonly handlers: EventHandlers;

  constructor(inbox: Inbox, consumerGroup: string) {
    this.handlers = onceThroughInbox(inbox, consumerGroup, (event, manager) =>
      this.apply(event, manager),
    );
  }

  handle(event: ConsumedEvent): Promise<void> {
    return this.handlers.handle(event);
  }

  handleBatch(events: ConsumedEvent[]): Promise<void> {
    return this.handlers.handleBatch(events);
  }

  async apply(consumed: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (!isContactImportEventType(consumed.type)) return;
    await this.applyAll(manager, [
      { type: consumed.type, data: consumed.data } as ContactImportEvent,
    ]);
  }

  /** Events of one import, in order: the job row is read once and written once. */
  async applyAll(manager: EntityManager, events: readonly ContactImportEvent[]): Promise<void> {
    const first = events[0];
    if (!first) return;
    const { importId } = first.data;
    const rows = await manager.query<SelectedJobRow[]>(
      `SELECT ${JOB_COLUMNS} FROM contact_imports WHERE import_id = $1 FOR UPDATE`,
      [importId],
    );
    const before = rows[0] ? jobRowOf(rows[0]) : null;
    let row = before;
    const rejected: ContactImportRejectedRow[] = [];
    for (const event of events) {
      const next = evolveContactImportJob(row, event);
      // A fact the job already counted (or of no job) lists nothing again.
      if (next !== row || event.type === 'gateway.ContactImportRowsRejected.v1') {
        rejected.push(...contactImportRejectedRowsOf(event));
      }
      row = next;
    }
    if (row !== null && row !== before) {
      await manager.query(
        `INSERT INTO contact_imports (${JOB_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (import_id) DO UPDATE SET
           status = EXCLUDED.status, upserted = EXCLUDED.upserted, rejected = EXCLUDED.rejected,
           processed_chunks = EXCLUDED.processed_chunks, completed_at = EXCLUDED.completed_at`,
        [
          row.import_id,
          row.tenant_id,
          row.format,
          row.status,
          row.rows_read,
          row.submitted_rows,
          row.upserted,
          row.rejected,
          row.chunks,
          row.processed_chunks,
          row.created_at,
          row.completed_at,
        ],
      );
    }
    for (let start = 0; start < rejected.length; start += REJECTED_ROWS_PER_INSERT) {
      const batch = rejected.slice(start, start + REJECTED_ROWS_PER_INSERT);
      await manager.query(
        `INSERT INTO contact_import_rejected_rows (import_id, row, reason, field, message)
         SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (import_id, row) DO NOTHING`,
        [
          importId,
          batch.map((r) => r.row),
          batch.map((r) => r.reason),
          batch.map((r) => r.field ?? null),
          batch.map((r) => r.message),
        ],
      );
    }
  }
}
