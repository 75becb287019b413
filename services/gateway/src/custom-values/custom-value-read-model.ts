import type { DataSource } from 'typeorm';
import { readOutcome, type TemplateOutcomeRow } from '../templates/template-outcomes.js';
import { type CustomValueResource, customValueResourceOf } from './custom-value-row.js';

/** The queries the custom values API and the template preview make of the read model. */
export interface CustomValueQueries {
  value(tenantId: string, key: string): Promise<CustomValueResource | null>;
  /** By key, a page after the given key. */
  list(
    tenantId: string,
    after: string | null,
    limit: number,
  ): Promise<{ values: CustomValueResource[]; more: boolean }>;
  /** Every value of the tenant, for rendering (at most a few hundred per business). */
  all(tenantId: string): Promise<Record<string, string>>;
  outcome(tenantId: string, requestId: string): Promise<TemplateOutcomeRow | null>;
}

interface StoredRow {
  tenant_id: string;
  key: string;
  value: string;
  version: number;
  updated_at: Date;
}

const resourceOf = (row: StoredRow) =>
  customValueResourceOf({ ...row, updated_at: row.updated_at.toISOString() });

export class CustomValueReadModel implements CustomValueQueries {
  constructor(private readonly dataSource: DataSource) {}

  async value(tenantId: string, key: string): Promise<CustomValueResource | null> {
    const rows = await this.dataSource.query<StoredRow[]>(
      `SELECT tenant_id, key, value, version, updated_at FROM custom_values
       WHERE tenant_id = $1 AND key = $2`,
      [tenantId, key],
    );
    return rows[0] ? resourceOf(rows[0]) : null;
  }

  async list(
    tenantId: string,
    after: string | null,
    limit: number,
  ): Promise<{ values: CustomValueResource[]; more: boolean }> {
    const rows = await this.dataSource.query<StoredRow[]>(
      `SELECT tenant_id, key, value, version, updated_at FROM custom_values
       WHERE tenant_id = $1 AND ($2::text IS NULL OR key > $2 COLLATE "C")
       ORDER BY key COLLATE "C" LIMIT $3`,
      [tenantId, after, limit + 1],
    );
    return { values: rows.slice(0, limit).map(resourceOf), more: rows.length > limit };
  }

  async all(tenantId: string): Promise<Record<string, string>> {
    const rows = await this.dataSource.query<Array<{ key: string; value: string }>>(
      `SELECT key, value FROM custom_values WHERE tenant_id = $1`,
      [tenantId],
    );
    return Object.fromEntries(rows.map((row) => [row.key, row.value]));
  }

  outcome(tenantId: string, requestId: string): Promise<TemplateOutcomeRow | null> {
    return readOutcome((sql, params) => this.dataSource.query(sql, params), tenantId, requestId);
  }
}
