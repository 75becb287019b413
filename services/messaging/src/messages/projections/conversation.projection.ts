import { unitOfWorkOf } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import { type MessageEvent, messageStreamId } from '../message.events.js';

/**
 * One conversation per (tenant, contact phone): both directions count, and `outbound_count` the
 * messages that reached the carrier (a first submission attempt). The only writer of the table:
 * applied inline, in the transaction that records the events (the first-message rule reads it
 * there), and the same `apply` rebuilds it from the stored events.
 */
export class ConversationProjection {
  /** A message's first event opens or touches a conversation; its first attempt contacts it. */
  follows(event: MessageEvent): boolean {
    switch (event.type) {
      case 'messaging.MessageQueued.v1':
      case 'messaging.InboundMessageReceived.v1':
        return true;
      case 'messaging.MessageSubmissionStarted.v1':
        return event.data.attempt === 1;
      case 'messaging.MessageSubmitted.v1':
      case 'messaging.MessageSent.v1':
      case 'messaging.MessageDelivered.v1':
      case 'messaging.MessageFailed.v1':
      case 'messaging.MessageUndelivered.v1':
      case 'messaging.MessageBlocked.v1':
      case 'messaging.MessageHeld.v1':
      case 'messaging.MessageParked.v1':
      case 'messaging.MessageCanceled.v1':
      case 'messaging.MessageCancelRejected.v1':
      case 'messaging.MessageRescheduled.v1':
      case 'messaging.MessageRescheduleRejected.v1':
      case 'messaging.FundsHoldRequested.v1':
        return false;
    }
  }

  async apply(manager: EntityManager, event: MessageEvent): Promise<void> {
    switch (event.type) {
      case 'messaging.MessageQueued.v1':
        return this.write(manager, {
          tenantId: event.data.tenantId,
          contactPhone: event.data.to,
          messageId: event.data.messageId,
          at: event.data.queuedAt,
          ourNumber: event.data.from,
          contacted: 0,
        });
      case 'messaging.InboundMessageReceived.v1':
        return this.write(manager, {
          tenantId: event.data.tenantId,
          contactPhone: event.data.from,
          messageId: event.data.messageId,
          at: event.data.receivedAt,
          ourNumber: event.data.to,
          contacted: 0,
        });
      case 'messaging.MessageSubmissionStarted.v1': {
        // A retry reaches a contact the first attempt already counted.
        if (event.data.attempt !== 1) return;
        const contactPhone =
          event.data.to ?? (await queuedRecipient(manager, event.data.messageId));
        const unit = unitOfWorkOf(manager);
        unit?.remember(firstOutboundKey(event.data.tenantId, contactPhone), false);
        return this.write(manager, {
          tenantId: event.data.tenantId,
          contactPhone,
          messageId: event.data.messageId,
          at: null,
          ourNumber: null,
          contacted: 1,
        });
      }
      case 'messaging.MessageSubmitted.v1':
      case 'messaging.MessageSent.v1':
      case 'messaging.MessageDelivered.v1':
      case 'messaging.MessageFailed.v1':
      case 'messaging.MessageUndelivered.v1':
      case 'messaging.MessageBlocked.v1':
      case 'messaging.MessageHeld.v1':
      case 'messaging.MessageParked.v1':
      case 'messaging.MessageCanceled.v1':
      case 'messaging.MessageCancelRejected.v1':
      case 'messaging.MessageRescheduled.v1':
      case 'messaging.MessageRescheduleRejected.v1':
      case 'messaging.FundsHoldRequested.v1':
        return;
    }
  }

  /** Inside a unit of work the change joins the unit's one statement for all of them. */
  private async write(manager: EntityManager, change: Change): Promise<void> {
    const unit = unitOfWorkOf(manager);
    if (unit) unit.deferWrite('conversations', change, (m, changes) => writeAll(m, changes));
    else await writeAll(manager, [change]);
  }

