import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tenant's contacts as messaging looks them up (a message naming a contact takes its phone
 * and quiet-hours zone from here). A projection of the contact streams in messaging's store.
 */
export class MessagingContacts1767657600000 implements MigrationInterface {
  name = 'MessagingContacts1767657600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE contacts (
        tenant_id uuid NOT NULL,
        contact_id text NOT NULL,
        version integer NOT NULL,
        phone text NOT NULL,
        time_zone text,
        record jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, contact_id)
      )`);
    await queryRunner.query(`CREATE INDEX contacts_by_phone ON contacts (tenant_id, phone)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE contacts`);
  }
}
