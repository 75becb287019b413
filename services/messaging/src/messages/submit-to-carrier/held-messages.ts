import { queryRows } from '@textplane/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import type { CommandContext } from '../../infrastructure/message-store.js';
import type { MessageEvent } from '../message.events.js';

export interface DueMessage {
  messageId: string;
  tenantId: string;
  correlationId: string;
}

/** Messages held for the recipient's allowed hours, and when each may go. */
export class HeldMessages {
  constructor(private readonly dataSource: DataSource) {}

  /** Keeps the schedule in step with what a submission decided, in its transaction. */
  async follow(
    manager: EntityManager,
    messageId: string,
    context: CommandContext,
    events: readonly MessageEvent[],
  ): Promise<void> {
    for (const event of events) {
      switch (event.type) {
        case 'messaging.MessageHeld.v1':
          await manager.query(
            `INSERT INTO held_messages (message_id, tenant_id, send_at, correlation_id)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (message_id) DO UPDATE SET send_at = EXCLUDED.send_at, claimed_until = NULL`,
            [messageId, context.tenantId, event.data.sendAt, context.correlationId],
          );
          break;
        case 'messaging.MessageSubmissionStarted.v1':
        case 'messaging.MessageBlocked.v1':
          await manager.query(`DELETE FROM held_messages WHERE message_id = $1`, [messageId]);
          break;
        // Neither holds nor releases: listed, so a new message event is a decision here.
        case 'messaging.MessageQueued.v1':
        case 'messaging.MessageSubmitted.v1':
        case 'messaging.MessageSent.v1':
        case 'messaging.MessageDelivered.v1':
        case 'messaging.MessageFailed.v1':
        case 'messaging.MessageUndelivered.v1':
        case 'messaging.InboundMessageReceived.v1':
          break;
      }
    }
  }

  async forget(manager: EntityManager, messageId: string): Promise<void> {
    await manager.query(`DELETE FROM held_messages WHERE message_id = $1`, [messageId]);
  }

  /** Claims up to `limit` due messages no other releaser holds, for CLAIM_MS. */
  async claimDue(now: Date, limit: number): Promise<DueMessage[]> {
    const rows = await queryRows<{ message_id: string; tenant_id: string; correlation_id: string }>(
      this.dataSource,
      `UPDATE held_messages SET claimed_until = $1::timestamptz + make_interval(secs => $3)
       WHERE message_id IN (
         SELECT message_id FROM held_messages
         WHERE send_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
         ORDER BY send_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING message_id, tenant_id, correlation_id`,
      [now.toISOString(), limit, CLAIM_MS / 1000],
    );
    return rows.map((r) => ({
      messageId: r.message_id,
      tenantId: r.tenant_id,
      correlationId: r.correlation_id,
    }));
  }
}

/** How long a releaser owns the messages it claimed; a failed release is retried after it. */
const CLAIM_MS = 30_000;
