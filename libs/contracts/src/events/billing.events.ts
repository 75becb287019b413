import { e164, eventSchema, instant, nonEmpty, uuid } from './schema-parts.js';

/**
 * Billing (issue 13): a prepaid wallet per tenant over a double-entry ledger, rate cards, and
 * the funds gate's holds. Money is integer micro-units (1 USD = 1,000,000) of an ISO 4217
 * currency, never a float.
 *
 * - The gateway records what it was asked on `gateway.billing-requests.events.v1` (credits,
 *   wallet settings, rate cards to publish).
 * - Messaging asks for a hold when a message reaches its funds gate (`FundsHoldRequested`, on the
 *   message's stream) and reports the carrier's parts on `MessageSubmitted`.
 * - Billing answers on `billing.wallets.events.v1`, keyed by its stream (`hold-<messageId>`,
 *   a credit's, the wallet settings'): one message's hold facts stay in order, but a tenant's
 *   facts of different streams may be read in any order, so a reader keeps the latest wallet
 *   snapshot by its `sequence`. Rate cards are published on `billing.rate-cards.events.v1`.
 */

export interface Money {
  /** A whole number of micro-units (may be negative in a balance). */
  micros: number;
  /** ISO 4217, e.g. `USD`. */
  currency: string;
}
const currency = { type: 'string', pattern: '^[A-Z]{3}$' } as const;
const money = {
  type: 'object',
  properties: { micros: { type: 'integer' }, currency },
  required: ['micros', 'currency'],
  additionalProperties: false,
} as const;

/**
 * The tenant's wallet right after a fact, from the ledger: `balance` = credits − charges,
 * `held` = open holds, `available` = balance − held (what a hold may take; inbound charges may
 * take it below zero). `sequence` counts the tenant's ledger entries, so a reader keeps the
 * latest snapshot whatever order it reads facts in.
 */
export interface WalletSnapshot {
  currency: string;
  balance: number;
  held: number;
  available: number;
  sequence: number;
}
const walletSnapshot = {
  type: 'object',
  properties: {
    currency,
    balance: { type: 'integer' },
    held: { type: 'integer', minimum: 0 },
    available: { type: 'integer' },
    sequence: { type: 'integer', minimum: 0 },
  },
  required: ['currency', 'balance', 'held', 'available', 'sequence'],
  additionalProperties: false,
} as const;

/** Billing's id of a recipient's network, as rate cards name carriers' fees. */
export type BillingCarrier = 'att' | 't-mobile' | 'verizon';
export type BillingChannel = 'sms' | 'mms';
export type BillingNumberType = 'long_code' | 'toll_free' | 'short_code';
const channel = { enum: ['sms', 'mms'] } as const;
const numberType = { enum: ['long_code', 'toll_free', 'short_code'] } as const;

// ---------------------------------------------------------------------------------------------
// The gateway's requests (topic gateway.billing-requests.events.v1)
// ---------------------------------------------------------------------------------------------

/**
 * A payment integration's successful charge, to credit the tenant's wallet
 * (`POST /admin/v1/tenants/{id}/wallet/credits`). Idempotent on `reference`: the same reference
 * and amount again is a repeat; with another amount it is refused.
 */
export interface WalletCreditRequested {
  requestId: string;
  tenantId: string;
  amount: Money;
  reference: string;
  requestedAt: string;
}
export const WalletCreditRequestedSchema = eventSchema(
  'gateway.WalletCreditRequested.v1',
  { requestId: uuid, tenantId: uuid, amount: money, reference: nonEmpty, requestedAt: instant },
  ['requestId', 'tenantId', 'amount', 'reference', 'requestedAt'],
);

/** Auto-recharge: below `threshold` (micros), ask the payment integration for `amount`. */
export interface AutoRechargeSettings {
  enabled: boolean;
  threshold: number;
  amount: number;
}
const autoRecharge = {
  type: 'object',
  properties: {
    enabled: { type: 'boolean' },
    threshold: { type: 'integer', minimum: 0 },
    amount: { type: 'integer', minimum: 1 },
  },
  required: ['enabled', 'threshold', 'amount'],
  additionalProperties: false,
} as const;

