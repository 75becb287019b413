import {
  AggregateStore,
  type Decision,
  type EventMetadata,
  type EventStore,
} from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import type { EntityManager } from 'typeorm';
import type { MessageCommand } from '../messages/message.commands.js';
import { decide, evolve, initialState, type MessageState } from '../messages/message.decider.js';
import {
  isMessageEventType,
  MESSAGE_STREAM_TYPE,
  type MessageEvent,
  messageStreamId,
} from '../messages/message.events.js';
import { ConversationProjection } from '../messages/projections/conversation.projection.js';
import { ReceiptWatchProjection } from '../messages/reconcile-receipts/receipt-watch.projection.js';
import { OptOutLineProjection } from '../messages/opt-out-reminder/opt-out-line.projection.js';

/** Where a command came from, carried into the metadata of the events it causes. */
export interface CommandContext {
  tenantId: string;
  correlationId: string;
  causationId?: string;
  /**
   * The trace of the request that queued the message (W3C traceparent), kept with its
   * dispatch-queue row so a release continues it; the events' own comes from the active span.
   */
  traceparent?: string;
}

/** Message streams, with the conversation and receipt-watch projections updated in the same transaction. */
export class MessageStore {
  private readonly aggregates: AggregateStore<MessageCommand, MessageEvent, MessageState>;
  private readonly conversations = new ConversationProjection();
  private readonly receiptWatch = new ReceiptWatchProjection();
  private readonly optOutLines = new OptOutLineProjection();

  constructor(store: EventStore) {
    const { conversations, receiptWatch, optOutLines } = this;
    this.aggregates = new AggregateStore(
      store,
      { decide, evolve, initialState, isEvent: isMessageEventType },
      MESSAGE_STREAM_TYPE,
      {
        project: async (manager, events) => {
          for (const event of events) {
            await conversations.apply(manager, event);
            await receiptWatch.apply(manager, event);
            await optOutLines.apply(manager, event);
          }
        },
        projects: (event) =>
          conversations.follows(event) || receiptWatch.follows(event) || optOutLines.follows(event),
      },
    );
  }

  load(
    messageId: string,
    manager?: EntityManager,
  ): Promise<{ state: MessageState; version: number }> {
    return this.aggregates.load(messageStreamId(messageId), manager);
  }

  /** `load` for several messages in one read (inside a unit of work, streams it holds are not read). */
  async loadAll(
    messageIds: readonly string[],
    manager?: EntityManager,
  ): Promise<Map<string, { state: MessageState; version: number }>> {
    const streams = await this.aggregates.loadAll(messageIds.map(messageStreamId), manager);
    return new Map(
      messageIds.flatMap((messageId) => {
        const stream = streams.get(messageStreamId(messageId));
        return stream ? [[messageId, stream] as const] : [];
      }),
    );
  }

  /** Reads `isFirstOutbound` for many contacts at once, for the unit of work's later calls. */
  prefetchFirstOutbound(
    manager: EntityManager,
    contacts: ReadonlyArray<{ tenantId: string; contactPhone: string }>,
  ): Promise<void> {
    return this.conversations.prefetchFirstOutbound(manager, contacts);
  }

  /** Whether no message to this contact has gone to the carrier yet (the first must name the brand). */
  isFirstOutbound(
    manager: EntityManager,
    tenantId: string,
    contactPhone: string,
  ): Promise<boolean> {
    return this.conversations.isFirstOutbound(manager, tenantId, contactPhone);
  }

  /** When the contact was last sent an opt-out line (the periodic reminder), or null when never. */
  lastOptOutLineAt(
    manager: EntityManager,
    tenantId: string,
    contactPhone: string,
  ): Promise<Date | null> {
    return this.optOutLines.lastOptOutLineAt(manager, tenantId, contactPhone);
  }

  /** Reads `lastOptOutLineAt` for many contacts at once, for the unit of work's later calls. */
  prefetchOptOutLines(
    manager: EntityManager,
    contacts: ReadonlyArray<{ tenantId: string; contactPhone: string }>,
  ): Promise<void> {
    return this.optOutLines.prefetch(manager, contacts);
  }

  handle(
    messageId: string,
    command: MessageCommand,
    context: CommandContext,
    manager?: EntityManager,
    loaded?: { state: MessageState; version: number },
  ): Promise<Decision<MessageEvent, MessageState>> {
    return this.aggregates.handle(
      messageStreamId(messageId),
      command,
      metadataOf(context),
      manager,
      loaded,
    );
  }
}

export function metadataOf(context: CommandContext): EventMetadata {
  const traceparent = currentTraceparent();
  return {
    tenantId: context.tenantId,
    correlationId: context.correlationId,
    ...(context.causationId ? { causationId: context.causationId } : {}),
    ...(traceparent ? { traceparent } : {}),
  };
}
