import {
  type AutoRechargeSettings,
  DEFAULT_FUNDS_WAIT_LIMIT_SECONDS,
  eventTypeGuard,
  type WalletSnapshot,
  type WireEventOf,
} from '@textplane/contracts';

/**
 * The gateway's billing read models as pure functions of events (issue 13 §2): each row is
 * `evolve(row | null, event)`, applied by BillingProjection from billing's topics, and, for the
 * gateway's own credit requests, inline in the accepting transaction.
 */

/** Billing's wallet facts (topic billing.wallets.events.v1, keyed by tenant). */
export const BILLING_WALLET_EVENT_TYPES = [
  'billing.CreditPosted.v1',
  'billing.HoldPlaced.v1',
  'billing.HoldRejected.v1',
  'billing.ChargeCaptured.v1',
  'billing.HoldReleased.v1',
  'billing.WalletSettingsSet.v1',
  'billing.LowBalanceReached.v1',
  'billing.AutoRechargeRequested.v1',
  'billing.BillingRequestRejected.v1',
] as const;
export type BillingWalletEvent = WireEventOf<(typeof BILLING_WALLET_EVENT_TYPES)[number]>;
export const isBillingWalletEventType = eventTypeGuard(BILLING_WALLET_EVENT_TYPES);

export const BILLING_RATE_CARD_EVENT_TYPES = ['billing.RateCardPublished.v1'] as const;
export type BillingRateCardEvent = WireEventOf<(typeof BILLING_RATE_CARD_EVENT_TYPES)[number]>;
export const isBillingRateCardEventType = eventTypeGuard(BILLING_RATE_CARD_EVENT_TYPES);

export type CreditRequestedEvent = WireEventOf<'gateway.WalletCreditRequested.v1'>;

/** What a wallet is before billing has said anything of it: empty, USD, default settings. */
export const DEFAULT_WALLET_CURRENCY = 'USD';

/** A row of billing_wallets. `sequence` -1: no snapshot seen yet. */
export interface WalletRow {
  tenant_id: string;
  currency: string;
  balance: number;
  held: number;
  available: number;
  sequence: number;
  auto_recharge: AutoRechargeSettings | null;
  low_balance_threshold: number | null;
  funds_wait_limit_seconds: number | null;
  updated_at: string;
}

export function emptyWallet(tenantId: string, at: string): WalletRow {
  return {
    tenant_id: tenantId,
    currency: DEFAULT_WALLET_CURRENCY,
    balance: 0,
    held: 0,
    available: 0,
    sequence: -1,
    auto_recharge: null,
    low_balance_threshold: null,
    funds_wait_limit_seconds: null,
    updated_at: at,
  };
}

function snapshotOf(event: BillingWalletEvent): { wallet: WalletSnapshot; at: string } | null {
  switch (event.type) {
    case 'billing.CreditPosted.v1':
      return { wallet: event.data.wallet, at: event.data.postedAt };
    case 'billing.HoldPlaced.v1':
      return { wallet: event.data.wallet, at: event.data.placedAt };
    case 'billing.HoldRejected.v1':
      return { wallet: event.data.wallet, at: event.data.rejectedAt };
    case 'billing.ChargeCaptured.v1':
      return { wallet: event.data.wallet, at: event.data.capturedAt };
    case 'billing.HoldReleased.v1':
      return { wallet: event.data.wallet, at: event.data.releasedAt };
    case 'billing.LowBalanceReached.v1':
      return { wallet: event.data.wallet, at: event.data.reachedAt };
    case 'billing.AutoRechargeRequested.v1':
      return { wallet: event.data.wallet, at: event.data.requestedAt };
    case 'billing.WalletSettingsSet.v1':
    case 'billing.BillingRequestRejected.v1':
      return null;
  }
}

/** The tenant a wallet fact is about (a rate-card refusal has none). */
export function tenantOf(event: BillingWalletEvent): string | null {
  return event.data.tenantId ?? null;
}

