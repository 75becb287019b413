import { eventSchema, instant, mediaUrls, nonEmpty, purpose, uuid } from './schema-parts.js';
import type { MessagePurpose } from './gateway.events.js';

/**
 * Templates, snippets and the business's custom values, owned by messaging. The gateway records
 * what a client asked for on `template-requests-<tenantId>-<templateId>` (topic
 * `gateway.template-requests`) and `custom-value-requests-<tenantId>-<key>` (topic
 * `gateway.custom-value-requests`); messaging decides on `template-<tenantId>-<templateId>` and
 * `custom-value-<tenantId>-<key>` and publishes the facts on `messaging.templates` and
 * `messaging.custom-values`.
 */

export const CUSTOM_VALUE_KEY_SCHEMA_PATTERN = '^[a-z][a-z0-9_]{0,63}$';
export const CUSTOM_VALUE_MAX_LENGTH = 1000;
const customValueKey = { type: 'string', pattern: CUSTOM_VALUE_KEY_SCHEMA_PATTERN } as const;
const customValue = { type: 'string', maxLength: CUSTOM_VALUE_MAX_LENGTH } as const;
const version = { type: 'integer', minimum: 1 } as const;

export type TemplateKind = 'template' | 'snippet';
const templateKind = { enum: ['template', 'snippet'] } as const;

export type TemplateWarningCode =
  'url_shortener' | 'restricted_content' | 'no_opt_out_language' | 'missing_brand';

/** What the compliance linter noted when the version was saved; never a refusal. */
export interface TemplateWarning {
  code: TemplateWarningCode;
  message: string;
}
const templateWarning = {
  type: 'object',
  properties: {
    code: { enum: ['url_shortener', 'restricted_content', 'no_opt_out_language', 'missing_brand'] },
    message: nonEmpty,
  },
  required: ['code', 'message'],
  additionalProperties: false,
} as const;

/** One version's content, as the client wrote it (the merge-field check ran at the edge). */
export interface TemplateContent {
  name: string;
  body: string;
  /** Absent: the send decides (conversational for single sends, marketing for bulk). */
  purpose?: MessagePurpose;
  mediaUrls: string[];
  warnings: TemplateWarning[];
}
const templateContent = {
  name: nonEmpty,
  body: { type: 'string' },
  purpose,
  mediaUrls,
  warnings: { type: 'array', items: templateWarning },
} as const;
const contentRequired = ['name', 'body', 'mediaUrls', 'warnings'] as const;

/** A client's POST of a template or snippet; the gateway names its id. */
export interface TemplateCreationRequested extends TemplateContent {
  requestId: string;
  tenantId: string;
  templateId: string;
  kind: TemplateKind;
  requestedAt: string;
}
export const TemplateCreationRequestedSchema = eventSchema(
  'gateway.TemplateCreationRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    templateId: uuid,
    kind: templateKind,
    ...templateContent,
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'templateId', 'kind', ...contentRequired, 'requestedAt'],
);

/** A client's PUT: a new version of the template's content. */
export interface TemplateRevisionRequested extends TemplateContent {
  requestId: string;
  tenantId: string;
  templateId: string;
  requestedAt: string;
}
export const TemplateRevisionRequestedSchema = eventSchema(
  'gateway.TemplateRevisionRequested.v1',
  { requestId: uuid, tenantId: uuid, templateId: uuid, ...templateContent, requestedAt: instant },
  ['requestId', 'tenantId', 'templateId', ...contentRequired, 'requestedAt'],
);

/** A client's DELETE: the template is archived. */
export interface TemplateArchivalRequested {
  requestId: string;
  tenantId: string;
  templateId: string;
  requestedAt: string;
}
export const TemplateArchivalRequestedSchema = eventSchema(
  'gateway.TemplateArchivalRequested.v1',
  { requestId: uuid, tenantId: uuid, templateId: uuid, requestedAt: instant },
  ['requestId', 'tenantId', 'templateId', 'requestedAt'],
);

/** A template's first version. */
export interface TemplateCreated extends TemplateContent {
  tenantId: string;
  templateId: string;
  kind: TemplateKind;
  version: 1;
  requestId?: string;
  createdAt: string;
}
export const TemplateCreatedSchema = eventSchema(
  'messaging.TemplateCreated.v1',
  {
    tenantId: uuid,
    templateId: uuid,
    kind: templateKind,
    version: { const: 1 },
    ...templateContent,
    requestId: uuid,
    createdAt: instant,
  },
  ['tenantId', 'templateId', 'kind', 'version', ...contentRequired, 'createdAt'],
);

