import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Toll-free verifications (issue 12 §1): the request as given, textplane's status beside the
 * carrier's raw one (`Waiting For Telnyx`, `In Progress`, `Verified`, ...), its reasons, its
 * status history and the numbers verified so far. Written only by the trust projection.
 */
export class TrustTollFreeVerifications1768500002000 implements MigrationInterface {
  name = 'TrustTollFreeVerifications1768500002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE trust_toll_free_verifications (
        verification_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        request_id uuid NOT NULL,
        details jsonb NOT NULL,
        phone_numbers jsonb NOT NULL,
        verified_numbers jsonb NOT NULL,
        status text NOT NULL,
        carrier_status text,
        carrier_verification_id text,
        reasons jsonb NOT NULL,
        errors jsonb NOT NULL,
        history jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX trust_toll_free_verifications_by_tenant ON trust_toll_free_verifications
         (tenant_id, created_at DESC, verification_id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE trust_toll_free_verifications`);
  }
}
