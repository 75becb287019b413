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

  /** Inside a unit of work the touch joins the unit's one statement for all of them. */
  private async touch(
    manager: EntityManager,
    tenantId: string,
    contactPhone: string,
    messageId: string,
    at: string,
  ): Promise<void> {
    const touch = { tenantId, contactPhone, messageId, at };
    const unit = unitOfWorkOf(manager);
    if (unit) unit.deferWrite('conversations', touch, (m, touches) => touchAll(m, touches));
    else await touchAll(manager, [touch]);
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

interface Touch {
  tenantId: string;
  contactPhone: string;
  messageId: string;
  at: string;
}

/**
 * Opens or touches the conversations of these messages in one statement: per conversation, the
 * count grows by its messages and the latest of them (the later one on a tie) is the last.
 * Rows go in (tenant, contact) order, the order every writer of them keeps, so two batches
 * never wait on each other in a cycle.
 */
async function touchAll(manager: EntityManager, touches: readonly Touch[]): Promise<void> {
  const byConversation = new Map<string, { touch: Touch; count: number }>();
  for (const touch of touches) {
    const key = conversationKey(touch.tenantId, touch.contactPhone);
    const known = byConversation.get(key);
    if (!known) byConversation.set(key, { touch, count: 1 });
    else {
      known.count += 1;
      if (Date.parse(touch.at) >= Date.parse(known.touch.at)) known.touch = touch;
    }
  }
  const rows = [...byConversation.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
  await manager.query(
    `INSERT INTO conversations (tenant_id, contact_phone, last_message_id, last_message_at, message_count)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::integer[])
     ON CONFLICT (tenant_id, contact_phone) DO UPDATE SET
       message_count = conversations.message_count + EXCLUDED.message_count,
       last_message_id = CASE WHEN EXCLUDED.last_message_at >= conversations.last_message_at
                              THEN EXCLUDED.last_message_id ELSE conversations.last_message_id END,
       last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at)`,
    [
      rows.map((row) => row.touch.tenantId),
      rows.map((row) => row.touch.contactPhone),
      rows.map((row) => row.touch.messageId),
      rows.map((row) => row.touch.at),
      rows.map((row) => row.count),
    ],
  );
}

/** The order in which writers lock conversation rows: every batch keeps it, so none deadlock. */
export function conversationKey(tenantId: string, contactPhone: string): string {
  return `${tenantId.toLowerCase()}|${contactPhone}`;
}
