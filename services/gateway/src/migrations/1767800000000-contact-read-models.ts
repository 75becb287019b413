import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's contacts read model (messaging owns contacts; these tables are projections of
 * its `messaging.contacts` topic): the contacts as they stand, and what each API request came to
 * (upserted, deleted, refused), which the PUT and DELETE routes wait for.
 */
export class ContactReadModels1767800000000 implements MigrationInterface {
  name = 'ContactReadModels1767800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE contacts (
        tenant_id uuid NOT NULL,
        contact_id text NOT NULL,
        version integer NOT NULL,
        phone text NOT NULL,
        first_name text,
        last_name text,
        email text,
        company_name text,
        time_zone text,
        tags text[] NOT NULL,
        custom_fields jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, contact_id)
      )`);
    await queryRunner.query(`CREATE INDEX contacts_phone ON contacts (tenant_id, phone)`);
    await queryRunner.query(`CREATE INDEX contacts_tags ON contacts USING gin (tags)`);
    await queryRunner.query(`
      CREATE TABLE contact_request_outcomes (
        request_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        contact_id text NOT NULL,
        type text NOT NULL,
        version integer,
        created boolean,
        reason text,
        current_version integer,
        contact jsonb,
        occurred_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE contact_request_outcomes`);
    await queryRunner.query(`DROP TABLE contacts`);
  }
}
