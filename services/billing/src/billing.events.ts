import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

/**
 * Billing's streams and the facts each holds. Wallet-affecting facts carry the wallet after
 * them (from the ledger), so every stream can be decided alone under the tenant's lock.
 */

const holdEventTypes = [
  'billing.HoldPlaced.v1',
  'billing.HoldRejected.v1',
  'billing.ChargeCaptured.v1',
  'billing.HoldReleased.v1',
] as const;
/**
 * `hold-<messageId>`: one message's funds, from its first hold request to its capture or release;
 * an inbound text's charge on receipt lives on its message's stream too (captured once).
 */
export type HoldEvent = WireEventOf<(typeof holdEventTypes)[number]>;
export const isHoldEventType = eventTypeGuard(holdEventTypes);
export const holdStreamId = (messageId: string): string => `hold-${messageId}`;
export const HOLD_STREAM_TYPE = 'hold';

const creditEventTypes = ['billing.CreditPosted.v1', 'billing.BillingRequestRejected.v1'] as const;
/** `credit-<tenantId>-<reference>`: a payment's credit, posted once per reference. */
export type CreditEvent = WireEventOf<(typeof creditEventTypes)[number]>;
export const isCreditEventType = eventTypeGuard(creditEventTypes);
export const creditStreamId = (tenantId: string, reference: string): string =>
  `credit-${tenantId}-${reference}`;
export const CREDIT_STREAM_TYPE = 'credit';

const walletSettingsEventTypes = [
  'billing.WalletSettingsSet.v1',
  'billing.BillingRequestRejected.v1',
] as const;
/** `wallet-settings-<tenantId>`: the wallet's alert and auto-recharge settings, whole. */
export type WalletSettingsEvent = WireEventOf<(typeof walletSettingsEventTypes)[number]>;
export const isWalletSettingsEventType = eventTypeGuard(walletSettingsEventTypes);
export const walletSettingsStreamId = (tenantId: string): string => `wallet-settings-${tenantId}`;
export const WALLET_SETTINGS_STREAM_TYPE = 'wallet-settings';

const rateCardEventTypes = [
  'billing.RateCardPublished.v1',
  'billing.BillingRequestRejected.v1',
] as const;
/** `rate-card-<version>`: a version published once. */
export type RateCardEvent = WireEventOf<(typeof rateCardEventTypes)[number]>;
export const isRateCardEventType = eventTypeGuard(rateCardEventTypes);
export const rateCardStreamId = (version: string): string => `rate-card-${version}`;
export const RATE_CARD_STREAM_TYPE = 'rate-card';

/**
 * `wallet-alerts-<tenantId>`: low-balance and auto-recharge crossings, appended under the
 * tenant's lock beside the fact that crossed (no state of their own: see `alertsOnCrossing`).
 */
export type WalletAlertEvent = WireEventOf<
  'billing.LowBalanceReached.v1' | 'billing.AutoRechargeRequested.v1'
>;
export const walletAlertsStreamId = (tenantId: string): string => `wallet-alerts-${tenantId}`;
export const WALLET_ALERTS_STREAM_TYPE = 'wallet-alerts';
