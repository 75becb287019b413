import type {
  MessageDirection as MessageDirectionProto,
  MessageStatus as MessageStatusProto,
} from '../generated/textplane/messaging/v1/messaging.js';
import { toTimestampProto } from '../grpc/timestamps.js';
import type { MessageDirection, MessageStatus } from '../messages/message.resource.js';
import type {
  ConversationProto,
  ListConversationsResponseProto,
  WatchConversationsResponseProto,
} from './conversation-proto.js';
import type {
  ConversationChange,
  ConversationListPage,
  ConversationResource,
} from './conversation.resource.js';

const STATUS_TO_PROTO: Readonly<Record<MessageStatus, MessageStatusProto>> = {
  queued: 'MESSAGE_STATUS_QUEUED',
  scheduled: 'MESSAGE_STATUS_SCHEDULED',
  blocked: 'MESSAGE_STATUS_BLOCKED',
  sending: 'MESSAGE_STATUS_SENDING',
  sent: 'MESSAGE_STATUS_SENT',
  delivered: 'MESSAGE_STATUS_DELIVERED',
  failed: 'MESSAGE_STATUS_FAILED',
  undelivered: 'MESSAGE_STATUS_UNDELIVERED',
  received: 'MESSAGE_STATUS_RECEIVED',
  canceled: 'MESSAGE_STATUS_CANCELED',
};

const DIRECTION_TO_PROTO: Readonly<Record<MessageDirection, MessageDirectionProto>> = {
  outbound: 'MESSAGE_DIRECTION_OUTBOUND',
  inbound: 'MESSAGE_DIRECTION_INBOUND',
};

export function toConversationProto(conversation: ConversationResource): ConversationProto {
  const { contact, lastMessage } = conversation;
  return {
    phone: conversation.phone,
    contact:
      contact === null
        ? null
        : { id: contact.id, first_name: contact.firstName, last_name: contact.lastName },
    sender_number: conversation.senderNumber,
    last_message: {
      id: lastMessage.id,
      direction: DIRECTION_TO_PROTO[lastMessage.direction],
      preview: lastMessage.preview,
      status: STATUS_TO_PROTO[lastMessage.status],
      time: toTimestampProto(lastMessage.at),
    },
    unread_count: conversation.unreadCount,
    last_read_time:
      conversation.lastReadAt === null ? null : toTimestampProto(conversation.lastReadAt),
  };
}

export function toListConversationsResponse(
  page: ConversationListPage,
): ListConversationsResponseProto {
  return {
    conversations: page.items.map(toConversationProto),
    next_page_token: page.nextCursor ?? '',
  };
}

export function toWatchConversationsResponse(
  change: ConversationChange,
): WatchConversationsResponseProto {
  return {
    conversation: toConversationProto(change.conversation),
    event_type: change.eventType,
    event_time: toTimestampProto(change.occurredAt),
  };
}
