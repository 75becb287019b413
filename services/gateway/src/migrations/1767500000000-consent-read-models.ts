import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consent read models (projected from `consent.consents.events.v1`, rebuildable), the
 * compliance outcome of messages (blocked with a reason, or scheduled until `send_at`) and the
 * tenant's compliance profile.
 */
export class ConsentReadModels1767500000000 implements MigrationInterface {
  name = 'ConsentReadModels1767500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE consent_ledger (
        tenant_id uuid NOT NULL,
        phone text NOT NULL,
        sequence integer NOT NULL,
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        request_id uuid,
        PRIMARY KEY (tenant_id, phone, sequence)
      )`);
    await queryRunner.query(
      `CREATE INDEX consent_ledger_request ON consent_ledger (tenant_id, request_id) WHERE request_id IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE consent_standings (
        tenant_id uuid NOT NULL,
        phone text NOT NULL,
        standing jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, phone)
      )`);
    await queryRunner.query(`
      CREATE TABLE revocation_reviews (
        review_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        phone text NOT NULL,
        message jsonb NOT NULL,
        confidence double precision NOT NULL,
        cue text NOT NULL,
        status text NOT NULL,
        decision text,
        resolved_by text,
        note text,
        opened_at timestamptz NOT NULL,
        resolved_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX revocation_reviews_queue ON revocation_reviews (tenant_id, status, opened_at, review_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX revocation_reviews_phone ON revocation_reviews (tenant_id, phone) WHERE status = 'open'`,
    );
    await queryRunner.query(`
      ALTER TABLE messages
        ADD COLUMN reason text,
        ADD COLUMN reasons jsonb,
        ADD COLUMN reason_detail text,
        ADD COLUMN send_at timestamptz`);
    await queryRunner.query(`ALTER TABLE tenants ADD COLUMN compliance jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tenants DROP COLUMN compliance`);
    await queryRunner.query(`
      ALTER TABLE messages
        DROP COLUMN send_at,
        DROP COLUMN reason_detail,
        DROP COLUMN reasons,
        DROP COLUMN reason`);
    await queryRunner.query(`DROP TABLE revocation_reviews`);
    await queryRunner.query(`DROP TABLE consent_standings`);
    await queryRunner.query(`DROP TABLE consent_ledger`);
  }
}
