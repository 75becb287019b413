import type { DataSource, EntityManager } from 'typeorm';
import { encodePageCursor, type PagePosition } from '../http/page-cursor.js';
import type {
  ConversationPage,
  MessagePage,
  MessageResource,
  MessageStatus,
} from './message.resource.js';
import type { MessageRow } from './message-row.js';
import { lastOptOutLineSince } from '../settings/opt-out-lines.js';
import {
  BULK_SEND_CHANGES_CHANNEL,
  type BulkSendChangeNotice,
} from '../bulk-sends/bulk-send.projection.js';

export const MESSAGE_CHANGES_CHANNEL = 'gateway_message_changes';

export interface MessageChangeNotice {
  tenantId: string;
  messageId: string;
  eventType: string;
  occurredAt: string;
  /** The changed row, unless it would not fit a NOTIFY payload (8000 bytes). */
  message?: Record<string, unknown>;
  /**
   * A refusal of a client's change (cancel, reschedule), which changes no row: the status the
   * message was in and the time of the request it answers. Watchers of changes skip these.
   */
  refusal?: { status: string; reason?: string; requestedAt: string };
}

/** The filters of a list of messages, checked. */
export interface MessageFilter {
  status?: MessageStatus;
  /** A CRM contact id: the messages sent naming that contact. */
  contactId?: string;
  to?: string;
  from?: string;
  createdAfter?: string;
}

/** A row as `SELECT *` returns it (timestamps as Dates). */
type SelectedMessageRow = Omit<
  MessageRow,
  'send_at' | 'created_at' | 'updated_at' | 'sent_at' | 'delivered_at'
> & {
  send_at: Date | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
} & Partial<CostColumns>;

/** The message's charge (billing_charges), joined where a resource is read (WITH_COST). */
interface CostColumns {
  cost_amount: string | null;
  cost_currency: string | null;
  cost_units: number | null;
  cost_carrier_fee: string | null;
}

/** `messages m` with what billing charged for each (the billing read model's billing_charges). */
const WITH_COST = `SELECT m.*, c.amount AS cost_amount, c.currency AS cost_currency,
         c.units AS cost_units, c.carrier_fee AS cost_carrier_fee
       FROM messages m LEFT JOIN billing_charges c ON c.message_id = m.id`;

function rowOfSelected(row: SelectedMessageRow): MessageRow {
  return {
    ...row,
    send_at: row.send_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    sent_at: row.sent_at?.toISOString() ?? null,
    delivered_at: row.delivered_at?.toISOString() ?? null,
  };
}

/** Every column but the key, as the projection's upsert writes them. */
const WRITTEN_COLUMNS = [
  'tenant_id',
  'direction',
  'status',
  'to_number',
  'from_number',
  'contact_phone',
  'contact_id',
  'template_id',
  'template_version',
  'bulk_send_id',
  'body',
  'media_urls',
  'purpose',
  'encoding',
  'segments',
  'carrier_message_id',
  'error_code',
  'error_detail',
  'reason',
  'reasons',
  'reason_detail',
  'send_at',
  'waiting_for',
  'created_at',
  'updated_at',
  'sent_at',
  'delivered_at',
] as const satisfies ReadonlyArray<keyof MessageRow>;

const SAVE_ROWS = `
  WITH saved AS (
    INSERT INTO messages (id, ${WRITTEN_COLUMNS.join(', ')})
    SELECT id, ${WRITTEN_COLUMNS.join(', ')}
    FROM jsonb_populate_recordset(NULL::messages, $1::jsonb)
    ON CONFLICT (id) DO UPDATE SET
      ${WRITTEN_COLUMNS.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}
    RETURNING 1
  )
  SELECT pg_notify($2, notice) FROM unnest($3::text[]) AS notice
  UNION ALL
  SELECT pg_notify($4, notice) FROM unnest($5::text[]) AS notice`;

/** A notice as sent, without the row when it would not fit a NOTIFY payload (8000 bytes). */
function noticePayload(notice: MessageChangeNotice): string {
  const full = JSON.stringify(notice);
  if (Buffer.byteLength(full) < 7900) return full;
  const { message: _row, ...slim } = notice;
  return JSON.stringify(slim);
}

export function resourceOf(row: SelectedMessageRow): MessageResource {
  return {
    id: row.id,
    direction: row.direction,
    status: row.status,
    to: row.to_number,
    from: row.from_number,
    contactId: row.contact_id ?? null,
    templateId: row.template_id ?? null,
    templateVersion: row.template_version ?? null,
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
    waitingFor: row.status === 'queued' ? (row.waiting_for ?? null) : null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    cost:
      row.cost_amount === null || row.cost_amount === undefined
        ? null
        : {
            amount: Number(row.cost_amount),
            currency: row.cost_currency ?? '',
            segments: row.cost_units ?? 0,
            carrierFee: Number(row.cost_carrier_fee ?? 0),
          },
  };
}

