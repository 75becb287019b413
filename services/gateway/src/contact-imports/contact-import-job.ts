import {
  type ContactImportFormatName,
  type ContactImportRejectedRow,
  eventTypeGuard,
  type WireEventOf,
} from '@textplane/contracts';

const contactImportEventTypes = [
  'gateway.ContactImportStarted.v1',
  'gateway.ContactImportRowsRejected.v1',
  'gateway.ContactImportChunkSubmitted.v1',
  'messaging.ContactImportChunkProcessed.v1',
] as const;

/** The events of one import: the gateway's own (applied inline) and messaging's chunk facts. */
export type ContactImportEvent = WireEventOf<(typeof contactImportEventTypes)[number]>;
export const isContactImportEventType = eventTypeGuard(contactImportEventTypes);

export const CONTACT_IMPORT_STREAM_TYPE = 'contact-import';

/** One import's events share a stream (one Kafka key): its chunks reach messaging in order. */
export function contactImportStreamId(tenantId: string, importId: string): string {
  return `contact-import-${tenantId}-${importId}`;
}

export type ContactImportStatus = 'processing' | 'completed';

/** A row of `contact_imports`: the job's progress. */
export interface ContactImportJobRow {
  import_id: string;
  tenant_id: string;
  format: ContactImportFormatName;
  status: ContactImportStatus;
  rows_read: number;
  submitted_rows: number;
  upserted: number;
  rejected: number;
  chunks: number;
  /** The chunk numbers messaging answered: a chunk's fact counts once, however often it comes. */
  processed_chunks: number[];
  created_at: string;
  completed_at: string | null;
}

/** The one writer of `contact_imports`: `evolve(row | null, event) -> row | null`. */
export function evolveContactImportJob(
  row: ContactImportJobRow | null,
  event: ContactImportEvent,
): ContactImportJobRow | null {
  switch (event.type) {
    case 'gateway.ContactImportStarted.v1': {
      if (row !== null) return row;
      const d = event.data;
      return {
        import_id: d.importId,
        tenant_id: d.tenantId,
        format: d.format,
        // An import whose rows were all rejected here has nothing to wait for.
        status: d.chunks === 0 ? 'completed' : 'processing',
        rows_read: d.rowsRead,
        submitted_rows: d.submittedRows,
        upserted: 0,
        rejected: d.rejectedRows,
        chunks: d.chunks,
        processed_chunks: [],
        created_at: d.startedAt,
        completed_at: d.chunks === 0 ? d.startedAt : null,
      };
    }
    // Counted by the start; listed by contactImportRejectedRowsOf.
    case 'gateway.ContactImportRowsRejected.v1':
      return row;
    // Messaging's work; its answer moves the job on.
    case 'gateway.ContactImportChunkSubmitted.v1':
      return row;
    case 'messaging.ContactImportChunkProcessed.v1': {
      const d = event.data;
      if (row === null || row.processed_chunks.includes(d.chunk)) return row;
      const processed = [...row.processed_chunks, d.chunk].sort((a, b) => a - b);
      const done = processed.length >= row.chunks;
      return {
        ...row,
        upserted: row.upserted + d.upserted,
        rejected: row.rejected + d.rejected.length,
        processed_chunks: processed,
        status: done ? 'completed' : 'processing',
        completed_at: done ? d.processedAt : null,
      };
    }
  }
}

/**
 * The rows an event adds to `contact_import_rejected_rows` (keyed by import and row, so a fact
 * applied again adds nothing).
 */
export function contactImportRejectedRowsOf(event: ContactImportEvent): ContactImportRejectedRow[] {
  switch (event.type) {
    case 'gateway.ContactImportRowsRejected.v1':
      return event.data.rows;
    case 'messaging.ContactImportChunkProcessed.v1':
      return event.data.rejected;
    case 'gateway.ContactImportStarted.v1':
    case 'gateway.ContactImportChunkSubmitted.v1':
      return [];
  }
}
