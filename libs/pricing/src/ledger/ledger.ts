import {
  add,
  compare,
  isCurrencyCode,
  isZero,
  negate,
  subtract,
  zero,
  type CurrencyCode,
  type Money,
} from '../money/money.js';
import type { HoldSettlement } from '../quote/quote.js';

/**
 * The accounts of issue 13. Each posting moves an account's balance by its signed amount, and
 * every entry sums to zero per currency, so the balances of all accounts always sum to zero:
 * top-up clearing goes negative by what payments brought in, and that money sits in the
 * tenants' available funds and holds, in revenue and in the carrier fees owed.
 */
export type Account =
  | { readonly kind: 'tenant_available'; readonly tenantId: string }
  | { readonly kind: 'tenant_holds'; readonly tenantId: string }
  | { readonly kind: 'revenue' }
  | { readonly kind: 'carrier_fees_payable' }
  | { readonly kind: 'topup_clearing' };

export type AccountKind = Account['kind'];

export function accountId(account: Account): string {
  switch (account.kind) {
    case 'tenant_available':
      return `tenant:${account.tenantId}:available`;
    case 'tenant_holds':
      return `tenant:${account.tenantId}:holds`;
    case 'revenue':
    case 'carrier_fees_payable':
    case 'topup_clearing':
      return account.kind;
  }
}

export interface Posting {
  readonly account: Account;
  readonly amount: Money;
}

/** What an entry belongs to: a credit's reference, a message's hold, a refund's reference. */
export type LedgerEntry =
  | Entry<'top_up', { readonly reference: string }>
  | Entry<'hold', HoldReference>
  | Entry<'capture', HoldReference>
  | Entry<'release', HoldReference>
  | Entry<'inbound_charge', { readonly messageId: string }>
  | Entry<'refund', { readonly reference: string; readonly messageId: string }>;

interface HoldReference {
  readonly holdId: string;
  readonly messageId: string;
}

type Entry<K extends string, Ref> = {
  readonly entryId: string;
  readonly kind: K;
  readonly tenantId: string;
  readonly postings: readonly Posting[];
} & Ref;

export type EntryKind = LedgerEntry['kind'];

/** An entry that cannot be made: a zero or negative amount, mixed currencies, fees over cost. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
}

export interface EntryProblem {
  readonly posting: number | null;
  readonly message: string;
}

/**
 * Why an entry may not be written, or [] when it may: at least two postings, each a non-zero
 * safe integer of a known currency, summing to zero per currency.
 */
export function entryProblems(entry: { readonly postings: readonly Posting[] }): EntryProblem[] {
  const problems: EntryProblem[] = [];
  if (entry.postings.length < 2) {
    problems.push({ posting: null, message: 'an entry needs at least two postings' });
  }
  const totals = new Map<CurrencyCode, number>();
  entry.postings.forEach(({ amount }, index) => {
    if (!Number.isSafeInteger(amount.micros) || amount.micros === 0) {
      problems.push({
        posting: index,
        message: `amount must be a non-zero safe integer (got ${amount.micros})`,
      });
      return;
    }
    if (!isCurrencyCode(amount.currency)) {
      problems.push({
        posting: index,
        message: `unknown currency ${JSON.stringify(amount.currency)}`,
      });
      return;
    }
    totals.set(amount.currency, (totals.get(amount.currency) ?? 0) + amount.micros);
  });
  for (const [currency, total] of totals) {
    if (total !== 0) {
      problems.push({
        posting: null,
        message: `postings in ${currency} sum to ${total}, not zero`,
      });
    }
  }
  return problems;
}

export function isBalanced(entry: { readonly postings: readonly Posting[] }): boolean {
  return entryProblems(entry).length === 0;
}

function positive(amount: Money, what: string): Money {
  if (amount.micros <= 0)
    throw new LedgerError(`${what} must be positive (got ${amount.micros} ${amount.currency})`);
  return amount;
}

function notNegative(amount: Money, what: string): Money {
  if (amount.micros < 0)
    throw new LedgerError(`${what} must not be negative (got ${amount.micros} ${amount.currency})`);
  return amount;
}

