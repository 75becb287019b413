import type { TemplateKind } from '@textplane/contracts';
import type { DataSource } from 'typeorm';
import { readOutcome, type TemplateOutcomeRow } from './template-outcomes.js';
import {
  type TemplateRow,
  type TemplateVersionRow,
  templateResourceOf,
  templateVersionResourceOf,
} from './template-row.js';
import type { TemplateResource, TemplateVersionResource } from './template.resource.js';

export interface TemplateFilter {
  kind?: TemplateKind;
  /** Part of the name or body, any case. */
  q?: string;
  /** The last template id of the previous page. */
  after: string | null;
  limit: number;
}

/** The queries the templates API makes of the gateway's read models. */
export interface TemplateQueries {
  template(tenantId: string, templateId: string): Promise<TemplateResource | null>;
  version(
    tenantId: string,
    templateId: string,
    version: number,
  ): Promise<TemplateVersionResource | null>;
  /** Templates not archived, oldest first (ids are UUIDv7). */
  list(
    tenantId: string,
    filter: TemplateFilter,
  ): Promise<{ templates: TemplateResource[]; more: boolean }>;
  outcome(tenantId: string, requestId: string): Promise<TemplateOutcomeRow | null>;
}

type StoredTemplateRow = Omit<TemplateRow, 'archived_at' | 'created_at' | 'updated_at'> & {
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
};
type StoredVersionRow = Omit<TemplateVersionRow, 'created_at'> & { created_at: Date };

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

function templateOf(row: StoredTemplateRow) {
  return templateResourceOf({
    ...row,
    archived_at: iso(row.archived_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  });
}

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const COLUMNS = `tenant_id, template_id, kind, version, name, body, purpose, media_urls, warnings,
  archived_at, created_at, updated_at`;

export class TemplateReadModel implements TemplateQueries {
  constructor(private readonly dataSource: DataSource) {}

  async template(tenantId: string, templateId: string): Promise<TemplateResource | null> {
    const rows = await this.dataSource.query<Array<StoredTemplateRow>>(
      `SELECT ${COLUMNS} FROM templates WHERE tenant_id = $1 AND template_id = $2`,
      [tenantId, templateId],
    );
    return rows[0] ? templateOf(rows[0]) : null;
  }

  async version(
    tenantId: string,
    templateId: string,
    version: number,
  ): Promise<TemplateVersionResource | null> {
    const rows = await this.dataSource.query<Array<StoredVersionRow>>(
      `SELECT tenant_id, template_id, version, name, body, purpose, media_urls, warnings, created_at
       FROM template_versions WHERE tenant_id = $1 AND template_id = $2 AND version = $3`,
      [tenantId, templateId, version],
    );
    const row = rows[0];
    return row
      ? templateVersionResourceOf({ ...row, created_at: row.created_at.toISOString() })
      : null;
  }

  async list(
    tenantId: string,
    filter: TemplateFilter,
  ): Promise<{ templates: TemplateResource[]; more: boolean }> {
    const where = ['tenant_id = $1', 'archived_at IS NULL'];
    const params: unknown[] = [tenantId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.kind !== undefined) where.push(`kind = ${param(filter.kind)}`);
    if (filter.q !== undefined) {
      const p = param(likePattern(filter.q));
      where.push(`(name ILIKE ${p} OR body ILIKE ${p})`);
    }
    if (filter.after !== null) where.push(`template_id > ${param(filter.after)}`);
    const rows = await this.dataSource.query<Array<StoredTemplateRow>>(
      `SELECT ${COLUMNS} FROM templates WHERE ${where.join(' AND ')}
       ORDER BY template_id LIMIT ${param(filter.limit + 1)}`,
      params,
    );
    return {
      templates: rows.slice(0, filter.limit).map(templateOf),
      more: rows.length > filter.limit,
    };
  }

  outcome(tenantId: string, requestId: string): Promise<TemplateOutcomeRow | null> {
    return readOutcome((sql, params) => this.dataSource.query(sql, params), tenantId, requestId);
  }
}
