import { lockKeys, queryRows, unitOfWorkOf } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import type { CarrierReport } from './carriers/carrier.js';
import { textplaneStatusOfTelnyx } from './carriers/telnyx/telnyx-message-status.js';

export type StatusReport = Extract<CarrierReport, { kind: 'status' }>;

export interface MessageRef {
  messageId: string;
  tenantId: string;
  /** The trace the message was sent in, so its receipts continue that trace. */
  traceparent: string | null;
}

/** A message's reference as the index holds it, under the carrier's id. */
export interface IndexedRef extends MessageRef {
  carrierMessageId: string;
}

/**
 * Maps the carrier's message id to ours. A receipt can overtake the recording of the carrier's
 * acceptance (the carrier answers, posts a webhook, and only then do we commit), so a receipt
 * for an unknown id is parked and applied when the acceptance is recorded. Both sides take the
 * same transaction-scoped advisory lock on the carrier id, so neither can miss the other.
 *
 * Lock order: a transaction that takes more than one carrier-id lock takes them all at once,
 * through `lockAll` (sorted), before it takes any further one. The recording of a batch's
 * acceptances and a batch of receipts both hold many of them; taken in two orders they wait on
 * each other in a cycle and Postgres fails one of them (`deadlock detected`).
 */
export class CarrierMessageIndex {
  async lock(manager: EntityManager, carrierMessageId: string): Promise<void> {
    await lockKeys(manager, [carrierMessageId], 'exclusive');
  }

  /** `lock` for many ids in one round trip, in sorted order (no cycles with another batch). */
  async lockAll(manager: EntityManager, carrierMessageIds: readonly string[]): Promise<void> {
    await lockKeys(manager, [...new Set(carrierMessageIds)].sort(), 'exclusive');
  }

  /**
   * Index rows for many carrier ids in one read, kept by the unit of work for `find` (only rows
   * found: an id not indexed yet is looked up again, under its lock).
   */
  async prefetch(
    manager: EntityManager,
    carrierMessageIds: readonly string[],
  ): Promise<IndexedRef[]> {
    const unit = unitOfWorkOf(manager);
    if (!unit || carrierMessageIds.length === 0) return [];
    const rows = await manager.query<
      Array<{
        carrier_message_id: string;
        message_id: string;
        tenant_id: string;
        traceparent: string | null;
      }>
    >(
      `SELECT carrier_message_id, message_id, tenant_id, traceparent FROM carrier_message_index
       WHERE carrier_message_id = ANY($1::text[])`,
      [[...new Set(carrierMessageIds)]],
    );
    return rows.map((row) => {
      const ref = {
        messageId: row.message_id,
        tenantId: row.tenant_id,
        traceparent: row.traceparent,
      };
      unit.remember(indexKey(row.carrier_message_id), ref);
      return { ...ref, carrierMessageId: row.carrier_message_id };
    });
  }

  async find(manager: EntityManager, carrierMessageId: string): Promise<MessageRef | null> {
    const known = unitOfWorkOf(manager)?.recall<MessageRef>(indexKey(carrierMessageId));
    if (known) return known;
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

  /** Index rows for many carrier ids, in one statement. */
  async recordAll(
    manager: EntityManager,
    entries: ReadonlyArray<{ carrierMessageId: string; ref: MessageRef }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO carrier_message_index (carrier_message_id, message_id, tenant_id, traceparent)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[])
       ON CONFLICT (carrier_message_id) DO NOTHING`,
      [
        entries.map((e) => e.carrierMessageId),
        entries.map((e) => e.ref.messageId),
        entries.map((e) => e.ref.tenantId),
        entries.map((e) => e.ref.traceparent),
      ],
    );
  }

  async park(manager: EntityManager, report: StatusReport): Promise<void> {
    await manager.query(
      `INSERT INTO parked_carrier_reports (carrier_message_id, report) VALUES ($1, $2)`,
      [report.carrierMessageId, JSON.stringify(report)],
    );
  }

  /** Removes and returns the parked receipts of these carrier ids, each id's oldest first. */
  async takeParked(
    manager: EntityManager,
    carrierMessageIds: readonly string[],
  ): Promise<Map<string, StatusReport[]>> {
    const parked = new Map<string, StatusReport[]>();
    if (carrierMessageIds.length === 0) return parked;
    const rows = await queryRows<{ report: ParkedReport }>(
      manager,
      `DELETE FROM parked_carrier_reports WHERE carrier_message_id = ANY($1::text[])
       RETURNING id, report`,
      [carrierMessageIds],
    );
    for (const row of rows) {
      const report = upcastParkedReport(row.report);
      parked.set(report.carrierMessageId, [...(parked.get(report.carrierMessageId) ?? []), report]);
    }
    for (const reports of parked.values()) {
      reports.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    }
    return parked;
  }
}

/** A parked report as stored: JSON, and from before `carrierStatus` in Telnyx's status names. */
type ParkedReport = Omit<StatusReport, 'occurredAt' | 'status' | 'carrierStatus'> & {
  status: string;
  carrierStatus?: string;
  occurredAt: string;
};

/**
 * Reads a parked report in today's shape. One parked before the carrier vocabulary moved into
 * the adapter carries the Telnyx status in `status`: it is mapped as the adapter maps it now,
 * its error code and detail falling back to that status as the decider's did then.
 */
export function upcastParkedReport(parked: ParkedReport): StatusReport {
  const occurredAt = new Date(parked.occurredAt);
  if (parked.carrierStatus !== undefined) {
    return {
      ...parked,
      carrierStatus: parked.carrierStatus,
      status: parked.status as StatusReport['status'],
      occurredAt,
    };
  }
  const carrierStatus = parked.status;
  const status = textplaneStatusOfTelnyx(carrierStatus);
  if (!status) throw new Error(`parked carrier report with unknown status ${carrierStatus}`);
  const failure = status === 'failed' || status === 'undelivered';
  return {
    ...parked,
    status,
    carrierStatus,
    errorCode: parked.errorCode ?? (failure ? carrierStatus : null),
    errorDetail:
      parked.errorDetail ??
      (failure ? `carrier reported ${carrierStatus.replaceAll('_', ' ')}` : null),
    occurredAt,
  };
}

function indexKey(carrierMessageId: string): string {
  return `carrier-index:${carrierMessageId}`;
}