/** A later version; the earlier ones stay as they were. */
export interface TemplateRevised extends TemplateContent {
  tenantId: string;
  templateId: string;
  version: number;
  requestId?: string;
  revisedAt: string;
}
export const TemplateRevisedSchema = eventSchema(
  'messaging.TemplateRevised.v1',
  {
    tenantId: uuid,
    templateId: uuid,
    version,
    ...templateContent,
    requestId: uuid,
    revisedAt: instant,
  },
  ['tenantId', 'templateId', 'version', ...contentRequired, 'revisedAt'],
);

/** No longer offered nor sendable; its versions stay readable. `version`: its last. */
export interface TemplateArchived {
  tenantId: string;
  templateId: string;
  version: number;
  requestId?: string;
  archivedAt: string;
}
export const TemplateArchivedSchema = eventSchema(
  'messaging.TemplateArchived.v1',
  { tenantId: uuid, templateId: uuid, version, requestId: uuid, archivedAt: instant },
  ['tenantId', 'templateId', 'version', 'archivedAt'],
);

/** `not_found`: no such template; `archived`: it can no longer change; `already_exists`: id taken. */
export type TemplateRejectionReason = 'not_found' | 'archived' | 'already_exists';

export interface TemplateRequestRejected {
  tenantId: string;
  templateId: string;
  requestId: string;
  reason: TemplateRejectionReason;
  requestedAt: string;
  rejectedAt: string;
}
export const TemplateRequestRejectedSchema = eventSchema(
  'messaging.TemplateRequestRejected.v1',
  {
    tenantId: uuid,
    templateId: uuid,
    requestId: uuid,
    reason: { enum: ['not_found', 'archived', 'already_exists'] },
    requestedAt: instant,
    rejectedAt: instant,
  },
  ['tenantId', 'templateId', 'requestId', 'reason', 'requestedAt', 'rejectedAt'],
);

/** A client's PUT of a custom value. */
export interface CustomValueSetRequested {
  requestId: string;
  tenantId: string;
  key: string;
  value: string;
  requestedAt: string;
}
export const CustomValueSetRequestedSchema = eventSchema(
  'gateway.CustomValueSetRequested.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    key: customValueKey,
    value: customValue,
    requestedAt: instant,
  },
  ['requestId', 'tenantId', 'key', 'value', 'requestedAt'],
);

export interface CustomValueDeletionRequested {
  requestId: string;
  tenantId: string;
  key: string;
  requestedAt: string;
}
export const CustomValueDeletionRequestedSchema = eventSchema(
  'gateway.CustomValueDeletionRequested.v1',
  { requestId: uuid, tenantId: uuid, key: customValueKey, requestedAt: instant },
  ['requestId', 'tenantId', 'key', 'requestedAt'],
);

/** The value as it now stands; `created`: there was none before. `version` counts its changes. */
export interface CustomValueSet {
  tenantId: string;
  key: string;
  value: string;
  version: number;
  created: boolean;
  requestId?: string;
  setAt: string;
}
export const CustomValueSetSchema = eventSchema(
  'messaging.CustomValueSet.v1',
  {
    tenantId: uuid,
    key: customValueKey,
    value: customValue,
    version,
    created: { type: 'boolean' },
    requestId: uuid,
    setAt: instant,
  },
  ['tenantId', 'key', 'value', 'version', 'created', 'setAt'],
);

export interface CustomValueDeleted {
  tenantId: string;
  key: string;
  version: number;
  requestId?: string;
  deletedAt: string;
}
export const CustomValueDeletedSchema = eventSchema(
  'messaging.CustomValueDeleted.v1',
  { tenantId: uuid, key: customValueKey, version, requestId: uuid, deletedAt: instant },
  ['tenantId', 'key', 'version', 'deletedAt'],
);

/** A deletion of a key that has no value. */
export interface CustomValueRequestRejected {
  tenantId: string;
  key: string;
  requestId: string;
  reason: 'not_found';
  requestedAt: string;
  rejectedAt: string;
}
export const CustomValueRequestRejectedSchema = eventSchema(
  'messaging.CustomValueRequestRejected.v1',
  {
    tenantId: uuid,
    key: customValueKey,
    requestId: uuid,
    reason: { enum: ['not_found'] },
    requestedAt: instant,
    rejectedAt: instant,
  },
  ['tenantId', 'key', 'requestId', 'reason', 'requestedAt', 'rejectedAt'],
);
