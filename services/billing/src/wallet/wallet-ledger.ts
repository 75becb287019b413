import type { WalletSettings, WalletSnapshot } from '@textplane/contracts';
import {
  accountId,
  holdEntry,
  inboundChargeEntry,
  money,
  settlementEntries,
  topUpEntry,
  type LedgerEntry,
  releaseEntry,
} from '@textplane/pricing';
import type { CreditEvent, HoldEvent, WalletAlertEvent } from '../billing.events.js';

/** The facts that move money: each is one or two ledger entries (or none, for a zero amount). */
export type LedgerFact = HoldEvent | CreditEvent;

/**
 * The ledger entries a fact stands for, pure and deterministic (entry ids from the message or
 * the credit's reference), so the ledger tables are a projection of billing's own events that a
 * rebuild writes again row for row. The decider uses the same function to know the wallet after
 * the fact; the projection to write it.
 */
export function ledgerEntriesOf(fact: LedgerFact): LedgerEntry[] {
  switch (fact.type) {
    case 'billing.CreditPosted.v1': {
      const d = fact.data;
      return [
        topUpEntry({
          entryId: `credit:${d.tenantId}:${d.reference}`,
          tenantId: d.tenantId,
          reference: d.reference,
          amount: money(d.amount.micros, d.amount.currency),
        }),
      ];
    }
    case 'billing.HoldPlaced.v1': {
      const d = fact.data;
      // A zero hold (a compliance auto-reply, a free destination) takes nothing: no entry.
      if (d.amount.micros === 0) return [];
      return [
        holdEntry({
          entryId: `hold:${d.messageId}`,
          tenantId: d.tenantId,
          holdId: d.messageId,
          messageId: d.messageId,
          amount: money(d.amount.micros, d.amount.currency),
        }),
      ];
    }
    case 'billing.ChargeCaptured.v1': {
      const d = fact.data;
      const currency = d.amount.currency;
      if (d.price.direction === 'inbound') {
        if (d.amount.micros === 0) return [];
        return [
          inboundChargeEntry({
            entryId: `inbound:${d.messageId}`,
            tenantId: d.tenantId,
            messageId: d.messageId,
            amount: money(d.amount.micros, currency),
          }),
        ];
      }
      return settlementEntries({
        entryId: `settle:${d.messageId}`,
        tenantId: d.tenantId,
        holdId: d.messageId,
        messageId: d.messageId,
        settlement: {
          captured: money(d.captured, currency),
          overrun: money(d.overrun, currency),
          released: money(d.released, currency),
        },
        carrierFee: money(d.price.carrierFee, currency),
      });
    }
    case 'billing.HoldReleased.v1': {
      const d = fact.data;
      if (d.amount.micros === 0) return [];
      return [
        releaseEntry({
          entryId: `release:${d.messageId}`,
          tenantId: d.tenantId,
          holdId: d.messageId,
          messageId: d.messageId,
          amount: money(d.amount.micros, d.amount.currency),
        }),
      ];
    }
    case 'billing.HoldRejected.v1':
    case 'billing.BillingRequestRejected.v1':
      return [];
  }
}

/** The tenant's wallet after `entries`, from the wallet before them. */
export function walletAfter(
  before: WalletSnapshot,
  tenantId: string,
  entries: readonly LedgerEntry[],
): WalletSnapshot {
  let { available, held } = before;
  const availableAccount = accountId({ kind: 'tenant_available', tenantId });
  const holdsAccount = accountId({ kind: 'tenant_holds', tenantId });
  for (const entry of entries)
    for (const posting of entry.postings) {
      const id = accountId(posting.account);
      if (id === availableAccount) available += posting.amount.micros;
      else if (id === holdsAccount) held += posting.amount.micros;
    }
  return {
    currency: before.currency,
    available,
    held,
    balance: available + held,
    sequence: before.sequence + entries.length,
  };
}

/** A tenant's wallet before any entry. */
export const emptyWallet = (currency: string): WalletSnapshot => ({
  currency,
  balance: 0,
  held: 0,
  available: 0,
  sequence: 0,
});