/** Postings with zero amounts dropped (a capture without carrier fee, say), then checked. */
function balanced<E extends LedgerEntry>(entry: E): E {
  const postings = entry.postings.filter((posting) => !isZero(posting.amount));
  const checked: E = { ...entry, postings };
  const problems = entryProblems(checked);
  if (problems.length > 0) throw new LedgerError(problems.map((p) => p.message).join('; '));
  return Object.freeze(checked);
}

const available = (tenantId: string): Account => ({ kind: 'tenant_available', tenantId });
const holds = (tenantId: string): Account => ({ kind: 'tenant_holds', tenantId });
const REVENUE: Account = { kind: 'revenue' };
const CARRIER_FEES: Account = { kind: 'carrier_fees_payable' };
const TOPUP_CLEARING: Account = { kind: 'topup_clearing' };

/** A credit (a payment's successful charge): clearing → the tenant's available funds. */
export function topUpEntry(input: {
  entryId: string;
  tenantId: string;
  reference: string;
  amount: Money;
}): LedgerEntry {
  const amount = positive(input.amount, 'a top-up');
  return balanced({
    entryId: input.entryId,
    kind: 'top_up',
    tenantId: input.tenantId,
    reference: input.reference,
    postings: [
      { account: TOPUP_CLEARING, amount: negate(amount) },
      { account: available(input.tenantId), amount },
    ],
  });
}

interface HoldRef {
  entryId: string;
  tenantId: string;
  holdId: string;
  messageId: string;
}

/** A text's worst-case cost set aside: available → holds. Decide it with `decideHold` first. */
export function holdEntry(input: HoldRef & { amount: Money }): LedgerEntry {
  const amount = positive(input.amount, 'a hold');
  return balanced({
    ...ref(input),
    kind: 'hold',
    postings: [
      { account: available(input.tenantId), amount: negate(amount) },
      { account: holds(input.tenantId), amount },
    ],
  });
}

/**
 * The real cost taken: `captured` out of the hold and any `overrun` out of the available funds,
 * the carrier's fee owed to the carriers, the rest revenue.
 */
export function captureEntry(
  input: HoldRef & { settlement: Pick<HoldSettlement, 'captured' | 'overrun'>; carrierFee: Money },
): LedgerEntry {
  const { captured, overrun } = input.settlement;
  notNegative(captured, 'a capture');
  notNegative(overrun, 'an overrun');
  notNegative(input.carrierFee, 'a carrier fee');
  const cost = positive(add(captured, overrun), 'a capture');
  if (compare(input.carrierFee, cost) > 0) {
    throw new LedgerError(
      `a carrier fee (${input.carrierFee.micros}) cannot exceed the cost (${cost.micros})`,
    );
  }
  return balanced({
    ...ref(input),
    kind: 'capture',
    postings: [
      { account: holds(input.tenantId), amount: negate(captured) },
      { account: available(input.tenantId), amount: negate(overrun) },
      { account: REVENUE, amount: subtract(cost, input.carrierFee) },
      { account: CARRIER_FEES, amount: input.carrierFee },
    ],
  });
}

/** What a hold no longer needs, back to the available funds: holds → available. */
export function releaseEntry(input: HoldRef & { amount: Money }): LedgerEntry {
  const amount = positive(input.amount, 'a release');
  return balanced({
    ...ref(input),
    kind: 'release',
    postings: [
      { account: holds(input.tenantId), amount: negate(amount) },
      { account: available(input.tenantId), amount },
    ],
  });
}

/**
 * A hold settled against its real cost: a capture entry when anything is captured, a release
 * entry when anything is left over; `entryId` + ":capture" / ":release".
 */
export function settlementEntries(
  input: HoldRef & { settlement: HoldSettlement; carrierFee: Money },
): LedgerEntry[] {
  const { settlement } = input;
  const entries: LedgerEntry[] = [];
  if (!isZero(add(settlement.captured, settlement.overrun))) {
    entries.push(captureEntry({ ...input, entryId: `${input.entryId}:capture` }));
  }
  if (!isZero(settlement.released)) {
    entries.push(
      releaseEntry({ ...input, entryId: `${input.entryId}:release`, amount: settlement.released }),
    );
  }
  return entries;
}

