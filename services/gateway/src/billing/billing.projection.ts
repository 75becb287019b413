import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import {
  type BillingRateCardEvent,
  type BillingWalletEvent,
  chargeOf,
  type CreditEvent,
  type CreditRow,
  evolveCredit,
  evolveHold,
  evolveRateCard,
  evolveWallet,
  type HoldEvent,
  type HoldRow,
  isBillingRateCardEventType,
  isBillingWalletEventType,
  type RateCardRow,
  tenantOf,
  transactionOf,
  type WalletRow,
} from './billing-record.js';

type Instant = Date | string;
function iso(value: Instant): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
/** pg returns bigint as a string: every money column fits a safe integer (at most 10^12 × n). */
const int = (value: string | number): number => Number(value);
const intOrNull = (value: string | number | null): number | null =>
  value === null ? null : Number(value);

export const WALLET_COLUMNS = `tenant_id, currency, balance, held, available, sequence, auto_recharge,
  low_balance_threshold, funds_wait_limit_seconds, updated_at`;
export const CREDIT_COLUMNS = `tenant_id, reference, credit_id, amount, currency, status, errors,
  requested_at, posted_at`;

type Selected<T, K extends keyof T> = Omit<T, K> & { [P in K]: unknown };

export function walletRowOf(
  row: Selected<
    WalletRow,
    | 'balance'
    | 'held'
    | 'available'
    | 'sequence'
    | 'low_balance_threshold'
    | 'funds_wait_limit_seconds'
    | 'updated_at'
  >,
): WalletRow {
  return {
    ...row,
    balance: int(row.balance as string),
    held: int(row.held as string),
    available: int(row.available as string),
    sequence: int(row.sequence as string),
    low_balance_threshold: intOrNull(row.low_balance_threshold as string | null),
    funds_wait_limit_seconds: intOrNull(row.funds_wait_limit_seconds as number | null),
    updated_at: iso(row.updated_at as Instant),
  };
}

export function creditRowOf(
  row: Selected<CreditRow, 'amount' | 'requested_at' | 'posted_at'>,
): CreditRow {
  return {
    ...row,
    amount: int(row.amount as string),
    requested_at: iso(row.requested_at as Instant),
    posted_at: row.posted_at === null ? null : iso(row.posted_at as Instant),
  };
}

export async function selectWallet(
  manager: Pick<EntityManager, 'query'>,
  tenantId: string,
  lock: boolean,
): Promise<WalletRow | null> {
  const rows = await manager.query<Array<Parameters<typeof walletRowOf>[0]>>(
    `SELECT ${WALLET_COLUMNS} FROM billing_wallets WHERE tenant_id = $1${lock ? ' FOR UPDATE' : ''}`,
    [tenantId],
  );
  return rows[0] ? walletRowOf(rows[0]) : null;
}

export async function selectCredit(
  manager: Pick<EntityManager, 'query'>,
  tenantId: string,
  reference: string,
): Promise<CreditRow | null> {
  const rows = await manager.query<Array<Parameters<typeof creditRowOf>[0]>>(
    `SELECT ${CREDIT_COLUMNS} FROM billing_credits WHERE tenant_id = $1 AND reference = $2`,
    [tenantId, reference],
  );
  return rows[0] ? creditRowOf(rows[0]) : null;
}

/**
 * Writes the billing read models (billing_wallets, billing_credits, billing_transactions,
 * billing_charges, billing_holds, billing_rate_cards) from billing's facts, each with its inbox
 * record (group `consumerGroup`), and the gateway's own credit requests inline (`applyCredit`).
 * Every row is its record's evolve of the row before; the rebuild replays the topics through it.
 */
export class BillingProjection implements EventHandlers {
  private readonly handlers: EventHandlers;

  constructor(inbox: Inbox, consumerGroup: string) {
    this.handlers = onceThroughInbox(inbox, consumerGroup, (event, manager) =>
      this.apply(event, manager),
    );
  }

  handle(event: ConsumedEvent): Promise<void> {
    return this.handlers.handle(event);
  }

  handleBatch(events: ConsumedEvent[]): Promise<void> {
    return this.handlers.handleBatch(events);
  }

  async apply(consumed: ConsumedEvent, manager: EntityManager): Promise<void> {
    // The consumer has validated the data against the event's schema.
    if (isBillingRateCardEventType(consumed.type)) {
      await this.applyRateCard(manager, {
        type: consumed.type,
        data: consumed.data,
      } as BillingRateCardEvent);
      return;
    }
    if (!isBillingWalletEventType(consumed.type)) return;
    const event = { type: consumed.type, data: consumed.data } as BillingWalletEvent;
    await this.applyWallet(manager, event);
    await this.applyLedger(manager, consumed.id, event);
    switch (event.type) {
      case 'billing.CreditPosted.v1':
      case 'billing.BillingRequestRejected.v1':
        await this.applyCredit(manager, event);
        return;
      case 'billing.HoldPlaced.v1':
      case 'billing.HoldReleased.v1':
        await this.applyHold(manager, event);
        return;
      case 'billing.ChargeCaptured.v1': {
        await this.applyHold(manager, event);
        const charge = chargeOf(event);
        await manager.query(
          `INSERT INTO billing_charges (message_id, tenant_id, captured_at, day, sender, campaign_id,
             channel, direction, bulk_send_id, units, amount, carrier_fee, currency)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (message_id) DO NOTHING`,
          [
            charge.message_id,
            charge.tenant_id,
            charge.captured_at,
            charge.day,
            charge.sender,
            charge.campaign_id,
            charge.channel,
            charge.direction,
            charge.bulk_send_id,
            charge.units,
            charge.amount,
            charge.carrier_fee,
            charge.currency,
          ],
        );
        return;
      }
      case 'billing.HoldRejected.v1':
      case 'billing.WalletSettingsSet.v1':
      case 'billing.LowBalanceReached.v1':
      case 'billing.AutoRechargeRequested.v1':
        return;
    }
  }

