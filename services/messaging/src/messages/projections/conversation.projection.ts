import { unitOfWorkOf } from '@textplane/event-store';
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
    const read = async (): Promise<boolean> => {
      const rows = await manager.query<Array<{ outbound_count: number }>>(
        `SELECT outbound_count FROM conversations WHERE tenant_id = $1 AND contact_phone = $2`,
        [tenantId, contactPhone],
      );
      return (rows[0]?.outbound_count ?? 0) === 0;
    };
    const unit = unitOfWorkOf(manager);
    return unit ? unit.memo(firstOutboundKey(tenantId, contactPhone), read) : read();
  }

  /**
   * `isFirstOutbound` for many contacts in one read, kept by the unit of work for the calls that
   * follow (the count only moves when a message reaches the carrier, in another transaction).
   */
  async prefetchFirstOutbound(
    manager: EntityManager,
    contacts: ReadonlyArray<{ tenantId: string; contactPhone: string }>,
  ): Promise<void> {
    const unit = unitOfWorkOf(manager);
    if (!unit || contacts.length === 0) return;
    const rows = await manager.query<
      Array<{ tenant_id: string; contact_phone: string; outbound_count: number }>
    >(
      `SELECT c.tenant_id, c.contact_phone, c.outbound_count
       FROM unnest($1::uuid[], $2::text[]) AS k(tenant_id, contact_phone)
       JOIN conversations c USING (tenant_id, contact_phone)`,
      [contacts.map((c) => c.tenantId), contacts.map((c) => c.contactPhone)],
    );
    const counts = new Map(
      rows.map((row) => [firstOutboundKey(row.tenant_id, row.contact_phone), row.outbound_count]),
    );
    for (const { tenantId, contactPhone } of contacts) {
      const key = firstOutboundKey(tenantId, contactPhone);
      unit.remember(key, (counts.get(key) ?? 0) === 0);
    }
  }
}

function firstOutboundKey(tenantId: string, contactPhone: string): string {
  return `first-outbound:${tenantId.toLowerCase()}:${contactPhone}`;
}
