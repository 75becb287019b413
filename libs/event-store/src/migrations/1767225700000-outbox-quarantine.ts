import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the outbox relay sets aside an event it can never publish (it fails its contract: one
 * recorded before events were checked at append), so the events after it are not held up
 * forever. The event itself stays in `events`; once it can be published (an upcaster), putting
 * its position back into `outbox` publishes it.
 */
export class OutboxQuarantine1767225700000 implements MigrationInterface {
  name = 'OutboxQuarantine1767225700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox_quarantine (
        global_position bigint PRIMARY KEY REFERENCES events (global_position),
        reason text NOT NULL,
        quarantined_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE outbox_quarantine');
  }
}