/** A wallet's settings, whole (`PUT /v1/wallet/settings`). */
export interface WalletSettings {
  autoRecharge: AutoRechargeSettings | null;
  /** Below this many micros, `LowBalanceReached` (once per crossing); null: no alert. */
  lowBalanceThreshold: number | null;
  /** How long a message may wait for funds before it is blocked `insufficient_funds`. */
  fundsWaitLimitSeconds: number;
}
const walletSettings = {
  type: 'object',
  properties: {
    autoRecharge: { anyOf: [autoRecharge, { type: 'null' }] },
    lowBalanceThreshold: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] },
    fundsWaitLimitSeconds: { type: 'integer', minimum: 1 },
  },
  required: ['autoRecharge', 'lowBalanceThreshold', 'fundsWaitLimitSeconds'],
  additionalProperties: false,
} as const;

/** The default funds wait limit: 24 hours. */
export const DEFAULT_FUNDS_WAIT_LIMIT_SECONDS = 24 * 60 * 60;

export interface WalletSettingsChangeRequested {
  requestId: string;
  tenantId: string;
  settings: WalletSettings;
  requestedAt: string;
}
export const WalletSettingsChangeRequestedSchema = eventSchema(
  'gateway.WalletSettingsChangeRequested.v1',
  { requestId: uuid, tenantId: uuid, settings: walletSettings, requestedAt: instant },
  ['requestId', 'tenantId', 'settings', 'requestedAt'],
);

/**
 * An operator publishes a rate card (`PUT /admin/v1/rate-cards/{version}`); `card` is the body as
 * `@textplane/pricing`'s `parseRateCard` accepted it, which billing checks again.
 */
export interface RateCardPublishRequested {
  requestId: string;
  version: string;
  card: Record<string, unknown>;
  requestedAt: string;
}
export const RateCardPublishRequestedSchema = eventSchema(
  'gateway.RateCardPublishRequested.v1',
  { requestId: uuid, version: nonEmpty, card: { type: 'object' }, requestedAt: instant },
  ['requestId', 'version', 'card', 'requestedAt'],
);

// ---------------------------------------------------------------------------------------------
// Messaging's side of the funds gate (topic messaging.messages.events.v1, the message's stream)
// ---------------------------------------------------------------------------------------------

/**
 * A message reached the funds gate: hold its worst-case cost, sized on its final content. Asked
 * again after a `HoldRejected` once a credit came.
 */
export interface FundsHoldRequested {
  messageId: string;
  tenantId: string;
  to: string;
  from: string;
  channel: BillingChannel;
  /** SMS segments of the final content; 1 for an MMS. */
  segments: number;
  fromNumberType: BillingNumberType;
  /** The sender's traffic is registered (an approved 10DLC campaign, a verified toll-free number). */
  registered: boolean;
  /** The recipient's network when a lookup told it; absent: unknown (the highest fee is held). */
  recipientCarrier?: BillingCarrier;
  bulkSendId?: string;
  campaignId?: string;
  /**
   * A compliance auto-reply (the STOP or HELP answer): never kept waiting for funds. Billing
   * places a hold of zero, so nothing is taken from the available funds, and the capture charges
   * the whole cost as an overrun, as it charges an inbound text.
   */
  autoReply?: true;
  requestedAt: string;
}
export const FundsHoldRequestedSchema = eventSchema(
  'messaging.FundsHoldRequested.v1',
  {
    messageId: uuid,
    tenantId: uuid,
    to: e164,
    from: e164,
    channel,
    segments: { type: 'integer', minimum: 1 },
    fromNumberType: numberType,
    registered: { type: 'boolean' },
    recipientCarrier: { enum: ['att', 't-mobile', 'verizon'] },
    bulkSendId: uuid,
    campaignId: nonEmpty,
    autoReply: { const: true },
    requestedAt: instant,
  },
  [
    'messageId',
    'tenantId',
    'to',
    'from',
    'channel',
    'segments',
    'fromNumberType',
    'registered',
    'requestedAt',
  ],
);

// ---------------------------------------------------------------------------------------------
// Billing's facts (topic billing.wallets.events.v1, key: the tenant)
// ---------------------------------------------------------------------------------------------

export interface CreditPosted {
  tenantId: string;
  requestId: string;
  reference: string;
  amount: Money;
  wallet: WalletSnapshot;
  postedAt: string;
}
export const CreditPostedSchema = eventSchema(
  'billing.CreditPosted.v1',
  {
    tenantId: uuid,
    requestId: uuid,
    reference: nonEmpty,
    amount: money,
    wallet: walletSnapshot,
    postedAt: instant,
  },
  ['tenantId', 'requestId', 'reference', 'amount', 'wallet', 'postedAt'],
);

