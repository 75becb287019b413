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
    'scheduled',
    'time_window',
    'daily_cap',
    'sender_not_registered',
    'sender_not_verified',
    'campaign_use_case_mismatch',
    'recipient_not_mobile',
  ],
};

const MESSAGE_STATUSES = [
  'queued',
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'failed',
  'undelivered',
  'received',
  'blocked',
  'canceled',
];

const messageId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
} as const;

/** A cancel or reschedule: answered once messaging decided it, or 202 past the wait. */
const changeResponses = (applied: string) => ({
  '200': { description: applied, content: json(ref('Message')) },
  '202': {
    description:
      'Recorded, but the answer did not come within the confirmation timeout: it is still ' +
      'decided; follow the message at Location',
    headers: { Location: { schema: { type: 'string' }, description: 'The message' } },
    content: json(ref('Message')),
  },
  ...commonErrors,
  '404': problem('No such message for this tenant'),
});

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
          '202': {
            description: 'Accepted for delivery (queued), or scheduled when sendAt is ahead',
            content: json(ref('Message')),
          },
          ...commonErrors,
          '422': problem(
            'The request cannot be applied: a sender number not yours (sender_not_owned), a ' +
              'sendAt more than 60 s past or more than 400 days ahead (send_at_out_of_range), a ' +
              'contactId this tenant does not have (contact_not_found), a templateId it does not ' +
              'have (template_not_found) or has archived (template_archived), a templateVersion ' +
              'the template does not have (template_version_not_found), a template whose mediaUrls ' +
              'the platform must not fetch when the send gives none of its own ' +
              '(template_media_refused), or a merge field with no ' +
              'value for the recipient and no default (missing_merge_value, naming the variable). ' +
              'A body with a Liquid syntax error or an unknown variable is a 400 invalid_template ' +
              'with its line and column; body and templateId together are a 400 naming both',
          ),
        },
      },
      get: {
        operationId: 'listMessages',
        summary: "The tenant's messages, both directions, newest first",
        parameters: [
          {
            name: 'status',
            in: 'query',
            required: false,
            schema: { enum: MESSAGE_STATUSES },
          },
          {
            name: 'contactId',
            in: 'query',
            required: false,
            schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
            description: "Messages of the CRM contact with this id (the CRM's own id)",
          },
          {
            name: 'to',
            in: 'query',
            required: false,
            schema: requestSchemas.SendMessageRequest.properties.to,
          },
          {
            name: 'from',
            in: 'query',
            required: false,
            schema: requestSchemas.SendMessageRequest.properties.to,
          },
          {
            name: 'createdAfter',
            in: 'query',
            required: false,
            schema: { type: 'string', format: 'date-time' },
            description: 'Only messages created after this instant (RFC 3339, with its offset)',
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
          '200': { description: 'One page', content: json(ref('MessagePage')) },
          '400': problem(
            'A filter, cursor or limit is not valid, given twice, or not a filter of this list (see `errors`)',
          ),
          '401': problem('Missing or invalid API key'),
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
          '422': problem(
            'contact_not_found, template_not_found, template_archived, ' +
              'template_version_not_found, missing_merge_value or send_at_out_of_range, as on a send',
          ),
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
      patch: {
        operationId: 'rescheduleMessage',
        summary: 'Move a message you scheduled to a new sendAt, while it is still scheduled',
        parameters: [messageId],
        requestBody: { required: true, content: json(ref('RescheduleMessageRequest')) },
        responses: {
          ...changeResponses('Rescheduled: the message, scheduled for the new sendAt'),
          '409': problem(
            'The message is not scheduled for your sendAt any more (sending or later, canceled, ' +
              'held for quiet hours, or its time has come): message_not_reschedulable',
          ),
          '422': problem('The new sendAt is more than 60 s past or more than 400 days ahead'),
        },
      },
    },
    '/v1/messages/{id}/cancel': {
      post: {
        operationId: 'cancelMessage',
        summary: 'Cancel a scheduled or queued message',
        parameters: [messageId, idempotencyKey],
        responses: {
          ...changeResponses('Canceled: the message, canceled (final)'),
          '409': problem(
            'The message is sending or later, or already final: message_not_cancelable',
          ),
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
        'sendAt',
        'reason',
        'waitingFor',
        'cost',
      ],
      properties: {
        id: { type: 'string', format: 'uuid' },
        direction: { enum: ['outbound', 'inbound'] },
        status: {
          enum: MESSAGE_STATUSES,
          description:
            'queued: accepted, waiting for an event or its turn (see waitingFor); scheduled: ' +
            'waiting for a known time, sendAt (see reason); sending: the carrier call is under ' +
            "way; sent, delivered, undelivered, failed: the carrier's outcome; blocked: refused " +
            'before any carrier call (see reason), final; canceled: canceled by you before ' +
            'sending, final; received: an inbound message',
        },
        to: { type: 'string' },
        from: { type: 'string' },
        contactId: nullable('string', {
          description: 'The contact the send named (contactId); null for a send to a bare number',
        }),
        templateId: nullable('string', {
          format: 'uuid',
          description: 'The template the message was sent from; null for a plain body',
        }),
        templateVersion: nullable('integer', {
          description: 'The version of the template the message was sent from',
        }),
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
            'Why it was blocked (its first reason), or why it is scheduled: scheduled (your ' +
            "sendAt), quiet_hours_held (the recipient's quiet hours) or time_window (a workflow " +
            "step's time window, until its next opening); null otherwise",
        },
        reasons: { type: 'array', items: complianceReason },
        reasonDetail: nullable('string'),
        sendAt: nullable('string', {
          format: 'date-time',
          description: 'When a scheduled message goes out; null for every other status',
        }),
        waitingFor: {
          oneOf: [{ enum: ['registration', 'media', 'funds', 'throughput'] }, { type: 'null' }],
          description:
            'What a queued message waits for: null is its turn; registration, media, funds or ' +
            'throughput name the gate waiting for that event. Null for every other status',
        },
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
        sentAt: nullable('string', { format: 'date-time' }),
        deliveredAt: nullable('string', { format: 'date-time' }),
        cost: {
          oneOf: [
            {
              type: 'object',
              required: ['amount', 'currency', 'segments', 'carrierFee'],
              additionalProperties: false,
              properties: {
                amount: {
                  type: 'integer',
                  description:
                    "The whole charge in micro-units of currency (1 USD = 1,000,000): its segments (or one MMS) at the rate card's price, plus the carrier's fee",
                },
                currency: { type: 'string', pattern: '^[A-Z]{3}$' },
                segments: {
                  type: 'integer',
                  description: "The segments charged (the carrier's parts); 1 for an MMS",
                },
                carrierFee: {
                  type: 'integer',
                  description: "The carrier's pass-through fee within amount, in micro-units",
                },
              },
            },
            { type: 'null' },
          ],
          description:
            'What the message cost, once billing captured it (outbound: on the carrier accepting it; inbound: on receipt); null before, and for a message never charged (blocked, canceled)',
        },
      },
    },
    MessagePreview: {
      type: 'object',
      required: ['encoding', 'segments', 'characters', 'compliance'],
      description:
        'Counts are of the body as it would be sent, compliance additions included. ' +
        'Without `to` consent is not judged; quiet hours are those of `recipientTimeZone`, else the tenant zone.',
      properties: {
        body: {
          type: 'string',
          description:
            'With contactId or templateId: the body as rendered, before the compliance additions',
        },
        templateId: {
          type: 'string',
          format: 'uuid',
          description: 'The template previewed (with templateId)',
        },
        templateVersion: { type: 'integer', description: 'The template version previewed' },
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
            optOutReminder: {
              enum: ['added', 'not_due', 'may_be_added'],
              description:
                "Present when the tenant's periodic opt-out reminder is on (PATCH /v1/settings) " +
                'and the text is not marketing: `added` (the opt-out line is in `added` and ' +
                'counted), `not_due` (the contact was sent one recently enough), `may_be_added` ' +
                '(no `to` or `contactId`: the recipient decides)',
            },
            flags: {
              type: 'array',
              items: { type: 'string' },
              description: 'Findings that do not block under your policy',
            },
          },
        },
      },
    },
    MessagePage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: ref('Message') },
        nextCursor: nullable('string'),
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
