import type { DataSource, EntityManager } from 'typeorm';
import type { ConversationKey, ConversationRow } from './conversation-row.js';
import type { ConversationResource } from './conversation.resource.js';
import type { ConversationCursorPosition } from './conversation-cursor.js';

/** NOTIFY channel: a conversation changed (payload: the notice), heard at commit. */
export const CONVERSATION_CHANGES_CHANNEL = 'gateway_conversation_changes';

export interface ConversationChangeNotice {
  tenantId: string;
  phone: string;
  eventType: string;
  occurredAt: string;
}

/** At most this many characters (grapheme clusters) of the latest message's body. */
export const PREVIEW_LENGTH = 100;

const ROW_COLUMNS = `tenant_id, phone, sender_number, last_message, last_message_id,
  last_activity_at, unread, unread_count, read_up_to_at, read_up_to_id, last_read_at`;

type SelectedRow = Omit<ConversationRow, 'last_activity_at' | 'read_up_to_at' | 'last_read_at'> & {
  last_activity_at: Date;
  read_up_to_at: Date | null;
  last_read_at: Date | null;
};

function rowOfSelected(row: SelectedRow): ConversationRow {
  return {
    ...row,
    last_activity_at: row.last_activity_at.toISOString(),
    read_up_to_at: row.read_up_to_at?.toISOString() ?? null,
    last_read_at: row.last_read_at?.toISOString() ?? null,
  };
}

type ListedRow = SelectedRow & {
  contact_id: string | null;
  first_name: string | null;
  last_name: string | null;
};

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The first PREVIEW_LENGTH user-perceived characters: an emoji or flag is never cut in two. */
export function previewOf(body: string): string {
  let preview = '';
  let count = 0;
  for (const { segment } of segmenter.segment(body)) {
    if (count === PREVIEW_LENGTH) break;
    preview += segment;
    count += 1;
  }
  return preview;
}

export function conversationResourceOf(
  row: ConversationRow,
  contact: { id: string; firstName: string | null; lastName: string | null } | null,
): ConversationResource {
  const last = row.last_message;
  return {
    phone: row.phone,
    contact,
    senderNumber: row.sender_number,
    lastMessage: {
      id: last.id,
      direction: last.direction,
      preview: previewOf(last.body),
      status: last.status,
      at: row.last_activity_at,
    },
    unreadCount: row.unread_count,
    lastReadAt: row.last_read_at,
  };
}

function resourceOfListed(row: ListedRow): ConversationResource {
  const { contact_id, first_name, last_name, ...selected } = row;
  return conversationResourceOf(
    rowOfSelected(selected),
    contact_id === null ? null : { id: contact_id, firstName: first_name, lastName: last_name },
  );
}

/**
 * A conversation with the contact of its number, when the tenant has one (of several with the
 * same number, the one most recently changed, then the smallest id).
 */
const LISTED = `SELECT c.*, k.contact_id, k.first_name, k.last_name
  FROM conversations c
  LEFT JOIN LATERAL (
    SELECT contact_id, first_name, last_name FROM contacts
    WHERE contacts.tenant_id = c.tenant_id AND contacts.phone = c.phone
    ORDER BY updated_at DESC, contact_id COLLATE "C" LIMIT 1
  ) k ON true`;

export interface ConversationListFilter {
  /** Only conversations with unread inbound messages (true) or with none (false). */
  unread?: boolean;
  after: ConversationCursorPosition | null;
  limit: number;
}