  private async applyWallet(manager: EntityManager, event: BillingWalletEvent): Promise<void> {
    const tenantId = tenantOf(event);
    if (tenantId === null) return;
    const before = await selectWallet(manager, tenantId, true);
    const row = evolveWallet(before, event);
    if (row === null || row === before) return;
    await manager.query(
      `INSERT INTO billing_wallets (${WALLET_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (tenant_id) DO UPDATE SET
         currency = EXCLUDED.currency, balance = EXCLUDED.balance, held = EXCLUDED.held,
         available = EXCLUDED.available, sequence = EXCLUDED.sequence,
         auto_recharge = EXCLUDED.auto_recharge,
         low_balance_threshold = EXCLUDED.low_balance_threshold,
         funds_wait_limit_seconds = EXCLUDED.funds_wait_limit_seconds,
         updated_at = EXCLUDED.updated_at`,
      [
        row.tenant_id,
        row.currency,
        row.balance,
        row.held,
        row.available,
        row.sequence,
        row.auto_recharge === null ? null : JSON.stringify(row.auto_recharge),
        row.low_balance_threshold,
        row.funds_wait_limit_seconds,
        row.updated_at,
      ],
    );
  }

  private async applyLedger(
    manager: EntityManager,
    eventId: string,
    event: BillingWalletEvent,
  ): Promise<void> {
    const row = transactionOf(eventId, event);
    if (row === null) return;
    await manager.query(
      `INSERT INTO billing_transactions (id, tenant_id, kind, amount, currency, message_id,
         bulk_send_id, credit_id, reference, at, balance_after, held_after, available_after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO NOTHING`,
      [
        row.id,
        row.tenant_id,
        row.kind,
        row.amount,
        row.currency,
        row.message_id,
        row.bulk_send_id,
        row.credit_id,
        row.reference,
        row.at,
        row.balance_after,
        row.held_after,
        row.available_after,
      ],
    );
  }

  /** A credit's row by its reference; the gateway's own request is applied in its transaction. */
  async applyCredit(manager: EntityManager, event: CreditEvent): Promise<void> {
    const tenantId = event.data.tenantId;
    const key =
      event.type === 'billing.BillingRequestRejected.v1'
        ? event.data.resource === 'credit'
          ? event.data.resourceId
          : null
        : event.data.reference;
    if (tenantId === undefined || key === null) return;
    const rows = await manager.query<Array<Parameters<typeof creditRowOf>[0]>>(
      `SELECT ${CREDIT_COLUMNS} FROM billing_credits WHERE tenant_id = $1 AND reference = $2
       FOR UPDATE`,
      [tenantId, key],
    );
    const before = rows[0] ? creditRowOf(rows[0]) : null;
    const row = evolveCredit(before, event);
    if (row === null || row === before) return;
    await manager.query(
      `INSERT INTO billing_credits (${CREDIT_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, reference) DO UPDATE SET
         credit_id = EXCLUDED.credit_id, amount = EXCLUDED.amount, currency = EXCLUDED.currency,
         status = EXCLUDED.status, errors = EXCLUDED.errors, requested_at = EXCLUDED.requested_at,
         posted_at = EXCLUDED.posted_at`,
      [
        row.tenant_id,
        row.reference,
        row.credit_id,
        row.amount,
        row.currency,
        row.status,
        row.errors === null ? null : JSON.stringify(row.errors),
        row.requested_at,
        row.posted_at,
      ],
    );
  }

  private async applyHold(manager: EntityManager, event: HoldEvent): Promise<void> {
    const rows = await manager.query<Array<Omit<HoldRow, 'amount'> & { amount: string | number }>>(
      `SELECT message_id, tenant_id, bulk_send_id, amount, currency, open FROM billing_holds
       WHERE message_id = $1 FOR UPDATE`,
      [event.data.messageId],
    );
    const before = rows[0] ? { ...rows[0], amount: int(rows[0].amount) } : null;
    const row = evolveHold(before, event);
    if (row === null) return;
    await manager.query(
      `INSERT INTO billing_holds (message_id, tenant_id, bulk_send_id, amount, currency, open)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (message_id) DO UPDATE SET
         bulk_send_id = EXCLUDED.bulk_send_id, amount = EXCLUDED.amount,
         currency = EXCLUDED.currency, open = EXCLUDED.open`,
      [row.message_id, row.tenant_id, row.bulk_send_id, row.amount, row.currency, row.open],
    );
  }

  private async applyRateCard(manager: EntityManager, event: BillingRateCardEvent): Promise<void> {
    const rows = await manager.query<
      Array<
        Omit<RateCardRow, 'effective_at' | 'published_at'> & {
          effective_at: Instant;
          published_at: Instant;
        }
      >
    >(
      `SELECT version, card, effective_at, published_at FROM billing_rate_cards
       WHERE version = $1 FOR UPDATE`,
      [event.data.version],
    );
    const before = rows[0]
      ? {
          ...rows[0],
          effective_at: iso(rows[0].effective_at),
          published_at: iso(rows[0].published_at),
        }
      : null;
    const row = evolveRateCard(before, event);
    if (row === before) return;
    await manager.query(
      `INSERT INTO billing_rate_cards (version, card, effective_at, published_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT (version) DO NOTHING`,
      [row.version, JSON.stringify(row.card), row.effective_at, row.published_at],
    );
  }
}
