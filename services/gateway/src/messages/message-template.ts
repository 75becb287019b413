import type { MessagePurpose, TemplateKind } from '@textplane/contracts';
import type { TemplateQueries } from '../templates/template-read-model.js';
import type { CustomValueQueries } from '../custom-values/custom-value-read-model.js';
import { ApiError, echoed } from '../problems/api-error.js';

/** The templates a send may name, as the templates context's read model knows them. */
export type TemplateLookup = Pick<TemplateQueries, 'template' | 'version'>;

/** The tenant's custom values (`custom_values.<key>`), as the custom-values read model knows them. */
export type CustomValueLookup = Pick<CustomValueQueries, 'all'>;

/** A lookup that knows no template (a messages application built without the templates context). */
export const NO_TEMPLATES: TemplateLookup = {
  template: () => Promise.resolve(null),
  version: () => Promise.resolve(null),
};

/** A tenant without custom values. */
export const NO_CUSTOM_VALUES: CustomValueLookup = { all: () => Promise.resolve({}) };

/** The content a send takes from its template: the version it used, as it was saved. */
export interface TemplateContent {
  templateId: string;
  templateVersion: number;
  kind: TemplateKind;
  body: string;
  purpose: MessagePurpose | null;
  mediaUrls: string[];
}

/** The content fields of a send or preview, as given. */
export interface ContentInput {
  body?: string;
  templateId?: string;
  templateVersion?: number;
}

/**
 * Refuses content that names both a body and a template, or a version without a template: a
 * 400 naming the fields, before anything is looked up.
 */
export function requireOneContent(input: ContentInput): void {
  if (input.body !== undefined && input.templateId !== undefined) {
    throw ApiError.invalid('Give either body or templateId, not both', [
      { field: 'body', message: 'must not be given with templateId' },
      { field: 'templateId', message: 'must not be given with body' },
    ]);
  }
  if (input.templateVersion !== undefined && input.templateId === undefined) {
    throw ApiError.invalid('templateVersion needs templateId', [
      { field: 'templateVersion', message: 'is only allowed with templateId' },
    ]);
  }
}

/**
 * The template version a send uses: `templateVersion` when given, else the latest. Unknown
 * template or version, and an archived template, are 422s naming the field (the route exists;
 * the body names something this tenant cannot send, as contact_not_found does). Snippets may be
 * sent as they are: a snippet is a template's text without a template's defaults.
 */
export async function templateContentOf(
  templates: TemplateLookup,
  tenantId: string,
  input: ContentInput,
): Promise<TemplateContent | null> {
  if (input.templateId === undefined) return null;
  const templateId = input.templateId.toLowerCase();
  const template = await templates.template(tenantId, templateId);
  if (template === null) {
    throw new ApiError(
      'unprocessable',
      'template_not_found',
      `Template ${echoed(input.templateId)} not found`,
      [{ field: 'templateId', message: 'is not a template of this tenant' }],
    );
  }
  if (template.archivedAt !== null) {
    throw new ApiError(
      'unprocessable',
      'template_archived',
      `Template ${template.id} was archived at ${template.archivedAt}: it can no longer be sent`,
      [{ field: 'templateId', message: 'is archived' }],
    );
  }
  const pinned = input.templateVersion;
  if (pinned === undefined || pinned === template.version) {
    return {
      templateId: template.id,
      templateVersion: template.version,
      kind: template.kind,
      body: template.body,
      purpose: template.purpose,
      mediaUrls: template.mediaUrls,
    };
  }
  const version =
    pinned < template.version ? await templates.version(tenantId, templateId, pinned) : null;
  if (version === null) {
    throw new ApiError(
      'unprocessable',
      'template_version_not_found',
      `Template ${template.id} has no version ${pinned} (its latest is ${template.version})`,
      [
        {
          field: 'templateVersion',
          message: `must be a version of the template, 1 to ${template.version}`,
        },
      ],
    );
  }
  return {
    templateId: template.id,
    templateVersion: version.version,
    kind: template.kind,
    body: version.body,
    purpose: version.purpose,
    mediaUrls: version.mediaUrls,
  };
}
