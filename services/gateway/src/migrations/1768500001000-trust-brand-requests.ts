import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A brand takes more requests after its registration (issue 12 §1: the sole proprietor's OTP and
 * its verification, an external vetting), appended on its stream: `trust_brands` counts the
 * stream's version (a brand recorded so far has its one request) and shows the latest OTP and
 * vetting request with their outcome.
 */
export class TrustBrandRequests1768500001000 implements MigrationInterface {
  name = 'TrustBrandRequests1768500001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE trust_brands ADD COLUMN stream_version integer NOT NULL DEFAULT 1`,
    );
    await queryRunner.query(`ALTER TABLE trust_brands ALTER COLUMN stream_version DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE trust_brands ADD COLUMN otp jsonb`);
    await queryRunner.query(`ALTER TABLE trust_brands ADD COLUMN vetting jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE trust_brands DROP COLUMN vetting`);
    await queryRunner.query(`ALTER TABLE trust_brands DROP COLUMN otp`);
    await queryRunner.query(`ALTER TABLE trust_brands DROP COLUMN stream_version`);
  }
}
