import { HTTP_URL_PATTERN, NOT_BLANK_PATTERN } from '../http/schema-parts.js';

export const TEMPLATE_NAME_MAX_LENGTH = 200;
/** A body longer than a 10-segment UCS-2 message with room for Liquid; the renderer's parse limit is larger. */
export const TEMPLATE_BODY_MAX_LENGTH = 5000;

const content = {
  name: {
    type: 'string',
    minLength: 1,
    maxLength: TEMPLATE_NAME_MAX_LENGTH,
    pattern: NOT_BLANK_PATTERN,
    description: 'Shown in the composer',
  },
  body: {
    type: 'string',
    maxLength: TEMPLATE_BODY_MAX_LENGTH,
    description:
      'Liquid merge fields ({{ contact.first_name | default: "there" }}); a syntax error or an ' +
      'unknown variable is a 400 with its line and column',
  },
  purpose: {
    enum: ['conversational', 'transactional', 'marketing'],
    description: 'Sends from it take this purpose unless they name one',
  },
  mediaUrls: {
    type: 'array',
    maxItems: 10,
    items: { type: 'string', format: 'uri', pattern: HTTP_URL_PATTERN, maxLength: 2000 },
  },
} as const;

export const CreateTemplateRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'body'],
  properties: {
    kind: { enum: ['template', 'snippet'] },
    ...content,
  },
} as const;

/** A PUT is a new version of the content as a whole; the kind never changes. */
export const UpdateTemplateRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'body'],
  properties: content,
} as const;

export const PreviewTemplateRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    contactId: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.:-]{1,128}$',
      description: 'Render for this contact; without it, the best and worst case over the contacts',
    },
  },
} as const;
