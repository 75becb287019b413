import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A message sent to a CRM contact keeps the contact's id (`GET /v1/messages?contactId=`), and the
 * list routes' order (created_at DESC, id DESC) gets an index per tenant, with and without the
 * contact. Messages from before have no contact id: they are found by their phone only.
 */
export class MessageContactId1768000000000 implements MigrationInterface {
  name = 'MessageContactId1768000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN contact_id text`);
    await queryRunner.query(
      `CREATE INDEX messages_by_contact ON messages (tenant_id, contact_id, created_at DESC, id DESC)
         WHERE contact_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX messages_newest_first ON messages (tenant_id, created_at DESC, id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX messages_newest_first`);
    await queryRunner.query(`DROP INDEX messages_by_contact`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN contact_id`);
  }
}
