import type { WalletSnapshot } from '@textplane/contracts';

/** A tenant's wallet in one currency. */
export interface WalletOf {
  tenantId: string;
  currency: string;
}

const keyOf = ({ tenantId, currency }: WalletOf) => `${tenantId} ${currency}`;

/** Each wallet once, in the order first asked for. */
export function distinctWallets(wanted: Iterable<WalletOf>): WalletOf[] {
  const distinct = new Map<string, WalletOf>();
  for (const wallet of wanted)
    if (!distinct.has(keyOf(wallet))) distinct.set(keyOf(wallet), wallet);
  return [...distinct.values()];
}

/**
 * The wallets a batch's decisions move, read from the ledger once under the tenants' locks and
 * then carried in memory: each decision is given the wallet as the decision before it in the
 * batch left it, since the batch's own ledger rows are written only when it commits.
 */
export class BatchWallets {
  /** By tenant, then by currency. */
  private readonly wallets = new Map<string, Map<string, WalletSnapshot>>();

  constructor(read: ReadonlyArray<{ of: WalletOf; wallet: WalletSnapshot }>) {
    for (const { of, wallet } of read) this.tenant(of.tenantId).set(of.currency, wallet);
  }

  /** The wallet now; only a wallet read for the batch is known (anything else is a bug). */
  get(of: WalletOf): WalletSnapshot {
    const wallet = this.wallets.get(of.tenantId)?.get(of.currency);
    if (!wallet) throw new Error(`the wallet ${keyOf(of)} was not read for this batch`);
    return wallet;
  }

  /**
   * The wallet after a fact. A tenant's entries are counted across its currencies (one
   * sequence), so its wallets in other currencies take the new count too.
   */
  moved(tenantId: string, after: WalletSnapshot): void {
    const wallets = this.tenant(tenantId);
    for (const [currency, wallet] of wallets) {
      wallets.set(currency, { ...wallet, sequence: after.sequence });
    }
    wallets.set(after.currency, after);
  }

  private tenant(tenantId: string): Map<string, WalletSnapshot> {
    const known = this.wallets.get(tenantId);
    if (known) return known;
    const wallets = new Map<string, WalletSnapshot>();
    this.wallets.set(tenantId, wallets);
    return wallets;
  }
}
