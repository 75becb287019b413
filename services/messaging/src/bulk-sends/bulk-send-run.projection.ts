import type { EntityManager } from 'typeorm';
import type { BulkSendEvent } from './bulk-send.events.js';

/** A row of `bulk_send_runs`: the runner's queue (which batch of which run is due when). */
export interface BulkSendRunRow {
  bulk_send_id: string;
  tenant_id: string;
  status: 'collecting' | 'scheduled' | 'running' | 'paused' | 'completed' | 'canceled';
  batches: number;
  next_batch: number;
  next_batch_at: string | null;
  updated_at: string;
}

/** The one writer of `bulk_send_runs`: `evolve(row | null, event) -> row | null`. */
export function evolveBulkSendRun(
  row: BulkSendRunRow | null,
  event: BulkSendEvent,
): BulkSendRunRow | null {
  switch (event.type) {
    case 'messaging.BulkSendCreated.v1': {
      const d = event.data;
      return {
        bulk_send_id: d.bulkSendId,
        tenant_id: d.tenantId,
        status: 'collecting',
        batches: d.batches,
        next_batch: 0,
        next_batch_at: null,
        updated_at: d.createdAt,
      };
    }
    case 'messaging.BulkSendRecipientsFrozen.v1':
      if (row === null || event.data.firstBatchAt === undefined) return row;
      return { ...row, status: 'scheduled', next_batch_at: event.data.firstBatchAt };
    case 'messaging.BulkSendBatchReleased.v1':
      if (row === null) return row;
      return {
        ...row,
        status: 'running',
        next_batch: event.data.batch + 1,
        next_batch_at: event.data.nextBatchAt,
        updated_at: event.data.releasedAt,
      };
    case 'messaging.BulkSendPaused.v1':
      return row && { ...row, status: 'paused', updated_at: event.data.pausedAt };
    case 'messaging.BulkSendResumed.v1':
      return (
        row && {
          ...row,
          status: row.next_batch === 0 ? 'scheduled' : 'running',
          next_batch_at: event.data.nextBatchAt,
          updated_at: event.data.resumedAt,
        }
      );
    case 'messaging.BulkSendCanceled.v1':
      return (
        row && {
          ...row,
          status: 'canceled',
          next_batch_at: null,
          updated_at: event.data.canceledAt,
        }
      );
    case 'messaging.BulkSendCompleted.v1':
      return (
        row && {
          ...row,
          status: 'completed',
          next_batch_at: null,
          updated_at: event.data.completedAt,
        }
      );
    case 'messaging.BulkSendRequestRejected.v1':
      return row;
  }
}

/** A row of `bulk_send_recipients`: one frozen recipient. */
export interface BulkSendRecipientRow {
  bulk_send_id: string;
  position: number;
  contact_id: string;
  phone: string;
  batch: number | null;
  send_at: string | null;
  skipped: string | null;
}

/** The one writer of `bulk_send_recipients`: the rows an event adds (frozen once, never changed). */
export function recipientRowsOf(event: BulkSendEvent): BulkSendRecipientRow[] {
  if (event.type !== 'messaging.BulkSendRecipientsFrozen.v1') return [];
  return event.data.recipients.map((r) => ({
    bulk_send_id: event.data.bulkSendId,
    position: r.position,
    contact_id: r.contactId,
    phone: r.phone,
    batch: r.batch,
    send_at: r.sendAt ?? null,
    skipped: r.skipped ?? null,
  }));
}

/**
 * Applies bulk-send events to `bulk_send_runs` and `bulk_send_recipients`, inline where they are
 * appended (the stream's own order), and again when the tables are rebuilt from the store.
 */
export class BulkSendRunProjection {
  async apply(manager: EntityManager, event: BulkSendEvent): Promise<void> {
    const recipients = recipientRowsOf(event);
    if (recipients.length > 0) {
      await manager.query(
        `INSERT INTO bulk_send_recipients (bulk_send_id, position, contact_id, phone, batch, send_at, skipped)
         SELECT * FROM unnest($1::uuid[], $2::integer[], $3::text[], $4::text[], $5::integer[],
                              $6::timestamptz[], $7::text[])
         ON CONFLICT (bulk_send_id, position) DO NOTHING`,
        [
          recipients.map((r) => r.bulk_send_id),
          recipients.map((r) => r.position),
          recipients.map((r) => r.contact_id),
          recipients.map((r) => r.phone),
          recipients.map((r) => r.batch),
          recipients.map((r) => r.send_at),
          recipients.map((r) => r.skipped),
        ],
      );
    }
    const rows = await manager.query<BulkSendRunRow[]>(
      `SELECT bulk_send_id, tenant_id, status, batches, next_batch,
              to_char(next_batch_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS next_batch_at,
              to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
       FROM bulk_send_runs WHERE bulk_send_id = $1 FOR NO KEY UPDATE`,
      [event.data.bulkSendId],
    );
    const row = rows[0] ?? null;
    if (event.type === 'messaging.BulkSendCanceled.v1') {
      // Its released messages not yet sending are canceled by BulkSendCancelSweeper.
      await manager.query(
        `INSERT INTO bulk_send_cancel_sweeps (bulk_send_id, tenant_id) VALUES ($1, $2)
         ON CONFLICT (bulk_send_id) DO NOTHING`,
        [event.data.bulkSendId, event.data.tenantId],
      );
    }
    const next = evolveBulkSendRun(row, event);
    if (next === null || next === row) return;
    await manager.query(
      `INSERT INTO bulk_send_runs (bulk_send_id, tenant_id, status, batches, next_batch, next_batch_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (bulk_send_id) DO UPDATE SET
         status = EXCLUDED.status, batches = EXCLUDED.batches, next_batch = EXCLUDED.next_batch,
         next_batch_at = EXCLUDED.next_batch_at, updated_at = EXCLUDED.updated_at`,
      [
        next.bulk_send_id,
        next.tenant_id,
        next.status,
        next.batches,
        next.next_batch,
        next.next_batch_at,
        next.updated_at,
      ],
    );
  }
}
