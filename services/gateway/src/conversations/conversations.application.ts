import type { EventStore } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import type { Clock } from '@textplane/service-runtime';
import type { DataSource } from 'typeorm';
import { validateRequest } from '../http/request-validator.js';
import { E164_PATTERN } from '../http/schema-parts.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError, echoed } from '../problems/api-error.js';
import { conversationPositionAfter, encodeConversationCursor } from './conversation-cursor.js';
import type { ConversationReadModel } from './conversation-read-model.js';
import type { ConversationEvent } from './conversation-row.js';
import type { ConversationWatchHub } from './conversation-watch-hub.js';
import { applyConversationEvent } from './conversation.projection.js';
import type {
  ConversationChange,
  ConversationListPage,
  ConversationResource,
} from './conversation.resource.js';

export const CONVERSATION_STREAM_TYPE = 'conversation';
export const CONVERSATION_PAGE_SIZE = { default: 50, max: 100 } as const;

const E164 = new RegExp(E164_PATTERN);

export interface ConversationListQuery {
  cursor?: string;
  limit: number;
  /** true: only conversations with unread inbound messages; false: only those without. */
  unread?: boolean;
}

/** What REST and gRPC ask of conversations. */
export interface ConversationApi {
  list(tenant: AuthenticatedTenant, query: ConversationListQuery): Promise<ConversationListPage>;
  markRead(
    tenant: AuthenticatedTenant,
    phone: string,
    body: unknown,
  ): Promise<ConversationResource>;
  watch(tenant: AuthenticatedTenant, listener: (change: ConversationChange) => void): () => void;
}

/** The stream of a conversation's read marks. */
export function conversationStreamId(tenantId: string, phone: string): string {
  return `conversation-${tenantId}-${phone}`;
}

/**
 * Conversations: listed from their read model; a read mark is an event in the gateway's store
 * (gateway.ConversationRead.v1), projected inline in the transaction that records it by the
 * projection's own step (read your writes), and again, changing nothing, from its topic.
 */
export class ConversationsApplication implements ConversationApi {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly readModel: ConversationReadModel,
    private readonly watchHub: ConversationWatchHub,
    private readonly clock: Clock,
  ) {}

  async list(
    tenant: AuthenticatedTenant,
    query: ConversationListQuery,
  ): Promise<ConversationListPage> {
    requirePageSize(query.limit);
    const after = conversationPositionAfter(query.cursor);
    const page = await this.readModel.list(tenant.tenantId, {
      after,
      limit: query.limit,
      ...(query.unread !== undefined ? { unread: query.unread } : {}),
    });
    return {
      items: page.items,
      nextCursor: page.last ? encodeConversationCursor(page.last) : null,
    };
  }

  async markRead(
    tenant: AuthenticatedTenant,
    phone: string,
    body: unknown,
  ): Promise<ConversationResource> {
    requirePhone(phone);
    const input =
      body === undefined || body === null
        ? {}
        : validateRequest<{ upTo?: string }>('MarkConversationReadRequest', body);
    const row = await this.readModel.row(tenant.tenantId, phone);
    if (row === null) throw conversationNotFound(phone);
    const upToId = input.upTo?.toLowerCase();
    // The latest message by the conversation's own position; another by the message list's.
    const upTo =
      upToId === undefined || upToId === row.last_message_id
        ? { id: row.last_message_id, at: row.last_activity_at }
        : await this.readModel.messageOf(tenant.tenantId, phone, upToId);
    if (upTo === null) {
      throw new ApiError(
        'unprocessable',
        'message_not_in_conversation',
        `No message ${echoed(input.upTo ?? '')} of this tenant was exchanged with ${phone}`,
        [{ field: 'upTo', message: 'must be the id of a message of this conversation' }],
      );
    }
    const readAt = this.clock.now().toISOString();
    const event: Extract<ConversationEvent, { type: 'gateway.ConversationRead.v1' }> = {
      type: 'gateway.ConversationRead.v1',
      data: {
        tenantId: tenant.tenantId,
        phone,
        upToMessageId: upTo.id,
        upToAt: upTo.at,
        readAt,
      },
    };
    await this.dataSource.transaction(async (manager) => {
      const traceparent = currentTraceparent();
      await this.store.append(
        conversationStreamId(tenant.tenantId, phone),
        CONVERSATION_STREAM_TYPE,
        'any',
        [
          {
            ...event,
            metadata: {
              tenantId: tenant.tenantId,
              correlationId: upTo.id,
              ...(traceparent ? { traceparent } : {}),
            },
            occurredAt: new Date(readAt),
          },
        ],
        manager,
      );
      await applyConversationEvent(this.readModel, manager, event, readAt);
    });
    const conversation = await this.readModel.get(tenant.tenantId, phone);
    if (conversation === null) throw conversationNotFound(phone);
    return conversation;
  }

  watch(tenant: AuthenticatedTenant, listener: (change: ConversationChange) => void): () => void {
    return this.watchHub.watch(tenant.tenantId, listener);
  }
}

function requirePhone(phone: string): void {
  if (!E164.test(phone)) {
    throw ApiError.invalid('The phone number is not valid', [
      { field: 'phone', message: 'must be an E.164 phone number such as +15555550123' },
    ]);
  }
}

function requirePageSize(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > CONVERSATION_PAGE_SIZE.max) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: `must be an integer from 1 to ${CONVERSATION_PAGE_SIZE.max}` },
    ]);
  }
}

function conversationNotFound(phone: string): ApiError {
  return new ApiError(
    'not_found',
    'conversation_not_found',
    `No message of this tenant was exchanged with ${phone}`,
  );
}