/** What a hold or a charge was priced at (`@textplane/pricing`'s quote). */
export interface PriceDetail {
  cardVersion: string;
  country: string;
  channel: BillingChannel;
  direction: 'outbound' | 'inbound';
  /** SMS segments, 1 for an MMS. */
  units: number;
  unitPrice: number;
  /** The carrier whose pass-through fee is counted; null: none (unknown carrier on a capture, inbound). */
  carrier: string | null;
  carrierFee: number;
}
const priceDetail = {
  type: 'object',
  properties: {
    cardVersion: nonEmpty,
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
    channel,
    direction: { enum: ['outbound', 'inbound'] },
    units: { type: 'integer', minimum: 1 },
    unitPrice: { type: 'integer', minimum: 0 },
    carrier: { anyOf: [nonEmpty, { type: 'null' }] },
    carrierFee: { type: 'integer', minimum: 0 },
  },
  required: [
    'cardVersion',
    'country',
    'channel',
    'direction',
    'units',
    'unitPrice',
    'carrier',
    'carrierFee',
  ],
  additionalProperties: false,
} as const;

/** The message's worst-case cost is held: the funds gate opens for it. */
export interface HoldPlaced {
  tenantId: string;
  messageId: string;
  amount: Money;
  price: PriceDetail;
  bulkSendId?: string;
  wallet: WalletSnapshot;
  placedAt: string;
}
export const HoldPlacedSchema = eventSchema(
  'billing.HoldPlaced.v1',
  {
    tenantId: uuid,
    messageId: uuid,
    amount: money,
    price: priceDetail,
    bulkSendId: uuid,
    wallet: walletSnapshot,
    placedAt: instant,
  },
  ['tenantId', 'messageId', 'amount', 'price', 'wallet', 'placedAt'],
);

export type HoldRejectionReason = 'insufficient_funds' | 'destination_not_priced';

/**
 * No hold: the available funds do not cover the worst case (the message waits for a credit), or
 * no card in force prices the destination (the message is blocked).
 */
export interface HoldRejected {
  tenantId: string;
  messageId: string;
  reason: HoldRejectionReason;
  /** The worst case that was not covered (insufficient_funds). */
  required?: Money;
  /** The recipient's country that no rate is published for (destination_not_priced); null: none. */
  country?: string | null;
  bulkSendId?: string;
  wallet: WalletSnapshot;
  rejectedAt: string;
}
export const HoldRejectedSchema = eventSchema(
  'billing.HoldRejected.v1',
  {
    tenantId: uuid,
    messageId: uuid,
    reason: { enum: ['insufficient_funds', 'destination_not_priced'] },
    required: money,
    country: { anyOf: [{ type: 'string', pattern: '^[A-Z]{2}$' }, { type: 'null' }] },
    bulkSendId: uuid,
    wallet: walletSnapshot,
    rejectedAt: instant,
  },
  ['tenantId', 'messageId', 'reason', 'wallet', 'rejectedAt'],
);

/**
 * What a text really cost, charged: outbound on the carrier's acceptance (from its hold:
 * `captured` from the hold, `overrun` from available funds when the carrier reported more parts
 * than were held, `released` back), inbound on receipt (all from available funds, never refused).
 */
export interface ChargeCaptured {
  tenantId: string;
  messageId: string;
  /** The whole cost: units × unit price + carrier fee. */
  amount: Money;
  price: PriceDetail;
  captured: number;
  overrun: number;
  released: number;
  /** The tenant's number and the other party's, for usage by sender. */
  from: string;
  to: string;
  bulkSendId?: string;
  campaignId?: string;
  wallet: WalletSnapshot;
  capturedAt: string;
}
export const ChargeCapturedSchema = eventSchema(
  'billing.ChargeCaptured.v1',
  {
    tenantId: uuid,
    messageId: uuid,
    amount: money,
    price: priceDetail,
    captured: { type: 'integer', minimum: 0 },
    overrun: { type: 'integer', minimum: 0 },
    released: { type: 'integer', minimum: 0 },
    from: e164,
    to: e164,
    bulkSendId: uuid,
    campaignId: nonEmpty,
    wallet: walletSnapshot,
    capturedAt: instant,
  },
  [
    'tenantId',
    'messageId',
    'amount',
    'price',
    'captured',
    'overrun',
    'released',
    'from',
    'to',
    'wallet',
    'capturedAt',
  ],
);

