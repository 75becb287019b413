import type {
  CreditPosted,
  HoldPlaced,
  HoldRejected,
  WalletSettingsSet,
  WireEventOf,
} from '@textplane/contracts';
import { lockKeys } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import type { CommandContext } from '../infrastructure/message-store.js';
import {
  CREDIT_POSTED_EVENT,
  type FundsFacts,
  fundsHoldOf,
  type HoldAnswer,
  HOLD_ANSWERED_EVENT,
} from './funds-gate.js';

/** Billing's facts the funds gate reads (topic billing.wallets.events.v1). */
export const FUNDS_FACTS = [
  'billing.HoldPlaced.v1',
  'billing.HoldRejected.v1',
  'billing.CreditPosted.v1',
  'billing.WalletSettingsSet.v1',
] as const;
type FundsFact = WireEventOf<(typeof FUNDS_FACTS)[number]>;

/**
 * The advisory locks of the funds gate's facts: a message's hold answers (`funds-hold:<id>`) and
 * its tenant's credits and settings (`funds-tenant:<id>`). The gating transaction takes them
 * shared, first, before it reads what billing answered; FundsProjection exclusive, first, before
 * it writes an answer and wakes who waits. So a wake is never lost between the gate's read and
 * its wait's commit: the projection waits for that commit (then wakes it), or the read sees the
 * answer. Both sides take them in sorted order, before any other lock.
 */
export const fundsHoldLockKey = (messageId: string) => `funds-hold:${messageId}`;
export const fundsTenantLockKey = (tenantId: string) => `funds-tenant:${tenantId}`;

/** The funds locks a batch of billing's facts takes, sorted. */
export function fundsLockKeysOf(events: readonly ConsumedEvent[]): string[] {
  const keys = new Set<string>();
  for (const event of events) {
    const data = event.data as { messageId?: string; tenantId?: string };
    if (event.type === 'billing.HoldPlaced.v1' || event.type === 'billing.HoldRejected.v1') {
      if (data.messageId !== undefined) keys.add(fundsHoldLockKey(data.messageId));
    } else if (data.tenantId !== undefined) {
      keys.add(fundsTenantLockKey(data.tenantId));
    }
  }
  return [...keys].sort();
}

/** Wakes the messages waiting on an event (DispatchQueue.wake, its clock bound). */
export interface FundsWaker {
  wake(manager: EntityManager, event: string, key: string): Promise<string[]>;
}

/** Pauses a bulk send short of funds and resumes it after a credit (BulkSendFundsPause). */
export interface FundsBulkSends {
  pause(
    manager: EntityManager,
    bulkSendId: string,
    context: CommandContext,
    now: Date,
  ): Promise<void>;
  resumeAll(manager: EntityManager, context: CommandContext, now: Date): Promise<string[]>;
}

/**
 * Messaging's projection of billing's answers (the funds gate's input): per message billing's
 * last answer about its hold and how many came, per tenant its last credit's ledger sequence and
 * its funds wait limit. Applied through the inbox (once per event, in the caller's transaction).
 * One message's answers share its hold stream, so they come in order; a credit comes on another
 * stream, so it is compared by the wallet's ledger sequence, never by arrival.
 *
 * An answer wakes the message waiting for it; a credit, or new settings (another wait limit),
 * wake the tenant's messages waiting for funds. A text of a bulk send refused for insufficient
 * funds pauses its bulk send (no further batch is released), and a credit resumes the tenant's
 * bulk sends paused for funds. Each run's row is locked before any queue row is woken, the order
 * the gating transaction takes them in.
 */
export class FundsProjection {
  constructor(
    private readonly waker: FundsWaker,
    private readonly bulkSends: FundsBulkSends | null = null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Before a batch is applied: its funds locks, sorted (one event alone takes its own in apply). */
  async lockBatch(events: readonly ConsumedEvent[], manager: EntityManager): Promise<void> {
    await lockKeys(manager, fundsLockKeysOf(events), 'exclusive');
  }

  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    await lockKeys(manager, fundsLockKeysOf([event]), 'exclusive');
    const fact = { type: event.type, data: event.data } as FundsFact;
    const context = (tenantId: string): CommandContext => ({
      tenantId,
      correlationId: event.correlationId,
      causationId: event.id,
    });
    switch (fact.type) {
      case 'billing.HoldPlaced.v1':
        await this.answer(manager, fact.data, 'placed', null, fact.data.placedAt);
        return;
      case 'billing.HoldRejected.v1': {
        const { bulkSendId, tenantId, reason } = fact.data;
        if (this.bulkSends && bulkSendId !== undefined && reason === 'insufficient_funds') {
          await this.bulkSends.pause(manager, bulkSendId, context(tenantId), this.now());
        }
        await this.answer(manager, fact.data, 'rejected', reason, fact.data.rejectedAt);
        return;
      }
      case 'billing.CreditPosted.v1':
        await this.bulkSends?.resumeAll(manager, context(fact.data.tenantId), this.now());
        await this.credit(manager, fact.data);
        return;
      case 'billing.WalletSettingsSet.v1':
        await this.settings(manager, fact.data);
        return;
      default: {
        // Only FUNDS_FACTS reach this consumer; a new one must be given its effect here.
        const unhandled: never = fact;
        return unhandled;
      }
    }
  }

