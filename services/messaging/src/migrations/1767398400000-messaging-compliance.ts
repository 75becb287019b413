import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What messaging needs to enforce compliance before every carrier call. All rebuildable. */
export class MessagingCompliance1767398400000 implements MigrationInterface {
  name = 'MessagingCompliance1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenant_profiles (
        tenant_id uuid PRIMARY KEY,
        brand_name text NOT NULL,
        time_zone text NOT NULL,
        compliance jsonb NOT NULL DEFAULT '{}'::jsonb,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `ALTER TABLE conversations ADD COLUMN outbound_count integer NOT NULL DEFAULT 0`,
    );
    // The consent ledger's standing per number, from consent events; plus opt-outs read from
    // inbound replies that the ledger has not confirmed yet, so they block at once.
    await queryRunner.query(`
      CREATE TABLE consent_standings (
        tenant_id uuid NOT NULL,
        phone text NOT NULL,
        standing jsonb,
        pending_opt_outs jsonb NOT NULL DEFAULT '[]'::jsonb,
        restored_through timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, phone)
      )`);
    await queryRunner.query(`
      CREATE TABLE held_messages (
        message_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        send_at timestamptz NOT NULL,
        correlation_id text NOT NULL,
        claimed_until timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX held_messages_send_at ON held_messages (send_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE held_messages`);
    await queryRunner.query(`DROP TABLE consent_standings`);
    await queryRunner.query(`ALTER TABLE conversations DROP COLUMN outbound_count`);
    await queryRunner.query(`DROP TABLE tenant_profiles`);
  }
}
