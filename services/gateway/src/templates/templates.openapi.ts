import {
  commonErrors,
  idempotencyKey,
  json,
  nullable,
  type OpenApiOperations,
  problem,
  ref,
} from '../openapi/openapi-parts.js';

const templateId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};
const location = { Location: { schema: { type: 'string' } } };
const pending = (what: string) => ({
  description:
    `${what} accepted, not confirmed by messaging (which owns templates) within the ` +
    'confirmation timeout (GATEWAY_CONSENT_CONFIRM_TIMEOUT_MS). Location: the template.',
  headers: location,
  content: json(ref('TemplateRequestPending')),
});
const invalidTemplate = problem(
  'invalid_template: a Liquid syntax error, unknown variable, tag or filter; each error names `body` with its line and column. Nothing is recorded.',
);

const warning = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { enum: ['url_shortener', 'restricted_content', 'no_opt_out_language', 'missing_brand'] },
    message: { type: 'string' },
  },
};
const content = {
  name: { type: 'string' },
  body: { type: 'string' },
  purpose: nullable('string', { enum: ['conversational', 'transactional', 'marketing', null] }),
  mediaUrls: { type: 'array', items: { type: 'string' } },
  warnings: {
    type: 'array',
    items: warning,
    description: 'What the compliance linter noted at save; never a refusal',
  },
};
const estimate = {
  type: 'object',
  required: ['encoding', 'segments', 'characters'],
  properties: {
    encoding: { enum: ['GSM-7', 'UCS-2'] },
    segments: { type: 'integer' },
    characters: { type: 'integer' },
  },
};

/** The templates context on REST. */
export const templatesOperations: OpenApiOperations = {
  paths: {
    '/v1/templates': {
      post: {
        operationId: 'createTemplate',
        summary: 'Create a template or snippet (version 1)',
        description:
          'The merge-field check refuses a syntax error or unknown variable (400 with the ' +
          'position); the compliance linter returns warnings without refusing the save.',
        parameters: [idempotencyKey],
        requestBody: { required: true, content: json(ref('CreateTemplateRequest')) },
        responses: {
          '201': { description: 'Created', headers: location, content: json(ref('Template')) },
          '202': pending('The creation'),
          ...commonErrors,
          '400': invalidTemplate,
        },
      },
      get: {
        operationId: 'listTemplates',
        summary: 'List templates and snippets not archived, oldest first',
        parameters: [
          { name: 'kind', in: 'query', schema: { enum: ['template', 'snippet'] } },
          {
            name: 'q',
            in: 'query',
            schema: { type: 'string' },
            description: 'Part of the name or body, any case',
          },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        ],
        responses: {
          '200': { description: 'A page of templates', content: json(ref('TemplatePage')) },
          ...commonErrors,
        },
      },
    },
    '/v1/templates/{id}': {
      get: {
        operationId: 'getTemplate',
        summary: 'A template at its latest version (archived ones too, with archivedAt)',
        parameters: [templateId],
        responses: {
          '200': { description: 'The template', content: json(ref('Template')) },
          '404': problem('No such template'),
          ...commonErrors,
        },
      },
      put: {
        operationId: 'updateTemplate',
        summary: 'Save a new version (earlier versions stay readable)',
        parameters: [templateId],
        requestBody: { required: true, content: json(ref('UpdateTemplateRequest')) },
        responses: {
          '200': { description: 'The new version', content: json(ref('Template')) },
          '202': pending('The new version'),
          '404': problem('No such template'),
          '409': problem('template_archived: an archived template cannot change'),
          ...commonErrors,
          '400': invalidTemplate,
        },
      },
      delete: {
        operationId: 'archiveTemplate',
        summary: 'Archive: no longer listed nor sendable; its versions stay readable',
        parameters: [templateId],
        responses: {
          '204': { description: 'Archived' },
          '202': pending('The archival'),
          '404': problem('No such template'),
          '409': problem('template_archived: already archived'),
          ...commonErrors,
        },
      },
    },
    '/v1/templates/{id}/versions/{version}': {
      get: {
        operationId: 'getTemplateVersion',
        summary: 'One version as it was saved',
        parameters: [
          templateId,
          { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
        ],
        responses: {
          '200': { description: 'The version', content: json(ref('TemplateVersion')) },
          '404': problem('No such template or version'),
          ...commonErrors,
        },
      },
    },
    '/v1/templates/{id}/preview': {
      post: {
        operationId: 'previewTemplate',
        summary: 'Render for a contact, or the best and worst case over the contacts',
        description:
          'Segments count the compliance additions (opt-out language on marketing, the brand on ' +
          'a first message). A variable without a value and without default is 422 ' +
          'missing_merge_value naming it. Nothing is recorded.',
        parameters: [templateId, idempotencyKey],
        requestBody: { required: false, content: json(ref('PreviewTemplateRequest')) },
        responses: {
          '200': {
            description: 'The preview',
            content: json({
              oneOf: [ref('ContactTemplatePreview'), ref('TemplateRangePreview')],
            }),
          },
          '404': problem('No such template or contact'),
          ...commonErrors,
          '400': invalidTemplate,
          '422': problem('missing_merge_value: the variable (field) has no value and no default'),
        },
      },
    },
  },
  schemas: {
    Template: {
      type: 'object',
      required: [
        'id',
        'kind',
        'version',
        ...Object.keys(content),
        'archivedAt',
        'createdAt',
        'updatedAt',
      ],
      properties: {
        id: { type: 'string', format: 'uuid' },
        kind: { enum: ['template', 'snippet'] },
        version: { type: 'integer', minimum: 1 },
        ...content,
        archivedAt: nullable('string', { format: 'date-time' }),
        createdAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
      },
    },
    TemplateVersion: {
      type: 'object',
      required: ['id', 'version', ...Object.keys(content), 'createdAt'],
      properties: {
        id: { type: 'string', format: 'uuid' },
        version: { type: 'integer', minimum: 1 },
        ...content,
        createdAt: { type: 'string', format: 'date-time' },
      },
    },
    TemplatePage: {
      type: 'object',
      required: ['items', 'nextCursor'],
      properties: {
        items: { type: 'array', items: ref('Template') },
        nextCursor: nullable('string'),
      },
    },
    TemplateRequestPending: {
      type: 'object',
      required: ['status', 'requestId', 'templateId'],
      properties: {
        status: { const: 'pending' },
        requestId: { type: 'string', format: 'uuid' },
        templateId: { type: 'string', format: 'uuid' },
      },
    },
    ContactTemplatePreview: {
      type: 'object',
      required: ['text', 'added', ...estimate.required],
      properties: {
        text: { type: 'string', description: 'As it would be sent, compliance additions included' },
        added: nullable('string'),
        ...estimate.properties,
      },
    },
    TemplateRangePreview: {
      type: 'object',
      required: ['best', 'worst', 'contacts'],
      properties: { best: estimate, worst: estimate, contacts: { type: 'integer' } },
    },
  },
};
