import {
  BULK_RECIPIENTS_PER_CHUNK,
  BULK_RELEASE_BATCH_SIZE,
  type BulkDelivery,
  type BulkMessageContent,
  type BulkRecipient,
  type BulkSendBatchReleased,
  type BulkSendCanceled,
  type BulkSendCompleted,
  type BulkSendControlRequested,
  type BulkSendCreated,
  type BulkSendPaused,
  type BulkSendRecipientsFrozen,
  type BulkSendRecipientsSubmitted,
  type BulkSendRequested,
  type BulkSendRequestRejected,
  type BulkSendResumed,
  bulkMessageId,
} from '@textplane/contracts';
import { type Delivery, dripBatches, dripPreview } from '@textplane/delivery-schedule';

/**
 * Bulk sends on the gateway's side (issue 11 §1): the recipients frozen at creation, the events
 * that record them, and the one writer of each read model (`bulk_sends`, `bulk_send_recipients`).
 * Everything here is pure: the application and the projection do the reading and writing.
 */

export const BULK_SEND_STREAM_TYPE = 'bulk-send';

export function bulkSendStreamId(bulkSendId: string): string {
  return `bulk-send-${bulkSendId}`;
}

/** The gateway's own events on `bulk-send-<id>`. */
export type GatewayBulkSendEvent =
  | { type: 'gateway.BulkSendRequested.v1'; data: BulkSendRequested }
  | { type: 'gateway.BulkSendRecipientsSubmitted.v1'; data: BulkSendRecipientsSubmitted }
  | { type: 'gateway.BulkSendPauseRequested.v1'; data: BulkSendControlRequested }
  | { type: 'gateway.BulkSendResumeRequested.v1'; data: BulkSendControlRequested }
  | { type: 'gateway.BulkSendCancelRequested.v1'; data: BulkSendControlRequested };

/** Messaging's events on its `bulk-send-<id>` (topic messaging.bulk-sends). */
export type MessagingBulkSendEvent =
  | { type: 'messaging.BulkSendCreated.v1'; data: BulkSendCreated }
  | { type: 'messaging.BulkSendRecipientsFrozen.v1'; data: BulkSendRecipientsFrozen }
  | { type: 'messaging.BulkSendBatchReleased.v1'; data: BulkSendBatchReleased }
  | { type: 'messaging.BulkSendPaused.v1'; data: BulkSendPaused }
  | { type: 'messaging.BulkSendResumed.v1'; data: BulkSendResumed }
  | { type: 'messaging.BulkSendCanceled.v1'; data: BulkSendCanceled }
  | { type: 'messaging.BulkSendCompleted.v1'; data: BulkSendCompleted }
  | { type: 'messaging.BulkSendRequestRejected.v1'; data: BulkSendRequestRejected };

export type BulkSendEvent = GatewayBulkSendEvent | MessagingBulkSendEvent;

const BULK_SEND_EVENT_TYPES: ReadonlySet<string> = new Set<BulkSendEvent['type']>([
  'gateway.BulkSendRequested.v1',
  'gateway.BulkSendRecipientsSubmitted.v1',
  'gateway.BulkSendPauseRequested.v1',
  'gateway.BulkSendResumeRequested.v1',
  'gateway.BulkSendCancelRequested.v1',
  'messaging.BulkSendCreated.v1',
  'messaging.BulkSendRecipientsFrozen.v1',
  'messaging.BulkSendBatchReleased.v1',
  'messaging.BulkSendPaused.v1',
  'messaging.BulkSendResumed.v1',
  'messaging.BulkSendCanceled.v1',
  'messaging.BulkSendCompleted.v1',
  'messaging.BulkSendRequestRejected.v1',
]);

export function isBulkSendEventType(type: string): type is BulkSendEvent['type'] {
  return BULK_SEND_EVENT_TYPES.has(type);
}

// ---- freezing -------------------------------------------------------------------------------

/** A contact as the freezing reads it, in recipient order. */
export interface FreezableContact {
  id: string;
  phone: string;
}

export interface FrozenRecipients {
  recipients: BulkRecipient[];
  sendable: number;
  batches: number;
}

/**
 * The recipient set as it is frozen: every selected contact at its place (duplicates included),
 * one per phone (a later contact with a phone already taken: `skipped: duplicate_phone`, no
 * batch), each sendable one in its batch: a drip's `floor(i / batchSize)`, else
 * `floor(i / BULK_RELEASE_BATCH_SIZE)` over the sendable ones. `sendAtOf(i)` gives a sendable
 * recipient's own instant (schedule at a localTime), by its place among the sendable ones.
 */
