import {
  commonErrors,
  idempotencyKey,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';

const count = { type: 'integer', minimum: 0 } as const;
const instant = { type: 'string', format: 'date-time' } as const;

const bulkSendId = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The bulk send id, as POST /v1/bulk-sends returns it',
  schema: { type: 'string', format: 'uuid' },
};

const control = (action: 'pause' | 'resume' | 'cancel', summary: string, conflicts: string) => ({
  post: {
    operationId: `${action}BulkSend`,
    summary,
    parameters: [bulkSendId, idempotencyKey],
    responses: {
      '200': { description: 'The bulk send in its new state', content: json(ref('BulkSend')) },
      '404': problem('No such bulk send'),
      '409': problem(conflicts),
      ...commonErrors,
    },
  },
});

const bulkSendPaths = {
  '/v1/bulk-sends': {
    post: {
      operationId: 'createBulkSend',
      summary: 'Send one message to many contacts',
      description:
        'The body of the preview (recipients, message, delivery), checked the same way: any bad ' +
        'field is a problem naming it and records nothing. The recipients are frozen now, in ' +
        'recipient order (contactIds order, else contact id order), one per phone (a later ' +
        'contact with a phone already taken is skipped, duplicate_phone), each sendable one in ' +
        'its batch (drip: batchSize each; otherwise 1,000 each); a template is pinned at its ' +
        'version now. Messaging releases one batch at a time; each text is rendered with the ' +
        "contact's values at its release. The body may be up to 16 MiB.",
      parameters: [idempotencyKey],
      requestBody: { required: true, content: json(ref('CreateBulkSendRequest')) },
      responses: {
        '202': {
          description: 'The bulk send, its recipients frozen',
          headers: { Location: { schema: { type: 'string' } } },
          content: json(ref('BulkSend')),
        },
        ...commonErrors,
        '422': problem(
          'Unknown contact ids (contact_not_found, up to 100 listed), a selection matching no ' +
            'contact (no_recipients), an unknown template, a ' +
            'from that is not a sender number, or an Idempotency-Key used with another body',
        ),
      },
    },
    get: {
      operationId: 'listBulkSends',
      summary: 'List bulk sends, newest first',
      parameters: [
        {
          name: 'status',
          in: 'query',
          schema: { enum: ['scheduled', 'running', 'paused', 'completed', 'canceled'] },
        },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
      ],
      responses: {
        '200': { description: 'A page of bulk sends', content: json(ref('BulkSendPage')) },
        ...commonErrors,
      },
    },
  },
  '/v1/bulk-sends/{id}': {
    get: {
      operationId: 'getBulkSend',
      summary: 'A bulk send: its state, recipients, message counts and batches',
      parameters: [bulkSendId],
      responses: {
        '200': { description: 'The bulk send', content: json(ref('BulkSend')) },
        '404': problem('No such bulk send'),
        ...commonErrors,
      },
    },
  },
  '/v1/bulk-sends/{id}/recipients': {
    get: {
      operationId: 'listBulkSendRecipients',
      summary: 'The frozen recipients in recipient order, each with its message and status',
      parameters: [
        bulkSendId,
        {
          name: 'state',
          in: 'query',
          description:
            "skipped, pending (batch not released), or a message's status (queued, scheduled, " +
            'sending, sent, delivered, undelivered, failed, blocked, canceled)',
          schema: { type: 'string' },
        },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
      ],
      responses: {
        '200': { description: 'A page of recipients', content: json(ref('BulkRecipientPage')) },
        '404': problem('No such bulk send'),
        ...commonErrors,
      },
    },
  },
  '/v1/bulk-sends/{id}/pause': control(
    'pause',
    'Pause: no further batch; released messages not yet sending wait',
    'bulk_send_not_running (already paused) or bulk_send_finished',
  ),
  '/v1/bulk-sends/{id}/resume': control(
    'resume',
    "Resume a paused bulk send (a drip's cadence restarts from the resume)",
    'bulk_send_not_paused or bulk_send_finished',
  ),
  '/v1/bulk-sends/{id}/cancel': control(
    'cancel',
    'Cancel: no further batch; released messages not yet sending are canceled',
    'bulk_send_finished',
  ),
};

const nullableInstant = nullable('string', { format: 'date-time' });

