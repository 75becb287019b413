import { describe, expect, it } from 'vitest';
import { tenantId, wallet } from '../../test/fixtures.js';
import { BatchWallets, distinctWallets } from './batch-wallets.js';

const other = '01936f4e-7c2a-7cc1-9a57-2b1b7b4b5c13';

describe("a batch's wallets", () => {
  it('are asked for once each, in the order first asked', () => {
    expect(
      distinctWallets([
        { tenantId, currency: 'USD' },
        { tenantId: other, currency: 'USD' },
        { tenantId, currency: 'USD' },
        { tenantId, currency: 'EUR' },
      ]),
    ).toEqual([
      { tenantId, currency: 'USD' },
      { tenantId: other, currency: 'USD' },
      { tenantId, currency: 'EUR' },
    ]);
  });

  it('give each decision the wallet the one before it left, tenant by tenant', () => {
    const wallets = new BatchWallets([
      { of: { tenantId, currency: 'USD' }, wallet: wallet(20_000, 0, 1) },
      { of: { tenantId: other, currency: 'USD' }, wallet: wallet(5_000, 0, 4) },
    ]);
    wallets.moved(tenantId, wallet(8_700, 11_300, 2));
    expect(wallets.get({ tenantId, currency: 'USD' })).toEqual(wallet(8_700, 11_300, 2));
    expect(wallets.get({ tenantId: other, currency: 'USD' })).toEqual(wallet(5_000, 0, 4));
  });

  it("count a tenant's entries across its currencies", () => {
    const wallets = new BatchWallets([
      { of: { tenantId, currency: 'USD' }, wallet: wallet(20_000, 0, 3) },
      { of: { tenantId, currency: 'EUR' }, wallet: { ...wallet(0, 7_000, 3), currency: 'EUR' } },
    ]);
    wallets.moved(tenantId, { ...wallet(7_000, 0, 4), currency: 'EUR' });
    expect(wallets.get({ tenantId, currency: 'USD' })).toEqual(wallet(20_000, 0, 4));
    expect(wallets.get({ tenantId, currency: 'EUR' }).available).toBe(7_000);
  });

  it('refuse a wallet not read for the batch', () => {
    const wallets = new BatchWallets([]);
    expect(() => wallets.get({ tenantId, currency: 'USD' })).toThrow(/not read for this batch/);
  });
});
