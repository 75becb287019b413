import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The periodic opt-out reminder: the tenants' settings in the tenant profile replica (see
 * `tenantProfilesTable('compliance')` of @textplane/replicas), and when each contact was last
 * sent an opt-out line (OptOutLineProjection, from messaging's own MessageQueued events).
 */
export class MessagingOptOutReminder1767744400000 implements MigrationInterface {
  name = 'MessagingOptOutReminder1767744400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE tenant_profiles ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
    await queryRunner.query(`
      CREATE TABLE opt_out_lines (
        tenant_id uuid NOT NULL,
        contact_phone text NOT NULL,
        last_sent_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, contact_phone)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE opt_out_lines`);
    await queryRunner.query(`ALTER TABLE tenant_profiles DROP COLUMN settings`);
  }
}