const bulkSendSchemas = {
  BulkSend: {
    type: 'object',
    required: [
      'id',
      'status',
      'pausedReason',
      'message',
      'delivery',
      'recipients',
      'messages',
      'blocked',
      'batches',
      'eta',
      'cost',
      'createdAt',
      'updatedAt',
      'completedAt',
      'canceledAt',
    ],
    properties: {
      id: { type: 'string', format: 'uuid' },
      status: { enum: ['scheduled', 'running', 'paused', 'completed', 'canceled'] },
      pausedReason: { enum: ['user', 'insufficient_funds', null] },
      message: {
        type: 'object',
        description: 'The content as given, the template version pinned (templateVersion)',
      },
      delivery: {
        type: 'object',
        description: 'The delivery as validated: ISO instants, a drip with every default filled in',
      },
      recipients: {
        type: 'object',
        required: ['total', 'sendable', 'skipped'],
        properties: {
          total: count,
          sendable: count,
          skipped: {
            type: 'object',
            required: ['duplicate_phone', 'missing_merge_value'],
            properties: { duplicate_phone: count, missing_merge_value: count },
          },
        },
      },
      messages: {
        type: 'object',
        required: [
          'pending',
          'scheduled',
          'queued',
          'sending',
          'sent',
          'delivered',
          'undelivered',
          'failed',
          'blocked',
          'canceled',
        ],
        properties: Object.fromEntries(
          [
            'pending',
            'scheduled',
            'queued',
            'sending',
            'sent',
            'delivered',
            'undelivered',
            'failed',
            'blocked',
            'canceled',
          ].map((status) => [status, count]),
        ),
        description: 'pending: sendable recipients whose batch is not released; else by status',
      },
      blocked: { type: 'object', additionalProperties: count, description: 'By block reason' },
      batches: {
        type: 'object',
        required: ['total', 'released', 'nextAt'],
        properties: { total: count, released: count, nextAt: nullableInstant },
      },
      eta: {
        ...nullableInstant,
        description:
          'When the last remaining message would go to the carrier: the later of the schedule ' +
          "(the last batch, local time or hold) and the pace the carriers' throughput limits " +
          "allow its remaining messages behind the tenant's other queued traffic (see the " +
          "preview's eta); null once finished",
      },
      cost: {
        type: 'object',
        required: ['spent', 'held', 'currency'],
        additionalProperties: false,
        description:
          'Its money in micro-units of currency (1 USD = 1,000,000): spent, captured for its ' +
          'texts the carrier took; held, for its texts on their way to the carrier',
        properties: { spent: count, held: count, currency: { type: 'string' } },
      },
      createdAt: instant,
      updatedAt: instant,
      completedAt: nullableInstant,
      canceledAt: nullableInstant,
    },
  },
  BulkSendPage: {
    type: 'object',
    required: ['data', 'nextCursor'],
    properties: {
      data: { type: 'array', items: ref('BulkSend') },
      nextCursor: nullable('string'),
    },
  },
  BulkRecipient: {
    type: 'object',
    required: [
      'position',
      'contactId',
      'phone',
      'batch',
      'messageId',
      'status',
      'reason',
      'sendAt',
    ],
    properties: {
      position: count,
      contactId: { type: 'string' },
      phone: { type: 'string' },
      batch: nullable('integer', { minimum: 0 }),
      messageId: nullable('string', { format: 'uuid' }),
      status: { type: 'string' },
      reason: nullable('string'),
      sendAt: nullableInstant,
    },
  },
  BulkRecipientPage: {
    type: 'object',
    required: ['data', 'nextCursor'],
    properties: {
      data: { type: 'array', items: ref('BulkRecipient') },
      nextCursor: nullable('string'),
    },
  },
};

