import type { EntityManager } from 'typeorm';
import type { CommandContext } from '../infrastructure/message-store.js';
import type { DispatchQueue } from '../messages/dispatch/dispatch-queue.js';
import { BULK_SEND_RESUMED_EVENT } from '../messages/dispatch/gates.js';
import type { BulkSendStore } from './bulk-send-store.js';

/**
 * A bulk send pauses when its tenant's wallet cannot cover its texts, and resumes when the
 * wallet is credited (issue 13): FundsProjection calls it in the transaction of billing's fact.
 * The run's row is locked first, as a client's pause or cancel locks it, so a batch release
 * under way finishes before the run is paused. A client's own pause is never lifted by a credit.
 */
export class BulkSendFundsPause {
  constructor(
    private readonly bulkSends: BulkSendStore,
    private readonly queue: DispatchQueue,
  ) {}

  /** One of the bulk send's texts was refused a hold for insufficient funds: it pauses. */
  async pause(
    manager: EntityManager,
    bulkSendId: string,
    context: CommandContext,
    now: Date,
  ): Promise<void> {
    await manager.query(`SELECT 1 FROM bulk_send_runs WHERE bulk_send_id = $1 FOR UPDATE`, [
      bulkSendId,
    ]);
    await this.bulkSends.handle(
      bulkSendId,
      { type: 'PauseForFunds', tenantId: context.tenantId, now },
      context,
      manager,
    );
  }

  /**
   * The tenant's wallet was credited: each of its bulk sends paused for funds resumes, and its
   * released texts waiting on the pause are woken. Returns the bulk sends resumed.
   */
  async resumeAll(manager: EntityManager, context: CommandContext, now: Date): Promise<string[]> {
    const paused = await manager.query<Array<{ bulk_send_id: string }>>(
      `SELECT bulk_send_id FROM bulk_send_runs WHERE tenant_id = $1 AND status = 'paused'
       ORDER BY bulk_send_id FOR UPDATE`,
      [context.tenantId],
    );
    const resumed: string[] = [];
    for (const { bulk_send_id: bulkSendId } of paused) {
      const decision = await this.bulkSends.handle(
        bulkSendId,
        { type: 'ResumeAfterFunds', tenantId: context.tenantId, now },
        context,
        manager,
      );
      if (decision.events.some((event) => event.type === 'messaging.BulkSendResumed.v1')) {
        await this.queue.wake(manager, BULK_SEND_RESUMED_EVENT, bulkSendId, now);
        resumed.push(bulkSendId);
      }
    }
    return resumed;
  }
}