export function freezeRecipients(
  ordered: readonly FreezableContact[],
  batchSize: number,
  sendAtOf?: (sendableIndex: number) => Date,
): FrozenRecipients {
  const seen = new Set<string>();
  const recipients: BulkRecipient[] = [];
  let sendable = 0;
  ordered.forEach((contact, position) => {
    if (seen.has(contact.phone)) {
      recipients.push({
        position,
        contactId: contact.id,
        phone: contact.phone,
        batch: null,
        skipped: 'duplicate_phone',
      });
      return;
    }
    seen.add(contact.phone);
    const recipient: BulkRecipient = {
      position,
      contactId: contact.id,
      phone: contact.phone,
      batch: Math.floor(sendable / batchSize),
    };
    if (sendAtOf) recipient.sendAt = sendAtOf(sendable).toISOString();
    recipients.push(recipient);
    sendable += 1;
  });
  return { recipients, sendable, batches: Math.ceil(sendable / batchSize) };
}

/** The batch size a delivery releases in. */
export function releaseBatchSize(delivery: BulkDelivery): number {
  return delivery.mode === 'drip' ? delivery.batchSize : BULK_RELEASE_BATCH_SIZE;
}

/** The validated delivery as it goes on the wire (ISO instants, `HH:MM` local times). */
export function wireDelivery(delivery: Delivery): BulkDelivery {
  switch (delivery.mode) {
    case 'now':
      return { mode: 'now' };
    case 'schedule':
      if ('at' in delivery) return { mode: 'schedule', at: delivery.at.toISOString() };
      return {
        mode: 'schedule',
        localTime: delivery.localTime.slice(0, 16),
        timeZone: delivery.timeZone,
      };
    case 'drip':
      return {
        mode: 'drip',
        startAt: delivery.startAt.toISOString(),
        batchSize: delivery.batchSize,
        every: { value: delivery.every.value, unit: delivery.every.unit },
        days: [...delivery.days],
        window: { start: delivery.window.start, end: delivery.window.end },
        timeZone: delivery.timeZone,
      };
  }
}

/** A wire drip as the schedule functions read it. */
export function dripScheduleOf(delivery: Extract<BulkDelivery, { mode: 'drip' }>) {
  return {
    startAt: new Date(delivery.startAt),
    batchSize: delivery.batchSize,
    every: delivery.every,
    days: delivery.days,
    window: delivery.window,
    timeZone: delivery.timeZone,
  };
}

/**
 * The events that record a bulk send: BulkSendRequested, then its recipients in chunks of at
 * most BULK_RECIPIENTS_PER_CHUNK, in recipient order (appended in one transaction).
 */
export function bulkSendRequestEvents(input: {
  bulkSendId: string;
  tenantId: string;
  message: BulkMessageContent;
  delivery: BulkDelivery;
  frozen: FrozenRecipients;
  defaultSender?: string;
  requestedAt: string;
}): GatewayBulkSendEvent[] {
  const { bulkSendId, tenantId, frozen } = input;
  const chunks = Math.max(1, Math.ceil(frozen.recipients.length / BULK_RECIPIENTS_PER_CHUNK));
  const events: GatewayBulkSendEvent[] = [
    {
      type: 'gateway.BulkSendRequested.v1',
      data: {
        bulkSendId,
        tenantId,
        message: input.message,
        delivery: input.delivery,
        recipients: frozen.recipients.length,
        sendable: frozen.sendable,
        batches: frozen.batches,
        chunks,
        ...(input.defaultSender !== undefined ? { defaultSender: input.defaultSender } : {}),
        requestedAt: input.requestedAt,
      },
    },
  ];
  for (let chunk = 0; chunk < chunks; chunk++) {
    events.push({
      type: 'gateway.BulkSendRecipientsSubmitted.v1',
      data: {
        bulkSendId,
        tenantId,
        chunk,
        recipients: frozen.recipients.slice(
          chunk * BULK_RECIPIENTS_PER_CHUNK,
          (chunk + 1) * BULK_RECIPIENTS_PER_CHUNK,
        ),
      },
    });
  }
  return events;
}

// ---- the bulk_sends read model --------------------------------------------------------------

export type BulkSendStatus = 'scheduled' | 'running' | 'paused' | 'completed' | 'canceled';
const STATUSES: ReadonlySet<string> = new Set<BulkSendStatus>([
  'scheduled',
  'running',
  'paused',
  'completed',
  'canceled',
]);

