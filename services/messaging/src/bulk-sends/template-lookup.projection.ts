import type { EntityManager } from 'typeorm';
import type { CustomValueEvent } from '../custom-values/custom-value.events.js';
import type { TemplateEvent } from '../templates/template.events.js';

/** A row of `template_versions`: one version of a template, as a bulk send pinned it. */
export interface TemplateVersionRow {
  tenant_id: string;
  template_id: string;
  version: number;
  body: string;
  media_urls: string[];
  purpose: string | null;
}

/** The one writer of `template_versions`: the version an event adds (versions never change). */
export function templateVersionOf(event: TemplateEvent): TemplateVersionRow | null {
  switch (event.type) {
    case 'messaging.TemplateCreated.v1':
    case 'messaging.TemplateRevised.v1': {
      const d = event.data;
      return {
        tenant_id: d.tenantId,
        template_id: d.templateId,
        version: d.version,
        body: d.body,
        media_urls: d.mediaUrls,
        purpose: d.purpose ?? null,
      };
    }
    // An archived template's versions stay: a bulk send that pinned one still renders it.
    case 'messaging.TemplateArchived.v1':
    case 'messaging.TemplateRequestRejected.v1':
      return null;
  }
}

/** A row of `custom_values`: a tenant's business-wide value (`custom_values.<key>`). */
export interface CustomValueRow {
  tenant_id: string;
  key: string;
  value: string;
}

/** The one writer of `custom_values`: `evolve(row | null, event) -> row | null`. */
export function evolveCustomValue(
  row: CustomValueRow | null,
  event: CustomValueEvent,
): CustomValueRow | null {
  switch (event.type) {
    case 'messaging.CustomValueSet.v1':
      return { tenant_id: event.data.tenantId, key: event.data.key, value: event.data.value };
    case 'messaging.CustomValueDeleted.v1':
      return null;
    case 'messaging.CustomValueRequestRejected.v1':
      return row;
  }
}

/** Applies template events to `template_versions`, inline and in the rebuild. */
export class TemplateVersionProjection {
  async apply(manager: EntityManager, event: TemplateEvent): Promise<void> {
    const row = templateVersionOf(event);
    if (row === null) return;
    await manager.query(
      `INSERT INTO template_versions (tenant_id, template_id, version, body, media_urls, purpose)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (tenant_id, template_id, version) DO NOTHING`,
      [
        row.tenant_id,
        row.template_id,
        row.version,
        row.body,
        JSON.stringify(row.media_urls),
        row.purpose,
      ],
    );
  }
}

/** Applies custom-value events to `custom_values`, inline and in the rebuild. */
export class CustomValueProjection {
  async apply(manager: EntityManager, event: CustomValueEvent): Promise<void> {
    if (event.type === 'messaging.CustomValueRequestRejected.v1') return;
    const { tenantId, key } = event.data;
    const rows = await manager.query<CustomValueRow[]>(
      `SELECT tenant_id, key, value FROM custom_values WHERE tenant_id = $1 AND key = $2 FOR UPDATE`,
      [tenantId, key],
    );
    const next = evolveCustomValue(rows[0] ?? null, event);
    if (next === null) {
      await manager.query(`DELETE FROM custom_values WHERE tenant_id = $1 AND key = $2`, [
        tenantId,
        key,
      ]);
      return;
    }
    await manager.query(
      `INSERT INTO custom_values (tenant_id, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, key) DO UPDATE SET value = EXCLUDED.value`,
      [next.tenant_id, next.key, next.value],
    );
  }
}
