import { requestSchemas } from '../http/request-schemas.js';
import {
  commonErrors,
  idempotencyKey,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';

const complianceReason = {
  enum: [
    'recipient_opted_out',
    'no_marketing_consent',
    'dnd_active',
    'quiet_hours_held',
    'content_rejected',
    'sender_not_owned',
  ],
};

/** The messages context on REST: sending, previewing, reading messages and conversations. */
export const messagesOperations: OpenApiOperations = {
  paths: {
    '/v1/messages': {
      post: {
        operationId: 'sendMessage',
        summary: 'Send a message',
        parameters: [idempotencyKey],
        requestBody: { required: true, content: json(ref('SendMessageRequest')) },
        responses: {
          '202': { description: 'Accepted for delivery', content: json(ref('Message')) },
          ...commonErrors,
        },
      },
    },
    '/v1/messages/preview': {
      post: {
        operationId: 'previewMessage',
        summary: 'Count the encoding and segments of a body without sending it',
        parameters: [idempotencyKey],
        requestBody: { required: true, content: json(ref('PreviewMessageRequest')) },
        responses: {
          '200': { description: 'The count', content: json(ref('MessagePreview')) },
          ...commonErrors,
        },
      },
    },
    '/v1/messages/{id}': {
      get: {
        operationId: 'getMessage',
        summary: 'Get a message and its delivery status',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        ],
        responses: {
          '200': { description: 'The message', content: json(ref('Message')) },
          '401': problem('Missing or invalid API key'),
          '404': problem('No such message for this tenant'),
        },
      },
    },
    '/v1/conversations/{phone}/messages': {
      get: {
        operationId: 'listConversationMessages',
        summary: 'Messages exchanged with one contact, both directions, newest first',
        parameters: [
          {
            name: 'phone',
            in: 'path',
            required: true,
            schema: requestSchemas.SendMessageRequest.properties.to,
          },
          { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
          },
        ],
        responses: {
          '200': { description: 'One page', content: json(ref('ConversationPage')) },
          '400': problem('Invalid phone number, cursor or limit'),
          '401': problem('Missing or invalid API key'),
        },
      },
    },
  },
  schemas: {
    Message: {
      type: 'object',
      required: [
        'id',
        'direction',
        'status',
        'to',
        'from',
        'body',
        'encoding',
        'segments',
        'createdAt',
      ],
      properties: {
        id: { type: 'string', format: 'uuid' },
        direction: { enum: ['outbound', 'inbound'] },
        status: {
          enum: [
            'queued',
            'scheduled',
            'sending',
            'sent',
            'delivered',
            'failed',
            'undelivered',
            'received',
            'blocked',
          ],
          description:
            'blocked: a compliance check refused it (see reason); scheduled: held for the ' +
            "recipient's quiet hours until sendAt",
        },
        to: { type: 'string' },
        from: { type: 'string' },
        body: { type: 'string' },
        mediaUrls: { type: 'array', items: { type: 'string' } },
        purpose: nullable('string'),
        encoding: { enum: ['GSM-7', 'UCS-2'] },
        segments: { type: 'integer' },
        carrierMessageId: nullable('string'),
        errorCode: nullable('string', {
          description: "The carrier's error code when failed or undelivered",
        }),
        errorDetail: nullable('string'),
        reason: {
          oneOf: [complianceReason, { type: 'null' }],
          description:
            'Why compliance stopped it: the first reason of a blocked message, or ' +
            'quiet_hours_held for a scheduled one',
        },
        reasons: { type: 'array', items: complianceReason },
        reasonDetail: nullable('string'),
        sendAt: nullable('string', {
          format: 'date-time',
          description: 'When a message held for quiet hours goes out',
        }),
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
        sentAt: nullable('string', { format: 'date-time' }),
        deliveredAt: nullable('string', { format: 'date-time' }),
      },
    },
    MessagePreview: {
      type: 'object',
      required: ['encoding', 'segments', 'characters', 'compliance'],
      description:
        'Counts are of the body as it would be sent, compliance additions included. ' +
        'Without `to` consent is not judged; quiet hours are those of `recipientTimeZone`, else the tenant zone.',
      properties: {
        encoding: { enum: ['GSM-7', 'UCS-2'] },
        segments: { type: 'integer' },
        characters: { type: 'integer' },
        compliance: {
          type: 'object',
          required: ['verdict', 'reasons', 'flags'],
          properties: {
            verdict: { enum: ['send', 'hold', 'block'] },
            reasons: { type: 'array', items: complianceReason },
            sendAt: {
              type: 'string',
              format: 'date-time',
              description: 'When a held message would go out',
            },
            added: {
              type: 'string',
              description: 'Text compliance would add (business name, opt-out language)',
            },
            detail: { type: 'string', description: 'Why it would be blocked' },
            flags: {
              type: 'array',
              items: { type: 'string' },
              description: 'Findings that do not block under your policy',
            },
          },
        },
      },
    },
    ConversationPage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: ref('Message') },
        nextCursor: nullable('string'),
      },
    },
  },
};