/** A row of `bulk_sends`. Instants are ISO strings. */
export interface BulkSendRow {
  bulk_send_id: string;
  tenant_id: string;
  status: BulkSendStatus;
  paused_reason: 'user' | 'insufficient_funds' | null;
  message: BulkMessageContent;
  delivery: BulkDelivery;
  recipients: number;
  sendable: number;
  duplicate_phone: number;
  missing_merge_value: number;
  batches: number;
  batches_released: number;
  next_batch_at: string | null;
  /** The gateway's events on the stream (the expected version of its next append). */
  stream_version: number;
  /**
   * The client's pause/resume/cancel requests messaging has not answered yet. The row shows a
   * request's outcome at once (the 200 answers in the new state); messaging's answer to an earlier
   * request does not undo a later one while this is above 0.
   */
  requests_pending: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  canceled_at: string | null;
}

/** A row of `bulk_send_recipients`. */
export interface BulkSendRecipientRow {
  bulk_send_id: string;
  position: number;
  contact_id: string;
  phone: string;
  batch: number | null;
  message_id: string | null;
  skipped: 'duplicate_phone' | 'missing_merge_value' | null;
  send_at: string | null;
}

function touched(row: BulkSendRow, at: string, change: Partial<BulkSendRow>): BulkSendRow {
  const updated = Date.parse(at) > Date.parse(row.updated_at) ? at : row.updated_at;
  return { ...row, ...change, updated_at: updated };
}

function finished(row: BulkSendRow): boolean {
  return row.status === 'completed' || row.status === 'canceled';
}

/** The status a running send has when not paused: running once a batch is out. */
function activeStatus(row: BulkSendRow): BulkSendStatus {
  return row.batches_released > 0 ? 'running' : 'scheduled';
}

/** One request answered: the count of unanswered ones, and whether messaging's state shows now. */
function answered(row: BulkSendRow): { requests_pending: number; settled: boolean } {
  const pending = Math.max(0, row.requests_pending - 1);
  return { requests_pending: pending, settled: pending === 0 };
}

/** The row a request makes. */
function requestedRow(d: BulkSendRequested): BulkSendRow {
  return {
    bulk_send_id: d.bulkSendId,
    tenant_id: d.tenantId,
    status: 'scheduled',
    paused_reason: null,
    message: d.message,
    delivery: d.delivery,
    recipients: d.recipients,
    sendable: d.sendable,
    duplicate_phone: d.recipients - d.sendable,
    missing_merge_value: 0,
    batches: d.batches,
    batches_released: 0,
    next_batch_at: null,
    stream_version: 1,
    requests_pending: 0,
    created_at: d.requestedAt,
    updated_at: d.requestedAt,
    completed_at: null,
    canceled_at: null,
  };
}

/**
 * Batch 0's time as the request alone tells it (messaging decides the same): now → the request;
 * at → `at`; drip → the schedule's first opening; localTime → from the chunks (their earliest
 * own instant in batch 0).
 */
function requestedFirstBatchAt(d: BulkSendRequested): string | null {
  const delivery = d.delivery;
  switch (delivery.mode) {
    case 'now':
      return d.requestedAt;
    case 'schedule':
      return 'at' in delivery ? delivery.at : null;
    case 'drip': {
      const first = dripBatches(dripScheduleOf(delivery), d.sendable).next();
      return first.done ? null : first.value.at.toISOString();
    }
  }
}

/**
 * The one writer of `bulk_sends`: `evolve(row | null, event) -> row`, the row given back
 * unchanged when the event changes nothing (a redelivery, a fact of no known bulk send).
 */
