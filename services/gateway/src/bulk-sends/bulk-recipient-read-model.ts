import type { ConsentStanding } from '@textplane/compliance';
import { effectiveStanding } from '@textplane/replicas';
import type { DataSource } from 'typeorm';
import { type ContactRow, contactResourceOfRow } from '../contacts/contact-row.js';
import type { ContactResource } from '../contacts/contact.resource.js';
import type { SenderRegistrationClass } from './bulk-send-pace.js';
import type { TagFilter } from './bulk-recipients.js';

/** Outbound messages of a tenant still waiting to go out, counted by sender, channel and cost. */
export interface QueuedTraffic {
  sender: string;
  channel: 'sms' | 'mms';
  /** Units each counts: its segments as an SMS (at least 1), 1 as an MMS. */
  cost: number;
  count: number;
}

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
  /**
   * The number each phone last had a conversation with (the sticky sender messaging picks when
   * a bulk send names no `from`), from the conversations read model.
   */
  lastSenders(tenantId: string, phones: readonly string[]): Promise<Map<string, string>>;
  /**
   * Each long code's campaign and brand class from the Trust Center read models: the newest
   * assignment that still holds the number (pending or approved), its campaign's use case, its
   * brand's entity type and vetting score. A number with none is absent.
   */
  senderRegistrations(
    tenantId: string,
    senders: readonly string[],
  ): Promise<Map<string, SenderRegistrationClass>>;
  /**
   * The tenant's outbound traffic queued ahead (`queued`, waiting for nothing or for its
   * throughput turn or its media; not for a registration or funds, which do not go soon), other
   * than `exceptBulkSendId`'s own messages: its bulk sends' (indexed by `messages_by_bulk_send`),
   * and its single messages created since `since` (a range of `messages_newest_first`, so a read
   * does not scan the tenant's history: a message queued that long waits for something else).
   */
  queuedTraffic(
    tenantId: string,
    exceptBulkSendId: string | null,
    since: Date,
  ): Promise<QueuedTraffic[]>;
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

  async lastSenders(tenantId: string, phones: readonly string[]): Promise<Map<string, string>> {
    if (phones.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<{ phone: string; sender_number: string }>>(
      `SELECT phone, sender_number FROM conversations
       WHERE tenant_id = $1 AND phone = ANY($2::text[])`,
      [tenantId, [...phones]],
    );
    return new Map(rows.map((row) => [row.phone, row.sender_number]));
  }

  async senderRegistrations(
    tenantId: string,
    senders: readonly string[],
  ): Promise<Map<string, SenderRegistrationClass>> {
    if (senders.length === 0) return new Map();
    const rows = await this.dataSource.query<
      Array<{
        phone_number: string;
        campaign_id: string;
        brand_id: string;
        usecase: string | null;
        entity_type: string | null;
        vetting_score: number | null;
      }>
    >(
      `SELECT DISTINCT ON (n.phone_number) n.phone_number, c.campaign_id, c.brand_id,
         c.details->>'usecase' AS usecase, b.details->>'entityType' AS entity_type, b.vetting_score
       FROM trust_campaign_numbers n
       JOIN trust_campaigns c ON c.campaign_id = n.campaign_id
       LEFT JOIN trust_brands b ON b.brand_id = c.brand_id
       WHERE n.tenant_id = $1 AND n.phone_number = ANY($2::text[])
         AND n.status IN ('pending', 'approved')
       ORDER BY n.phone_number, n.requested_at DESC, n.request_id DESC`,
      [tenantId, [...new Set(senders)]],
    );
    return new Map(
      rows
        .filter((row) => row.usecase !== null)
        .map((row) => [
          row.phone_number,
          {
            campaignId: row.campaign_id,
            brandId: row.brand_id,
            usecase: row.usecase as string,
            entityType: row.entity_type,
            vettingScore: row.vetting_score,
          },
        ]),
    );
  }

  async queuedTraffic(
    tenantId: string,
    exceptBulkSendId: string | null,
    since: Date,
  ): Promise<QueuedTraffic[]> {
    const rows = await this.dataSource.query<
      Array<{ from_number: string; mms: boolean; cost: number; count: number }>
    >(
      `SELECT from_number, jsonb_array_length(media_urls) > 0 AS mms,
         CASE WHEN jsonb_array_length(media_urls) > 0 THEN 1 ELSE greatest(segments, 1) END AS cost,
         count(*)::integer AS count
       FROM (
         SELECT m.* FROM messages m
         WHERE m.bulk_send_id IN (SELECT bulk_send_id FROM bulk_sends WHERE tenant_id = $1)
           AND m.bulk_send_id IS NOT NULL AND m.status = 'queued'
           AND ($2::uuid IS NULL OR m.bulk_send_id <> $2::uuid)
         UNION ALL
         SELECT m.* FROM messages m
         WHERE m.tenant_id = $1 AND m.bulk_send_id IS NULL AND m.created_at >= $3
           AND m.status = 'queued'
       ) queued
       WHERE tenant_id = $1 AND direction = 'outbound'
         AND (waiting_for IS NULL OR waiting_for IN ('throughput', 'media'))
       GROUP BY 1, 2, 3`,
      [tenantId, exceptBulkSendId, since],
    );
    return rows.map((row) => ({
      sender: row.from_number,
      channel: row.mms ? 'mms' : 'sms',
      cost: row.cost,
      count: row.count,
    }));
  }
}