  private async answer(
    manager: EntityManager,
    data: HoldPlaced | HoldRejected,
    status: 'placed' | 'rejected',
    reason: HoldRejected['reason'] | null,
    at: string,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO funds_holds
         (message_id, tenant_id, status, reason, sequence, answers, answered_at)
       VALUES ($1, $2, $3, $4, $5, 1, $6)
       ON CONFLICT (message_id) DO UPDATE SET
         status = EXCLUDED.status, reason = EXCLUDED.reason, sequence = EXCLUDED.sequence,
         answers = funds_holds.answers + 1, answered_at = EXCLUDED.answered_at`,
      [data.messageId, data.tenantId, status, reason, data.wallet.sequence, at],
    );
    await this.waker.wake(manager, HOLD_ANSWERED_EVENT, data.messageId);
  }

  private async credit(manager: EntityManager, data: CreditPosted): Promise<void> {
    await manager.query(
      `INSERT INTO tenant_funds (tenant_id, last_credit_sequence) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET last_credit_sequence =
         GREATEST(tenant_funds.last_credit_sequence, EXCLUDED.last_credit_sequence)`,
      [data.tenantId, data.wallet.sequence],
    );
    await this.waker.wake(manager, CREDIT_POSTED_EVENT, data.tenantId);
  }

  private async settings(manager: EntityManager, data: WalletSettingsSet): Promise<void> {
    await manager.query(
      `INSERT INTO tenant_funds (tenant_id, funds_wait_limit_seconds) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET
         funds_wait_limit_seconds = EXCLUDED.funds_wait_limit_seconds`,
      [data.tenantId, data.settings.fundsWaitLimitSeconds],
    );
    // Its messages waiting for funds are looked at again under the new limit.
    await this.waker.wake(manager, CREDIT_POSTED_EVENT, data.tenantId);
  }
}

/**
 * The funds gate's facts for a batch of one tenant's messages, in the gating transaction: each
 * message's hold from its own requests (`requested`, from its stream) and billing's answers.
 */
export async function fundsFactsOf(
  manager: EntityManager,
  tenantId: string,
  messages: ReadonlyArray<{
    messageId: string;
    requested: { firstRequestedAt: string; requests: number } | null;
  }>,
): Promise<Map<string, FundsFacts>> {
  const tenant = await manager.query<
    Array<{ last_credit_sequence: string | null; funds_wait_limit_seconds: number | null }>
  >(
    `SELECT last_credit_sequence, funds_wait_limit_seconds FROM tenant_funds WHERE tenant_id = $1`,
    [tenantId],
  );
  const answered = messages.filter((m) => m.requested !== null).map((m) => m.messageId);
  const rows =
    answered.length === 0
      ? []
      : await manager.query<
          Array<{
            message_id: string;
            status: 'placed' | 'rejected';
            reason: HoldAnswer['reason'];
            sequence: string;
            answers: number;
          }>
        >(
          `SELECT message_id, status, reason, sequence, answers FROM funds_holds
           WHERE message_id = ANY($1::uuid[])`,
          [answered],
        );
  const answers = new Map(
    rows.map((row) => [
      row.message_id,
      {
        status: row.status,
        reason: row.reason,
        sequence: Number(row.sequence),
        answers: row.answers,
      } satisfies HoldAnswer,
    ]),
  );
  const lastCredit = tenant[0]?.last_credit_sequence ?? null;
  const limit = tenant[0]?.funds_wait_limit_seconds ?? null;
  return new Map(
    messages.map((m) => [
      m.messageId,
      {
        hold: fundsHoldOf(m.requested, answers.get(m.messageId) ?? null),
        lastCreditSequence: lastCredit === null ? null : Number(lastCredit),
        ...(limit !== null ? { fundsWaitLimitSeconds: limit } : {}),
      },
    ]),
  );
}
