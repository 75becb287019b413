import type { EventDataByType } from '@textplane/contracts';
import type { Inbox, OnceStatement } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { MessageStatus } from './message.resource.js';

export const MESSAGE_CHANGES_CHANNEL = 'gateway_message_changes';

export interface MessageChangeNotice {
  tenantId: string;
  messageId: string;
  eventType: string;
  occurredAt: string;
  /** The changed row as JSON, unless it would not fit a NOTIFY payload (8000 bytes). */
  message?: Record<string, unknown>;
}

interface RowChange {
  id: string;
  status?: MessageStatus;
  /** Apply only from these statuses (the order of a message's life). */
  fromStatuses?: readonly MessageStatus[];
  carrierMessageId?: string;
  errorCode?: string;
  errorDetail?: string;
  reason?: string;
  reasons?: string[];
  reasonDetail?: string;
  sendAt?: string;
  /** The message left the schedule: a hold's reason and time no longer describe it. */
  clearHold?: boolean;
  sentAt?: string;
  deliveredAt?: string;
  at: string;
}

interface NewRow {
  id: string;
  tenantId: string;
  direction: 'outbound' | 'inbound';
  status: MessageStatus;
  to: string;
  from: string;
  contactPhone: string;
  body: string;
  mediaUrls: string[];
  purpose: string | null;
  encoding: string;
  segments: number;
  carrierMessageId: string | null;
  createdAt: string;
}

/**
 * Keeps the gateway's message read model in step with messaging's events. A fetched batch costs
 * a few statements, not one per event: its events are laid out in waves (the first event of each
 * message, then the second...), and each wave is one statement for its new rows and one for its
 * row changes, each recording its events in the inbox, changing the rows and sending the NOTIFY
 * that wakes watchers, together (so redelivery changes nothing, and watchers on any replica hear
 * only committed changes). A message's changes thus apply in order, one per statement. A final
 * status (blocked included) is never left, so a late or repeated receipt cannot move a message
 * backwards; a message held for quiet hours is `scheduled` until it starts sending.
 */
export class MessageProjection {
  constructor(
    private readonly inbox: Inbox,
    private readonly consumerGroup: string,
  ) {}

  handle(event: ConsumedEvent): Promise<void> {
    return this.handleBatch([event]);
  }

  /** A fetched batch, in one transaction (one commit) when it takes more than one statement. */
  async handleBatch(events: ConsumedEvent[]): Promise<void> {
    const waves: Array<{
      inserts: ChangeRow<NewRow>[];
      updates: ChangeRow<RowChange>[];
      others: string[];
    }> = [];
    const depth = new Map<string, number>();
    const seen = new Set<string>();
    for (const event of events) {
      // A redelivery inside the batch: the first copy is the one applied.
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      const change = this.changeOf(event);
      const messageId =
        change === null ? undefined : 'insert' in change ? change.insert.id : change.update.id;
      const index = messageId === undefined ? 0 : (depth.get(messageId) ?? 0);
      if (messageId !== undefined) depth.set(messageId, index + 1);
      const wave = (waves[index] ??= { inserts: [], updates: [], others: [] });
      const notice = { eventId: event.id, eventType: event.type, occurredAt: event.time };
      if (change === null) wave.others.push(event.id);
      else if ('insert' in change) wave.inserts.push({ ...notice, change: change.insert });
      else wave.updates.push({ ...notice, change: change.update });
    }
    const statements = waves.flatMap((wave) => [
      ...(wave.inserts.length > 0 ? [insertStatement(wave.inserts)] : []),
      ...(wave.updates.length > 0 ? [updateStatement(wave.updates)] : []),
      ...(wave.others.length > 0
        ? [{ eventIds: wave.others, effect: 'SELECT 1', parameters: [] }]
        : []),
    ]);
    await this.inbox.applyOnceInSets(this.consumerGroup, statements);
  }

