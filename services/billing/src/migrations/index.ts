import type { MigrationInterface } from 'typeorm';
import { BillingLedger1770000000000 } from './1770000000000-billing-ledger.js';

export const billingMigrations: Array<new () => MigrationInterface> = [BillingLedger1770000000000];
