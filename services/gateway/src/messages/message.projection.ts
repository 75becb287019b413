import { eventContracts, isEventType, Topics, type WireEvent } from '@textplane/contracts';
import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { batchOnceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import type { BulkSendChangeNotice } from '../bulk-sends/bulk-send.projection.js';
import type { MessageChangeNotice, MessageReadModel } from './message-read-model.js';
import {
  evolveMessageRow,
  messageIdOf,
  type MessageRow,
  type MessageRowEvent,
} from './message-row.js';

export { MESSAGE_CHANGES_CHANNEL, type MessageChangeNotice } from './message-read-model.js';

/** An event with what its notice tells watchers about it. */
interface MessageRowChange {
  event: MessageRowEvent;
  eventType: string;
  occurredAt: string;
}

/**
 * Keeps the gateway's message read model in step with messaging's events, through the same
 * `evolveMessageRow` the accept path applies to its own SendRequested. A fetched batch costs a
 * few statements, not one per event: its inbox record, one read of the rows it touches (locked),
 * and one write of the evolved rows with the NOTIFY of each change (so redelivery changes
 * nothing, and watchers on any replica hear only committed changes, each change in order), and
 * one NOTIFY per bulk send whose messages changed (its watchers' counts: WatchBulkSend).
 */
export class MessageProjection {
  constructor(
    private readonly inbox: Inbox,
    private readonly consumerGroup: string,
    private readonly readModel: MessageReadModel,
  ) {}

  handle(event: ConsumedEvent): Promise<void> {
    return this.handleBatch([event]);
  }

  /** A fetched batch, in one transaction (one commit). */
  handleBatch(events: ConsumedEvent[]): Promise<void> {
    return batchOnceThroughInbox(this.inbox, this.consumerGroup, events, (fresh, manager) =>
      applyMessageRowChanges(
        this.readModel,
        manager,
        fresh.flatMap((event) => {
          const rowEvent = messageRowEventOf(event);
          return rowEvent === null
            ? []
            : [{ event: rowEvent, eventType: event.type, occurredAt: event.time }];
        }),
      ),
    );
  }
}

/**
 * The projection's step: folds events into their rows (read locked), in order, and writes what
 * changed with one notice per change. (The accept path folds its SendRequested into no row.)
 */
async function applyMessageRowChanges(
  readModel: MessageReadModel,
  manager: EntityManager,
  changes: readonly MessageRowChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const ids = [...new Set(changes.map((change) => messageIdOf(change.event)))];
  const rows: Map<string, MessageRow> = await readModel.lockRows(manager, ids);
  const changed = new Set<string>();
  const notices: MessageChangeNotice[] = [];
  for (const { event, eventType, occurredAt } of changes) {
    const id = messageIdOf(event);
    const before = rows.get(id) ?? null;
    const after = evolveMessageRow(before, event);
    if (after === null || after === before) {
      // A refusal changes no row, but the client's request waits for it (messages.application).
      const refusal = refusalOf(event);
      if (refusal !== null && before !== null) {
        notices.push({ tenantId: before.tenant_id, messageId: id, eventType, occurredAt, refusal });
      }
      continue;
    }
    rows.set(id, after);
    changed.add(id);
    notices.push({
      tenantId: after.tenant_id,
      messageId: id,
      eventType,
      occurredAt,
      message: { ...after },
    });
  }
  const written = [...changed].flatMap((id) => rows.get(id) ?? []);
  await readModel.save(manager, written, notices, bulkSendsOf(written));
}

/**
 * The bulk sends whose messages these are, once each: a batch of a bulk send's message changes
 * (its counts moved) is one notice to its watchers, not one per message.
 */
export function bulkSendsOf(rows: readonly MessageRow[]): BulkSendChangeNotice[] {
  const bulkSends = new Map<string, BulkSendChangeNotice>();
  for (const row of rows) {
    if (row.bulk_send_id === null || bulkSends.has(row.bulk_send_id)) continue;
    bulkSends.set(row.bulk_send_id, { tenantId: row.tenant_id, bulkSendId: row.bulk_send_id });
  }
  return [...bulkSends.values()];
}

/** What a refusal of a client's cancel or reschedule tells its waiting request. */
function refusalOf(event: MessageRowEvent): MessageChangeNotice['refusal'] | null {
  switch (event.type) {
    case 'messaging.MessageCancelRejected.v1':
      return { status: event.data.status, requestedAt: event.data.requestedAt };
    case 'messaging.MessageRescheduleRejected.v1': {
      const { status, reason, requestedAt } = event.data;
      return { status, requestedAt, ...(reason !== undefined ? { reason } : {}) };
    }
    default:
      return null;
  }
}

/**
 * The read model's view of a consumed event, or null for an event that does not concern it. The
 * consumer has validated the data against the event's schema.
 */
export function messageRowEventOf(event: ConsumedEvent): MessageRowEvent | null {
  if (!isEventType(event.type)) return null;
  const wire = { type: event.type, data: event.data } as WireEvent;
  return concernsMessageRows(wire) ? wire : null;
}

/**
 * Every event of messaging's messages topic concerns the rows (evolveMessageRow must decide on each, so a
 * new one is a compile error there), and the gateway's own SendRequested.
 */
function concernsMessageRows(event: WireEvent): event is MessageRowEvent {
  return (
    event.type === 'gateway.SendRequested.v1' ||
    eventContracts[event.type].topic === Topics.messagingMessages
  );
}
