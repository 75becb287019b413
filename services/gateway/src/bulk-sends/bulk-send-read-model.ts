import type { Clock } from '@textplane/service-runtime';
import type { ThroughputLimitOverrides } from '@textplane/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { PagePosition } from '../http/page-cursor.js';
import { BulkRecipientReadModel } from './bulk-recipient-read-model.js';
import { pacedEta, remainingReleases } from './bulk-send-eta.js';
import {
  BULK_SEND_COLUMNS,
  bulkSendRowOf,
  type SelectedBulkSendRow,
} from './bulk-send.projection.js';
import { type BulkSendRow, type BulkSendStatus, etaOf } from './bulk-send-record.js';

export const BULK_MESSAGE_STATUSES = [
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'blocked',
  'canceled',
] as const;
type BulkMessageStatus = (typeof BULK_MESSAGE_STATUSES)[number];

/** The public resource (notes/bulk-shared.md). */
export interface BulkSendResource {
  id: string;
  status: BulkSendStatus;
  pausedReason: 'user' | 'insufficient_funds' | null;
  message: BulkSendRow['message'];
  delivery: BulkSendRow['delivery'];
  recipients: {
    total: number;
    sendable: number;
    skipped: { duplicate_phone: number; missing_merge_value: number };
  };
  messages: Record<'pending' | BulkMessageStatus, number>;
  blocked: Record<string, number>;
  batches: { total: number; released: number; nextAt: string | null };
  eta: string | null;
  /**
   * Its money in micro-units (issue 13): captured for texts the carrier took, held for texts on
   * their way, from the billing read model.
   */
  cost: BulkSendCost;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  canceledAt: string | null;
}

export interface BulkSendCost {
  spent: number;
  held: number;
  currency: string;
}

/** Before billing has charged or held anything for it. */
const NO_COST: BulkSendCost = { spent: 0, held: 0, currency: 'USD' };

export interface BulkRecipientResource {
  position: number;
  contactId: string;
  phone: string;
  batch: number | null;
  messageId: string | null;
  status: string;
  reason: string | null;
  sendAt: string | null;
}

/**
 * What a bulk send's sendable recipients add up to, by the status the recipients list shows
 * (pending, queued, or their message's status from the messages read model).
 */
export interface BulkMessageCounts {
  byStatus: Array<{ status: string; reason: string | null; count: number }>;
  latestSendAt: string | null;
  /**
   * When the last remaining message goes out under the carriers' throughput limits, behind the
   * tenant's other queued traffic (pacedEta); null or absent: nothing left, or not reckoned.
   */
  pacedAt?: string | null;
  /** Captured and held for its texts; absent: nothing yet. */
  cost?: BulkSendCost;
}

/** The resource of a row and its message counts. */
export function bulkSendResourceOf(row: BulkSendRow, counts: BulkMessageCounts): BulkSendResource {
  const messages = Object.fromEntries(
    ['pending', ...BULK_MESSAGE_STATUSES].map((status) => [status, 0]),
  ) as BulkSendResource['messages'];
  const blocked: Record<string, number> = {};
  for (const { status, reason, count } of counts.byStatus) {
    if (!(status in messages)) continue;
    messages[status as keyof BulkSendResource['messages']] += count;
    if (status === 'blocked' && reason !== null) blocked[reason] = (blocked[reason] ?? 0) + count;
  }
  return {
    id: row.bulk_send_id,
    status: row.status,
    pausedReason: row.paused_reason,
    message: row.message,
    delivery: row.delivery,
    recipients: {
      total: row.recipients,
      sendable: row.sendable,
      skipped: {
        duplicate_phone: row.duplicate_phone,
        missing_merge_value: row.missing_merge_value,
      },
    },
    messages,
    blocked,
    batches: { total: row.batches, released: row.batches_released, nextAt: row.next_batch_at },
    eta: laterOf(etaOf(row, counts.latestSendAt), counts.pacedAt ?? null),
    cost: counts.cost ?? NO_COST,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    canceledAt: row.canceled_at,
  };
}

