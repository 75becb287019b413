import { hasOptOutLanguage } from '@textplane/compliance';
import { unitOfWorkOf } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import type { MessageEvent } from '../message.events.js';

/**
 * When each (tenant, contact phone) was last sent a text with an opt-out line, by the queue time
 * of the outbound message whose queued body says how to opt out (the line compliance added, a
 * marketing text's or one the sender wrote). The periodic opt-out reminder reads it (see
 * `optOutReminderDue` of @textplane/compliance). The only writer of `opt_out_lines`: applied
 * inline, in the transaction that records the MessageQueued, so a second text queued right after
 * sees the first; the same `apply` rebuilds it from the stored events.
 */
export class OptOutLineProjection {
  follows(event: MessageEvent): boolean {
    return event.type === 'messaging.MessageQueued.v1';
  }

  async apply(manager: EntityManager, event: MessageEvent): Promise<void> {
    if (event.type !== 'messaging.MessageQueued.v1') return;
    const { tenantId, to, body, queuedAt } = event.data;
    if (!hasOptOutLanguage(body)) return;
    const line: OptOutLine = { tenantId, contactPhone: to, at: queuedAt };
    const unit = unitOfWorkOf(manager);
    if (!unit) {
      await writeAll(manager, [line]);
      return;
    }
    // Later lookups in this unit see the line before the deferred write is made.
    const key = pendingKey(tenantId, to);
    unit.remember(key, later((await unit.recall<string | null>(key)) ?? null, queuedAt));
    unit.deferWrite('opt-out-lines', line, (m, lines) => writeAll(m, lines));
  }

  /** When the contact was last sent an opt-out line, or null when never. */
  async lastOptOutLineAt(
    manager: EntityManager,
    tenantId: string,
    contactPhone: string,
  ): Promise<Date | null> {
    const read = async (): Promise<string | null> => {
      const rows = await manager.query<Array<{ last_sent_at: Date }>>(
        `SELECT last_sent_at FROM opt_out_lines WHERE tenant_id = $1 AND contact_phone = $2`,
        [tenantId, contactPhone],
      );
      return rows[0]?.last_sent_at.toISOString() ?? null;
    };
    const unit = unitOfWorkOf(manager);
    if (!unit) return dateOf(await read());
    const stored = await unit.memo(storedKey(tenantId, contactPhone), read);
    const pending = (await unit.recall<string | null>(pendingKey(tenantId, contactPhone))) ?? null;
    return dateOf(later(stored, pending));
  }

  /** `lastOptOutLineAt` for many contacts in one read, kept by the unit of work. */
  async prefetch(
    manager: EntityManager,
    contacts: ReadonlyArray<{ tenantId: string; contactPhone: string }>,
  ): Promise<void> {
    const unit = unitOfWorkOf(manager);
    if (!unit || contacts.length === 0) return;
    const rows = await manager.query<
      Array<{ tenant_id: string; contact_phone: string; last_sent_at: Date }>
    >(
      `SELECT o.tenant_id, o.contact_phone, o.last_sent_at
         FROM unnest($1::uuid[], $2::text[]) AS k(tenant_id, contact_phone)
         JOIN opt_out_lines o USING (tenant_id, contact_phone)`,
      [contacts.map((c) => c.tenantId), contacts.map((c) => c.contactPhone)],
    );
    const found = new Map(
      rows.map((row) => [
        storedKey(row.tenant_id, row.contact_phone),
        row.last_sent_at.toISOString(),
      ]),
    );
    for (const { tenantId, contactPhone } of contacts) {
      const key = storedKey(tenantId, contactPhone);
      if (unit.recall(key) === undefined) unit.remember(key, found.get(key) ?? null);
    }
  }
}

interface OptOutLine {
  tenantId: string;
  contactPhone: string;
  /** The message's queue time. */
  at: string;
}

function storedKey(tenantId: string, contactPhone: string): string {
  return `opt-out-line:${tenantId.toLowerCase()}:${contactPhone}`;
}

function pendingKey(tenantId: string, contactPhone: string): string {
  return `opt-out-line-pending:${tenantId.toLowerCase()}:${contactPhone}`;
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function dateOf(at: string | null): Date | null {
  return at === null ? null : new Date(at);
}

/**
 * One statement for the lot, the latest time per contact kept (GREATEST: a replay or an older
 * message recorded late never moves it back). Rows go in (tenant, phone) order, so two batches
 * never wait on each other in a cycle.
 */
async function writeAll(manager: EntityManager, lines: readonly OptOutLine[]): Promise<void> {
  const latest = new Map<string, OptOutLine>();
  for (const line of lines) {
    const key = `${line.tenantId.toLowerCase()}|${line.contactPhone}`;
    const known = latest.get(key);
    if (!known || Date.parse(line.at) > Date.parse(known.at)) latest.set(key, line);
  }
  const rows = [...latest.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, line]) => line);
  await manager.query(
    `INSERT INTO opt_out_lines (tenant_id, contact_phone, last_sent_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[])
     ON CONFLICT (tenant_id, contact_phone) DO UPDATE SET
       last_sent_at = GREATEST(opt_out_lines.last_sent_at, EXCLUDED.last_sent_at)`,
    [rows.map((r) => r.tenantId), rows.map((r) => r.contactPhone), rows.map((r) => r.at)],
  );
}