export function evolveBulkSend(row: BulkSendRow | null, event: BulkSendEvent): BulkSendRow | null {
  switch (event.type) {
    case 'gateway.BulkSendRequested.v1': {
      if (row !== null) return row;
      const d = event.data;
      return {
        ...requestedRow(d),
        next_batch_at: d.sendable === 0 ? null : requestedFirstBatchAt(d),
      };
    }
    case 'gateway.BulkSendRecipientsSubmitted.v1': {
      if (row === null) return null;
      const version = 2 + event.data.chunk;
      if (version <= row.stream_version) return row;
      let next = row.next_batch_at === null ? null : Date.parse(row.next_batch_at);
      if (row.delivery.mode === 'schedule' && 'localTime' in row.delivery) {
        for (const recipient of event.data.recipients) {
          if (recipient.batch !== 0 || recipient.sendAt === undefined) continue;
          const at = Date.parse(recipient.sendAt);
          next = next === null ? at : Math.min(next, at);
        }
      }
      return {
        ...row,
        stream_version: version,
        next_batch_at: next === null ? null : new Date(next).toISOString(),
      };
    }
    case 'gateway.BulkSendPauseRequested.v1':
    case 'gateway.BulkSendResumeRequested.v1':
    case 'gateway.BulkSendCancelRequested.v1': {
      if (row === null) return null;
      const d = event.data;
      const base = {
        stream_version: row.stream_version + 1,
        requests_pending: row.requests_pending + 1,
      };
      if (event.type === 'gateway.BulkSendPauseRequested.v1') {
        return touched(row, d.requestedAt, { ...base, status: 'paused', paused_reason: 'user' });
      }
      if (event.type === 'gateway.BulkSendResumeRequested.v1') {
        return touched(row, d.requestedAt, {
          ...base,
          status: activeStatus(row),
          paused_reason: null,
        });
      }
      return touched(row, d.requestedAt, {
        ...base,
        status: 'canceled',
        paused_reason: null,
        next_batch_at: null,
        canceled_at: d.requestedAt,
      });
    }
    case 'messaging.BulkSendCreated.v1':
      return row;
    case 'messaging.BulkSendRecipientsFrozen.v1': {
      const d = event.data;
      if (row === null || d.firstBatchAt === undefined || row.batches_released > 0) return row;
      if (finished(row)) return row;
      return { ...row, next_batch_at: d.firstBatchAt };
    }
    case 'messaging.BulkSendBatchReleased.v1': {
      const d = event.data;
      if (row === null || d.batch < row.batches_released) return row;
      return touched(row, d.releasedAt, {
        batches_released: d.batch + 1,
        missing_merge_value: row.missing_merge_value + d.skipped.length,
        sendable: row.sendable - d.skipped.length,
        next_batch_at: finished(row) ? null : d.nextBatchAt,
        status: row.status === 'scheduled' ? 'running' : row.status,
      });
    }
    case 'messaging.BulkSendPaused.v1': {
      const d = event.data;
      if (row === null) return null;
      if (d.reason === 'insufficient_funds') {
        if (finished(row)) return row;
        return touched(row, d.pausedAt, { status: 'paused', paused_reason: 'insufficient_funds' });
      }
      const { requests_pending, settled } = answered(row);
      return touched(row, d.pausedAt, {
        requests_pending,
        ...(settled ? { status: 'paused' as const, paused_reason: 'user' as const } : {}),
      });
    }
    case 'messaging.BulkSendResumed.v1': {
      const d = event.data;
      if (row === null) return null;
      const { requests_pending, settled } = answered(row);
      return touched(row, d.resumedAt, {
        requests_pending,
        next_batch_at: d.nextBatchAt,
        ...(settled ? { status: activeStatus(row), paused_reason: null } : {}),
      });
    }
    case 'messaging.BulkSendCanceled.v1': {
      const d = event.data;
      if (row === null) return null;
      const { requests_pending } = answered(row);
      return touched(row, d.canceledAt, {
        requests_pending,
        status: 'canceled',
        paused_reason: null,
        next_batch_at: null,
        canceled_at: d.canceledAt,
        completed_at: null,
      });
    }
    case 'messaging.BulkSendCompleted.v1': {
      const d = event.data;
      if (row === null) return null;
      if (row.requests_pending > 0) {
        return touched(row, d.completedAt, { completed_at: d.completedAt, next_batch_at: null });
      }
      return touched(row, d.completedAt, {
        status: 'completed',
        paused_reason: null,
        next_batch_at: null,
        completed_at: d.completedAt,
        canceled_at: null,
      });
    }
    case 'messaging.BulkSendRequestRejected.v1': {
      const d = event.data;
      if (row === null) return null;
      const { requests_pending, settled } = answered(row);
      if (!settled || !STATUSES.has(d.state))
        return touched(row, d.rejectedAt, { requests_pending });
      const state = d.state as BulkSendStatus;
      return touched(row, d.rejectedAt, {
        requests_pending,
        status: state,
        paused_reason: state === 'paused' ? (row.paused_reason ?? 'user') : null,
        canceled_at: state === 'canceled' ? row.canceled_at : null,
        next_batch_at: state === 'completed' || state === 'canceled' ? null : row.next_batch_at,
      });
    }
  }
}

