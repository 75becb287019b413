import type { MessageDirection, MessageStatus } from '../messages/message.resource.js';

/** A conversation as the API shows it: the tenant's thread with one phone number. */
export interface ConversationResource {
  /** The other party, E.164. */
  phone: string;
  /** The tenant's contact with this number, when there is one. */
  contact: { id: string; firstName: string | null; lastName: string | null } | null;
  /** The tenant's number the latest message used. */
  senderNumber: string;
  lastMessage: {
    id: string;
    direction: MessageDirection;
    /** The first 100 characters of its body. */
    preview: string;
    status: MessageStatus;
    at: string;
  };
  /** Inbound messages after the read mark. */
  unreadCount: number;
  /** When the conversation was last marked read; null if never. */
  lastReadAt: string | null;
}

export interface ConversationListPage {
  items: ConversationResource[];
  nextCursor: string | null;
}

/** A change pushed to watchers of a tenant's conversations. */
export interface ConversationChange {
  conversation: ConversationResource;
  /** The event that changed it (a message's, or gateway.ConversationRead.v1). */
  eventType: string;
  occurredAt: string;
}