/**
 * The wallet after a fact: the snapshot it carries when it is newer (by `sequence`) than the one
 * kept, so a fact read late never takes the wallet back; the settings billing set. A fact that
 * says nothing of the wallet leaves it as it was.
 */
export function evolveWallet(row: WalletRow | null, event: BillingWalletEvent): WalletRow | null {
  const tenantId = tenantOf(event);
  if (tenantId === null) return row;
  if (event.type === 'billing.WalletSettingsSet.v1') {
    const { settings, setAt } = event.data;
    return {
      ...(row ?? emptyWallet(tenantId, setAt)),
      auto_recharge: settings.autoRecharge,
      low_balance_threshold: settings.lowBalanceThreshold,
      funds_wait_limit_seconds: settings.fundsWaitLimitSeconds,
      updated_at: setAt,
    };
  }
  const snapshot = snapshotOf(event);
  if (snapshot === null) return row;
  const before = row ?? emptyWallet(tenantId, snapshot.at);
  if (snapshot.wallet.sequence <= before.sequence) return before;
  return {
    ...before,
    currency: snapshot.wallet.currency,
    balance: snapshot.wallet.balance,
    held: snapshot.wallet.held,
    available: snapshot.wallet.available,
    sequence: snapshot.wallet.sequence,
    updated_at: snapshot.at,
  };
}

export type CreditStatus = 'pending' | 'posted' | 'rejected';

/** A row of billing_credits: one credit by its reference. */
export interface CreditRow {
  tenant_id: string;
  reference: string;
  credit_id: string;
  amount: number;
  currency: string;
  status: CreditStatus;
  errors: Array<{ field: string; message: string }> | null;
  requested_at: string;
  posted_at: string | null;
}

export type CreditEvent =
  | CreditRequestedEvent
  | WireEventOf<'billing.CreditPosted.v1'>
  | WireEventOf<'billing.BillingRequestRejected.v1'>;

/**
 * A credit by reference: requested (pending, projected inline by the gateway), posted by
 * billing, or refused by it. A posting is final: a late request or refusal does not undo it.
 */
export function evolveCredit(row: CreditRow | null, event: CreditEvent): CreditRow | null {
  switch (event.type) {
    case 'gateway.WalletCreditRequested.v1': {
      if (row !== null) return row;
      const d = event.data;
      return {
        tenant_id: d.tenantId,
        reference: d.reference,
        credit_id: d.requestId,
        amount: d.amount.micros,
        currency: d.amount.currency,
        status: 'pending',
        errors: null,
        requested_at: d.requestedAt,
        posted_at: null,
      };
    }
    case 'billing.CreditPosted.v1': {
      const d = event.data;
      return {
        tenant_id: d.tenantId,
        reference: d.reference,
        credit_id: row?.credit_id ?? d.requestId,
        amount: d.amount.micros,
        currency: d.amount.currency,
        status: 'posted',
        errors: null,
        requested_at: row?.requested_at ?? d.postedAt,
        posted_at: d.postedAt,
      };
    }
    case 'billing.BillingRequestRejected.v1': {
      const d = event.data;
      // Only the request this row stands for: a refused repeat with another amount is not it.
      if (d.resource !== 'credit' || row === null || row.credit_id !== d.requestId) return row;
      if (row.status === 'posted') return row;
      return { ...row, status: 'rejected', errors: d.errors };
    }
  }
}

export type TransactionKind = 'credit' | 'hold' | 'capture' | 'release' | 'inbound_charge';

/** A row of billing_transactions: one ledger fact with the wallet after it. */
export interface TransactionRow {
  id: string;
  tenant_id: string;
  kind: TransactionKind;
  /** Signed from the tenant's point of view on its balance or holds: see `transactionOf`. */
  amount: number;
  currency: string;
  message_id: string | null;
  bulk_send_id: string | null;
  credit_id: string | null;
  reference: string | null;
  at: string;
  balance_after: number;
  held_after: number;
  available_after: number;
}

