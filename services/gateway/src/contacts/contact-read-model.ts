import type { DataSource } from 'typeorm';
import { type ContactOutcomeRow, type ContactRow, contactResourceOfRow } from './contact-row.js';
import type { ContactPage, ContactResource } from './contact.resource.js';

export interface ContactFilter {
  tag?: string;
  /** Part of a name, email or company name, any case. */
  q?: string;
  phone?: string;
  /** The last contact id of the previous page. */
  after: string | null;
  limit: number;
}

/** The queries the contacts API makes of the gateway's read models. */
export interface ContactQueries {
  contact(tenantId: string, contactId: string): Promise<ContactResource | null>;
  list(
    tenantId: string,
    filter: ContactFilter,
  ): Promise<{ contacts: ContactResource[]; more: boolean }>;
  outcome(tenantId: string, requestId: string): Promise<ContactOutcomeRow | null>;
  lastMessageAt(tenantId: string, phone: string): Promise<string | null>;
}

const COLUMNS = `tenant_id, contact_id, version, phone, first_name, last_name, email, company_name,
  time_zone, tags, custom_fields, updated_at`;

type SelectedRow = Omit<ContactRow, 'updated_at'> & { updated_at: Date };

function selected(row: SelectedRow): ContactResource {
  return contactResourceOfRow({ ...row, updated_at: row.updated_at.toISOString() });
}

/** `%`, `_` and `\` in a search term match themselves. */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class ContactReadModel implements ContactQueries {
  constructor(private readonly dataSource: DataSource) {}

  async contact(tenantId: string, contactId: string): Promise<ContactResource | null> {
    const rows = await this.dataSource.query<SelectedRow[]>(
      `SELECT ${COLUMNS} FROM contacts WHERE tenant_id = $1 AND contact_id = $2`,
      [tenantId, contactId],
    );
    return rows[0] ? selected(rows[0]) : null;
  }

  /** By contact id (the CRM's, stable), a page after the given id. */
  async list(
    tenantId: string,
    filter: ContactFilter,
  ): Promise<{ contacts: ContactResource[]; more: boolean }> {
    const where = ['tenant_id = $1'];
    const params: unknown[] = [tenantId];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.tag !== undefined) where.push(`${param(filter.tag)} = ANY (tags)`);
    if (filter.phone !== undefined) where.push(`phone = ${param(filter.phone)}`);
    if (filter.q !== undefined) {
      const p = param(likePattern(filter.q));
      where.push(
        `(first_name ILIKE ${p} OR last_name ILIKE ${p} OR email ILIKE ${p} OR company_name ILIKE ${p}
          OR (first_name || ' ' || last_name) ILIKE ${p})`,
      );
    }
    if (filter.after !== null) where.push(`contact_id > ${param(filter.after)} COLLATE "C"`);
    const rows = await this.dataSource.query<SelectedRow[]>(
      `SELECT ${COLUMNS} FROM contacts WHERE ${where.join(' AND ')}
       ORDER BY contact_id COLLATE "C" LIMIT ${param(filter.limit + 1)}`,
      params,
    );
    return {
      contacts: rows.slice(0, filter.limit).map(selected),
      more: rows.length > filter.limit,
    };
  }

  async outcome(tenantId: string, requestId: string): Promise<ContactOutcomeRow | null> {
    const rows = await this.dataSource.query<
      Array<Omit<ContactOutcomeRow, 'occurred_at'> & { occurred_at: Date }>
    >(
      `SELECT request_id, tenant_id, contact_id, type, version, created, reason, current_version,
              contact, occurred_at
       FROM contact_request_outcomes WHERE tenant_id = $1 AND request_id = $2`,
      [tenantId, requestId],
    );
    const row = rows[0];
    return row ? { ...row, occurred_at: row.occurred_at.toISOString() } : null;
  }

  /** From the messages read model (indexed by tenant, number and time: one index probe). */
  async lastMessageAt(tenantId: string, phone: string): Promise<string | null> {
    const rows = await this.dataSource.query<Array<{ created_at: Date }>>(
      `SELECT created_at FROM messages WHERE tenant_id = $1 AND contact_phone = $2
       ORDER BY created_at DESC LIMIT 1`,
      [tenantId, phone],
    );
    return rows[0]?.created_at.toISOString() ?? null;
  }
}

export type { ContactPage };
