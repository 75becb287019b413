import {
  type BulkSendControlRequested,
  type BulkSendRecipientsSubmitted,
  type BulkSendRequested,
} from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import type { CommandContext } from '../infrastructure/message-store.js';
import type { DispatchQueue } from '../messages/dispatch/dispatch-queue.js';
import { BULK_SEND_RESUMED_EVENT } from '../messages/dispatch/gates.js';
import type { BulkSendCommand } from './bulk-send.commands.js';
import type { BulkSendStore } from './bulk-send-store.js';

/**
 * The gateway's bulk-send requests (topic gateway.bulk-send-requests, one stream per bulk send,
 * so its events come in order): the bulk send taken on, its recipients frozen chunk by chunk,
 * its pause, resume and cancel decided on its run. A resume wakes the released messages the
 * pause kept waiting in the dispatcher. A cancel only records the run canceled (and its sweep):
 * the released messages not yet sending wait in the dispatcher from its commit on, and
 * BulkSendCancelSweeper cancels them a bounded number per transaction.
 */
export class BulkSendRequestHandler {
  constructor(
    private readonly bulkSends: BulkSendStore,
    private readonly queue: DispatchQueue,
    private readonly clock: Clock,
  ) {}

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    const now = this.clock.now();
    const request = commandOf(event, now);
    if (!request) return;
    const { bulkSendId, command } = request;
    const context: CommandContext = {
      tenantId: command.tenantId,
      correlationId: event.correlationId,
      causationId: event.id,
    };
    if (command.type !== 'CreateBulkSend') {
      // A release under way holds the run's row: a pause or cancel waits for it and decides on
      // the run as released, rather than losing to it on the stream's version.
      await manager.query(`SELECT 1 FROM bulk_send_runs WHERE bulk_send_id = $1 FOR UPDATE`, [
        bulkSendId,
      ]);
    }
    const decision = await this.bulkSends.handle(bulkSendId, command, context, manager);
    for (const fact of decision.events) {
      switch (fact.type) {
        case 'messaging.BulkSendResumed.v1':
          await this.queue.wake(manager, BULK_SEND_RESUMED_EVENT, bulkSendId, now);
          break;
        default:
          break;
      }
    }
  }
}

function commandOf(
  event: ConsumedEvent,
  now: Date,
): { bulkSendId: string; command: BulkSendCommand } | null {
  switch (event.type) {
    case 'gateway.BulkSendRequested.v1': {
      const d = event.data as BulkSendRequested;
      return {
        bulkSendId: d.bulkSendId,
        command: { type: 'CreateBulkSend', tenantId: d.tenantId, request: d, now },
      };
    }
    case 'gateway.BulkSendRecipientsSubmitted.v1': {
      const d = event.data as BulkSendRecipientsSubmitted;
      return {
        bulkSendId: d.bulkSendId,
        command: { type: 'FreezeRecipients', tenantId: d.tenantId, submitted: d, now },
      };
    }
    case 'gateway.BulkSendPauseRequested.v1':
    case 'gateway.BulkSendResumeRequested.v1':
    case 'gateway.BulkSendCancelRequested.v1': {
      const d = event.data as BulkSendControlRequested;
      const type =
        event.type === 'gateway.BulkSendPauseRequested.v1'
          ? 'PauseBulkSend'
          : event.type === 'gateway.BulkSendResumeRequested.v1'
            ? 'ResumeBulkSend'
            : 'CancelBulkSend';
      return {
        bulkSendId: d.bulkSendId,
        command: { type, tenantId: d.tenantId, requestedAt: new Date(d.requestedAt), now },
      };
    }
    default:
      return null;
  }
}
