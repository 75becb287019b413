import type { EventDataByType } from '@textplane/contracts';
import type { Inbox } from '@textplane/event-store';
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

/** Numbered SQL parameters, continuing after the inbox's own two. */
class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length + 2}`;
  }
}

/**
 * Keeps the gateway's message read model in step with messaging's events. Each event costs one
 * statement: the inbox record, the row change and the NOTIFY that wakes watchers commit together
 * (so redelivery changes nothing, and watchers on any replica hear only committed changes). A
 * final status (blocked included) is never left, so a late or repeated receipt cannot move a
 * message backwards; a message held for quiet hours is `scheduled` until it starts sending.
 */
export class MessageProjection {
  constructor(
    private readonly inbox: Inbox,
    private readonly consumerGroup: string,
  ) {}

  async handle(event: ConsumedEvent): Promise<void> {
    const { effect, parameters } = this.statementOf(event);
    await this.inbox.applyOnce(this.consumerGroup, event.id, effect, parameters);
  }

  /** A fetched batch in one transaction: the same statements, one commit. */
  async handleBatch(events: ConsumedEvent[]): Promise<void> {
    await this.inbox.applyAllOnce(
      this.consumerGroup,
      events.map((event) => ({ eventId: event.id, ...this.statementOf(event) })),
    );
  }

  private statementOf(event: ConsumedEvent): { effect: string; parameters: unknown[] } {
    const change = this.changeOf(event);
    const p = new Parameters();
    const effect =
      change === null
        ? 'SELECT 1'
        : `, changed AS (${'insert' in change ? insertSql(change.insert, p) : updateSql(change.update, p)})
           , notices AS (
             SELECT jsonb_build_object('tenantId', tenant_id, 'messageId', id,
                      'eventType', ${p.add(event.type)}::text, 'occurredAt', ${p.add(event.time)}::text) AS slim,
                    to_jsonb(changed.*) AS message
             FROM changed
           )
           SELECT pg_notify(${p.add(MESSAGE_CHANGES_CHANNEL)}, CASE
                    WHEN octet_length((slim || jsonb_build_object('message', message))::text) < 7900
                    THEN (slim || jsonb_build_object('message', message))::text
                    ELSE slim::text END)
           FROM notices`;
    return { effect, parameters: p.values };
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

function insertSql(row: NewRow, p: Parameters): string {
  return `INSERT INTO messages (id, tenant_id, direction, status, to_number, from_number, contact_phone, body,
                                media_urls, purpose, encoding, segments, carrier_message_id, created_at, updated_at)
          SELECT ${p.add(row.id)}::uuid, ${p.add(row.tenantId)}::uuid, ${p.add(row.direction)}, ${p.add(row.status)},
                 ${p.add(row.to)}, ${p.add(row.from)}, ${p.add(row.contactPhone)}, ${p.add(row.body)},
                 ${p.add(JSON.stringify(row.mediaUrls))}::jsonb, ${p.add(row.purpose)}, ${p.add(row.encoding)},
                 ${p.add(row.segments)}::integer, ${p.add(row.carrierMessageId)},
                 ${p.add(row.createdAt)}::timestamptz, ${p.add(row.createdAt)}::timestamptz
          WHERE EXISTS (SELECT 1 FROM inbox_recorded)
          -- The row written when the request was accepted takes the body as queued, with the
          -- brand or opt-out language compliance added, and its recounted segments.
          ON CONFLICT (id) DO UPDATE SET
            body = EXCLUDED.body, encoding = EXCLUDED.encoding, segments = EXCLUDED.segments,
            updated_at = EXCLUDED.updated_at
          WHERE (messages.body, messages.encoding, messages.segments)
                IS DISTINCT FROM (EXCLUDED.body, EXCLUDED.encoding, EXCLUDED.segments)
          RETURNING *`;
}

function updateSql(change: RowChange, p: Parameters): string {
  // A column the change leaves alone keeps its value, unless the change clears the hold.
  const hold = (column: string, empty = 'NULL'): string => (change.clearHold ? empty : column);
  return `UPDATE messages SET
            status = COALESCE(${p.add(change.status ?? null)}, status),
            carrier_message_id = COALESCE(${p.add(change.carrierMessageId ?? null)}, carrier_message_id),
            error_code = COALESCE(${p.add(change.errorCode ?? null)}, error_code),
            error_detail = COALESCE(${p.add(change.errorDetail ?? null)}, error_detail),
            sent_at = COALESCE(${p.add(change.sentAt ?? null)}::timestamptz, sent_at),
            delivered_at = COALESCE(${p.add(change.deliveredAt ?? null)}::timestamptz, delivered_at),
            reason = COALESCE(${p.add(change.reason ?? null)}, ${hold('reason')}),
            reasons = COALESCE(${p.add(change.reasons ? JSON.stringify(change.reasons) : null)}::jsonb, ${hold('reasons', "'[]'::jsonb")}),
            reason_detail = COALESCE(${p.add(change.reasonDetail ?? null)}, ${hold('reason_detail')}),
            send_at = COALESCE(${p.add(change.sendAt ?? null)}::timestamptz, ${hold('send_at')}),
            updated_at = GREATEST(updated_at, ${p.add(change.at)}::timestamptz)
          WHERE id = ${p.add(change.id)}::uuid
            AND EXISTS (SELECT 1 FROM inbox_recorded)
            AND status NOT IN ('delivered', 'failed', 'undelivered', 'blocked')
            AND (${p.add(change.fromStatuses ?? null)}::text[] IS NULL OR status = ANY(${p.add(change.fromStatuses ?? null)}::text[]))
          RETURNING *`;
}