/** Bulk sends on REST (issue 11 §1). */
export const bulkSendsOperations: OpenApiOperations = {
  paths: {
    ...bulkSendPaths,
    '/v1/bulk-sends/preview': {
      post: {
        operationId: 'previewBulkSend',
        summary: 'What a bulk send would do, nothing recorded',
        description:
          'The body of a bulk send (recipients, message, delivery); nothing is recorded and no ' +
          'Idempotency-Key is read. Recipients are taken in order (the order of contactIds, else ' +
          'contact id order); a later contact sharing a phone with an earlier one is skipped ' +
          '(duplicate_phone). Each other recipient is rendered against its contact (a merge ' +
          'field without a value: skipped, missing_merge_value) and judged by the verdict the ' +
          'dispatcher gives before the carrier, at the instant it would be released: blocked by ' +
          'its first reason (recipient_opted_out, dnd_active, no_marketing_consent, ' +
          'content_rejected), or sendable, and held by quiet hours (marketing) when its release ' +
          'falls in them (counted in held). Segments include the compliance additions (the ' +
          'brand on a first message, opt-out language). The drip schedule is ' +
          "libs/delivery-schedule's (the run uses the same one), the first 1,000 batches listed; " +
          'its batches hold every recipient but the duplicate phones (blocked and merge-failed ' +
          'recipients are decided at release). eta is when the last sendable recipient would go ' +
          'out: the later of its release (or the end of the quiet hours holding it; for a drip, ' +
          "the last batch) and its turn under the carriers' throughput limits (AT&T per " +
          'campaign per minute by vetting class, T-Mobile per brand per day, toll-free per ' +
          "number per second, the account per second; the operator's overrides for the " +
          'tenant), each message counted against every limit of its sender as if its carrier ' +
          "were unknown, behind the tenant's outbound messages already queued on the same " +
          'sender, campaign or brand. A full window goes at once: 150 at 60 per minute end two ' +
          'windows after the release (about +2 min). The body may be up to 16 MiB.',
        requestBody: { required: true, content: json(ref('PreviewBulkSendRequest')) },
        responses: {
          '200': {
            description: 'What the bulk send would do',
            content: json(ref('BulkSendPreview')),
          },
          ...commonErrors,
          '400': problem(
            'A field is invalid (see `errors`): 0 or more than 100,000 contactIds, none or more ' +
              'than one of contactIds/tags/all, body and templateId together, every delivery ' +
              'problem (delivery.batchSize, delivery.every.unit, delivery.window.end, ' +
              'delivery.timeZone, delivery.at in the past, ...)',
          ),
          '422': problem(
            'Unknown contact ids (contact_not_found; up to 100 listed as ' +
              'recipients.contactIds.<i>), an unknown or archived template (template_not_found, ' +
              'template_archived, template_version_not_found), a from that is not a sender ' +
              'number (sender_not_owned)',
          ),
        },
      },
    },
  },
  schemas: {
    ...bulkSendSchemas,
    BulkSendPreview: {
      type: 'object',
      required: ['recipients', 'segments', 'delivery', 'eta'],
      properties: {
        recipients: {
          type: 'object',
          required: ['total', 'sendable', 'blocked', 'skipped', 'held'],
          properties: {
            total: { ...count, description: 'Every selected contact, duplicates included' },
            sendable: count,
            blocked: {
              type: 'object',
              additionalProperties: count,
              description:
                'By compliance reason (e.g. recipient_opted_out, dnd_active, no_marketing_consent)',
            },
            skipped: {
              type: 'object',
              required: ['duplicate_phone', 'missing_merge_value'],
              properties: { duplicate_phone: count, missing_merge_value: count },
            },
            held: {
              type: 'object',
              required: ['quiet_hours_held'],
              properties: { quiet_hours_held: count },
              description: 'Sendable recipients quiet hours would hold at their release',
            },
          },
        },
        segments: {
          type: 'object',
          required: ['total', 'max'],
          properties: { total: count, max: count },
          description: 'Over the sendable recipients, compliance additions included',
        },
        delivery: {
          type: 'object',
          required: ['mode'],
          properties: {
            mode: { enum: ['now', 'schedule', 'drip'] },
            at: instant,
            localTime: { type: 'string' },
            timeZone: { type: 'string' },
            firstAt: nullable('string', { format: 'date-time' }),
            startAt: instant,
            batchSize: count,
            batches: {
              type: 'array',
              maxItems: 1000,
              items: {
                type: 'object',
                required: ['index', 'at', 'size'],
                properties: { index: count, at: instant, size: count },
              },
            },
            totalBatches: count,
            lastAt: nullable('string', { format: 'date-time' }),
          },
          description:
            'now: at; schedule: at, or localTime and timeZone with the first and last instant ' +
            'over the recipients; drip: the schedule as validated, batches (up to 1,000), ' +
            'totalBatches and lastAt',
        },
        eta: {
          ...nullable('string', { format: 'date-time' }),
          description:
            'When the last sendable recipient would go out: the later of its release (quiet ' +
            "hours counted; for a drip, the last batch) and its pace under the carriers' " +
            "throughput limits behind the tenant's queued traffic; null without sendable " +
            'recipients',
        },
        estimatedCost: {
          type: 'object',
          required: ['amount', 'currency', 'notPriced'],
          additionalProperties: false,
          description:
            'The most its sendable texts may cost: each at its worst case by the rate card in ' +
            'force (its segments, or one MMS, at the price plus the highest carrier fee), as ' +
            'billing holds them; in micro-units of currency (1 USD = 1,000,000)',
          properties: {
            amount: count,
            currency: { type: 'string' },
            notPriced: {
              ...count,
              description:
                'Sendable texts to destinations the card does not price: blocked ' +
                'destination_not_priced when sent',
            },
          },
        },
      },
    },
  },
};
