import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a queued message waits for (`waitingFor`: registration, media, funds, throughput), from
 * messaging's MessageParked. Messages from before wait for nothing; a rebuild fills it in.
 */
export class MessageWaitingFor1768600000000 implements MigrationInterface {
  name = 'MessageWaitingFor1768600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN waiting_for text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN waiting_for`);
  }
}
