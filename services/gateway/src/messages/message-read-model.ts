import type { DataSource, EntityManager } from 'typeorm';
import { encodePageCursor, type PagePosition } from '../http/page-cursor.js';
import type { ConversationPage, MessageResource, MessageStatus } from './message.resource.js';

interface MessageRow {
  id: string;
  tenant_id: string;
  direction: 'outbound' | 'inbound';
  status: MessageStatus;
  to_number: string;
  from_number: string;
  body: string;
  media_urls: string[];
  purpose: MessageResource['purpose'];
  encoding: MessageResource['encoding'];
  segments: number;
  carrier_message_id: string | null;
  error_code: string | null;
  error_detail: string | null;
  reason: MessageResource['reason'];
  reasons: MessageResource['reasons'] | null;
  reason_detail: string | null;
  send_at: Date | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
}

export function resourceOf(row: MessageRow): MessageResource {
  return {
    id: row.id,
    direction: row.direction,
    status: row.status,
    to: row.to_number,
    from: row.from_number,
    body: row.body,
    mediaUrls: row.media_urls,
    purpose: row.purpose,
    encoding: row.encoding,
    segments: row.segments,
    carrierMessageId: row.carrier_message_id,
    errorCode: row.error_code,
    errorDetail: row.error_detail,
    reason: row.reason ?? null,
    reasons: row.reasons ?? [],
    reasonDetail: row.reason_detail ?? null,
    sendAt: row.send_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}

export interface NewMessageRow {
  id: string;
  tenantId: string;
  direction: 'outbound' | 'inbound';
  status: MessageStatus;
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  purpose: MessageResource['purpose'];
  encoding: MessageResource['encoding'];
  segments: number;
  carrierMessageId: string | null;
  createdAt: string;
}

/** A row as Postgres's to_jsonb renders it (timestamps as ISO strings), e.g. in a NOTIFY. */
export function resourceOfJson(json: Record<string, unknown>): MessageResource {
  const date = (value: unknown): Date | null =>
    typeof value === 'string' ? new Date(value) : null;
  const row = json as unknown as MessageRow;
  return resourceOf({
    ...row,
    created_at: date(json['created_at']) ?? new Date(0),
    updated_at: date(json['updated_at']) ?? new Date(0),
    sent_at: date(json['sent_at']),
    delivered_at: date(json['delivered_at']),
    send_at: date(json['send_at']),
  });
}

/** The gateway's queryable view of messages, both directions. */
export class MessageReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, row: NewMessageRow): Promise<MessageResource | null> {
    const contactPhone = row.direction === 'outbound' ? row.to : row.from;
    const inserted = await manager.query<MessageRow[]>(
      `INSERT INTO messages (id, tenant_id, direction, status, to_number, from_number, contact_phone, body,
                             media_urls, purpose, encoding, segments, carrier_message_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
       ON CONFLICT (id) DO NOTHING
       RETURNING *`,
      [
        row.id,
        row.tenantId,
        row.direction,
        row.status,
        row.to,
        row.from,
        contactPhone,
        row.body,
        JSON.stringify(row.mediaUrls),
        row.purpose,
        row.encoding,
        row.segments,
        row.carrierMessageId,
        row.createdAt,
      ],
    );
    return inserted[0] ? resourceOf(inserted[0]) : null;
  }

  /** Whether the tenant ever sent to this number (the first message must name the business). */
  /**
   * Whether a message of this tenant was ever handed to the carrier for this contact (queued,
   * held or blocked ones never reached them, so the next message must still name the brand).
   */
  async hasOutboundTo(tenantId: string, phone: string): Promise<boolean> {
    const rows = await this.dataSource.query<Array<{ found: boolean }>>(
      `SELECT EXISTS (
         SELECT 1 FROM messages WHERE tenant_id = $1 AND contact_phone = $2 AND direction = 'outbound'
           AND status IN ('sending', 'sent', 'delivered', 'failed', 'undelivered')
       ) AS found`,
      [tenantId, phone],
    );
    return rows[0]?.found ?? false;
  }

  async get(tenantId: string, id: string): Promise<MessageResource | null> {
    const rows = await this.dataSource.query<MessageRow[]>(
      `SELECT * FROM messages WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
    return rows[0] ? resourceOf(rows[0]) : null;
  }

  async conversation(
    tenantId: string,
    contactPhone: string,
    page: { after: PagePosition | null; limit: number },
  ): Promise<ConversationPage> {
    const rows = await this.dataSource.query<MessageRow[]>(
      `SELECT * FROM messages
       WHERE tenant_id = $1 AND contact_phone = $2
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC
       LIMIT $5`,
      [tenantId, contactPhone, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
    );
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map(resourceOf),
      nextCursor:
        rows.length > page.limit && last ? encodePageCursor(last.created_at, last.id) : null,
    };
  }
}
