import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * held_messages becomes the one dispatch queue: a message waits for a time (`release_at`) or for
 * an event (`waiting_for`, optionally one occurrence: `waiting_key`), and `gate` names the gate
 * that made it wait. Rows already held for quiet hours stay as they are, with their time.
 */
export class MessagingDispatchQueue1767571200000 implements MigrationInterface {
  name = 'MessagingDispatchQueue1767571200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE held_messages RENAME TO dispatch_queue`);
    await queryRunner.query(
      `ALTER TABLE dispatch_queue RENAME CONSTRAINT held_messages_pkey TO dispatch_queue_pkey`,
    );
    await queryRunner.query(`ALTER TABLE dispatch_queue RENAME COLUMN send_at TO release_at`);
    await queryRunner.query(
      `ALTER INDEX held_messages_send_at RENAME TO dispatch_queue_release_at`,
    );
    await queryRunner.query(`ALTER TABLE dispatch_queue ALTER COLUMN release_at DROP NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE dispatch_queue
        ADD COLUMN gate text NOT NULL DEFAULT 'quiet-hours',
        ADD COLUMN waiting_for text,
        ADD COLUMN waiting_key text`);
    await queryRunner.query(`ALTER TABLE dispatch_queue ALTER COLUMN gate DROP DEFAULT`);
    // A row waits for exactly one thing: a time or an event.
    await queryRunner.query(`
      ALTER TABLE dispatch_queue ADD CONSTRAINT dispatch_queue_waits_for_one
        CHECK ((release_at IS NULL) <> (waiting_for IS NULL))`);
    await queryRunner.query(`
      CREATE INDEX dispatch_queue_waiting_for ON dispatch_queue (waiting_for, waiting_key)
        WHERE waiting_for IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX dispatch_queue_waiting_for`);
    await queryRunner.query(
      `ALTER TABLE dispatch_queue DROP CONSTRAINT dispatch_queue_waits_for_one`,
    );
    // held_messages knew only times: a message waiting for an event is looked at again now.
    await queryRunner.query(
      `UPDATE dispatch_queue SET release_at = now() WHERE release_at IS NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE dispatch_queue
        DROP COLUMN waiting_key, DROP COLUMN waiting_for, DROP COLUMN gate`);
    await queryRunner.query(`ALTER TABLE dispatch_queue ALTER COLUMN release_at SET NOT NULL`);
    await queryRunner.query(
      `ALTER INDEX dispatch_queue_release_at RENAME TO held_messages_send_at`,
    );
    await queryRunner.query(`ALTER TABLE dispatch_queue RENAME COLUMN release_at TO send_at`);
    await queryRunner.query(
      `ALTER TABLE dispatch_queue RENAME CONSTRAINT dispatch_queue_pkey TO held_messages_pkey`,
    );
    await queryRunner.query(`ALTER TABLE dispatch_queue RENAME TO held_messages`);
  }
}
