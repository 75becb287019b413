import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's templates and custom values read models (messaging owns both; these tables are
 * projections of its `messaging.templates` and `messaging.custom-values` topics): templates as
 * they stand, every version of each, the business's custom values, and what each API request
 * came to, which the write routes wait for.
 */
export class TemplateReadModels1767900000000 implements MigrationInterface {
  name = 'TemplateReadModels1767900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE templates (
        tenant_id uuid NOT NULL,
        template_id uuid NOT NULL,
        kind text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        body text NOT NULL,
        purpose text,
        media_urls text[] NOT NULL,
        warnings jsonb NOT NULL,
        archived_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, template_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE template_versions (
        tenant_id uuid NOT NULL,
        template_id uuid NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        body text NOT NULL,
        purpose text,
        media_urls text[] NOT NULL,
        warnings jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, template_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE custom_values (
        tenant_id uuid NOT NULL,
        key text NOT NULL,
        value text NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, key)
      )`);
    await queryRunner.query(`
      CREATE TABLE template_request_outcomes (
        request_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        subject text NOT NULL,
        type text NOT NULL,
        version integer,
        created boolean,
        reason text,
        occurred_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE template_request_outcomes`);
    await queryRunner.query(`DROP TABLE custom_values`);
    await queryRunner.query(`DROP TABLE template_versions`);
    await queryRunner.query(`DROP TABLE templates`);
  }
}