  private changeOf(event: ConsumedEvent): { insert: NewRow } | { update: RowChange } | null {
    switch (event.type) {
      case 'messaging.MessageQueued.v1': {
        const d = event.data as EventDataByType['messaging.MessageQueued.v1'];
        return {
          insert: {
            id: d.messageId,
            tenantId: d.tenantId,
            direction: 'outbound',
            status: 'queued',
            to: d.to,
            from: d.from,
            contactPhone: d.to,
            body: d.body,
            mediaUrls: d.mediaUrls,
            purpose: d.purpose,
            encoding: d.encoding,
            segments: d.segments,
            carrierMessageId: null,
            createdAt: d.queuedAt,
          },
        };
      }
      case 'messaging.MessageSubmissionStarted.v1': {
        const d = event.data as EventDataByType['messaging.MessageSubmissionStarted.v1'];
        return {
          update: {
            id: d.messageId,
            status: 'sending',
            fromStatuses: ['queued', 'scheduled'],
            clearHold: true,
            at: d.startedAt,
          },
        };
      }
      case 'messaging.MessageSubmitted.v1': {
        const d = event.data as EventDataByType['messaging.MessageSubmitted.v1'];
        return {
          update: { id: d.messageId, carrierMessageId: d.carrierMessageId, at: d.submittedAt },
        };
      }
      case 'messaging.MessageSent.v1': {
        const d = event.data as EventDataByType['messaging.MessageSent.v1'];
        return {
          update: {
            id: d.messageId,
            status: 'sent',
            fromStatuses: ['queued', 'scheduled', 'sending'],
            carrierMessageId: d.carrierMessageId,
            sentAt: d.sentAt,
            at: d.sentAt,
          },
        };
      }
      case 'messaging.MessageDelivered.v1': {
        const d = event.data as EventDataByType['messaging.MessageDelivered.v1'];
        return {
          update: {
            id: d.messageId,
            status: 'delivered',
            carrierMessageId: d.carrierMessageId,
            deliveredAt: d.deliveredAt,
            at: d.deliveredAt,
          },
        };
      }
      case 'messaging.MessageFailed.v1': {
        const d = event.data as EventDataByType['messaging.MessageFailed.v1'];
        return {
          update: {
            id: d.messageId,
            status: 'failed',
            errorCode: d.errorCode,
            errorDetail: d.errorDetail,
            at: d.failedAt,
          },
        };
      }
      case 'messaging.MessageUndelivered.v1': {
        const d = event.data as EventDataByType['messaging.MessageUndelivered.v1'];
        return {
          update: {
            id: d.messageId,
            status: 'undelivered',
            errorCode: d.errorCode,
            errorDetail: d.errorDetail,
            at: d.undeliveredAt,
          },
        };
      }
      case 'messaging.MessageHeld.v1': {
        const d = event.data as EventDataByType['messaging.MessageHeld.v1'];
        return {
          update: {
            id: d.messageId,
            status: 'scheduled',
            fromStatuses: ['queued', 'scheduled'],
            reason: d.reason,
            reasons: [d.reason],
            sendAt: d.sendAt,
            at: d.heldAt,
          },
        };
      }
      case 'messaging.MessageBlocked.v1': {
        const d = event.data as EventDataByType['messaging.MessageBlocked.v1'];
        return {
          update: {
            id: d.messageId,
            status: 'blocked',
            fromStatuses: ['queued', 'scheduled', 'sending'],
            clearHold: true,
            reason: d.reason,
            reasons: d.reasons,
            reasonDetail: d.detail,
            at: d.blockedAt,
          },
        };
      }
      case 'messaging.InboundMessageReceived.v1': {
        const d = event.data as EventDataByType['messaging.InboundMessageReceived.v1'];
        return {
          insert: {
            id: d.messageId,
            tenantId: d.tenantId,
            direction: 'inbound',
            status: 'received',
            to: d.to,
            from: d.from,
            contactPhone: d.from,
            body: d.body,
            mediaUrls: d.mediaUrls,
            purpose: null,
            encoding: d.encoding,
            segments: d.segments,
            carrierMessageId: d.carrierMessageId,
            createdAt: d.receivedAt,
          },
        };
      }
      default:
        return null;
    }
  }
}

/** A change with what its notice tells watchers about the event behind it. */
interface ChangeRow<T> {
  eventId: string;
  eventType: string;
  occurredAt: string;
  change: T;
}

/** The notice of each changed row, sent on commit (the row itself when it fits the payload). */
const NOTIFY_CHANGED = `
  , notices AS (
    SELECT jsonb_build_object('tenantId', c.tenant_id, 'messageId', c.id,
             'eventType', w.event_type, 'occurredAt', w.occurred_at) AS slim,
           to_jsonb(c.*) AS message
    FROM changed c JOIN wave w ON w.id = c.id
  )
  SELECT pg_notify($4, CASE
           WHEN octet_length((slim || jsonb_build_object('message', message))::text) < 7900
           THEN (slim || jsonb_build_object('message', message))::text
           ELSE slim::text END)
  FROM notices`;

/**
 * New rows (a queued or an inbound message). The row written when the request was accepted
 * takes the body as queued, with the brand or opt-out language compliance added, and its
 * recounted segments.
 */