/**
 * An inbound text charged on receipt: available → revenue. Never refused, so it may take the
 * available funds below zero (a STOP must be received whatever the balance).
 */
export function inboundChargeEntry(input: {
  entryId: string;
  tenantId: string;
  messageId: string;
  amount: Money;
}): LedgerEntry {
  const amount = positive(input.amount, 'an inbound charge');
  return balanced({
    entryId: input.entryId,
    kind: 'inbound_charge',
    tenantId: input.tenantId,
    messageId: input.messageId,
    postings: [
      { account: available(input.tenantId), amount: negate(amount) },
      { account: REVENUE, amount },
    ],
  });
}

/** A captured charge given back: out of revenue and the carrier fees owed, into available. */
export function refundEntry(input: {
  entryId: string;
  tenantId: string;
  messageId: string;
  reference: string;
  amount: Money;
  carrierFee: Money;
}): LedgerEntry {
  const amount = positive(input.amount, 'a refund');
  notNegative(input.carrierFee, 'a refunded carrier fee');
  if (compare(input.carrierFee, amount) > 0) {
    throw new LedgerError('a refunded carrier fee cannot exceed the refund');
  }
  return balanced({
    entryId: input.entryId,
    kind: 'refund',
    tenantId: input.tenantId,
    messageId: input.messageId,
    reference: input.reference,
    postings: [
      { account: REVENUE, amount: negate(subtract(amount, input.carrierFee)) },
      { account: CARRIER_FEES, amount: negate(input.carrierFee) },
      { account: available(input.tenantId), amount },
    ],
  });
}

function ref(input: HoldRef) {
  return {
    entryId: input.entryId,
    tenantId: input.tenantId,
    holdId: input.holdId,
    messageId: input.messageId,
  };
}

/** An account's balance: the sum of its postings in `currency`, derived, never stored apart. */
export function balanceOf(
  entries: Iterable<LedgerEntry>,
  account: Account,
  currency: CurrencyCode,
): Money {
  const id = accountId(account);
  let total = zero(currency);
  for (const entry of entries)
    for (const posting of entry.postings)
      if (posting.amount.currency === currency && accountId(posting.account) === id) {
        total = add(total, posting.amount);
      }
  return total;
}

export interface WalletBalance {
  /** What holds may use. May be below zero after inbound charges. */
  readonly available: Money;
  /** Set aside for texts not yet settled. */
  readonly held: Money;
  /** available + held: the tenant's money. */
  readonly balance: Money;
}

export function walletOf(
  entries: readonly LedgerEntry[],
  tenantId: string,
  currency: CurrencyCode,
): WalletBalance {
  const free = balanceOf(entries, available(tenantId), currency);
  const held = balanceOf(entries, holds(tenantId), currency);
  return { available: free, held, balance: add(free, held) };
}

/** What a hold still holds: its hold entry less what its captures and releases took. */
export function openHoldAmount(
  entries: readonly LedgerEntry[],
  holdId: string,
  currency: CurrencyCode,
): Money {
  let open = zero(currency);
  for (const entry of entries) {
    if (entry.kind !== 'hold' && entry.kind !== 'capture' && entry.kind !== 'release') continue;
    if (entry.holdId !== holdId) continue;
    for (const posting of entry.postings)
      if (posting.account.kind === 'tenant_holds' && posting.amount.currency === currency) {
        open = add(open, posting.amount);
      }
  }
  return open;
}

export type HoldDecision =
  | { readonly placed: true }
  | { readonly placed: false; readonly reason: 'insufficient_funds'; readonly shortfall: Money };

/** A hold uses available funds only: placed when they cover it whole, else insufficient_funds. */
export function decideHold(availableFunds: Money, amount: Money): HoldDecision {
  positive(amount, 'a hold');
  if (compare(availableFunds, amount) >= 0) return { placed: true };
  return {
    placed: false,
    reason: 'insufficient_funds',
    shortfall: subtract(amount, availableFunds),
  };
}
