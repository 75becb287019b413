import type { EntityManager } from 'typeorm';

/** NOTIFY channel: a template or custom value fact answering an API request was projected. */
export const TEMPLATE_FACTS_CHANNEL = 'gateway_template_facts';

export interface TemplateFactNotice {
  tenantId: string;
  requestId: string;
  type: string;
}

/**
 * A row of `template_request_outcomes`: what one template or custom value request came to.
 * `subject`: the template id or the custom value key.
 */
export interface TemplateOutcomeRow {
  request_id: string;
  tenant_id: string;
  subject: string;
  type: string;
  version: number | null;
  created: boolean | null;
  reason: string | null;
  occurred_at: string;
}

/** Records an outcome once and tells waiters at commit (they never hear of one they cannot read). */
export async function recordOutcome(
  manager: EntityManager,
  outcome: TemplateOutcomeRow,
): Promise<void> {
  const inserted = await manager.query<Array<{ request_id: string }>>(
    `INSERT INTO template_request_outcomes
       (request_id, tenant_id, subject, type, version, created, reason, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (request_id) DO NOTHING
     RETURNING request_id`,
    [
      outcome.request_id,
      outcome.tenant_id,
      outcome.subject,
      outcome.type,
      outcome.version,
      outcome.created,
      outcome.reason,
      outcome.occurred_at,
    ],
  );
  if (inserted.length === 0) return;
  const notice: TemplateFactNotice = {
    tenantId: outcome.tenant_id,
    requestId: outcome.request_id,
    type: outcome.type,
  };
  await manager.query(`SELECT pg_notify($1, $2)`, [TEMPLATE_FACTS_CHANNEL, JSON.stringify(notice)]);
}

/** Reads what a request came to. */
export async function readOutcome(
  query: <T>(sql: string, params: unknown[]) => Promise<T>,
  tenantId: string,
  requestId: string,
): Promise<TemplateOutcomeRow | null> {
  const rows = await query<Array<Omit<TemplateOutcomeRow, 'occurred_at'> & { occurred_at: Date }>>(
    `SELECT request_id, tenant_id, subject, type, version, created, reason, occurred_at
     FROM template_request_outcomes WHERE tenant_id = $1 AND request_id = $2`,
    [tenantId, requestId],
  );
  const row = rows[0];
  return row ? { ...row, occurred_at: row.occurred_at.toISOString() } : null;
}
