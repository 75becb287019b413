import type { WalletSettings, WalletSnapshot } from '@textplane/contracts';
import {
  AggregateStore,
  type EventMetadata,
  type EventStore,
  lockKeys,
  queryRows,
  unitOfWorkOf,
} from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import { accountId, DEFAULT_RATE_CARD, type RateCard } from '@textplane/pricing';
import type { EntityManager } from 'typeorm';
import {
  CREDIT_STREAM_TYPE,
  type CreditEvent,
  HOLD_STREAM_TYPE,
  type HoldEvent,
  isCreditEventType,
  isHoldEventType,
  isRateCardEventType,
  isWalletSettingsEventType,
  RATE_CARD_STREAM_TYPE,
  type RateCardEvent,
  WALLET_ALERTS_STREAM_TYPE,
  WALLET_SETTINGS_STREAM_TYPE,
  type WalletAlertEvent,
  walletAlertsStreamId,
  walletSettingsStreamId,
  type WalletSettingsEvent,
} from '../billing.events.js';
import * as creditDecider from '../credits/credit.decider.js';
import * as holdDecider from '../holds/hold.decider.js';
import * as rateCardDecider from '../rate-cards/rate-card.decider.js';
import * as settingsDecider from '../wallet-settings/wallet-settings.decider.js';
import type { WalletOf } from '../wallet/batch-wallets.js';
import { emptyWallet, type LedgerFact, ledgerRowsOf } from '../wallet/wallet-ledger.js';

/** Where a command came from, carried into the metadata of the events it causes. */
export interface CommandContext {
  correlationId: string;
  causationId?: string;
}

export function metadataOf(tenantId: string | undefined, context: CommandContext): EventMetadata {
  const traceparent = currentTraceparent();
  return {
    ...(tenantId ? { tenantId } : {}),
    correlationId: context.correlationId,
    ...(context.causationId ? { causationId: context.causationId } : {}),
    ...(traceparent ? { traceparent } : {}),
  };
}

/**
 * The ledger rows of money-moving facts, in the transaction that appends them: at its unit of
 * work's flush, with the rest of the transaction's rows (one pair of statements for a whole
 * batch), so a wallet read later in the same transaction does not see them (see walletsOf).
 */
function projectLedger(manager: EntityManager, facts: readonly LedgerFact[]): Promise<void> {
  const unit = unitOfWorkOf(manager);
  if (!unit) return writeLedger(manager, facts);
  unit.deferWrite('billing-ledger', facts, (m, batches: ReadonlyArray<readonly LedgerFact[]>) =>
    writeLedger(m, batches.flat()),
  );
  return Promise.resolve();
}

