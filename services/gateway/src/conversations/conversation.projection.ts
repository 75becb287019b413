import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import type { ConversationReadModel } from './conversation-read-model.js';
import {
  type ConversationEvent,
  type ConversationRow,
  conversationEventOf,
  conversationKeyOf,
  evolveConversationRow,
} from './conversation-row.js';

/**
 * The projection's step, the same wherever an event is applied (from messaging's topic, from the
 * gateway's conversations topic, and inline where a read mark is recorded): the tenant's
 * conversations locked, the row found, evolved, and written with its notice when it changed.
 */
export async function applyConversationEvent(
  readModel: ConversationReadModel,
  manager: EntityManager,
  event: ConversationEvent,
  occurredAt: string,
): Promise<ConversationRow | null> {
  const key = conversationKeyOf(event);
  await readModel.lockTenants(manager, [key.tenantId]);
  const before = await readModel.find(manager, key);
  const after = evolveConversationRow(before, event);
  if (after !== null && after !== before) {
    await readModel.save(manager, after, {
      tenantId: after.tenant_id,
      phone: after.phone,
      eventType: event.type,
      occurredAt,
    });
  }
  return after;
}

/**
 * Keeps the `conversations` read model in step with messaging's messages topic and the gateway's
 * read marks. Each event's write and its inbox record commit together (redelivery changes
 * nothing); a fetched batch first locks every tenant it touches, in one order.
 */
export class ConversationProjection implements EventHandlers {
  private readonly handlers: EventHandlers;

  constructor(
    inbox: Inbox,
    consumerGroup: string,
    private readonly readModel: ConversationReadModel,
  ) {
    this.handlers = onceThroughInbox(
      inbox,
      consumerGroup,
      async (consumed, manager) => {
        const event = conversationEventOf(consumed);
        if (event !== null) await applyConversationEvent(readModel, manager, event, consumed.time);
      },
      {
        prepare: (events, manager) =>
          this.readModel.lockTenants(
            manager,
            events.flatMap((consumed) => {
              const event = conversationEventOf(consumed);
              return event === null ? [] : [event.data.tenantId];
            }),
          ),
      },
    );
  }

  handle(event: ConsumedEvent): Promise<void> {
    return this.handlers.handle(event);
  }

  handleBatch(events: ConsumedEvent[]): Promise<void> {
    return this.handlers.handleBatch(events);
  }
}
