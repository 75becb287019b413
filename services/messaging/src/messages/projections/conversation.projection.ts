import type { EntityManager } from 'typeorm';
import type { MessageEvent } from '../message.events.js';

/** One conversation per (tenant, contact phone): both directions count. */
export class ConversationProjection {
  /** Only a message's first event opens or touches a conversation. */
  follows(event: MessageEvent): boolean {
    return (
      event.type === 'messaging.MessageQueued.v1' ||
      event.type === 'messaging.InboundMessageReceived.v1'
    );
  }

  async apply(manager: EntityManager, event: MessageEvent): Promise<void> {
    switch (event.type) {
      case 'messaging.MessageQueued.v1':
        return this.touch(
          manager,
          event.data.tenantId,
          event.data.to,
          event.data.messageId,
          event.data.queuedAt,
        );
      case 'messaging.InboundMessageReceived.v1':
        return this.touch(
          manager,
          event.data.tenantId,
          event.data.from,
          event.data.messageId,
          event.data.receivedAt,
        );
      case 'messaging.MessageSubmissionStarted.v1':
      case 'messaging.MessageSubmitted.v1':
      case 'messaging.MessageSent.v1':
      case 'messaging.MessageDelivered.v1':
      case 'messaging.MessageFailed.v1':
      case 'messaging.MessageUndelivered.v1':
      case 'messaging.MessageBlocked.v1':
      case 'messaging.MessageHeld.v1':
        return;
    }
  }

  private async touch(
    manager: EntityManager,
    tenantId: string,
    contactPhone: string,
    messageId: string,
    at: string,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO conversations (tenant_id, contact_phone, last_message_id, last_message_at, message_count)
       VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (tenant_id, contact_phone) DO UPDATE SET
         message_count = conversations.message_count + 1,
         last_message_id = CASE WHEN EXCLUDED.last_message_at >= conversations.last_message_at
                                THEN EXCLUDED.last_message_id ELSE conversations.last_message_id END,
         last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at)`,
      [tenantId, contactPhone, messageId, at],
    );
  }

  /** Counts a message handed to the carrier: from then on the contact knows who writes. */
  async recordContacted(
    manager: EntityManager,
    tenantId: string,
    contactPhone: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE conversations SET outbound_count = outbound_count + 1
       WHERE tenant_id = $1 AND contact_phone = $2`,
      [tenantId, contactPhone],
    );
  }

  /**
   * Whether no message of the tenant has reached the carrier for this contact yet (queued, held
   * or blocked ones do not count): the first one to reach them must name the brand.
   */
  async isFirstOutbound(
    manager: EntityManager,
    tenantId: string,
    contactPhone: string,
  ): Promise<boolean> {
    const rows = await manager.query<Array<{ outbound_count: number }>>(
      `SELECT outbound_count FROM conversations WHERE tenant_id = $1 AND contact_phone = $2`,
      [tenantId, contactPhone],
    );
    return (rows[0]?.outbound_count ?? 0) === 0;
  }
}
