import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Toll-free verifications beside the 10DLC resources; both tables rebuildable from events. */
export class RegistrationTollFreeVerifications1768600000000 implements MigrationInterface {
  name = 'RegistrationTollFreeVerifications1768600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A verification request is a carrier resource too: webhooks and polls find its stream here.
    await queryRunner.query(
      `ALTER TABLE carrier_references DROP CONSTRAINT carrier_references_kind_check`,
    );
    await queryRunner.query(
      `ALTER TABLE carrier_references ADD CONSTRAINT carrier_references_kind_check
         CHECK (kind IN ('brand', 'campaign', 'phone_number', 'toll_free_verification'))`,
    );
    // A verification's numbers, and whether it still holds them (not rejected or expired): a
    // number is in one live verification at a time. Written inline.
    await queryRunner.query(`
      CREATE TABLE toll_free_verification_numbers (
        verification_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        phone_number text NOT NULL,
        active boolean NOT NULL,
        PRIMARY KEY (verification_id, phone_number)
      )`);
    await queryRunner.query(
      `CREATE INDEX toll_free_verification_numbers_active
         ON toll_free_verification_numbers (tenant_id, phone_number) WHERE active`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE toll_free_verification_numbers`);
    await queryRunner.query(`DELETE FROM carrier_references WHERE kind = 'toll_free_verification'`);
    await queryRunner.query(
      `ALTER TABLE carrier_references DROP CONSTRAINT carrier_references_kind_check`,
    );
    await queryRunner.query(
      `ALTER TABLE carrier_references ADD CONSTRAINT carrier_references_kind_check
         CHECK (kind IN ('brand', 'campaign', 'phone_number'))`,
    );
  }
}
