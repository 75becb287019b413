import { hasOptOutLanguage } from '@textplane/compliance';
import type { DataSource } from 'typeorm';

const PAGE = 200;

/**
 * When the contact was last sent a text with an opt-out line since `since`, by the gateway's
 * message read model: the latest outbound message to the phone whose body (as messaging queued
 * it, additions included) says how to opt out; null when none did in that window. The preview
 * asks this to tell whether the periodic reminder would add the line (messaging decides it the
 * same way from its own `opt_out_lines`). Read newest first over the conversation index, a page
 * at a time, only as far back as `since`.
 */
export async function lastOptOutLineSince(
  dataSource: DataSource,
  tenantId: string,
  phone: string,
  since: Date,
): Promise<Date | null> {
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const rows: Array<{ id: string; body: string; created_at: Date }> = await dataSource.query(
      `SELECT id, body, created_at FROM messages
        WHERE tenant_id = $1 AND contact_phone = $2 AND direction = 'outbound'
          AND created_at >= $3
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT ${PAGE}`,
      [tenantId, phone, since, after?.createdAt ?? null, after?.id ?? null],
    );
    const found = rows.find((row) => hasOptOutLanguage(row.body));
    if (found) return found.created_at;
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) return null;
    after = { createdAt: last.created_at, id: last.id };
  }
}
