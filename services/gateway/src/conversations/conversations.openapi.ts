import { E164_PATTERN } from '../http/schema-parts.js';
import type { MessageStatus } from '../messages/message.resource.js';
import {
  commonErrors,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';
import { CONVERSATION_PAGE_SIZE } from './conversations.application.js';

/** Every status a message can have (the compiler checks the list against MessageStatus). */
const STATUSES = {
  queued: true,
  scheduled: true,
  sending: true,
  sent: true,
  delivered: true,
  failed: true,
  undelivered: true,
  received: true,
  blocked: true,
  canceled: true,
} satisfies Record<MessageStatus, true>;

const phone = {
  name: 'phone',
  in: 'path',
  required: true,
  description: 'The other party, E.164 (+ as %2B)',
  schema: { type: 'string', pattern: E164_PATTERN },
};

/** The conversations context on REST. */
export const conversationsOperations: OpenApiOperations = {
  paths: {
    '/v1/conversations': {
      get: {
        operationId: 'listConversations',
        summary: 'The tenant’s conversations, one per phone number, most recent activity first',
        parameters: [
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description: 'A page’s nextCursor, unchanged',
            schema: { type: 'string' },
          },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: CONVERSATION_PAGE_SIZE.max,
              default: CONVERSATION_PAGE_SIZE.default,
            },
          },
          {
            name: 'unread',
            in: 'query',
            required: false,
            description:
              'true: only conversations with unread inbound messages; false: only those without',
            schema: { enum: ['true', 'false'] },
          },
        ],
        responses: {
          '200': { description: 'One page', content: json(ref('ConversationList')) },
          '400': problem('Invalid cursor, limit or unread, or an unknown parameter'),
          '401': commonErrors['401'],
        },
      },
    },
    '/v1/conversations/{phone}/read': {
      post: {
        operationId: 'markConversationRead',
        summary: 'Mark a conversation read, up to a message or everything so far',
        parameters: [phone],
        requestBody: {
          required: false,
          content: json(ref('MarkConversationReadRequest')),
        },
        responses: {
          '200': { description: 'The conversation as marked', content: json(ref('Conversation')) },
          '400': problem('Invalid phone number or body'),
          '401': commonErrors['401'],
          '404': problem('No message was exchanged with this number: conversation_not_found'),
          '415': commonErrors['415'],
          '422': problem('upTo is not a message of this conversation: message_not_in_conversation'),
        },
      },
    },
  },
  schemas: {
    Conversation: {
      type: 'object',
      required: ['phone', 'contact', 'senderNumber', 'lastMessage', 'unreadCount', 'lastReadAt'],
      properties: {
        phone: { type: 'string', description: 'The other party, E.164' },
        contact: {
          type: ['object', 'null'],
          description: 'The tenant’s contact with this number, if any',
          required: ['id', 'firstName', 'lastName'],
          properties: {
            id: { type: 'string' },
            firstName: nullable('string'),
            lastName: nullable('string'),
          },
        },
        senderNumber: {
          type: 'string',
          description: 'The tenant’s number the latest message used',
        },
        lastMessage: {
          type: 'object',
          required: ['id', 'direction', 'preview', 'status', 'at'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            direction: { enum: ['outbound', 'inbound'] },
            preview: { type: 'string', description: 'The first 100 characters of the body' },
            status: { enum: Object.keys(STATUSES) },
            at: { type: 'string', format: 'date-time' },
          },
        },
        unreadCount: {
          type: 'integer',
          minimum: 0,
          description: 'Inbound messages after the read mark',
        },
        lastReadAt: nullable('string', { format: 'date-time' }),
      },
    },
    ConversationList: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: ref('Conversation') },
        nextCursor: nullable('string'),
      },
    },
  },
};