/** A row as Postgres's to_jsonb renders it (timestamps as ISO strings), e.g. in a NOTIFY. */
export function resourceOfJson(json: Record<string, unknown>): MessageResource {
  const date = (value: unknown): Date | null =>
    typeof value === 'string' ? new Date(value) : null;
  const row = json as unknown as SelectedMessageRow;
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

  /** When the phone was last sent an opt-out line since then (the periodic reminder), or null. */
  lastOptOutLineSince(tenantId: string, phone: string, since: Date): Promise<Date | null> {
    return lastOptOutLineSince(this.dataSource, tenantId, phone, since);
  }

  /**
   * The rows of these messages, locked for the caller's transaction: the projection evolves them
   * and writes them back with `save`.
   */
  async lockRows(manager: EntityManager, ids: readonly string[]): Promise<Map<string, MessageRow>> {
    const rows =
      ids.length === 0
        ? []
        : await manager.query<SelectedMessageRow[]>(
            `SELECT * FROM messages WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
            [ids],
          );
    return new Map(rows.map((row) => [row.id, rowOfSelected(row)]));
  }

  /**
   * Writes evolved rows and sends the notices of their changes, in one statement (the accept
   * path's only read-model statement; the notices reach watchers when the transaction commits).
   * `bulkSends`: the bulk sends whose messages changed, one notice each (their watchers' counts
   * moved), however many of their messages the statement writes.
   */
  async save(
    manager: EntityManager,
    rows: readonly MessageRow[],
    notices: readonly MessageChangeNotice[] = [],
    bulkSends: readonly BulkSendChangeNotice[] = [],
  ): Promise<void> {
    if (rows.length === 0 && notices.length === 0 && bulkSends.length === 0) return;
    await manager.query(SAVE_ROWS, [
      JSON.stringify(rows),
      MESSAGE_CHANGES_CHANNEL,
      notices.map(noticePayload),
      BULK_SEND_CHANGES_CHANNEL,
      bulkSends.map((notice) => JSON.stringify(notice)),
    ]);
  }

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
    const rows = await this.dataSource.query<SelectedMessageRow[]>(
      `${WITH_COST} WHERE m.id = $1 AND m.tenant_id = $2`,
      [id, tenantId],
    );
    return rows[0] ? resourceOf(rows[0]) : null;
  }

  /** The tenant's messages that pass the filter, newest first (created_at, id). */
  async list(
    tenantId: string,
    filter: MessageFilter,
    page: { after: PagePosition | null; limit: number },
  ): Promise<MessagePage> {
    const rows = await this.dataSource.query<SelectedMessageRow[]>(
      `${WITH_COST}
       WHERE m.tenant_id = $1
         AND ($2::text IS NULL OR m.status = $2)
         AND ($3::text IS NULL OR m.to_number = $3)
         AND ($4::text IS NULL OR m.from_number = $4)
         AND ($5::timestamptz IS NULL OR m.created_at > $5::timestamptz)
         AND ($6::timestamptz IS NULL OR (m.created_at, m.id) < ($6::timestamptz, $7::uuid))
         AND ($9::text IS NULL OR m.contact_id = $9)
       ORDER BY m.created_at DESC, m.id DESC
       LIMIT $8`,
      [
        tenantId,
        filter.status ?? null,
        filter.to ?? null,
        filter.from ?? null,
        filter.createdAfter ?? null,
        page.after?.[0] ?? null,
        page.after?.[1] ?? null,
        page.limit + 1,
        filter.contactId ?? null,
      ],
    );
    return pageOf(rows, page.limit);
  }

  async conversation(
    tenantId: string,
    contactPhone: string,
    page: { after: PagePosition | null; limit: number },
  ): Promise<ConversationPage> {
    const rows = await this.dataSource.query<SelectedMessageRow[]>(
      `${WITH_COST}
       WHERE m.tenant_id = $1 AND m.contact_phone = $2
         AND ($3::timestamptz IS NULL OR (m.created_at, m.id) < ($3::timestamptz, $4::uuid))
       ORDER BY m.created_at DESC, m.id DESC
       LIMIT $5`,
      [tenantId, contactPhone, page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1],
    );
    return pageOf(rows, page.limit);
  }
}

/** A page of `limit` rows from `limit + 1` read: the extra one says another page follows. */
function pageOf(rows: readonly SelectedMessageRow[], limit: number): ConversationPage {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(resourceOf),
    nextCursor: rows.length > limit && last ? encodePageCursor(last.created_at, last.id) : null,
  };
}