/** One ledger_entries row and its ledger_postings rows. */
export interface LedgerRow {
  entryId: string;
  tenantId: string;
  kind: LedgerEntry['kind'];
  messageId: string | null;
  reference: string | null;
  bulkSendId: string | null;
  at: string;
  currency: string;
  sequence: number;
  postings: Array<{
    account: string;
    amount: number;
    /** The account's balance after this posting: the tenant's own accounts only (see README). */
    balanceAfter: number | null;
  }>;
}

/**
 * The rows a fact writes, with each tenant account's running balance: worked back from the
 * wallet the fact carries (its state after every entry of the fact), so the rows need no read.
 */
export function ledgerRowsOf(fact: LedgerFact): LedgerRow[] {
  const entries = ledgerEntriesOf(fact);
  if (entries.length === 0) return [];
  const d = fact.data as {
    tenantId: string;
    wallet: WalletSnapshot;
    messageId?: string;
    reference?: string;
    bulkSendId?: string;
  };
  const tenantId = d.tenantId;
  const availableAccount = accountId({ kind: 'tenant_available', tenantId });
  const holdsAccount = accountId({ kind: 'tenant_holds', tenantId });
  const moved = walletAfter(emptyWallet(d.wallet.currency), tenantId, entries);
  let available = d.wallet.available - moved.available;
  let held = d.wallet.held - moved.held;
  const firstSequence = d.wallet.sequence - entries.length + 1;
  return entries.map((entry, index) => ({
    entryId: entry.entryId,
    tenantId,
    kind: entry.kind,
    messageId: d.messageId ?? null,
    reference: d.reference ?? null,
    bulkSendId: d.bulkSendId ?? null,
    at: atOf(fact),
    currency: d.wallet.currency,
    sequence: firstSequence + index,
    postings: entry.postings.map((posting) => {
      const account = accountId(posting.account);
      let balanceAfter: number | null = null;
      if (account === availableAccount) balanceAfter = available += posting.amount.micros;
      else if (account === holdsAccount) balanceAfter = held += posting.amount.micros;
      return { account, amount: posting.amount.micros, balanceAfter };
    }),
  }));
}

function atOf(fact: LedgerFact): string {
  switch (fact.type) {
    case 'billing.CreditPosted.v1':
      return fact.data.postedAt;
    case 'billing.HoldPlaced.v1':
      return fact.data.placedAt;
    case 'billing.ChargeCaptured.v1':
      return fact.data.capturedAt;
    case 'billing.HoldReleased.v1':
      return fact.data.releasedAt;
    case 'billing.HoldRejected.v1':
      return fact.data.rejectedAt;
    case 'billing.BillingRequestRejected.v1':
      return fact.data.rejectedAt;
  }
}

/**
 * The alerts a change of the available funds raises: each threshold crossed downwards, from at
 * or above it to below it, once. Funds back at or above the threshold re-arm it, with nothing
 * stored: the crossing is seen in the wallet before and after, under the tenant's lock.
 */
export function alertsOnCrossing(input: {
  tenantId: string;
  before: WalletSnapshot;
  after: WalletSnapshot;
  settings: WalletSettings | null;
  now: Date;
}): WalletAlertEvent[] {
  const { tenantId, before, after, settings, now } = input;
  if (settings === null || after.available >= before.available) return [];
  const crossed = (threshold: number) =>
    before.available >= threshold && after.available < threshold;
  const alerts: WalletAlertEvent[] = [];
  const low = settings.lowBalanceThreshold;
  if (low !== null && crossed(low)) {
    alerts.push({
      type: 'billing.LowBalanceReached.v1',
      data: { tenantId, threshold: low, wallet: after, reachedAt: now.toISOString() },
    });
  }
  const recharge = settings.autoRecharge;
  if (recharge !== null && recharge.enabled && crossed(recharge.threshold)) {
    alerts.push({
      type: 'billing.AutoRechargeRequested.v1',
      data: {
        tenantId,
        threshold: recharge.threshold,
        amount: { micros: recharge.amount, currency: after.currency },
        wallet: after,
        requestedAt: now.toISOString(),
      },
    });
  }
  return alerts;
}
