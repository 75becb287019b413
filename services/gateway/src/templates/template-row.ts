import type {
  MessagePurpose,
  TemplateKind,
  TemplateWarning,
  WireEventOf,
} from '@textplane/contracts';
import type { TemplateOutcomeRow } from './template-outcomes.js';
import type { TemplateResource, TemplateVersionResource } from './template.resource.js';

/** Messaging's template facts, the events of `messaging.templates`. */
export type TemplateFact = WireEventOf<
  | 'messaging.TemplateCreated.v1'
  | 'messaging.TemplateRevised.v1'
  | 'messaging.TemplateArchived.v1'
  | 'messaging.TemplateRequestRejected.v1'
>;

const TEMPLATE_FACT_TYPES: ReadonlySet<string> = new Set<TemplateFact['type']>([
  'messaging.TemplateCreated.v1',
  'messaging.TemplateRevised.v1',
  'messaging.TemplateArchived.v1',
  'messaging.TemplateRequestRejected.v1',
]);

export function isTemplateFact(event: { type: string }): boolean {
  return TEMPLATE_FACT_TYPES.has(event.type);
}

/** A row of `templates`, its columns named as in the table. */
export interface TemplateRow {
  tenant_id: string;
  template_id: string;
  kind: TemplateKind;
  version: number;
  name: string;
  body: string;
  purpose: MessagePurpose | null;
  media_urls: string[];
  warnings: TemplateWarning[];
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A row of `template_versions`. */
export interface TemplateVersionRow {
  tenant_id: string;
  template_id: string;
  version: number;
  name: string;
  body: string;
  purpose: MessagePurpose | null;
  media_urls: string[];
  warnings: TemplateWarning[];
  created_at: string;
}

/**
 * The one writer of `templates`: `evolve(row | null, event) -> row | null`. A fact at or below the
 * row's version changes nothing (a redelivery or a rebuild over surviving rows), except the
 * archival, which keeps the version and only sets `archived_at` once.
 */
export function evolveTemplateRow(
  row: TemplateRow | null,
  event: TemplateFact,
): TemplateRow | null {
  switch (event.type) {
    case 'messaging.TemplateCreated.v1': {
      if (row) return row;
      const d = event.data;
      return {
        tenant_id: d.tenantId,
        template_id: d.templateId,
        kind: d.kind,
        version: 1,
        name: d.name,
        body: d.body,
        purpose: d.purpose ?? null,
        media_urls: d.mediaUrls,
        warnings: d.warnings,
        archived_at: null,
        created_at: d.createdAt,
        updated_at: d.createdAt,
      };
    }
    case 'messaging.TemplateRevised.v1': {
      const d = event.data;
      if (!row || row.version >= d.version) return row;
      return {
        ...row,
        version: d.version,
        name: d.name,
        body: d.body,
        purpose: d.purpose ?? null,
        media_urls: d.mediaUrls,
        warnings: d.warnings,
        updated_at: d.revisedAt,
      };
    }
    case 'messaging.TemplateArchived.v1':
      if (!row || row.archived_at !== null) return row;
      return { ...row, archived_at: event.data.archivedAt, updated_at: event.data.archivedAt };
    // A refusal changes no template: it answers a request (see templateOutcomeOf).
    case 'messaging.TemplateRequestRejected.v1':
      return row;
  }
}

/** The one writer of `template_versions`: the version a fact saved, if it saved one. */
export function versionRowOf(event: TemplateFact): TemplateVersionRow | null {
  switch (event.type) {
    case 'messaging.TemplateCreated.v1':
    case 'messaging.TemplateRevised.v1': {
      const d = event.data;
      return {
        tenant_id: d.tenantId,
        template_id: d.templateId,
        version: d.version,
        name: d.name,
        body: d.body,
        purpose: d.purpose ?? null,
        media_urls: d.mediaUrls,
        warnings: d.warnings,
        created_at:
          event.type === 'messaging.TemplateCreated.v1'
            ? event.data.createdAt
            : event.data.revisedAt,
      };
    }
    case 'messaging.TemplateArchived.v1':
    case 'messaging.TemplateRequestRejected.v1':
      return null;
  }
}

/** What a fact answering an API request came to, as its outcome row. */
export function templateOutcomeOf(event: TemplateFact): TemplateOutcomeRow | null {
  const d = event.data;
  if (d.requestId === undefined) return null;
  const base = {
    request_id: d.requestId,
    tenant_id: d.tenantId,
    subject: d.templateId,
    type: event.type,
  };
  switch (event.type) {
    case 'messaging.TemplateCreated.v1':
      return {
        ...base,
        version: 1,
        created: true,
        reason: null,
        occurred_at: event.data.createdAt,
      };
    case 'messaging.TemplateRevised.v1':
      return {
        ...base,
        version: event.data.version,
        created: false,
        reason: null,
        occurred_at: event.data.revisedAt,
      };
    case 'messaging.TemplateArchived.v1':
      return {
        ...base,
        version: event.data.version,
        created: null,
        reason: null,
        occurred_at: event.data.archivedAt,
      };
    case 'messaging.TemplateRequestRejected.v1':
      return {
        ...base,
        version: null,
        created: null,
        reason: event.data.reason,
        occurred_at: event.data.rejectedAt,
      };
  }
}

export function templateResourceOf(row: TemplateRow): TemplateResource {
  return {
    id: row.template_id,
    kind: row.kind,
    name: row.name,
    body: row.body,
    purpose: row.purpose,
    mediaUrls: row.media_urls,
    version: row.version,
    warnings: row.warnings,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function templateVersionResourceOf(row: TemplateVersionRow): TemplateVersionResource {
  return {
    id: row.template_id,
    version: row.version,
    name: row.name,
    body: row.body,
    purpose: row.purpose,
    mediaUrls: row.media_urls,
    warnings: row.warnings,
    createdAt: row.created_at,
  };
}
