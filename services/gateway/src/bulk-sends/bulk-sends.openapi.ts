import {
  commonErrors,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';

const count = { type: 'integer', minimum: 0 } as const;
const instant = { type: 'string', format: 'date-time' } as const;

/** Bulk sends on REST (issue 11 §1). This round: the preview only; no gRPC yet. */
export const bulkSendsOperations: OpenApiOperations = {
  paths: {
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
          'out: its release or, if later, the end of the quiet hours holding it; throughput ' +
          '(carrier caps, send rate) is not counted. The body may be up to 16 MiB.',
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
            'When the last sendable recipient would go out (quiet hours counted, throughput not); ' +
            'null without sendable recipients',
        },
      },
    },
  },
};
