import {
  commonErrors,
  idempotencyKey,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';

const importId = {
  name: 'importId',
  in: 'path',
  required: true,
  description: 'The import id, as POST /v1/contact-imports returns it',
  schema: { type: 'string', format: 'uuid' },
};

const rejectedRow = {
  type: 'object',
  required: ['row', 'reason', 'message'],
  properties: {
    row: {
      type: 'integer',
      minimum: 1,
      description: 'The data row, counting from 1 (the CSV header is not a row)',
    },
    reason: {
      type: 'string',
      description:
        'invalid_contact, invalid_json, not_an_object, wrong_column_count, row_too_large (found by the gateway); ' +
        'version_mismatch (refused by messaging)',
    },
    message: { type: 'string' },
    field: { type: 'string', description: 'The first field at fault, when one is' },
  },
};

/** The contact-imports context on REST. */
export const contactImportsOperations: OpenApiOperations = {
  paths: {
    '/v1/contact-imports': {
      post: {
        operationId: 'startContactImport',
        summary: 'Import contacts from CSV or NDJSON',
        description:
          'Upserts up to 100,000 contacts (1 to 100,000 data rows, at most 50 MiB) by their CRM id. CSV: a header ' +
          'row naming the columns (`id`, `phone`, `firstName`, `lastName`, `email`, `companyName`, `timeZone`, ' +
          '`tags` separated by `;`, `custom.<key>` with an optional `:number`, `:boolean`, `:date` or `:string` ' +
          'type); NDJSON: one contact object per line with its `id`. A bad row is a rejected row and never stops ' +
          'the rest; a problem with the import as a whole (no rows, too many, a bad header, not UTF-8, not ' +
          'CSV/NDJSON) refuses it and records nothing. Two rows with the same id: both are upserted in row ' +
          'order, so the last one wins. Cells are stored as the text they are (a formula such as =SUM(A1) is ' +
          'never evaluated). Each row is upserted once, even when the import is retried with the same ' +
          'Idempotency-Key or a service restarts.',
        parameters: [idempotencyKey],
        requestBody: {
          required: true,
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
        responses: {
          '202': {
            description: 'The import job, processing (completed at once when no row was valid)',
            headers: { Location: { schema: { type: 'string' } } },
            content: json(ref('ContactImport')),
          },
          ...commonErrors,
          '413': problem('The body is over 50 MiB (52,428,800 bytes)'),
          '415': problem(
            'The body is not text/csv or application/x-ndjson (UTF-8); `errors` names Content-Type',
          ),
          '422': problem(
            'The import as a whole is refused (empty_import, too_many_rows, bad_header, not_utf8, malformed_csv), ' +
              'or the Idempotency-Key was used with other bytes; nothing is recorded',
          ),
        },
      },
      get: {
        operationId: 'listContactImports',
        summary: 'List contact imports, newest first',
        parameters: [
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: {
          '200': { description: 'A page of imports', content: json(ref('ContactImportPage')) },
          ...commonErrors,
        },
      },
    },
    '/v1/contact-imports/{importId}': {
      get: {
        operationId: 'getContactImport',
        summary: 'An import job: its progress and rejected rows',
        parameters: [importId],
        responses: {
          '200': { description: 'The import', content: json(ref('ContactImport')) },
          '404': problem('No such import'),
          ...commonErrors,
        },
      },
    },
  },
  schemas: {
    ContactImport: {
      type: 'object',
      required: ['id', 'status', 'format', 'rows', 'rejectedRows', 'createdAt', 'completedAt'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        status: { enum: ['processing', 'completed'] },
        format: { enum: ['csv', 'ndjson'] },
        rows: {
          type: 'object',
          required: ['read', 'upserted', 'rejected'],
          properties: {
            read: { type: 'integer', minimum: 0 },
            upserted: { type: 'integer', minimum: 0 },
            rejected: { type: 'integer', minimum: 0 },
          },
        },
        rejectedRows: {
          type: 'array',
          maxItems: 1000,
          description:
            'The first 1,000 rejected rows by row number; when rows.rejected is larger, the rest are not listed',
          items: rejectedRow,
        },
        createdAt: { type: 'string', format: 'date-time' },
        completedAt: nullable('string', { format: 'date-time' }),
      },
    },
    ContactImportPage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: ref('ContactImport') },
        nextCursor: nullable('string'),
      },
    },
  },
};