/**
 * The ledger fact an event is, keyed by the event's id (a redelivery is the same row): a credit
 * posted, a hold placed, a charge captured (outbound from its hold, inbound on receipt) or a
 * hold released. Amounts are positive micro-units; `kind` says which way they moved.
 */
export function transactionOf(eventId: string, event: BillingWalletEvent): TransactionRow | null {
  const row = (
    kind: TransactionKind,
    d: { tenantId: string; wallet: WalletSnapshot; amount: { micros: number; currency: string } },
    at: string,
    links: Partial<Pick<TransactionRow, 'message_id' | 'bulk_send_id' | 'credit_id' | 'reference'>>,
  ): TransactionRow => ({
    id: eventId,
    tenant_id: d.tenantId,
    kind,
    amount: d.amount.micros,
    currency: d.amount.currency,
    message_id: links.message_id ?? null,
    bulk_send_id: links.bulk_send_id ?? null,
    credit_id: links.credit_id ?? null,
    reference: links.reference ?? null,
    at,
    balance_after: d.wallet.balance,
    held_after: d.wallet.held,
    available_after: d.wallet.available,
  });
  switch (event.type) {
    case 'billing.CreditPosted.v1':
      return row('credit', event.data, event.data.postedAt, {
        credit_id: event.data.requestId,
        reference: event.data.reference,
      });
    case 'billing.HoldPlaced.v1':
      return row('hold', event.data, event.data.placedAt, {
        message_id: event.data.messageId,
        bulk_send_id: event.data.bulkSendId ?? null,
      });
    case 'billing.ChargeCaptured.v1':
      return row(
        event.data.price.direction === 'inbound' ? 'inbound_charge' : 'capture',
        event.data,
        event.data.capturedAt,
        { message_id: event.data.messageId, bulk_send_id: event.data.bulkSendId ?? null },
      );
    case 'billing.HoldReleased.v1':
      return row('release', event.data, event.data.releasedAt, {
        message_id: event.data.messageId,
        bulk_send_id: event.data.bulkSendId ?? null,
      });
    case 'billing.HoldRejected.v1':
    case 'billing.WalletSettingsSet.v1':
    case 'billing.LowBalanceReached.v1':
    case 'billing.AutoRechargeRequested.v1':
    case 'billing.BillingRequestRejected.v1':
      return null;
  }
}

/** A row of billing_charges: what one text cost (the message's `cost`, a usage fact). */
export interface ChargeRow {
  message_id: string;
  tenant_id: string;
  captured_at: string;
  /** The UTC day of the capture (usage by day). */
  day: string;
  /** The tenant's number. */
  sender: string;
  campaign_id: string | null;
  channel: 'sms' | 'mms';
  direction: 'outbound' | 'inbound';
  bulk_send_id: string | null;
  units: number;
  amount: number;
  carrier_fee: number;
  currency: string;
}

export function chargeOf(event: WireEventOf<'billing.ChargeCaptured.v1'>): ChargeRow {
  const d = event.data;
  return {
    message_id: d.messageId,
    tenant_id: d.tenantId,
    captured_at: d.capturedAt,
    day: new Date(d.capturedAt).toISOString().slice(0, 10),
    // Outbound the tenant's number sent it; inbound it received it (`to`).
    sender: d.price.direction === 'inbound' ? d.to : d.from,
    campaign_id: d.campaignId ?? null,
    channel: d.price.channel,
    direction: d.price.direction,
    bulk_send_id: d.bulkSendId ?? null,
    units: d.price.units,
    amount: d.amount.micros,
    carrier_fee: d.price.carrierFee,
    currency: d.amount.currency,
  };
}

/** A row of billing_holds: a message's hold, open until captured or released. */
export interface HoldRow {
  message_id: string;
  tenant_id: string;
  bulk_send_id: string | null;
  amount: number;
  currency: string;
  open: boolean;
}

export type HoldEvent = WireEventOf<
  'billing.HoldPlaced.v1' | 'billing.ChargeCaptured.v1' | 'billing.HoldReleased.v1'
>;

