import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message a bulk send queued keeps the bulk send's id (MessageQueued.bulkSendId): a change of
 * it wakes that bulk send's watchers (gRPC WatchBulkSend), and its messages are found by it.
 * Messages from before (and every other message) have none; a rebuild fills it in.
 */
export class MessageBulkSendId1768400000000 implements MigrationInterface {
  name = 'MessageBulkSendId1768400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN bulk_send_id uuid`);
    await queryRunner.query(
      `CREATE INDEX messages_by_bulk_send ON messages (bulk_send_id, status)
         WHERE bulk_send_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX messages_by_bulk_send`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN bulk_send_id`);
  }
}