/** The gateway's `conversations` read model. */
export class ConversationReadModel {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Serializes the writers of these tenants' conversations for the caller's transaction (taken
   * in one order, so two batches never wait on each other crosswise): a conversation's first
   * message may come from two partitions at once, and a status change finds its row by message.
   */
  async lockTenants(manager: EntityManager, tenantIds: Iterable<string>): Promise<void> {
    for (const tenantId of [...new Set(tenantIds)].sort()) {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `conversations:${tenantId}`,
      ]);
    }
  }

  /** The row an event is about, read in the caller's (locked) transaction. */
  async find(manager: EntityManager, key: ConversationKey): Promise<ConversationRow | null> {
    const rows =
      key.by === 'phone'
        ? await manager.query<SelectedRow[]>(
            `SELECT ${ROW_COLUMNS} FROM conversations WHERE tenant_id = $1 AND phone = $2`,
            [key.tenantId, key.phone],
          )
        : await manager.query<SelectedRow[]>(
            `SELECT ${ROW_COLUMNS} FROM conversations
             WHERE last_message_id = $2::uuid AND tenant_id = $1`,
            [key.tenantId, key.messageId],
          );
    return rows[0] ? rowOfSelected(rows[0]) : null;
  }

  /**
   * Every row these keys name, read in the caller's (locked) transaction: by (tenant, phone),
   * and by (tenant, latest message).
   */
  async findAll(
    manager: EntityManager,
    keys: readonly ConversationKey[],
  ): Promise<ConversationRow[]> {
    const byPhone = keys.filter((key) => key.by === 'phone');
    const byMessage = keys.filter((key) => key.by === 'last_message');
    const rows = await manager.query<SelectedRow[]>(
      `SELECT ${ROW_COLUMNS} FROM conversations
       WHERE (tenant_id, phone) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
       UNION
       SELECT ${ROW_COLUMNS} FROM conversations
       WHERE (tenant_id, last_message_id) IN (SELECT * FROM unnest($3::uuid[], $4::uuid[]))`,
      [
        byPhone.map((key) => key.tenantId),
        byPhone.map((key) => key.phone),
        byMessage.map((key) => key.tenantId),
        byMessage.map((key) => key.messageId),
      ],
    );
    return rows.map(rowOfSelected);
  }

  /**
   * Writes evolved rows (each once) and sends their notices, in order (heard when the
   * transaction commits), in one statement.
   */
  async saveAll(
    manager: EntityManager,
    rows: readonly ConversationRow[],
    notices: readonly ConversationChangeNotice[],
  ): Promise<void> {
    if (rows.length === 0) return;
    const column = <T>(of: (row: ConversationRow) => T): T[] => rows.map(of);
    await manager.query(
      `WITH saved AS (
         INSERT INTO conversations (${ROW_COLUMNS})
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::uuid[],
           $6::timestamptz[], $7::jsonb[], $8::integer[], $9::timestamptz[], $10::uuid[],
           $11::timestamptz[])
         ON CONFLICT (tenant_id, phone) DO UPDATE SET
           sender_number = EXCLUDED.sender_number, last_message = EXCLUDED.last_message,
           last_message_id = EXCLUDED.last_message_id,
           last_activity_at = EXCLUDED.last_activity_at, unread = EXCLUDED.unread,
           unread_count = EXCLUDED.unread_count, read_up_to_at = EXCLUDED.read_up_to_at,
           read_up_to_id = EXCLUDED.read_up_to_id, last_read_at = EXCLUDED.last_read_at
       )
       SELECT pg_notify($12, notice) FROM unnest($13::text[]) AS notice`,
      [
        column((row) => row.tenant_id),
        column((row) => row.phone),
        column((row) => row.sender_number),
        column((row) => JSON.stringify(row.last_message)),
        column((row) => row.last_message_id),
        column((row) => row.last_activity_at),
        column((row) => JSON.stringify(row.unread)),
        column((row) => row.unread_count),
        column((row) => row.read_up_to_at),
        column((row) => row.read_up_to_id),
        column((row) => row.last_read_at),
        CONVERSATION_CHANGES_CHANNEL,
        notices.map((notice) => JSON.stringify(notice)),
      ],
    );
  }

  async get(tenantId: string, phone: string): Promise<ConversationResource | null> {
    const rows = await this.dataSource.query<ListedRow[]>(
      `${LISTED} WHERE c.tenant_id = $1 AND c.phone = $2`,
      [tenantId, phone],
    );
    return rows[0] ? resourceOfListed(rows[0]) : null;
  }

  /** The row as stored, for the read mark's decision (its latest message). */
  async row(tenantId: string, phone: string): Promise<ConversationRow | null> {
    return this.find(this.dataSource.manager, { by: 'phone', tenantId, phone });
  }

  /** Most recent activity first: (last_activity_at, phone) descending. */
  async list(
    tenantId: string,
    filter: ConversationListFilter,
  ): Promise<{ items: ConversationResource[]; last: ConversationCursorPosition | null }> {
    // Spelled out, so that unread=true can use the partial index of unread conversations.
    const unread =
      filter.unread === undefined
        ? ''
        : filter.unread
          ? 'AND c.unread_count > 0'
          : 'AND c.unread_count = 0';
    const rows = await this.dataSource.query<ListedRow[]>(
      `${LISTED}
       WHERE c.tenant_id = $1 ${unread}
         AND ($2::timestamptz IS NULL OR (c.last_activity_at, c.phone) < ($2::timestamptz, $3::text))
       ORDER BY c.last_activity_at DESC, c.phone DESC
       LIMIT $4`,
      [tenantId, filter.after?.at ?? null, filter.after?.phone ?? null, filter.limit + 1],
    );
    const items = rows.slice(0, filter.limit);
    const last = items.at(-1);
    return {
      items: items.map(resourceOfListed),
      last:
        rows.length > filter.limit && last
          ? { at: last.last_activity_at.toISOString(), phone: last.phone }
          : null,
    };
  }

  /** A message of this conversation, by id, with its position (a read mark's `upTo`). */
  async messageOf(
    tenantId: string,
    phone: string,
    messageId: string,
  ): Promise<{ id: string; at: string } | null> {
    const rows = await this.dataSource.query<Array<{ id: string; created_at: Date }>>(
      `SELECT id, created_at FROM messages WHERE id = $1 AND tenant_id = $2 AND contact_phone = $3`,
      [messageId, tenantId, phone],
    );
    const row = rows[0];
    return row ? { id: row.id, at: row.created_at.toISOString() } : null;
  }
}