/** What an event changes in `bulk_send_recipients`. */
export type BulkRecipientChange =
  | { kind: 'insert'; rows: BulkSendRecipientRow[] }
  | { kind: 'skip'; bulkSendId: string; contactIds: string[] };

/**
 * The one writer of `bulk_send_recipients`: the frozen recipients inserted (a chunk once; its
 * redelivery changes nothing, by the table's key), a recipient skipped at release marked so.
 */
export function bulkRecipientChangesOf(event: BulkSendEvent): BulkRecipientChange | null {
  switch (event.type) {
    case 'gateway.BulkSendRecipientsSubmitted.v1': {
      const { bulkSendId, recipients } = event.data;
      return {
        kind: 'insert',
        rows: recipients.map((r) => ({
          bulk_send_id: bulkSendId,
          position: r.position,
          contact_id: r.contactId,
          phone: r.phone,
          batch: r.batch,
          message_id: r.skipped ? null : bulkMessageId(bulkSendId, r.contactId),
          skipped: r.skipped ?? null,
          send_at: r.sendAt ?? null,
        })),
      };
    }
    case 'messaging.BulkSendBatchReleased.v1': {
      const { bulkSendId, skipped } = event.data;
      if (skipped.length === 0) return null;
      return { kind: 'skip', bulkSendId, contactIds: skipped.map((s) => s.contactId) };
    }
    case 'gateway.BulkSendRequested.v1':
    case 'gateway.BulkSendPauseRequested.v1':
    case 'gateway.BulkSendResumeRequested.v1':
    case 'gateway.BulkSendCancelRequested.v1':
    case 'messaging.BulkSendCreated.v1':
    case 'messaging.BulkSendRecipientsFrozen.v1':
    case 'messaging.BulkSendPaused.v1':
    case 'messaging.BulkSendResumed.v1':
    case 'messaging.BulkSendCanceled.v1':
    case 'messaging.BulkSendCompleted.v1':
    case 'messaging.BulkSendRequestRejected.v1':
      return null;
  }
}

// ---- control requests -----------------------------------------------------------------------

export type BulkSendControl = 'pause' | 'resume' | 'cancel';

/**
 * Why a request makes no sense in the row's status (a 409 code), or null when it does. A completed
 * send has released every batch, but some of its messages may still wait (held by quiet hours,
 * scheduled at a recipient's local time): a cancel still reaches those (`waiting`).
 */
export function controlRefusal(
  status: BulkSendStatus,
  request: BulkSendControl,
  waiting = false,
): 'bulk_send_not_running' | 'bulk_send_not_paused' | 'bulk_send_finished' | null {
  if (status === 'completed' && request === 'cancel' && waiting) return null;
  if (status === 'completed' || status === 'canceled') return 'bulk_send_finished';
  switch (request) {
    case 'pause':
      return status === 'paused' ? 'bulk_send_not_running' : null;
    case 'resume':
      return status === 'paused' ? null : 'bulk_send_not_paused';
    case 'cancel':
      return null;
  }
}

export function controlEvent(
  request: BulkSendControl,
  data: BulkSendControlRequested,
): GatewayBulkSendEvent {
  switch (request) {
    case 'pause':
      return { type: 'gateway.BulkSendPauseRequested.v1', data };
    case 'resume':
      return { type: 'gateway.BulkSendResumeRequested.v1', data };
    case 'cancel':
      return { type: 'gateway.BulkSendCancelRequested.v1', data };
  }
}

/**
 * The schedule's half of the ETA, when the last batch goes out: for a drip, the schedule from
 * the next batch's time over the batches left; otherwise the latest own instant (localTime),
 * `at`, or the next batch's time. Null once finished. The resource's `eta` is the later of this
 * and the throughput pace (BulkSendReadModel, bulk-send-pace.ts).
 */
export function etaOf(row: BulkSendRow, latestSendAt: string | null): string | null {
  if (finished(row)) return null;
  const delivery = row.delivery;
  if (delivery.mode === 'drip') {
    const left = row.batches - row.batches_released;
    if (left <= 0 || row.next_batch_at === null) return row.next_batch_at;
    const schedule = { ...dripScheduleOf(delivery), startAt: new Date(row.next_batch_at) };
    return dripPreview(schedule, left * delivery.batchSize, 0).lastAt?.toISOString() ?? null;
  }
  if (delivery.mode === 'schedule' && 'localTime' in delivery) {
    return latestSendAt ?? row.next_batch_at;
  }
  if (delivery.mode === 'schedule') return delivery.at;
  return row.next_batch_at ?? row.created_at;
}