  /**
   * The tenant number each of these phones last had a conversation with (the sticky sender), in
   * one read; phones without one are absent.
   */
  async lastNumbers(
    manager: EntityManager,
    tenantId: string,
    phones: readonly string[],
  ): Promise<Map<string, string>> {
    if (phones.length === 0) return new Map();
    const rows = await manager.query<Array<{ contact_phone: string; our_number: string }>>(
      `SELECT contact_phone, our_number FROM conversations
       WHERE tenant_id = $1 AND contact_phone = ANY($2::text[]) AND our_number IS NOT NULL`,
      [tenantId, phones],
    );
    return new Map(rows.map((row) => [row.contact_phone, row.our_number]));
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
   * follow (the count only moves when a message reaches the carrier, and a contact in the same
   * unit updates the memo).
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

/** What one event changes in its conversation. */
interface Change {
  tenantId: string;
  contactPhone: string;
  messageId: string;
  /** When the message was queued or received: it touches the conversation; null for a contact. */
  at: string | null;
  /** The tenant's number of that message (its `from` out, its `to` in): the sticky sender. */
  ourNumber: string | null;
  /** 1 when a message reached the contact (its first submission attempt). */
  contacted: 0 | 1;
}

/**
 * Where a MessageSubmissionStarted recorded before it carried `to` (the wire allows that) was
 * going: its stream's MessageQueued. Only such old events come here, so the hot path never does.
 */
async function queuedRecipient(manager: EntityManager, messageId: string): Promise<string> {
  const rows = await manager.query<Array<{ to: string }>>(
    `SELECT data->>'to' AS "to" FROM events
     WHERE stream_id = $1 AND type = 'messaging.MessageQueued.v1'`,
    [messageStreamId(messageId)],
  );
  const to = rows[0]?.to;
  if (to === undefined) {
    throw new Error(`message ${messageId} was submitted without having been queued`);
  }
  return to;
}

/**
 * Applies these changes in one statement: per conversation, the counts grow by its messages and
 * contacts, and the latest message (the later one on a tie) is the last. Rows go in (tenant,
 * contact) order, the order every writer of them keeps, so two batches never wait on each other
 * in a cycle. A contact-only row (its message queued in an earlier transaction, so the row
 * exists) carries `-infinity` as its time, which never wins the last message; Postgres checks NOT
 * NULL before ON CONFLICT, so it cannot be NULL.
 */
async function writeAll(manager: EntityManager, changes: readonly Change[]): Promise<void> {
  const byConversation = new Map<
    string,
    {
      change: Change;
      last: { messageId: string; at: string; ourNumber: string | null } | null;
      messages: number;
      contacted: number;
    }
  >();
  for (const change of changes) {
    const key = conversationKey(change.tenantId, change.contactPhone);
    const known = byConversation.get(key) ?? {
      change,
      last: null,
      messages: 0,
      contacted: 0,
    };
    byConversation.set(key, known);
    known.contacted += change.contacted;
    const { messageId, at, ourNumber } = change;
    if (at !== null) {
      known.messages += 1;
      if (!known.last || Date.parse(at) >= Date.parse(known.last.at)) {
        known.last = { messageId, at, ourNumber };
      }
    }
  }
  const rows = [...byConversation.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
  await manager.query(
    `INSERT INTO conversations
       (tenant_id, contact_phone, last_message_id, last_message_at, message_count, outbound_count,
        our_number)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::integer[], $6::integer[],
                          $7::text[])
     ON CONFLICT (tenant_id, contact_phone) DO UPDATE SET
       message_count = conversations.message_count + EXCLUDED.message_count,
       outbound_count = conversations.outbound_count + EXCLUDED.outbound_count,
       last_message_id = CASE WHEN EXCLUDED.last_message_at >= conversations.last_message_at
                              THEN EXCLUDED.last_message_id ELSE conversations.last_message_id END,
       our_number = CASE WHEN EXCLUDED.last_message_at >= conversations.last_message_at
                         THEN COALESCE(EXCLUDED.our_number, conversations.our_number)
                         ELSE conversations.our_number END,
       last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at)`,
    [
      rows.map((row) => row.change.tenantId),
      rows.map((row) => row.change.contactPhone),
      rows.map((row) => row.last?.messageId ?? row.change.messageId),
      rows.map((row) => row.last?.at ?? '-infinity'),
      rows.map((row) => row.messages),
      rows.map((row) => row.contacted),
      rows.map((row) => row.last?.ourNumber ?? null),
    ],
  );
}

/** The order in which writers lock conversation rows: every batch keeps it, so none deadlock. */
export function conversationKey(tenantId: string, contactPhone: string): string {
  return `${tenantId.toLowerCase()}|${contactPhone}`;
}
