import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { batchOnceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import type { ConversationChangeNotice, ConversationReadModel } from './conversation-read-model.js';
import {
  type ConversationEvent,
  type ConversationKey,
  type ConversationRow,
  conversationEventOf,
  conversationKeyOf,
  evolveConversationRow,
} from './conversation-row.js';

/** An event to apply, with the time its notice tells watchers. */
export interface ConversationChangeOf {
  event: ConversationEvent;
  occurredAt: string;
}

/**
 * The projection's step, the same wherever events are applied (from messaging's topic, from the
 * gateway's conversations topic, and inline where a read mark is recorded): the tenants'
 * conversations locked (in one order), every row the events are about read at once, the events
 * folded into them in order, and the rows that changed written at once with one notice per
 * change. A fetched batch so costs a few statements, not three per event: a bulk send's
 * thousands of status changes are one read and one write per batch.
 */
export async function applyConversationEvents(
  readModel: ConversationReadModel,
  manager: EntityManager,
  changes: readonly ConversationChangeOf[],
): Promise<void> {
  if (changes.length === 0) return;
  await readModel.lockTenants(
    manager,
    changes.map(({ event }) => event.data.tenantId),
  );
  const keys = changes.map(({ event }) => conversationKeyOf(event));
  const rows = new FoldedRows(await readModel.findAll(manager, keys));
  const notices: ConversationChangeNotice[] = [];
  changes.forEach(({ event, occurredAt }, i) => {
    const before = rows.find(keys[i] as ConversationKey);
    const after = evolveConversationRow(before, event);
    if (after === null || after === before) return;
    rows.put(after, before);
    notices.push({
      tenantId: after.tenant_id,
      phone: after.phone,
      eventType: event.type,
      occurredAt,
    });
  });
  await readModel.saveAll(manager, rows.changed(), notices);
}

/** One event: applyConversationEvents of it alone. */
export function applyConversationEvent(
  readModel: ConversationReadModel,
  manager: EntityManager,
  event: ConversationEvent,
  occurredAt: string,
): Promise<void> {
  return applyConversationEvents(readModel, manager, [{ event, occurredAt }]);
}

/**
 * The rows of a batch as its events evolve them, found as the table would find them at that
 * point: by phone, or by latest message. A row not read is one no event of the batch is about
 * (every row whose phone or latest message an event names was read), so it cannot have changed.
 */
class FoldedRows {
  private readonly byPhone = new Map<string, ConversationRow>();
  private readonly byLastMessage = new Map<string, string>();
  private readonly touched = new Set<string>();

  constructor(rows: readonly ConversationRow[]) {
    for (const row of rows) this.index(row);
  }

  find(key: ConversationKey): ConversationRow | null {
    const phoneKey =
      key.by === 'phone'
        ? phoneKeyOf(key.tenantId, key.phone)
        : this.byLastMessage.get(messageKeyOf(key.tenantId, key.messageId));
    return phoneKey === undefined ? null : (this.byPhone.get(phoneKey) ?? null);
  }

  put(row: ConversationRow, before: ConversationRow | null): void {
    if (before !== null) {
      this.byLastMessage.delete(messageKeyOf(before.tenant_id, before.last_message_id));
    }
    this.touched.add(this.index(row));
  }

  changed(): ConversationRow[] {
    return [...this.touched].flatMap((key) => this.byPhone.get(key) ?? []);
  }

  private index(row: ConversationRow): string {
    const phoneKey = phoneKeyOf(row.tenant_id, row.phone);
    this.byPhone.set(phoneKey, row);
    this.byLastMessage.set(messageKeyOf(row.tenant_id, row.last_message_id), phoneKey);
    return phoneKey;
  }
}

function phoneKeyOf(tenantId: string, phone: string): string {
  return `${tenantId} ${phone}`;
}

function messageKeyOf(tenantId: string, messageId: string): string {
  return `${tenantId} ${messageId.toLowerCase()}`;
}

/**
 * Keeps the `conversations` read model in step with messaging's messages topic and the gateway's
 * read marks. A fetched batch is one transaction: its inbox record, then its fresh events applied
 * together (applyConversationEvents), so redelivery changes nothing.
 */
export class ConversationProjection {
  constructor(
    private readonly inbox: Inbox,
    private readonly consumerGroup: string,
    private readonly readModel: ConversationReadModel,
  ) {}

  handle(event: ConsumedEvent): Promise<void> {
    return this.handleBatch([event]);
  }

  handleBatch(events: ConsumedEvent[]): Promise<void> {
    return batchOnceThroughInbox(this.inbox, this.consumerGroup, events, (fresh, manager) =>
      applyConversationEvents(
        this.readModel,
        manager,
        fresh.flatMap((consumed) => {
          const event = conversationEventOf(consumed);
          return event === null ? [] : [{ event, occurredAt: consumed.time }];
        }),
      ),
    );
  }
}
