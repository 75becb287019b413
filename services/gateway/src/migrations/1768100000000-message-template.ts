import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message sent from a template keeps the template's id and the version it used. Messages from
 * before (and plain-body sends) have neither.
 */
export class MessageTemplate1768100000000 implements MigrationInterface {
  name = 'MessageTemplate1768100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE messages ADD COLUMN template_id uuid, ADD COLUMN template_version integer`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE messages DROP COLUMN template_version, DROP COLUMN template_id`,
    );
  }
}
