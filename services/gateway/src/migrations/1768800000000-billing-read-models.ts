import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The billing read models (issue 13 §2), written only by BillingProjection (billing/) from
 * billing.wallets.events.v1 and billing.rate-cards.events.v1, and rebuilt from them; the
 * gateway's own credit requests are projected inline into billing_credits (read-your-writes).
 * Money columns are integer micro-units (bigint) of the row's currency.
 */
export class BillingReadModels1768800000000 implements MigrationInterface {
  name = 'BillingReadModels1768800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The latest wallet snapshot by `sequence` (billing's count of the tenant's ledger entries)
    // and the settings billing holds.
    await queryRunner.query(`
      CREATE TABLE billing_wallets (
        tenant_id uuid PRIMARY KEY,
        currency text NOT NULL,
        balance bigint NOT NULL,
        held bigint NOT NULL,
        available bigint NOT NULL,
        sequence bigint NOT NULL,
        auto_recharge jsonb,
        low_balance_threshold bigint,
        funds_wait_limit_seconds integer,
        updated_at timestamptz NOT NULL
      )`);
    // Credits by reference: what a repeated POST .../wallet/credits answers.
    await queryRunner.query(`
      CREATE TABLE billing_credits (
        tenant_id uuid NOT NULL,
        reference text COLLATE "C" NOT NULL,
        credit_id uuid NOT NULL,
        amount bigint NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        errors jsonb,
        requested_at timestamptz NOT NULL,
        posted_at timestamptz,
        PRIMARY KEY (tenant_id, reference)
      )`);
    // One row per ledger fact (credit, hold, capture, release, inbound charge), keyed by the
    // fact's event id, with the wallet after it.
    await queryRunner.query(`
      CREATE TABLE billing_transactions (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kind text NOT NULL,
        amount bigint NOT NULL,
        currency text NOT NULL,
        message_id uuid,
        bulk_send_id uuid,
        credit_id uuid,
        reference text,
        at timestamptz NOT NULL,
        balance_after bigint NOT NULL,
        held_after bigint NOT NULL,
        available_after bigint NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX billing_transactions_by_tenant ON billing_transactions (tenant_id, at, id)`,
    );
    // What each text cost (ChargeCaptured): the message's cost and the usage report's facts.
    await queryRunner.query(`
      CREATE TABLE billing_charges (
        message_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        captured_at timestamptz NOT NULL,
        day date NOT NULL,
        sender text NOT NULL,
        campaign_id text,
        channel text NOT NULL,
        direction text NOT NULL,
        bulk_send_id uuid,
        units integer NOT NULL,
        amount bigint NOT NULL,
        carrier_fee bigint NOT NULL,
        currency text NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX billing_charges_by_tenant ON billing_charges (tenant_id, captured_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX billing_charges_by_bulk_send ON billing_charges (bulk_send_id)
       WHERE bulk_send_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE billing_rate_cards (
        version text COLLATE "C" PRIMARY KEY,
        card jsonb NOT NULL,
        effective_at timestamptz NOT NULL,
        published_at timestamptz NOT NULL
      )`);
    // Open holds per message, so bulk-send progress can show what is held.
    await queryRunner.query(`
      CREATE TABLE billing_holds (
        message_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        bulk_send_id uuid,
        amount bigint NOT NULL,
        currency text NOT NULL,
        open boolean NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX billing_holds_by_bulk_send ON billing_holds (bulk_send_id)
       WHERE bulk_send_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE billing_holds`);
    await queryRunner.query(`DROP TABLE billing_rate_cards`);
    await queryRunner.query(`DROP TABLE billing_charges`);
    await queryRunner.query(`DROP TABLE billing_transactions`);
    await queryRunner.query(`DROP TABLE billing_credits`);
    await queryRunner.query(`DROP TABLE billing_wallets`);
  }
}