async function writeLedger(manager: EntityManager, facts: readonly LedgerFact[]): Promise<void> {
  const rows = facts.flatMap(ledgerRowsOf);
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO ledger_entries
       (entry_id, tenant_id, kind, message_id, reference, bulk_send_id, currency, sequence, at)
     SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::uuid[],
                          $7::char(3)[], $8::int[], $9::timestamptz[])`,
    [
      rows.map((r) => r.entryId),
      rows.map((r) => r.tenantId),
      rows.map((r) => r.kind),
      rows.map((r) => r.messageId),
      rows.map((r) => r.reference),
      rows.map((r) => r.bulkSendId),
      rows.map((r) => r.currency),
      rows.map((r) => r.sequence),
      rows.map((r) => r.at),
    ],
  );
  const postings = rows.flatMap((r) =>
    r.postings.map((p, position) => ({ ...p, position, row: r })),
  );
  await manager.query(
    `INSERT INTO ledger_postings
       (entry_id, position, account, tenant_id, currency, amount, balance_after, sequence)
     SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[], $4::uuid[], $5::char(3)[],
                          $6::bigint[], $7::bigint[], $8::int[])`,
    [
      postings.map((p) => p.row.entryId),
      postings.map((p) => p.position),
      postings.map((p) => p.account),
      postings.map((p) => p.row.tenantId),
      postings.map((p) => p.row.currency),
      postings.map((p) => p.amount),
      postings.map((p) => p.balanceAfter),
      postings.map((p) => p.row.sequence),
    ],
  );
}

async function writeRateCards(manager: EntityManager, events: readonly RateCardEvent[]) {
  for (const event of events) {
    if (event.type !== 'billing.RateCardPublished.v1') continue;
    const card = rateCardDecider.cardFromJson(event.data.card);
    await manager.query(
      `INSERT INTO rate_cards (version, card, effective_at, published_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (version) DO NOTHING`,
      [card.version, JSON.stringify(event.data.card), card.effectiveAt, event.data.publishedAt],
    );
  }
}

const movesMoney = (event: { type: string }) =>
  event.type !== 'billing.HoldRejected.v1' && event.type !== 'billing.BillingRequestRejected.v1';

/**
 * Billing's streams with the ledger and rate_cards written inline, the wallet read from the
 * ledger, and the per-tenant lock every decision that moves a tenant's funds takes first.
 */
export class BillingStore {
  readonly holds: AggregateStore<holdDecider.HoldCommand, HoldEvent, holdDecider.HoldState>;
  readonly credits: AggregateStore<
    creditDecider.CreditCommand,
    CreditEvent,
    creditDecider.CreditState
  >;
  readonly settings: AggregateStore<
    settingsDecider.WalletSettingsCommand,
    WalletSettingsEvent,
    settingsDecider.WalletSettingsState
  >;
  readonly rateCards: AggregateStore<
    rateCardDecider.RateCardCommand,
    RateCardEvent,
    rateCardDecider.RateCardState
  >;

  constructor(private readonly store: EventStore) {
    this.holds = new AggregateStore(
      store,
      { ...holdDecider, isEvent: isHoldEventType },
      HOLD_STREAM_TYPE,
      { project: projectLedger, projects: movesMoney },
    );
    this.credits = new AggregateStore(
      store,
      { ...creditDecider, isEvent: isCreditEventType },
      CREDIT_STREAM_TYPE,
      { project: projectLedger, projects: movesMoney },
    );
    this.settings = new AggregateStore(
      store,
      { ...settingsDecider, isEvent: isWalletSettingsEventType },
      WALLET_SETTINGS_STREAM_TYPE,
    );
    this.rateCards = new AggregateStore(
      store,
      { ...rateCardDecider, isEvent: isRateCardEventType },
      RATE_CARD_STREAM_TYPE,
      { project: writeRateCards },
    );
  }

  /**
   * Serialises every decision on one tenant's funds until the transaction ends, so the wallet
   * read next is the one the decision's entries follow (no two holds spend the same funds).
   */
  lockTenant(manager: EntityManager, tenantId: string): Promise<void> {
    return this.lockTenants(manager, [tenantId]);
  }

  /**
   * `lockTenant` for every tenant of a batch, in one statement, in sorted order: two
   * transactions locking overlapping tenants take them in the same order, never in a cycle.
   */
  lockTenants(manager: EntityManager, tenantIds: readonly string[]): Promise<void> {
    const keys = [...new Set(tenantIds)].sort().map((tenantId) => `billing-wallet-${tenantId}`);
    return lockKeys(manager, keys, 'exclusive');
  }

  /** Serialises rate card publications (their effectiveAt instants must differ). */
  lockRateCards(manager: EntityManager): Promise<void> {
    return lockKeys(manager, ['billing-rate-cards'], 'exclusive');
  }

  /** The tenant's wallet from the ledger (see walletsOf). */
  async walletOf(
    manager: EntityManager,
    tenantId: string,
    currency: string,
  ): Promise<WalletSnapshot> {
    const [read] = await this.walletsOf(manager, [{ tenantId, currency }]);
    return read?.wallet ?? emptyWallet(currency);
  }

  /**
   * Tenants' wallets from the ledger in one read, in the order asked: each own account's
   * latest balance_after in the currency, and the tenant's entry count. Read under the
   * tenants' locks and before this transaction writes any entry of theirs: its ledger rows are
   * written at the flush, so a decision after the first is given the wallet the one before it
   * left (BatchWallets), not a read.
   */
  async walletsOf(
    manager: EntityManager,
    wallets: readonly WalletOf[],
  ): Promise<Array<{ of: WalletOf; wallet: WalletSnapshot }>> {
    if (wallets.length === 0) return [];
    const rows = await queryRows<{
      available: string | null;
      held: string | null;
      sequence: number | null;
    }>(
      manager,
      `SELECT
         (SELECT balance_after FROM ledger_postings
           WHERE account = w.available_account AND currency = w.currency
             AND balance_after IS NOT NULL
           ORDER BY sequence DESC LIMIT 1) AS available,
         (SELECT balance_after FROM ledger_postings
           WHERE account = w.holds_account AND currency = w.currency
             AND balance_after IS NOT NULL
           ORDER BY sequence DESC LIMIT 1) AS held,
         (SELECT max(sequence) FROM ledger_entries WHERE tenant_id = w.tenant_id) AS sequence
       FROM unnest($1::uuid[], $2::char(3)[], $3::text[], $4::text[]) WITH ORDINALITY
         AS w(tenant_id, currency, available_account, holds_account, position)
       ORDER BY w.position`,
      [
        wallets.map((w) => w.tenantId),
        wallets.map((w) => w.currency),
        wallets.map((w) => accountId({ kind: 'tenant_available', tenantId: w.tenantId })),
        wallets.map((w) => accountId({ kind: 'tenant_holds', tenantId: w.tenantId })),
      ],
    );
    return wallets.map((of, index) => {
      const row = rows[index];
      const available = Number(row?.available ?? 0);
      const held = Number(row?.held ?? 0);
      const wallet = { currency: of.currency, available, held, balance: available + held };
      return { of, wallet: { ...wallet, sequence: row?.sequence ?? 0 } };
    });
  }

  /** Every published card: DEFAULT_RATE_CARD and those in rate_cards. */
  async publishedCards(manager: EntityManager): Promise<RateCard[]> {
    const rows = await queryRows<{ card: Record<string, unknown> }>(
      manager,
      `SELECT card FROM rate_cards ORDER BY effective_at`,
    );
    const cards = rows.map((r) => rateCardDecider.cardFromJson(r.card));
    return cards.some((c) => c.version === DEFAULT_RATE_CARD.version)
      ? cards
      : [DEFAULT_RATE_CARD, ...cards];
  }

  /** Tenants' wallet settings (null: never set), in one read. */
  async settingsOf(
    manager: EntityManager,
    tenantIds: readonly string[],
  ): Promise<Map<string, WalletSettings | null>> {
    const streams = await this.settings.loadAll(tenantIds.map(walletSettingsStreamId), manager);
    return new Map(
      tenantIds.map((tenantId) => [
        tenantId,
        streams.get(walletSettingsStreamId(tenantId))?.state.settings ?? null,
      ]),
    );
  }

  /** Alerts ride beside the facts that crossed, with their metadata, under the tenant's lock. */
  async appendAlerts(
    manager: EntityManager,
    tenantId: string,
    alerts: ReadonlyArray<{ alert: WalletAlertEvent; metadata: EventMetadata }>,
  ): Promise<void> {
    if (alerts.length === 0) return;
    await this.store.append(
      walletAlertsStreamId(tenantId),
      WALLET_ALERTS_STREAM_TYPE,
      'any',
      alerts.map(({ alert, metadata }) => ({ type: alert.type, data: alert.data, metadata })),
      manager,
    );
  }
}