const INSERT_EFFECT = `
  , wave AS (
    SELECT w.* FROM jsonb_to_recordset($3::jsonb) AS w(
      event_id uuid, event_type text, occurred_at text, id uuid, tenant_id uuid, direction text,
      status text, to_number text, from_number text, contact_phone text, body text,
      media_urls jsonb, purpose text, encoding text, segments integer, carrier_message_id text,
      created_at timestamptz)
    WHERE w.event_id IN (SELECT event_id FROM inbox_recorded)
  ),
  changed AS (
    INSERT INTO messages (id, tenant_id, direction, status, to_number, from_number, contact_phone,
                          body, media_urls, purpose, encoding, segments, carrier_message_id,
                          created_at, updated_at)
    SELECT id, tenant_id, direction, status, to_number, from_number, contact_phone, body,
           media_urls, purpose, encoding, segments, carrier_message_id, created_at, created_at
    FROM wave
    ON CONFLICT (id) DO UPDATE SET
      body = EXCLUDED.body, encoding = EXCLUDED.encoding, segments = EXCLUDED.segments,
      updated_at = EXCLUDED.updated_at
    WHERE (messages.body, messages.encoding, messages.segments)
          IS DISTINCT FROM (EXCLUDED.body, EXCLUDED.encoding, EXCLUDED.segments)
    RETURNING *
  )${NOTIFY_CHANGED}`;

/**
 * Row changes. A column a change leaves alone (NULL) keeps its value, unless the change clears
 * the hold; a change applies only from its `from_statuses`, and never to a final status.
 */
const UPDATE_EFFECT = `
  , wave AS (
    SELECT w.* FROM jsonb_to_recordset($3::jsonb) AS w(
      event_id uuid, event_type text, occurred_at text, id uuid, status text,
      from_statuses text[], carrier_message_id text, error_code text, error_detail text,
      sent_at timestamptz, delivered_at timestamptz, reason text, reasons jsonb,
      reason_detail text, send_at timestamptz, clear_hold boolean, at timestamptz)
    WHERE w.event_id IN (SELECT event_id FROM inbox_recorded)
  ),
  changed AS (
    UPDATE messages m SET
      status = COALESCE(w.status, m.status),
      carrier_message_id = COALESCE(w.carrier_message_id, m.carrier_message_id),
      error_code = COALESCE(w.error_code, m.error_code),
      error_detail = COALESCE(w.error_detail, m.error_detail),
      sent_at = COALESCE(w.sent_at, m.sent_at),
      delivered_at = COALESCE(w.delivered_at, m.delivered_at),
      reason = COALESCE(w.reason, CASE WHEN w.clear_hold THEN NULL ELSE m.reason END),
      reasons = COALESCE(w.reasons, CASE WHEN w.clear_hold THEN '[]'::jsonb ELSE m.reasons END),
      reason_detail = COALESCE(w.reason_detail, CASE WHEN w.clear_hold THEN NULL ELSE m.reason_detail END),
      send_at = COALESCE(w.send_at, CASE WHEN w.clear_hold THEN NULL ELSE m.send_at END),
      updated_at = GREATEST(m.updated_at, w.at)
    FROM wave w
    WHERE m.id = w.id
      AND m.status NOT IN ('delivered', 'failed', 'undelivered', 'blocked')
      AND (w.from_statuses IS NULL OR m.status = ANY(w.from_statuses))
    RETURNING m.*
  )${NOTIFY_CHANGED}`;

function insertStatement(rows: readonly ChangeRow<NewRow>[]): OnceStatement {
  return statementOf(rows, INSERT_EFFECT, (row) => ({
    id: row.id,
    tenant_id: row.tenantId,
    direction: row.direction,
    status: row.status,
    to_number: row.to,
    from_number: row.from,
    contact_phone: row.contactPhone,
    body: row.body,
    media_urls: row.mediaUrls,
    purpose: row.purpose,
    encoding: row.encoding,
    segments: row.segments,
    carrier_message_id: row.carrierMessageId,
    created_at: row.createdAt,
  }));
}

function updateStatement(changes: readonly ChangeRow<RowChange>[]): OnceStatement {
  return statementOf(changes, UPDATE_EFFECT, (change) => ({
    id: change.id,
    status: change.status ?? null,
    from_statuses: change.fromStatuses ?? null,
    carrier_message_id: change.carrierMessageId ?? null,
    error_code: change.errorCode ?? null,
    error_detail: change.errorDetail ?? null,
    sent_at: change.sentAt ?? null,
    delivered_at: change.deliveredAt ?? null,
    reason: change.reason ?? null,
    reasons: change.reasons ?? null,
    reason_detail: change.reasonDetail ?? null,
    send_at: change.sendAt ?? null,
    clear_hold: change.clearHold ?? false,
    at: change.at,
  }));
}

/** One statement of a wave: each row's event (for its notice) and the effect's own columns. */
function statementOf<T>(
  rows: readonly ChangeRow<T>[],
  effect: string,
  columnsOf: (change: T) => object,
): OnceStatement {
  const wave = rows.map(({ eventId, eventType, occurredAt, change }) => ({
    event_id: eventId,
    event_type: eventType,
    occurred_at: occurredAt,
    ...columnsOf(change),
  }));
  return {
    eventIds: rows.map((row) => row.eventId),
    effect,
    parameters: [JSON.stringify(wave), MESSAGE_CHANGES_CHANNEL],
  };
}
