import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A canceled bulk send's released messages are canceled by a sweep, a bounded number per
 * transaction, rather than all in the cancel's own transaction (100,000 messages held the run and
 * the consumer for minutes): one row per sweep under way, with the position it continues from.
 * Written by the bulk-send run projection on BulkSendCanceled (so a rebuild sweeps again, which
 * finds nothing left to cancel), deleted by the sweep once it is done.
 */
export class MessagingBulkSendCancelSweeps1767917200000 implements MigrationInterface {
  name = 'MessagingBulkSendCancelSweeps1767917200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE bulk_send_cancel_sweeps (
        bulk_send_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        next_position integer NOT NULL DEFAULT 0
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE bulk_send_cancel_sweeps`);
  }
}
