import type { ContactRecord } from '@textplane/contracts';
import type { EntityManager } from 'typeorm';
import type { ContactEvent } from './contact.events.js';

/** A row of messaging's `contacts` table: what sending to a contact looks up (phone, zone). */
export interface ContactLookupRow {
  tenant_id: string;
  contact_id: string;
  version: number;
  phone: string;
  time_zone: string | null;
  record: ContactRecord;
  updated_at: string;
}

/** The one writer of `contacts`: `evolve(row | null, event) -> row | null` (null: no contact). */
export function evolveContactLookup(
  row: ContactLookupRow | null,
  event: ContactEvent,
): ContactLookupRow | null {
  switch (event.type) {
    case 'messaging.ContactUpserted.v1': {
      const d = event.data;
      return {
        tenant_id: d.tenantId,
        contact_id: d.contactId,
        version: d.version,
        phone: d.contact.phone,
        time_zone: d.contact.timeZone ?? null,
        record: d.contact,
        updated_at: d.upsertedAt,
      };
    }
    case 'messaging.ContactDeleted.v1':
      return null;
    case 'messaging.ContactRequestRejected.v1':
      return row;
  }
}

/**
 * Applies contact events to `contacts`, inline where they are appended (the stream's own order),
 * and again when the table is rebuilt from the store.
 */
export class ContactLookupProjection {
  async apply(manager: EntityManager, event: ContactEvent): Promise<void> {
    if (event.type === 'messaging.ContactRequestRejected.v1') return;
    const { tenantId, contactId } = event.data;
    const rows = await manager.query<ContactLookupRow[]>(
      `SELECT tenant_id, contact_id, version, phone, time_zone, record, updated_at
       FROM contacts WHERE tenant_id = $1 AND contact_id = $2 FOR UPDATE`,
      [tenantId, contactId],
    );
    const next = evolveContactLookup(rows[0] ?? null, event);
    if (next === null) {
      await manager.query(`DELETE FROM contacts WHERE tenant_id = $1 AND contact_id = $2`, [
        tenantId,
        contactId,
      ]);
      return;
    }
    await manager.query(
      `INSERT INTO contacts (tenant_id, contact_id, version, phone, time_zone, record, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
       ON CONFLICT (tenant_id, contact_id) DO UPDATE SET
         version = EXCLUDED.version, phone = EXCLUDED.phone, time_zone = EXCLUDED.time_zone,
         record = EXCLUDED.record, updated_at = EXCLUDED.updated_at`,
      [
        next.tenant_id,
        next.contact_id,
        next.version,
        next.phone,
        next.time_zone,
        JSON.stringify(next.record),
        next.updated_at,
      ],
    );
  }
}