/** A hold given back whole: the message was blocked, canceled, or failed before acceptance. */
export interface HoldReleased {
  tenantId: string;
  messageId: string;
  amount: Money;
  reason: 'blocked' | 'canceled' | 'failed';
  bulkSendId?: string;
  wallet: WalletSnapshot;
  releasedAt: string;
}
export const HoldReleasedSchema = eventSchema(
  'billing.HoldReleased.v1',
  {
    tenantId: uuid,
    messageId: uuid,
    amount: money,
    reason: { enum: ['blocked', 'canceled', 'failed'] },
    bulkSendId: uuid,
    wallet: walletSnapshot,
    releasedAt: instant,
  },
  ['tenantId', 'messageId', 'amount', 'reason', 'wallet', 'releasedAt'],
);

/** The wallet's settings as billing holds them (defaults until the tenant sets them). */
export interface WalletSettingsSet {
  tenantId: string;
  requestId: string;
  settings: WalletSettings;
  setAt: string;
}
export const WalletSettingsSetSchema = eventSchema(
  'billing.WalletSettingsSet.v1',
  { tenantId: uuid, requestId: uuid, settings: walletSettings, setAt: instant },
  ['tenantId', 'requestId', 'settings', 'setAt'],
);

/** The available funds fell below the low-balance threshold (once per crossing). */
export interface LowBalanceReached {
  tenantId: string;
  threshold: number;
  wallet: WalletSnapshot;
  reachedAt: string;
}
export const LowBalanceReachedSchema = eventSchema(
  'billing.LowBalanceReached.v1',
  {
    tenantId: uuid,
    threshold: { type: 'integer', minimum: 0 },
    wallet: walletSnapshot,
    reachedAt: instant,
  },
  ['tenantId', 'threshold', 'wallet', 'reachedAt'],
);

/**
 * The available funds fell below the auto-recharge threshold (once per crossing): the payment
 * integration charges the tenant `amount` and posts the credit.
 */
export interface AutoRechargeRequested {
  tenantId: string;
  threshold: number;
  amount: Money;
  wallet: WalletSnapshot;
  requestedAt: string;
}
export const AutoRechargeRequestedSchema = eventSchema(
  'billing.AutoRechargeRequested.v1',
  {
    tenantId: uuid,
    threshold: { type: 'integer', minimum: 0 },
    amount: money,
    wallet: walletSnapshot,
    requestedAt: instant,
  },
  ['tenantId', 'threshold', 'amount', 'wallet', 'requestedAt'],
);

export interface BillingFieldError {
  field: string;
  message: string;
}

/**
 * A request billing refused, with each field and why: a credit reusing a reference with another
 * amount (`reference_reused`), a currency other than the wallet's, a rate card it does not accept.
 */
export interface BillingRequestRejected {
  requestId: string;
  /** Absent for a rate card (no tenant's). */
  tenantId?: string;
  resource: 'credit' | 'wallet_settings' | 'rate_card';
  /** The credit's reference, the tenant (settings) or the card's version. */
  resourceId: string;
  code: 'reference_reused' | 'invalid';
  errors: BillingFieldError[];
  rejectedAt: string;
}
export const BillingRequestRejectedSchema = eventSchema(
  'billing.BillingRequestRejected.v1',
  {
    requestId: uuid,
    tenantId: uuid,
    resource: { enum: ['credit', 'wallet_settings', 'rate_card'] },
    resourceId: nonEmpty,
    code: { enum: ['reference_reused', 'invalid'] },
    errors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: { field: { type: 'string' }, message: nonEmpty },
        required: ['field', 'message'],
        additionalProperties: false,
      },
    },
    rejectedAt: instant,
  },
  ['requestId', 'resource', 'resourceId', 'code', 'errors', 'rejectedAt'],
);

// ---------------------------------------------------------------------------------------------
// Rate cards (topic billing.rate-cards.events.v1, key: the version)
// ---------------------------------------------------------------------------------------------

/** A rate card in force from its `effectiveAt` (`@textplane/pricing`'s `RateCard`). */
export interface RateCardPublished {
  requestId: string;
  version: string;
  card: Record<string, unknown>;
  publishedAt: string;
}
export const RateCardPublishedSchema = eventSchema(
  'billing.RateCardPublished.v1',
  { requestId: uuid, version: nonEmpty, card: { type: 'object' }, publishedAt: instant },
  ['requestId', 'version', 'card', 'publishedAt'],
);
