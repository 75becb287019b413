import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A review resolution claims its review (status `resolving`, with the claiming request) in the
 * transaction that records the request, so competing resolutions cannot both be accepted. The
 * projection of the ledger's RevocationReviewResolved then sets it `resolved`.
 */
export class RevocationReviewClaims1767600000000 implements MigrationInterface {
  name = 'RevocationReviewClaims1767600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE revocation_reviews ADD COLUMN resolution_request_id uuid`);
    // Reviews still waiting for the ledger count as open for a phone.
    await queryRunner.query(`DROP INDEX revocation_reviews_phone`);
    await queryRunner.query(
      `CREATE INDEX revocation_reviews_phone ON revocation_reviews (tenant_id, phone) WHERE status IN ('open', 'resolving')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX revocation_reviews_phone`);
    await queryRunner.query(
      `CREATE INDEX revocation_reviews_phone ON revocation_reviews (tenant_id, phone) WHERE status = 'open'`,
    );
    await queryRunner.query(
      `UPDATE revocation_reviews SET status = 'open' WHERE status = 'resolving'`,
    );
    await queryRunner.query(`ALTER TABLE revocation_reviews DROP COLUMN resolution_request_id`);
  }
}
