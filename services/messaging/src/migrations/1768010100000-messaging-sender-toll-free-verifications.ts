import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per tenant toll-free number, the status of its latest toll-free verification (issue 12 §2:
 * a toll-free sender needs an approved one), from registration's TollFreeVerification* facts.
 * Written only by SenderRegistrationProjection, rebuilt from registration's topic; `changed_at`
 * is the time of the fact the row is at (a number may be in more than one verification, each
 * its own stream).
 */
export class MessagingSenderTollFreeVerifications1768010100000 implements MigrationInterface {
  name = 'MessagingSenderTollFreeVerifications1768010100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sender_toll_free_verifications (
        tenant_id uuid NOT NULL,
        phone_number text NOT NULL,
        verification_id uuid NOT NULL,
        status text NOT NULL
          CHECK (status IN ('pending', 'approved', 'rejected', 'suspended', 'expired')),
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, phone_number)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sender_toll_free_verifications`);
  }
}
