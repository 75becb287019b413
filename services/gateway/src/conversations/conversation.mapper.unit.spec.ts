import { describe, expect, it } from 'vitest';
import { toConversationProto, toWatchConversationsResponse } from './conversation.mapper.js';
import type { ConversationResource } from './conversation.resource.js';

const conversation: ConversationResource = {
  phone: '+13055550123',
  contact: { id: 'crm-1', firstName: 'Ada', lastName: null },
  senderNumber: '+18885550100',
  lastMessage: {
    id: '0193a0f0-0000-7000-8000-000000000001',
    direction: 'inbound',
    preview: 'Hello',
    status: 'received',
    at: '2026-11-26T12:00:05.123Z',
  },
  unreadCount: 2,
  lastReadAt: null,
};

describe('the conversation on gRPC', () => {
  it('maps every field, an unset contact and read time as unset', () => {
    expect(toConversationProto(conversation)).toEqual({
      phone: '+13055550123',
      contact: { id: 'crm-1', first_name: 'Ada', last_name: null },
      sender_number: '+18885550100',
      last_message: {
        id: '0193a0f0-0000-7000-8000-000000000001',
        direction: 'MESSAGE_DIRECTION_INBOUND',
        preview: 'Hello',
        status: 'MESSAGE_STATUS_RECEIVED',
        time: { seconds: '1795694405', nanos: 123_000_000 },
      },
      unread_count: 2,
      last_read_time: null,
    });
    const read = toConversationProto({
      ...conversation,
      contact: null,
      lastMessage: { ...conversation.lastMessage, direction: 'outbound', status: 'delivered' },
      lastReadAt: '2026-11-26T12:01:00.000Z',
    });
    expect(read).toMatchObject({
      contact: null,
      last_message: { direction: 'MESSAGE_DIRECTION_OUTBOUND', status: 'MESSAGE_STATUS_DELIVERED' },
      last_read_time: { seconds: '1795694460', nanos: 0 },
    });
  });

  it('a watched change names its event and time', () => {
    expect(
      toWatchConversationsResponse({
        conversation,
        eventType: 'gateway.ConversationRead.v1',
        occurredAt: '2026-11-26T12:01:00.000Z',
      }),
    ).toMatchObject({
      event_type: 'gateway.ConversationRead.v1',
      event_time: { seconds: '1795694460', nanos: 0 },
      conversation: { phone: '+13055550123' },
    });
  });
});
