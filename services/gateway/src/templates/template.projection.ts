import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { recordOutcome } from './template-outcomes.js';
import {
  evolveTemplateRow,
  isTemplateFact,
  type TemplateFact,
  type TemplateRow,
  templateOutcomeOf,
  versionRowOf,
} from './template-row.js';

type StoredRow = Omit<TemplateRow, 'archived_at' | 'created_at' | 'updated_at'> & {
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

const ROW_COLUMNS = `tenant_id, template_id, kind, version, name, body, purpose, media_urls, warnings,
  archived_at, created_at, updated_at`;

/**
 * Projects messaging's template facts into `templates` (with `evolveTemplateRow`),
 * `template_versions` (with `versionRowOf`) and `template_request_outcomes`; a fact's writes and
 * its inbox record commit together.
 */
export class TemplateProjection implements EventHandlers {
  private readonly handlers: EventHandlers;

  constructor(inbox: Inbox, consumerGroup: string) {
    this.handlers = onceThroughInbox(inbox, consumerGroup, (event, manager) =>
      this.apply(event, manager),
    );
  }

  handle(event: ConsumedEvent): Promise<void> {
    return this.handlers.handle(event);
  }

  handleBatch(events: ConsumedEvent[]): Promise<void> {
    return this.handlers.handleBatch(events);
  }

  async apply(consumed: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (!isTemplateFact(consumed)) return;
    const event = { type: consumed.type, data: consumed.data } as TemplateFact;
    const { tenantId, templateId } = event.data;
    const rows = await manager.query<StoredRow[]>(
      `SELECT ${ROW_COLUMNS} FROM templates WHERE tenant_id = $1 AND template_id = $2 FOR UPDATE`,
      [tenantId, templateId],
    );
    const found = rows[0];
    const row: TemplateRow | null = found
      ? {
          ...found,
          archived_at: found.archived_at?.toISOString() ?? null,
          created_at: found.created_at.toISOString(),
          updated_at: found.updated_at.toISOString(),
        }
      : null;
    const next = evolveTemplateRow(row, event);
    if (next !== null && next !== row) {
      await manager.query(
        `INSERT INTO templates (${ROW_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)
         ON CONFLICT (tenant_id, template_id) DO UPDATE SET
           version = EXCLUDED.version, name = EXCLUDED.name, body = EXCLUDED.body,
           purpose = EXCLUDED.purpose, media_urls = EXCLUDED.media_urls,
           warnings = EXCLUDED.warnings, archived_at = EXCLUDED.archived_at,
           updated_at = EXCLUDED.updated_at`,
        [
          next.tenant_id,
          next.template_id,
          next.kind,
          next.version,
          next.name,
          next.body,
          next.purpose,
          next.media_urls,
          JSON.stringify(next.warnings),
          next.archived_at,
          next.created_at,
          next.updated_at,
        ],
      );
    }
    const version = versionRowOf(event);
    if (version) {
      await manager.query(
        `INSERT INTO template_versions
           (tenant_id, template_id, version, name, body, purpose, media_urls, warnings, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
         ON CONFLICT (tenant_id, template_id, version) DO NOTHING`,
        [
          version.tenant_id,
          version.template_id,
          version.version,
          version.name,
          version.body,
          version.purpose,
          version.media_urls,
          JSON.stringify(version.warnings),
          version.created_at,
        ],
      );
    }
    const outcome = templateOutcomeOf(event);
    if (outcome) await recordOutcome(manager, outcome);
  }
}
