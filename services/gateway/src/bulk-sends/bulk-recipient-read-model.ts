import type { ConsentStanding } from '@textplane/compliance';
import { effectiveStanding } from '@textplane/replicas';
import type { DataSource } from 'typeorm';
import { type ContactRow, contactResourceOfRow } from '../contacts/contact-row.js';
import type { ContactResource } from '../contacts/contact.resource.js';
import type { TagFilter } from './bulk-recipients.js';

/** What a bulk-send preview reads, in bulk: a few `= ANY($n)` queries, never one per contact. */
export interface BulkRecipientQueries {
  contactsByIds(tenantId: string, contactIds: readonly string[]): Promise<ContactResource[]>;
  /**
   * The tenant's contacts in contact id order (bytewise; the read model keeps no creation time),
   * narrowed by `any` and `all` in SQL (the caller applies the whole filter with `matchesTags`).
   */
  contactsByTags(tenantId: string, filter: TagFilter | null): Promise<ContactResource[]>;
  /** Each phone's consent standing (no row reads as no consent), as the consent read model folds it. */
  standings(tenantId: string, phones: readonly string[]): Promise<Map<string, ConsentStanding>>;
  /** The phones that were already sent an outbound message (the brand is added to a first one). */
  phonesTextedBefore(tenantId: string, phones: readonly string[]): Promise<Set<string>>;
}

const COLUMNS = `tenant_id, contact_id, version, phone, first_name, last_name, email, company_name,
  time_zone, tags, custom_fields, updated_at`;

type SelectedRow = Omit<ContactRow, 'updated_at'> & { updated_at: Date };

function selected(row: SelectedRow): ContactResource {
  return contactResourceOfRow({ ...row, updated_at: row.updated_at.toISOString() });
}

export class BulkRecipientReadModel implements BulkRecipientQueries {
  constructor(private readonly dataSource: DataSource) {}

  async contactsByIds(tenantId: string, contactIds: readonly string[]): Promise<ContactResource[]> {
    const rows = await this.dataSource.query<SelectedRow[]>(
      `SELECT ${COLUMNS} FROM contacts WHERE tenant_id = $1 AND contact_id = ANY($2::text[])`,
      [tenantId, [...new Set(contactIds)]],
    );
    return rows.map(selected);
  }

  async contactsByTags(tenantId: string, filter: TagFilter | null): Promise<ContactResource[]> {
    const any = filter?.any !== undefined && filter.any.length > 0 ? filter.any : null;
    const all = filter?.all !== undefined && filter.all.length > 0 ? filter.all : null;
    const rows = await this.dataSource.query<SelectedRow[]>(
      `SELECT ${COLUMNS} FROM contacts
       WHERE tenant_id = $1
         AND ($2::text[] IS NULL OR tags && $2::text[])
         AND ($3::text[] IS NULL OR tags @> $3::text[])
       ORDER BY contact_id COLLATE "C"`,
      [tenantId, any, all],
    );
    return rows.map(selected);
  }

  async standings(
    tenantId: string,
    phones: readonly string[],
  ): Promise<Map<string, ConsentStanding>> {
    const rows = await this.dataSource.query<Array<{ phone: string; standing: ConsentStanding }>>(
      `SELECT phone, standing FROM consent_standings
       WHERE tenant_id = $1 AND phone = ANY($2::text[])`,
      [tenantId, [...phones]],
    );
    const byPhone = new Map(rows.map((row) => [row.phone, row.standing]));
    return new Map(
      phones.map((phone) => {
        const standing = byPhone.get(phone);
        return [
          phone,
          effectiveStanding(
            standing === undefined ? null : { standing, pendingOptOuts: [], restoredThrough: null },
          ),
        ];
      }),
    );
  }

  async phonesTextedBefore(tenantId: string, phones: readonly string[]): Promise<Set<string>> {
    // The same statuses as MessageReadModel.hasOutboundTo: a message that reached the carrier.
    const rows = await this.dataSource.query<Array<{ contact_phone: string }>>(
      `SELECT DISTINCT contact_phone FROM messages
       WHERE tenant_id = $1 AND contact_phone = ANY($2::text[]) AND direction = 'outbound'
         AND status IN ('sending', 'sent', 'delivered', 'failed', 'undelivered')`,
      [tenantId, [...phones]],
    );
    return new Set(rows.map((row) => row.contact_phone));
  }
}