/**
 * The ETA: the schedule's (etaOf; null once finished) or, when later, the paced finish. A
 * finished send has none, whatever the pace says.
 */
function laterOf(scheduled: string | null, paced: string | null): string | null {
  if (scheduled === null || paced === null) return scheduled;
  return Date.parse(paced) > Date.parse(scheduled) ? paced : scheduled;
}

/**
 * A recipient's status: skipped; pending while its batch is not released; queued once released
 * until its message is in the messages read model; then its message's status.
 */
const RECIPIENT_STATUS = `CASE
    WHEN r.skipped IS NOT NULL THEN 'skipped'
    WHEN m.id IS NOT NULL THEN m.status
    WHEN r.batch < b.batches_released THEN 'queued'
    ELSE 'pending' END`;

/**
 * Whether a bulk send still has messages that have not gone to the carrier: released but not yet
 * in the messages read model, or queued or scheduled there (quiet hours, a local time).
 */
export async function hasWaitingMessages(
  manager: EntityManager,
  bulkSendId: string,
): Promise<boolean> {
  const rows = await manager.query<unknown[]>(
    `SELECT 1 FROM bulk_send_recipients r
     LEFT JOIN messages m ON m.id = r.message_id
     WHERE r.bulk_send_id = $1 AND r.skipped IS NULL
       AND (m.id IS NULL OR m.status IN ('queued', 'scheduled'))
     LIMIT 1`,
    [bulkSendId],
  );
  return rows.length > 0;
}

export interface BulkSendQueries {
  get(tenantId: string, bulkSendId: string): Promise<BulkSendResource | null>;
  list(
    tenantId: string,
    status: BulkSendStatus | null,
    after: PagePosition | null,
    limit: number,
  ): Promise<{ items: BulkSendResource[]; more: boolean }>;
  /** Null when the tenant has no such bulk send. */
  recipients(
    tenantId: string,
    bulkSendId: string,
    state: string | null,
    afterPosition: number | null,
    limit: number,
  ): Promise<{ items: BulkRecipientResource[]; more: boolean } | null>;
}

export class BulkSendReadModel implements BulkSendQueries {
  private readonly pacing: BulkRecipientReadModel;

  constructor(
    private readonly dataSource: DataSource,
    /** The clock the ETA's pace starts from (what is queued goes from now). */
    private readonly clock: Clock = { now: () => new Date() },
  ) {
    this.pacing = new BulkRecipientReadModel(dataSource);
  }

  async get(tenantId: string, bulkSendId: string): Promise<BulkSendResource | null> {
    const rows = await this.dataSource.query<SelectedBulkSendRow[]>(
      `SELECT ${BULK_SEND_COLUMNS} FROM bulk_sends WHERE tenant_id = $1 AND bulk_send_id = $2`,
      [tenantId, bulkSendId],
    );
    return rows[0] ? this.resourceOf(bulkSendRowOf(rows[0])) : null;
  }

