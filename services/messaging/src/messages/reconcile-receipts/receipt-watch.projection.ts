import { unitOfWorkOf } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import type { MessageEvent } from '../message.events.js';

/**
 * Which messages are with the carrier and still wait for their outcome (`sending`, `sent`): a
 * row from the submission's start until a final fact (or a hold) ends it. The receipt
 * reconciler reads it; only this projection writes its message columns.
 */
export class ReceiptWatchProjection {
  follows(event: MessageEvent): boolean {
    return changeOf(event) !== null;
  }

  async apply(manager: EntityManager, event: MessageEvent): Promise<void> {
    const change = changeOf(event);
    if (!change) return;
    const unit = unitOfWorkOf(manager);
    if (unit) unit.deferWrite('receipt-watch', change, (m, changes) => writeAll(m, changes));
    else await writeAll(manager, [change]);
  }
}

type WatchChange =
  | { kind: 'watch'; messageId: string; tenantId: string; submittedAt: string }
  | { kind: 'carrier-id'; messageId: string; carrierMessageId: string }
  | { kind: 'end'; messageId: string };

function changeOf(event: MessageEvent): WatchChange | null {
  switch (event.type) {
    case 'messaging.MessageSubmissionStarted.v1': {
      const { messageId, tenantId, startedAt } = event.data;
      return { kind: 'watch', messageId, tenantId, submittedAt: startedAt };
    }
    case 'messaging.MessageSubmitted.v1':
      return {
        kind: 'carrier-id',
        messageId: event.data.messageId,
        carrierMessageId: event.data.carrierMessageId,
      };
    case 'messaging.MessageDelivered.v1':
    case 'messaging.MessageFailed.v1':
    case 'messaging.MessageUndelivered.v1':
    case 'messaging.MessageBlocked.v1':
    case 'messaging.MessageHeld.v1':
    case 'messaging.MessageParked.v1':
      return { kind: 'end', messageId: event.data.messageId };
    // A canceled message was never with the carrier, nor is one whose hold is asked of billing;
    // the answers to a client change nothing.
    case 'messaging.MessageQueued.v1':
    case 'messaging.MessageSent.v1':
    case 'messaging.InboundMessageReceived.v1':
    case 'messaging.MessageCanceled.v1':
    case 'messaging.MessageCancelRejected.v1':
    case 'messaging.MessageRescheduled.v1':
    case 'messaging.MessageRescheduleRejected.v1':
    case 'messaging.FundsHoldRequested.v1':
      return null;
  }
}

/**
 * A batch's changes folded per message (in order: a later fact wins), then one statement per
 * kind. A further submission attempt continues the watch it finds (its checks count on), so
 * retries cannot keep a message watched forever.
 */
async function writeAll(manager: EntityManager, changes: readonly WatchChange[]): Promise<void> {
  const rows = new Map<
    string,
    { watch?: Extract<WatchChange, { kind: 'watch' }>; carrierMessageId?: string; end: boolean }
  >();
  for (const change of changes) {
    const row = rows.get(change.messageId) ?? { end: false };
    switch (change.kind) {
      case 'watch':
        rows.set(change.messageId, { watch: change, end: false });
        break;
      case 'carrier-id':
        rows.set(change.messageId, { ...row, carrierMessageId: change.carrierMessageId });
        break;
      case 'end':
        rows.set(change.messageId, { end: true });
        break;
    }
  }
  const ended = [...rows].filter(([, row]) => row.end).map(([id]) => id);
  const watched = [...rows.values()].flatMap((row) => (row.watch ? [row] : []));
  const identified = [...rows].flatMap(([messageId, row]) =>
    !row.watch && row.carrierMessageId
      ? [{ messageId, carrierMessageId: row.carrierMessageId }]
      : [],
  );
  if (ended.length > 0) {
    await manager.query(`DELETE FROM receipt_watch WHERE message_id = ANY($1::uuid[])`, [ended]);
  }
  if (watched.length > 0) {
    await manager.query(
      `INSERT INTO receipt_watch (message_id, tenant_id, carrier_message_id, submitted_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[])
       ON CONFLICT (message_id) DO UPDATE SET
         carrier_message_id = COALESCE(EXCLUDED.carrier_message_id, receipt_watch.carrier_message_id)`,
      [
        watched.map((row) => row.watch?.messageId),
        watched.map((row) => row.watch?.tenantId),
        watched.map((row) => row.carrierMessageId ?? null),
        watched.map((row) => row.watch?.submittedAt),
      ],
    );
  }
  if (identified.length > 0) {
    await manager.query(
      `UPDATE receipt_watch w SET carrier_message_id = c.carrier_message_id
       FROM unnest($1::uuid[], $2::text[]) AS c(message_id, carrier_message_id)
       WHERE w.message_id = c.message_id`,
      [identified.map((row) => row.messageId), identified.map((row) => row.carrierMessageId)],
    );
  }
}
