import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger and the published rate cards, written inline in the transaction of the billing
 * facts they project (so each can be rebuilt from billing's own events).
 */
export class BillingLedger1770000000000 implements MigrationInterface {
  name = 'BillingLedger1770000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per balanced entry; `sequence` counts the tenant's entries (the wallet snapshot's).
    await queryRunner.query(`
      CREATE TABLE ledger_entries (
        entry_id text PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kind text NOT NULL
          CHECK (kind IN ('top_up', 'hold', 'capture', 'release', 'inbound_charge', 'refund')),
        message_id uuid,
        reference text,
        bulk_send_id uuid,
        currency char(3) NOT NULL,
        sequence integer NOT NULL,
        at timestamptz NOT NULL,
        UNIQUE (tenant_id, sequence)
      )`);
    await queryRunner.query(`CREATE INDEX ledger_entries_message ON ledger_entries (message_id)`);
    // Signed amounts summing to zero per entry. balance_after is kept for the tenant's own
    // accounts, which move only under the tenant's lock; the shared accounts (revenue, carrier
    // fees, top-up clearing) would need one lock for every tenant, so their balance is a sum.
    await queryRunner.query(`
      CREATE TABLE ledger_postings (
        entry_id text NOT NULL REFERENCES ledger_entries (entry_id),
        position smallint NOT NULL,
        account text NOT NULL,
        tenant_id uuid NOT NULL,
        currency char(3) NOT NULL,
        amount bigint NOT NULL CHECK (amount <> 0),
        balance_after bigint,
        sequence integer NOT NULL,
        PRIMARY KEY (entry_id, position)
      )`);
    await queryRunner.query(
      `CREATE INDEX ledger_postings_tenant_account ON ledger_postings (account, currency, sequence DESC)
        WHERE balance_after IS NOT NULL`,
    );
    // Every card published after DEFAULT_RATE_CARD (which is in the code, always there).
    await queryRunner.query(`
      CREATE TABLE rate_cards (
        version text PRIMARY KEY,
        card jsonb NOT NULL,
        effective_at timestamptz NOT NULL,
        published_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rate_cards`);
    await queryRunner.query(`DROP TABLE ledger_postings`);
    await queryRunner.query(`DROP TABLE ledger_entries`);
  }
}
