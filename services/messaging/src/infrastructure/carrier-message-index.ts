import { lockKeys, queryRows } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import type { CarrierReport } from './carriers/carrier.js';

export type StatusReport = Extract<CarrierReport, { kind: 'status' }>;

export interface MessageRef {
  messageId: string;
  tenantId: string;
  /** The trace the message was sent in, so its receipts continue that trace. */
  traceparent: string | null;
}

/**
 * Maps the carrier's message id to ours. A receipt can overtake the recording of the carrier's
 * acceptance (the carrier answers, posts a webhook, and only then do we commit), so a receipt
 * for an unknown id is parked and applied when the acceptance is recorded. Both sides take the
 * same transaction-scoped advisory lock on the carrier id, so neither can miss the other.
 */
export class CarrierMessageIndex {
  async lock(manager: EntityManager, carrierMessageId: string): Promise<void> {
    await lockKeys(manager, [carrierMessageId], 'exclusive');
  }

  async find(manager: EntityManager, carrierMessageId: string): Promise<MessageRef | null> {
    const rows = await manager.query<
      Array<{ message_id: string; tenant_id: string; traceparent: string | null }>
    >(
      `SELECT message_id, tenant_id, traceparent FROM carrier_message_index WHERE carrier_message_id = $1`,
      [carrierMessageId],
    );
    const row = rows[0];
    return row
      ? { messageId: row.message_id, tenantId: row.tenant_id, traceparent: row.traceparent }
      : null;
  }

  async record(manager: EntityManager, carrierMessageId: string, ref: MessageRef): Promise<void> {
    await manager.query(
      `INSERT INTO carrier_message_index (carrier_message_id, message_id, tenant_id, traceparent)
       VALUES ($1, $2, $3, $4) ON CONFLICT (carrier_message_id) DO NOTHING`,
      [carrierMessageId, ref.messageId, ref.tenantId, ref.traceparent],
    );
  }

  async park(manager: EntityManager, report: StatusReport): Promise<void> {
    await manager.query(
      `INSERT INTO parked_carrier_reports (carrier_message_id, report) VALUES ($1, $2)`,
      [report.carrierMessageId, JSON.stringify(report)],
    );
  }

  /** Removes and returns the parked receipts of a carrier id, oldest first. */
  async takeParked(manager: EntityManager, carrierMessageId: string): Promise<StatusReport[]> {
    const rows = await queryRows<{ report: StatusReport & { occurredAt: string } }>(
      manager,
      `DELETE FROM parked_carrier_reports WHERE carrier_message_id = $1 RETURNING id, report`,
      [carrierMessageId],
    );
    return rows
      .map((row) => ({ ...row.report, occurredAt: new Date(row.report.occurredAt) }))
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  }
}
