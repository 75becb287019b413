import type { WalletCreditRequested, WalletSnapshot } from '@textplane/contracts';
import { parseAmount, type Money } from '@textplane/pricing';
import type { CreditEvent } from '../billing.events.js';
import { ledgerEntriesOf, walletAfter } from '../wallet/wallet-ledger.js';

export type CreditCommand = {
  type: 'PostCredit';
  request: WalletCreditRequested;
  /** The wallet's currency: the currency of the card in force. */
  walletCurrency: string;
  /** The tenant's wallet from the ledger, read under the tenant's lock. */
  wallet: WalletSnapshot;
  now: Date;
};

export type CreditState = { phase: 'none' } | { phase: 'posted'; amount: Money; requestId: string };

export const initialState: CreditState = { phase: 'none' };

/**
 * A credit is idempotent on its reference: the same amount again is a repeat (nothing new),
 * another amount is refused `reference_reused`. A refused first request posts nothing, so a
 * corrected one under the same reference may still post.
 */
export function decide(command: CreditCommand, state: CreditState): CreditEvent[] {
  const { request, now } = command;
  const rejected = (
    code: 'reference_reused' | 'invalid',
    errors: ReadonlyArray<{ field: string; message: string }>,
  ): CreditEvent[] => [
    {
      type: 'billing.BillingRequestRejected.v1',
      data: {
        requestId: request.requestId,
        tenantId: request.tenantId,
        resource: 'credit',
        resourceId: request.reference,
        code,
        errors: errors.map((e) => ({ field: e.field, message: e.message })),
        rejectedAt: now.toISOString(),
      },
    },
  ];
  if (state.phase === 'posted') {
    const { amount } = state;
    if (amount.micros === request.amount.micros && amount.currency === request.amount.currency) {
      return [];
    }
    return rejected('reference_reused', [
      {
        field: 'amount',
        message: `reference ${request.reference} was credited ${amount.micros} ${amount.currency} already (got ${request.amount.micros} ${request.amount.currency})`,
      },
    ]);
  }
  const parsed = parseAmount(
    { amount: request.amount.micros, currency: request.amount.currency },
    { field: 'amount', walletCurrency: command.walletCurrency },
  );
  if (!parsed.ok) {
    // parseAmount names `amount.amount` for the micros; the request's field is `amount.micros`.
    return rejected(
      'invalid',
      parsed.errors.map((e) => ({
        ...e,
        field: e.field === 'amount.amount' ? 'amount.micros' : e.field,
      })),
    );
  }
  const posted: CreditEvent = {
    type: 'billing.CreditPosted.v1',
    data: {
      tenantId: request.tenantId,
      requestId: request.requestId,
      reference: request.reference,
      amount: { ...parsed.money },
      wallet: command.wallet,
      postedAt: now.toISOString(),
    },
  };
  const wallet = walletAfter(command.wallet, request.tenantId, ledgerEntriesOf(posted));
  return [{ ...posted, data: { ...posted.data, wallet } }];
}

export function evolve(state: CreditState, event: CreditEvent): CreditState {
  switch (event.type) {
    case 'billing.CreditPosted.v1':
      return {
        phase: 'posted',
        amount: { ...event.data.amount },
        requestId: event.data.requestId,
      };
    case 'billing.BillingRequestRejected.v1':
      return state;
  }
}
