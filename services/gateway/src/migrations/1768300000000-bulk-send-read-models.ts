import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk sends (issue 11 §1): `bulk_sends` (one row per bulk send, written by evolveBulkSend) and
 * `bulk_send_recipients` (the frozen recipients in recipient order; message counts join the
 * messages read model on message_id = bulkMessageId(bulk send, contact)).
 */
export class BulkSendReadModels1768300000000 implements MigrationInterface {
  name = 'BulkSendReadModels1768300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bulk_sends (
        bulk_send_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        status text NOT NULL,
        paused_reason text,
        message jsonb NOT NULL,
        delivery jsonb NOT NULL,
        recipients integer NOT NULL,
        sendable integer NOT NULL,
        duplicate_phone integer NOT NULL,
        missing_merge_value integer NOT NULL,
        batches integer NOT NULL,
        batches_released integer NOT NULL,
        next_batch_at timestamptz,
        stream_version integer NOT NULL,
        requests_pending integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        completed_at timestamptz,
        canceled_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX bulk_sends_tenant ON bulk_sends (tenant_id, created_at DESC, bulk_send_id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE bulk_send_recipients (
        bulk_send_id uuid NOT NULL,
        position integer NOT NULL,
        contact_id text NOT NULL,
        phone text NOT NULL,
        batch integer,
        message_id uuid,
        skipped text,
        send_at timestamptz,
        PRIMARY KEY (bulk_send_id, position)
      )`);
    await queryRunner.query(
      `CREATE INDEX bulk_send_recipients_contact ON bulk_send_recipients (bulk_send_id, contact_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE bulk_send_recipients`);
    await queryRunner.query(`DROP TABLE bulk_sends`);
  }
}