  /** Newest first, by (created_at, bulk_send_id). */
  async list(
    tenantId: string,
    status: BulkSendStatus | null,
    after: PagePosition | null,
    limit: number,
  ): Promise<{ items: BulkSendResource[]; more: boolean }> {
    const rows = await this.dataSource.query<SelectedBulkSendRow[]>(
      `SELECT ${BULK_SEND_COLUMNS} FROM bulk_sends
       WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (created_at, bulk_send_id) < ($3, $4::uuid))
       ORDER BY created_at DESC, bulk_send_id DESC LIMIT $5`,
      [tenantId, status, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const items: BulkSendResource[] = [];
    for (const row of rows.slice(0, limit)) items.push(await this.resourceOf(bulkSendRowOf(row)));
    return { items, more: rows.length > limit };
  }

  async recipients(
    tenantId: string,
    bulkSendId: string,
    state: string | null,
    afterPosition: number | null,
    limit: number,
  ): Promise<{ items: BulkRecipientResource[]; more: boolean } | null> {
    const owned = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM bulk_sends WHERE tenant_id = $1 AND bulk_send_id = $2`,
      [tenantId, bulkSendId],
    );
    if (owned.length === 0) return null;
    const rows = await this.dataSource.query<
      Array<{
        position: number;
        contact_id: string;
        phone: string;
        batch: number | null;
        message_id: string | null;
        status: string;
        reason: string | null;
        send_at: Date | null;
      }>
    >(
      `SELECT * FROM (
         SELECT r.position, r.contact_id, r.phone, r.batch,
           CASE WHEN r.skipped IS NULL AND (m.id IS NOT NULL OR r.batch < b.batches_released)
             THEN r.message_id END AS message_id,
           ${RECIPIENT_STATUS} AS status,
           CASE
             WHEN r.skipped IS NOT NULL THEN r.skipped
             WHEN m.id IS NOT NULL THEN m.reason
             WHEN r.batch < b.batches_released THEN NULL
             WHEN b.delivery->>'mode' = 'drip' THEN 'drip_batch'
             ELSE 'scheduled' END AS reason,
           COALESCE(m.send_at, r.send_at) AS send_at
         FROM bulk_send_recipients r
         JOIN bulk_sends b ON b.bulk_send_id = r.bulk_send_id
         LEFT JOIN messages m ON m.id = r.message_id
         WHERE r.bulk_send_id = $1 AND ($2::integer IS NULL OR r.position > $2)
       ) recipient
       WHERE $3::text IS NULL OR status = $3
       ORDER BY position LIMIT $4`,
      [bulkSendId, afterPosition, state, limit + 1],
    );
    return {
      items: rows.slice(0, limit).map((r) => ({
        position: r.position,
        contactId: r.contact_id,
        phone: r.phone,
        batch: r.batch,
        messageId: r.message_id,
        status: r.status,
        reason: r.reason,
        sendAt: r.send_at?.toISOString() ?? null,
      })),
      more: rows.length > limit,
    };
  }

  private async resourceOf(row: BulkSendRow): Promise<BulkSendResource> {
    // Counted as the recipients list shows them: pending until released, queued once released
    // until the message reaches the messages read model, then the message's status.
    const counts = await this.dataSource.query<
      Array<{ status: string; reason: string | null; count: string }>
    >(
      `SELECT ${RECIPIENT_STATUS} AS status, m.reason, count(*) AS count
       FROM bulk_send_recipients r
       JOIN bulk_sends b ON b.bulk_send_id = r.bulk_send_id
       LEFT JOIN messages m ON m.id = r.message_id
       WHERE r.bulk_send_id = $1 AND r.skipped IS NULL
       GROUP BY 1, 2`,
      [row.bulk_send_id],
    );
    let latestSendAt: string | null = null;
    if (row.delivery.mode === 'schedule' && 'localTime' in row.delivery) {
      const latest = await this.dataSource.query<Array<{ latest: Date | null }>>(
        `SELECT max(send_at) AS latest FROM bulk_send_recipients
         WHERE bulk_send_id = $1 AND skipped IS NULL`,
        [row.bulk_send_id],
      );
      latestSendAt = latest[0]?.latest?.toISOString() ?? null;
    }
    const byStatus = counts.map((c) => ({
      status: c.status,
      reason: c.reason,
      count: Number(c.count),
    }));
    const waiting = byStatus.some((c) => ['pending', 'queued', 'scheduled'].includes(c.status));
    const pacedAt =
      row.status === 'completed' || row.status === 'canceled' || !waiting
        ? null
        : await this.pacedAt(row);
    return bulkSendResourceOf(row, {
      byStatus,
      latestSendAt,
      pacedAt,
      cost: await this.costOf(row),
    });
  }

  /** Captured (billing_charges) and held (open billing_holds) for its texts, in one read. */
  private async costOf(row: BulkSendRow): Promise<BulkSendCost> {
    const rows = await this.dataSource.query<
      Array<{ spent: string; held: string; currency: string | null }>
    >(
      `SELECT
         (SELECT COALESCE(sum(amount), 0) FROM billing_charges WHERE bulk_send_id = $1) AS spent,
         (SELECT COALESCE(sum(amount), 0) FROM billing_holds
          WHERE bulk_send_id = $1 AND open) AS held,
         (SELECT currency FROM billing_wallets WHERE tenant_id = $2) AS currency`,
      [row.bulk_send_id, row.tenant_id],
    );
    const money = rows[0];
    return money === undefined
      ? NO_COST
      : {
          spent: Number(money.spent),
          held: Number(money.held),
          currency: money.currency ?? NO_COST.currency,
        };
  }

  /**
   * The paced finish of a running send's remaining messages (remainingReleases, pacedEta): each
   * one's sender (its message's, the send's `from`, the contact's sticky one, the tenant's
   * default), behind the tenant's traffic queued other than this send's.
   */
  private async pacedAt(row: BulkSendRow): Promise<string | null> {
    const tenants = await this.dataSource.query<
      Array<{ default_sender: string; settings: { throughputLimits?: ThroughputLimitOverrides } }>
    >(`SELECT default_sender, settings FROM tenants WHERE id = $1`, [row.tenant_id]);
    const tenant = tenants[0];
    if (tenant === undefined) return null;
    const remaining = await this.dataSource.query<
      Array<{
        state: 'pending' | 'queued' | 'scheduled';
        batch: number | null;
        send_at: Date | null;
        sender: string | null;
        mms: boolean | null;
        segments: number | null;
        count: number;
      }>
    >(
      `SELECT ${RECIPIENT_STATUS} AS state, r.batch, COALESCE(m.send_at, r.send_at) AS send_at,
         COALESCE(m.from_number, b.message->>'from', c.sender_number) AS sender,
         jsonb_array_length(m.media_urls) > 0 AS mms, m.segments, count(*)::integer AS count
       FROM bulk_send_recipients r
       JOIN bulk_sends b ON b.bulk_send_id = r.bulk_send_id
       LEFT JOIN messages m ON m.id = r.message_id
       LEFT JOIN conversations c ON m.id IS NULL AND b.message->>'from' IS NULL
         AND c.tenant_id = b.tenant_id AND c.phone = r.phone
         AND EXISTS (SELECT 1 FROM sender_numbers s
                     WHERE s.tenant_id = b.tenant_id AND s.phone_number = c.sender_number)
       WHERE r.bulk_send_id = $1 AND r.skipped IS NULL
         AND (m.id IS NULL OR m.status IN ('queued', 'scheduled'))
       GROUP BY 1, 2, 3, 4, 5, 6`,
      [row.bulk_send_id],
    );
    const now = this.clock.now();
    const segments = Math.max(1, ...remaining.map((m) => m.segments ?? 1));
    const releases = remainingReleases(
      row,
      remaining.map((m) => ({
        state: m.state,
        batch: m.batch,
        sendAt: m.send_at,
        sender: m.sender,
        channel: m.mms === null ? null : m.mms ? 'mms' : 'sms',
        segments: m.segments,
        count: m.count,
      })),
      {
        now,
        sender: tenant.default_sender,
        channel: row.message.mediaUrls.length > 0 ? 'mms' : 'sms',
        segments,
      },
    );
    const paced = await pacedEta(this.pacing, {
      tenantId: row.tenant_id,
      now,
      overrides: tenant.settings.throughputLimits,
      releases,
      bulkSendId: row.bulk_send_id,
    });
    return paced?.toISOString() ?? null;
  }
}