/** A hold opens when placed and closes, for good, when captured or released. */
export function evolveHold(row: HoldRow | null, event: HoldEvent): HoldRow | null {
  switch (event.type) {
    case 'billing.HoldPlaced.v1': {
      // A hold asked again after a capture or release (a replay) stays closed.
      if (row !== null && !row.open) return row;
      const d = event.data;
      return {
        message_id: d.messageId,
        tenant_id: d.tenantId,
        bulk_send_id: d.bulkSendId ?? null,
        amount: d.amount.micros,
        currency: d.amount.currency,
        open: true,
      };
    }
    case 'billing.ChargeCaptured.v1':
    case 'billing.HoldReleased.v1':
      return row === null ? null : { ...row, open: false };
  }
}

/** A row of billing_rate_cards. */
export interface RateCardRow {
  version: string;
  card: Record<string, unknown>;
  effective_at: string;
  published_at: string;
}

/** A published card replaces nothing: a version is published once (billing refuses the rest). */
export function evolveRateCard(row: RateCardRow | null, event: BillingRateCardEvent): RateCardRow {
  if (row !== null) return row;
  const d = event.data;
  const effectiveAt = d.card['effectiveAt'];
  return {
    version: d.version,
    card: d.card,
    effective_at: typeof effectiveAt === 'string' ? effectiveAt : d.publishedAt,
    published_at: d.publishedAt,
  };
}

/** `GET /v1/wallet`. */
export interface WalletResource {
  currency: string;
  balance: number;
  held: number;
  available: number;
  settings: WalletSettingsResource;
  updatedAt: string | null;
}

export interface WalletSettingsResource {
  autoRecharge: AutoRechargeSettings | null;
  lowBalanceThreshold: number | null;
  /** Seconds a message may wait for funds before it is blocked `insufficient_funds`. */
  fundsWaitLimit: number;
}

export function walletResourceOf(row: WalletRow | null): WalletResource {
  return {
    currency: row?.currency ?? DEFAULT_WALLET_CURRENCY,
    balance: row?.balance ?? 0,
    held: row?.held ?? 0,
    available: row?.available ?? 0,
    settings: {
      autoRecharge: row?.auto_recharge ?? null,
      lowBalanceThreshold: row?.low_balance_threshold ?? null,
      fundsWaitLimit: row?.funds_wait_limit_seconds ?? DEFAULT_FUNDS_WAIT_LIMIT_SECONDS,
    },
    updatedAt: row && row.sequence >= 0 ? row.updated_at : null,
  };
}

/** A credit as the credits route answers it. */
export interface CreditResource {
  creditId: string;
  reference: string;
  amount: number;
  currency: string;
  status: CreditStatus;
  requestedAt: string;
  postedAt: string | null;
  errors?: Array<{ field: string; message: string }>;
}

export function creditResourceOf(row: CreditRow): CreditResource {
  return {
    creditId: row.credit_id,
    reference: row.reference,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    requestedAt: row.requested_at,
    postedAt: row.posted_at,
    ...(row.errors ? { errors: row.errors } : {}),
  };
}

/** `GET /v1/wallet/transactions` items. */
export interface TransactionResource {
  id: string;
  kind: TransactionKind;
  amount: number;
  currency: string;
  at: string;
  /** What it belongs to: a message (and its bulk send), or a credit. */
  messageId: string | null;
  bulkSendId: string | null;
  creditId: string | null;
  reference: string | null;
  walletAfter: { balance: number; held: number; available: number };
}

export function transactionResourceOf(row: TransactionRow): TransactionResource {
  return {
    id: row.id,
    kind: row.kind,
    amount: row.amount,
    currency: row.currency,
    at: row.at,
    messageId: row.message_id,
    bulkSendId: row.bulk_send_id,
    creditId: row.credit_id,
    reference: row.reference,
    walletAfter: {
      balance: row.balance_after,
      held: row.held_after,
      available: row.available_after,
    },
  };
}

/** The message resource's `cost`, once captured. */
export interface MessageCost {
  amount: number;
  currency: string;
  segments: number;
  carrierFee: number;
}
