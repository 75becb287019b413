import { type EventStore, queryRows } from '@textplane/event-store';
import type { DataSource } from 'typeorm';
import type { Carrier, CarrierLookupResult } from '../../infrastructure/carriers/carrier.js';
import type { Clock } from '@textplane/service-runtime';
import type { MessageStore } from '../../infrastructure/message-store.js';
import { isFinal } from '../message.decider.js';
import { carrierStatusCommand } from '../submit-to-carrier/submit-to-carrier.handler.js';

export interface ReconcilePolicy {
  /** Age (since the submission started) after which a message without outcome is asked about. */
  afterMs: number;
  /** Messages claimed per sweep. */
  batch: number;
  /** Checks per message; after the last one the message stops waiting (AbandonReceiptWait). */
  maxChecks: number;
  /** Wait after an inconclusive check, doubling from `initial` up to `max`. */
  backoffMs: { initial: number; max: number };
}

/** The part of the submission the reconciler uses for a message whose answer was lost. */
export interface Resubmission {
  resubmit(messageId: string, tenantId: string): Promise<void>;
}

export interface ReconcileLogger {
  warn(obj: object, msg?: string): void;
}

export interface SweepResult {
  claimed: number;
  /** Messages that reached a final state in this sweep. */
  settled: number;
  /** Messages asked about again later. */
  deferred: number;
  /** Messages that ran out of checks and ended without a confirmed outcome. */
  abandoned: number;
}

interface WatchedMessage {
  messageId: string;
  tenantId: string;
  carrierMessageId: string | null;
  checks: number;
}

/**
 * Receipt reconciliation: a message still `sending` or `sent` past `afterMs` is asked about at
 * the carrier, and what the carrier says goes through the decider as a webhook receipt would
 * (RecordCarrierStatus). One with no carrier id (the submission's answer was never recorded) is
 * resubmitted under its idempotency key instead: Telnyx cannot be asked by that key, but a
 * repeated call with it returns the first answer without sending again.
 *
 * Each sweep claims a bounded batch for LEASE_MS (rows locked with SKIP LOCKED), so replicas
 * never ask about the same message; an inconclusive check backs the message off, and after
 * `maxChecks` checks it ends (`undelivered` / `failed`, see AbandonReceiptWait).
 */
export class ReceiptReconciler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly messages: MessageStore,
    private readonly carrier: Carrier,
    private readonly submission: Resubmission,
    private readonly clock: Clock,
    private readonly policy: ReconcilePolicy,
    private readonly logger: ReconcileLogger,
  ) {}

  async sweep(): Promise<SweepResult> {
    const claimed = await this.claimDue();
    const result: SweepResult = { claimed: claimed.length, settled: 0, deferred: 0, abandoned: 0 };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < claimed.length) {
        const message = claimed[next++];
        if (!message) continue;
        const outcome = await this.reconcile(message).catch((error: unknown) => {
          this.logger.warn({ err: error, messageId: message.messageId }, 'receipt check failed');
          return 'deferred' as const;
        });
        result[outcome] += 1;
        if (outcome === 'deferred') {
          // Should this fail too, the claim lapses and the message is checked again then.
          await this.deferOrRelease(message).catch((error: unknown) =>
            this.logger.warn(
              { err: error, messageId: message.messageId },
              'receipt check not recorded',
            ),
          );
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, claimed.length) }, worker));
    return result;
  }

  private async reconcile(message: WatchedMessage): Promise<'settled' | 'deferred' | 'abandoned'> {
    // A check that fails still counts: the last one ends the message whatever went wrong.
    await this.ask(message).catch((error: unknown) =>
      this.logger.warn({ err: error, messageId: message.messageId }, 'receipt check failed'),
    );
    const { state } = await this.messages.load(message.messageId);
    if (isFinal(state)) return 'settled';
    if (message.checks + 1 < this.policy.maxChecks) return 'deferred';
    const { events } = await this.messages.handle(
      message.messageId,
      { type: 'AbandonReceiptWait', checks: message.checks + 1, now: this.clock.now() },
      { tenantId: message.tenantId, correlationId: message.messageId },
    );
    if (events.length === 0) return 'deferred';
    this.logger.warn(
      { messageId: message.messageId, checks: message.checks + 1, ended: events[0]?.type },
      'no outcome learnt from the carrier: the message stops waiting for one',
    );
    return 'abandoned';
  }

  private async ask(message: WatchedMessage): Promise<void> {
    if (message.carrierMessageId === null) {
      await this.submission.resubmit(message.messageId, message.tenantId);
      return;
    }
    await this.record(message, await this.carrier.lookup(message.carrierMessageId));
  }

  private async record(message: WatchedMessage, answer: CarrierLookupResult): Promise<void> {
    switch (answer.outcome) {
      case 'found':
        await this.store.transaction((manager) =>
          this.messages.handle(
            message.messageId,
            carrierStatusCommand(answer.report),
            { tenantId: message.tenantId, correlationId: message.messageId },
            manager,
          ),
        );
        return;
      case 'unknown':
        this.logger.warn(
          { messageId: message.messageId, carrierMessageId: message.carrierMessageId },
          `the carrier does not know the message: ${answer.detail}`,
        );
        return;
      case 'unavailable':
        this.logger.warn(
          { messageId: message.messageId, detail: answer.errorDetail },
          'the carrier could not be asked about the message',
        );
        return;
    }
  }

  /** Claims due messages that no other sweep holds. */
  private async claimDue(): Promise<WatchedMessage[]> {
    const rows = await queryRows<{
      message_id: string;
      tenant_id: string;
      carrier_message_id: string | null;
      checks: number;
    }>(
      this.dataSource,
      `UPDATE receipt_watch SET claimed_until = $1::timestamptz + make_interval(secs => $3)
       WHERE message_id IN (
         SELECT message_id FROM receipt_watch
         WHERE COALESCE(next_check_at, submitted_at + make_interval(secs => $4)) <= $1
           AND (claimed_until IS NULL OR claimed_until <= $1)
         ORDER BY COALESCE(next_check_at, submitted_at) LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING message_id, tenant_id, carrier_message_id, checks`,
      [
        this.clock.now().toISOString(),
        this.policy.batch,
        LEASE_MS / 1000,
        this.policy.afterMs / 1000,
      ],
    );
    return rows.map((row) => ({
      messageId: row.message_id,
      tenantId: row.tenant_id,
      carrierMessageId: row.carrier_message_id,
      checks: row.checks,
    }));
  }

  /** Counts the check and sets the next one (the row is gone if the message ended meanwhile). */
  private async deferOrRelease(message: WatchedMessage): Promise<void> {
    const { initial, max } = this.policy.backoffMs;
    const waitMs = Math.min(max, initial * 2 ** Math.min(message.checks, 30));
    const nextCheckAt = new Date(this.clock.now().getTime() + waitMs);
    await this.dataSource.query(
      `UPDATE receipt_watch SET checks = checks + 1, next_check_at = $2, claimed_until = NULL
       WHERE message_id = $1`,
      [message.messageId, nextCheckAt.toISOString()],
    );
  }
}

/** Carrier lookups in flight at once per sweep. */
const LOOKUPS_AT_ONCE = 8;

/**
 * How long a sweep owns what it claimed: longer than a batch of lookups can take, each bounded
 * by the SDK timeout. A sweep that died leaves its claims to lapse.
 */
const LEASE_MS = 5 * 60_000;
