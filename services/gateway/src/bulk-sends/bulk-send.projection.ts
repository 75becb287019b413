import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import {
  type BulkSendEvent,
  type BulkSendRow,
  bulkRecipientChangesOf,
  evolveBulkSend,
  isBulkSendEventType,
} from './bulk-send-record.js';

export const BULK_SEND_COLUMNS = `bulk_send_id, tenant_id, status, paused_reason, message, delivery,
  recipients, sendable, duplicate_phone, missing_merge_value, batches, batches_released,
  next_batch_at, stream_version, requests_pending, created_at, updated_at, completed_at,
  canceled_at`;

/** The NOTIFY channel of bulk_sends changes (BulkSendWatchHub LISTENs; gRPC WatchBulkSend). */
export const BULK_SEND_CHANGES_CHANNEL = 'bulk_send_changes';

export interface BulkSendChangeNotice {
  tenantId: string;
  bulkSendId: string;
}

/** Recipients written per statement. */
const RECIPIENTS_PER_INSERT = 5_000;

type Instant = Date | string | null;
export type SelectedBulkSendRow = Omit<
  BulkSendRow,
  'next_batch_at' | 'created_at' | 'updated_at' | 'completed_at' | 'canceled_at'
> & {
  next_batch_at: Instant;
  created_at: Instant;
  updated_at: Instant;
  completed_at: Instant;
  canceled_at: Instant;
};

function iso(value: Instant): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export function bulkSendRowOf(row: SelectedBulkSendRow): BulkSendRow {
  return {
    ...row,
    next_batch_at: iso(row.next_batch_at),
    created_at: iso(row.created_at) ?? '',
    updated_at: iso(row.updated_at) ?? '',
    completed_at: iso(row.completed_at),
    canceled_at: iso(row.canceled_at),
  };
}

/** The row of a bulk send, locked for the transaction (FOR UPDATE). */
export async function lockBulkSendRow(
  manager: EntityManager,
  bulkSendId: string,
): Promise<BulkSendRow | null> {
  const rows = await manager.query<SelectedBulkSendRow[]>(
    `SELECT ${BULK_SEND_COLUMNS} FROM bulk_sends WHERE bulk_send_id = $1 FOR UPDATE`,
    [bulkSendId],
  );
  return rows[0] ? bulkSendRowOf(rows[0]) : null;
}

/**
 * Writes `bulk_sends` (evolveBulkSend) and `bulk_send_recipients` (bulkRecipientChangesOf): the
 * gateway's own events inline, in the transaction that records them (the 202 and the control
 * requests' 200 read them back), and messaging's run from its topic, each with its inbox record.
 */
export class BulkSendProjection implements EventHandlers {
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
    if (!isBulkSendEventType(consumed.type)) return;
    await this.applyAll(manager, [{ type: consumed.type, data: consumed.data } as BulkSendEvent]);
  }

  /** Events of one bulk send, in order: its row is read once and written once. */
  async applyAll(manager: EntityManager, events: readonly BulkSendEvent[]): Promise<void> {
    const first = events[0];
    if (!first) return;
    const before = await lockBulkSendRow(manager, first.data.bulkSendId);
    let row = before;
    for (const event of events) {
      row = evolveBulkSend(row, event);
      const change = bulkRecipientChangesOf(event);
      if (change === null) continue;
      if (change.kind === 'insert') {
        for (let start = 0; start < change.rows.length; start += RECIPIENTS_PER_INSERT) {
          const batch = change.rows.slice(start, start + RECIPIENTS_PER_INSERT);
          await manager.query(
            `INSERT INTO bulk_send_recipients
               (bulk_send_id, position, contact_id, phone, batch, message_id, skipped, send_at)
             SELECT $1, * FROM unnest($2::integer[], $3::text[], $4::text[], $5::integer[],
               $6::uuid[], $7::text[], $8::timestamptz[])
             ON CONFLICT (bulk_send_id, position) DO NOTHING`,
            [
              first.data.bulkSendId,
              batch.map((r) => r.position),
              batch.map((r) => r.contact_id),
              batch.map((r) => r.phone),
              batch.map((r) => r.batch),
              batch.map((r) => r.message_id),
              batch.map((r) => r.skipped),
              batch.map((r) => r.send_at),
            ],
          );
        }
      } else {
        await manager.query(
          `UPDATE bulk_send_recipients SET skipped = 'missing_merge_value'
           WHERE bulk_send_id = $1 AND contact_id = ANY($2::text[]) AND skipped IS NULL`,
          [change.bulkSendId, change.contactIds],
        );
      }
    }
    if (row === null || row === before) return;
    await manager.query(
      `INSERT INTO bulk_sends (${BULK_SEND_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (bulk_send_id) DO UPDATE SET
         status = EXCLUDED.status, paused_reason = EXCLUDED.paused_reason,
         sendable = EXCLUDED.sendable, missing_merge_value = EXCLUDED.missing_merge_value,
         batches_released = EXCLUDED.batches_released, next_batch_at = EXCLUDED.next_batch_at,
         stream_version = EXCLUDED.stream_version, requests_pending = EXCLUDED.requests_pending,
         updated_at = EXCLUDED.updated_at, completed_at = EXCLUDED.completed_at,
         canceled_at = EXCLUDED.canceled_at`,
      [
        row.bulk_send_id,
        row.tenant_id,
        row.status,
        row.paused_reason,
        JSON.stringify(row.message),
        JSON.stringify(row.delivery),
        row.recipients,
        row.sendable,
        row.duplicate_phone,
        row.missing_merge_value,
        row.batches,
        row.batches_released,
        row.next_batch_at,
        row.stream_version,
        row.requests_pending,
        row.created_at,
        row.updated_at,
        row.completed_at,
        row.canceled_at,
      ],
    );
    const notice: BulkSendChangeNotice = { tenantId: row.tenant_id, bulkSendId: row.bulk_send_id };
    await manager.query(`SELECT pg_notify($1, $2)`, [
      BULK_SEND_CHANGES_CHANNEL,
      JSON.stringify(notice),
    ]);
  }
}
