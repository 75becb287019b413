import { queryRows } from '@textplane/event-store';
import type { DataSource, EntityManager } from 'typeorm';
import type { CommandContext } from '../../infrastructure/message-store.js';
import type { MessageEvent } from '../message.events.js';

export interface DueMessage {
  messageId: string;
  tenantId: string;
  correlationId: string;
  /** The trace of the request that queued it, when one came with it. */
  traceparent: string | null;
}

/**
 * The one durable dispatch queue: every message a gate made wait, with what it waits for, a
 * time (`release_at`) or an event (`waiting_for`, optionally one occurrence of it:
 * `waiting_key`). Due rows are claimed with a lease, so dispatchers never release one message
 * twice; an event that opens a gate makes the rows waiting on it due at once. A released
 * message goes through every gate again, so a row is only ever a reason to look again.
 */
export class DispatchQueue {
  constructor(private readonly dataSource: DataSource) {}

  /** Keeps the queue in step with what was decided for a message, in that transaction. */
  async follow(
    manager: EntityManager,
    messageId: string,
    context: CommandContext,
    events: readonly MessageEvent[],
  ): Promise<void> {
    for (const event of events) {
      switch (event.type) {
        case 'messaging.MessageHeld.v1':
          await this.upsert(manager, messageId, context, {
            gate: event.data.reason === 'scheduled' ? 'schedule' : 'quiet-hours',
            releaseAt: event.data.sendAt,
            waitingFor: null,
            waitingKey: null,
          });
          break;
        case 'messaging.MessageRescheduled.v1':
          // A message not yet held by its schedule has no row: the dispatcher reads the new time.
          await manager.query(
            `UPDATE dispatch_queue SET release_at = $2, claimed_until = NULL
             WHERE message_id = $1 AND release_at IS NOT NULL`,
            [messageId, event.data.sendAt],
          );
          break;
        case 'messaging.MessageSubmissionStarted.v1':
          // The row stays, leased, until the carrier's answer is recorded: should the process
          // die between the call and that record, the lease lapses and the message is released
          // again (same idempotency key, so the carrier answers as the first time), instead of
          // staying `sending` until receipt reconciliation.
          await manager.query(
            `UPDATE dispatch_queue SET claimed_until = $2::timestamptz + make_interval(secs => $3)
             WHERE message_id = $1`,
            [messageId, event.data.startedAt, CLAIM_MS / 1000],
          );
          break;
        case 'messaging.MessageSubmitted.v1':
        case 'messaging.MessageFailed.v1':
        case 'messaging.MessageBlocked.v1':
        case 'messaging.MessageCanceled.v1':
          await this.forget(manager, messageId);
          break;
        // Neither hold nor release: listed, so a new message event is a decision here.
        // A parked message's row is kept by the dispatcher (waitFor / parkUntil).
        case 'messaging.MessageParked.v1':
        case 'messaging.MessageQueued.v1':
        case 'messaging.MessageSent.v1':
        case 'messaging.MessageDelivered.v1':
        case 'messaging.MessageUndelivered.v1':
        case 'messaging.InboundMessageReceived.v1':
        case 'messaging.MessageCancelRejected.v1':
        case 'messaging.MessageRescheduleRejected.v1':
        case 'messaging.FundsHoldRequested.v1':
          break;
      }
    }
  }

  /**
   * A message waits (still `queued`) until `event` opens `gate` for it; `key` names the
   * occurrence that does (a campaign id, a hold id), or any occurrence when absent; `releaseAt`:
   * looked at again then even if the event never comes (the funds wait limit).
   */
  waitFor(
    manager: EntityManager,
    messageId: string,
    context: CommandContext,
    wait: { gate: string; event: string; key?: string; releaseAt?: Date },
  ): Promise<void> {
    return this.upsert(manager, messageId, context, {
      gate: wait.gate,
      releaseAt: wait.releaseAt?.toISOString() ?? null,
      waitingFor: wait.event,
      waitingKey: wait.key ?? null,
    });
  }

  /**
   * A message waits (still `queued`) for its turn at `at`, a time that is no hold (a carrier's
   * rate window with room again): the dispatcher looks at it again then.
   */
  parkUntil(
    manager: EntityManager,
    messageId: string,
    context: CommandContext,
    park: { gate: string; at: Date },
  ): Promise<void> {
    return this.upsert(manager, messageId, context, {
      gate: park.gate,
      releaseAt: park.at.toISOString(),
      waitingFor: null,
      waitingKey: null,
    });
  }

  /**
   * `event` happened (for `key`, when it concerns one occurrence): the messages waiting on it
   * are due `now`, in the caller's transaction (the one that records the event's effects).
   * Returns their ids.
   */
  async wake(
    manager: EntityManager,
    event: string,
    key: string | null,
    now: Date,
  ): Promise<string[]> {
    const rows = await queryRows<{ message_id: string }>(
      manager,
      `UPDATE dispatch_queue
       SET release_at = $3, waiting_for = NULL, waiting_key = NULL, claimed_until = NULL
       WHERE waiting_for = $1 AND ($2::text IS NULL OR waiting_key IS NULL OR waiting_key = $2)
       RETURNING message_id`,
      [event, key, now.toISOString()],
    );
    return rows.map((row) => row.message_id);
  }

  async forget(manager: EntityManager, messageId: string): Promise<void> {
    await manager.query(`DELETE FROM dispatch_queue WHERE message_id = $1`, [messageId]);
  }

  /** The carrier's answers for these messages are recorded: their rows have done their job. */
  async forgetAll(manager: EntityManager, messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await manager.query(`DELETE FROM dispatch_queue WHERE message_id = ANY($1::uuid[])`, [
      messageIds,
    ]);
  }

  /** Claims up to `limit` due messages no other dispatcher holds, for CLAIM_MS. */
  async claimDue(now: Date, limit: number): Promise<DueMessage[]> {
    const rows = await queryRows<{
      message_id: string;
      tenant_id: string;
      correlation_id: string;
      traceparent: string | null;
    }>(
      this.dataSource,
      `UPDATE dispatch_queue SET claimed_until = $1::timestamptz + make_interval(secs => $3)
       WHERE message_id IN (
         SELECT message_id FROM dispatch_queue
         WHERE release_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
         ORDER BY release_at LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING message_id, tenant_id, correlation_id, traceparent`,
      [now.toISOString(), limit, CLAIM_MS / 1000],
    );
    return rows.map((r) => ({
      messageId: r.message_id,
      tenantId: r.tenant_id,
      correlationId: r.correlation_id,
      traceparent: r.traceparent,
    }));
  }

  private async upsert(
    manager: EntityManager,
    messageId: string,
    context: CommandContext,
    row: {
      gate: string;
      releaseAt: string | null;
      waitingFor: string | null;
      waitingKey: string | null;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO dispatch_queue
         (message_id, tenant_id, correlation_id, gate, release_at, waiting_for, waiting_key,
          traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (message_id) DO UPDATE SET
         gate = EXCLUDED.gate, release_at = EXCLUDED.release_at,
         waiting_for = EXCLUDED.waiting_for, waiting_key = EXCLUDED.waiting_key,
         traceparent = COALESCE(EXCLUDED.traceparent, dispatch_queue.traceparent),
         claimed_until = NULL`,
      [
        messageId,
        context.tenantId,
        context.correlationId,
        row.gate,
        row.releaseAt,
        row.waitingFor,
        row.waitingKey,
        context.traceparent ?? null,
      ],
    );
  }
}

/** How long a dispatcher owns the messages it claimed; a failed release is retried after it. */
const CLAIM_MS = 30_000;
