import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contact import jobs (`/v1/contact-imports`): the job's progress, projected from the gateway's
 * own import events (inline) and messaging's chunk facts, and the rows it rejected.
 */
export class ContactImportReadModels1768050000000 implements MigrationInterface {
  name = 'ContactImportReadModels1768050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE contact_imports (
        import_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        format text NOT NULL,
        status text NOT NULL,
        rows_read integer NOT NULL,
        submitted_rows integer NOT NULL,
        upserted integer NOT NULL,
        rejected integer NOT NULL,
        chunks integer NOT NULL,
        processed_chunks integer[] NOT NULL,
        created_at timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX contact_imports_newest_first ON contact_imports (tenant_id, created_at DESC, import_id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE contact_import_rejected_rows (
        import_id uuid NOT NULL,
        row integer NOT NULL,
        reason text NOT NULL,
        field text,
        message text NOT NULL,
        PRIMARY KEY (import_id, row)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE contact_import_rejected_rows`);
    await queryRunner.query(`DROP TABLE contact_imports`);
  }
}
