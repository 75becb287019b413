import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables the consent service keeps beside its event store. Each can be rebuilt from events. */
export class ConsentReadModels1767398400000 implements MigrationInterface {
  name = 'ConsentReadModels1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // From gateway.tenants.events.v1: who a reply is written for and in whose words.
    await queryRunner.query(`
      CREATE TABLE tenant_profiles (
        tenant_id uuid PRIMARY KEY,
        brand_name text NOT NULL,
        time_zone text NOT NULL,
        default_sender text NOT NULL,
        sender_numbers text[] NOT NULL,
        compliance jsonb,
        created_at timestamptz NOT NULL
      )`);
    // The fold of each ledger (ConsentStanding of @textplane/compliance).
    await queryRunner.query(`
      CREATE TABLE consent_standings (
        tenant_id uuid NOT NULL,
        phone text NOT NULL,
        standing jsonb NOT NULL,
        opted_out boolean NOT NULL,
        updated_at timestamptz,
        PRIMARY KEY (tenant_id, phone)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE consent_standings`);
    await queryRunner.query(`DROP TABLE tenant_profiles`);
  }
}
