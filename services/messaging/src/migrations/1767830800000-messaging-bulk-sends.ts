import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk sends (issue 11): the runs (the runner's queue: status, next batch and when it is due),
 * their frozen recipients, the template versions and custom values a batch renders with (lookups
 * of messaging's own template and custom-value events), and each conversation's tenant number
 * (the sticky sender), and each tenant's default sender. Every table has one writer, applied inline and again by the rebuild.
 */
export class MessagingBulkSends1767830800000 implements MigrationInterface {
  name = 'MessagingBulkSends1767830800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bulk_send_runs (
        bulk_send_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        status text NOT NULL,
        batches integer NOT NULL,
        next_batch integer NOT NULL,
        next_batch_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE INDEX bulk_send_runs_due ON bulk_send_runs (next_batch_at)
      WHERE status IN ('scheduled', 'running') AND next_batch_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE bulk_send_recipients (
        bulk_send_id uuid NOT NULL,
        position integer NOT NULL,
        contact_id text NOT NULL,
        phone text NOT NULL,
        batch integer,
        send_at timestamptz,
        skipped text,
        PRIMARY KEY (bulk_send_id, position)
      )`);
    await queryRunner.query(
      `CREATE INDEX bulk_send_recipients_batch ON bulk_send_recipients (bulk_send_id, batch)`,
    );
    await queryRunner.query(`
      CREATE TABLE template_versions (
        tenant_id uuid NOT NULL,
        template_id uuid NOT NULL,
        version integer NOT NULL,
        body text NOT NULL,
        media_urls jsonb NOT NULL,
        purpose text,
        PRIMARY KEY (tenant_id, template_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE custom_values (
        tenant_id uuid NOT NULL,
        key text NOT NULL,
        value text NOT NULL,
        PRIMARY KEY (tenant_id, key)
      )`);
    await queryRunner.query(`ALTER TABLE conversations ADD COLUMN our_number text`);
    // The tenant's default sender (TenantCreated), the last resort of the sticky sender.
    await queryRunner.query(`
      CREATE TABLE tenant_default_senders (
        tenant_id uuid PRIMARY KEY,
        default_sender text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE tenant_default_senders`);
    await queryRunner.query(`ALTER TABLE conversations DROP COLUMN our_number`);
    await queryRunner.query(`DROP TABLE custom_values`);
    await queryRunner.query(`DROP TABLE template_versions`);
    await queryRunner.query(`DROP TABLE bulk_send_recipients`);
    await queryRunner.query(`DROP TABLE bulk_send_runs`);
  }
}
