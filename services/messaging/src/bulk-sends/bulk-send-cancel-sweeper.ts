import { bulkMessageId } from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import type { Clock } from '@textplane/service-runtime';
import type { CommandContext, MessageStore } from '../infrastructure/message-store.js';
import type { DispatchQueue } from '../messages/dispatch/dispatch-queue.js';

/** What one sweep transaction did. */
export interface CancelSweep {
  bulkSendId: string;
  /** Messages it canceled (those already sending or past it are left as they are). */
  canceled: number;
  /** Whether the bulk send has nothing left to sweep. */
  done: boolean;
}

/**
 * Cancels a canceled bulk send's released messages not yet sending, `limit` recipients per
 * transaction (the message's own CancelMessage decision, its dispatch-queue row following), in
 * recipient order from where the last sweep stopped (bulk_send_cancel_sweeps). Until a message
 * is swept the dispatcher's bulk gate keeps it waiting, so none leaves after the cancel commits.
 * Sweeps of two instances never take the same bulk send (`FOR UPDATE SKIP LOCKED`).
 */
export class BulkSendCancelSweeper {
  constructor(
    private readonly store: EventStore,
    private readonly messages: MessageStore,
    private readonly queue: DispatchQueue,
    private readonly clock: Clock,
  ) {}

  /** Sweeps until nothing is left or `maxSweeps` transactions ran; returns what each did. */
  async sweepDue(limit = 1000, maxSweeps = 100): Promise<CancelSweep[]> {
    const swept: CancelSweep[] = [];
    while (swept.length < maxSweeps) {
      const one = await this.sweepOne(limit);
      if (one === null) return swept;
      swept.push(one);
    }
    return swept;
  }

  /** One transaction: the next `limit` released recipients of one sweep; null when none is due. */
  sweepOne(limit = 1000): Promise<CancelSweep | null> {
    return this.store.transaction(async (manager) => {
      const sweeps = await manager.query<
        Array<{ bulk_send_id: string; tenant_id: string; next_position: number }>
      >(
        `SELECT bulk_send_id, tenant_id, next_position FROM bulk_send_cancel_sweeps
         ORDER BY bulk_send_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const sweep = sweeps[0];
      if (!sweep) return null;
      const { bulk_send_id: bulkSendId, tenant_id: tenantId } = sweep;
      const rows = await manager.query<Array<{ position: number; contact_id: string }>>(
        `SELECT r.position, r.contact_id FROM bulk_send_recipients r
         JOIN bulk_send_runs s USING (bulk_send_id)
         WHERE r.bulk_send_id = $1 AND r.position >= $2
           AND r.batch IS NOT NULL AND r.batch < s.next_batch
         ORDER BY r.position LIMIT $3`,
        [bulkSendId, sweep.next_position, limit],
      );
      const now = this.clock.now();
      const context: CommandContext = { tenantId, correlationId: bulkSendId };
      const ids = rows.map((row) => bulkMessageId(bulkSendId, row.contact_id));
      const streams = await this.messages.loadAll(ids, manager);
      let canceled = 0;
      for (const messageId of ids) {
        const loaded = streams.get(messageId);
        // Not a message (a merge failure), or past the point a cancel applies: left as it is.
        if (!loaded || (loaded.state.status !== 'queued' && loaded.state.status !== 'scheduled')) {
          continue;
        }
        const decision = await this.messages.handle(
          messageId,
          { type: 'CancelMessage', tenantId, requestedAt: now, now },
          context,
          manager,
          loaded,
        );
        await this.queue.follow(manager, messageId, context, decision.events);
        canceled += 1;
      }
      const done = rows.length < limit;
      if (done) {
        await manager.query(`DELETE FROM bulk_send_cancel_sweeps WHERE bulk_send_id = $1`, [
          bulkSendId,
        ]);
      } else {
        await manager.query(
          `UPDATE bulk_send_cancel_sweeps SET next_position = $2 WHERE bulk_send_id = $1`,
          [bulkSendId, rows.at(-1)!.position + 1],
        );
      }
      return { bulkSendId, canceled, done };
    });
  }
}
