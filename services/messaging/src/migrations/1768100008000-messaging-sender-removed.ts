import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tenant number removed from its campaign (NumberUnassigned) is `removed`, no longer written as
 * a `failed` assignment: both leave the number on no campaign, but the gate's reason says which.
 */
export class MessagingSenderRemoved1768100008000 implements MigrationInterface {
  name = 'MessagingSenderRemoved1768100008000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE sender_registration_numbers
        DROP CONSTRAINT sender_registration_numbers_assignment_check,
        ADD CONSTRAINT sender_registration_numbers_assignment_check
          CHECK (assignment IN ('pending', 'provisioned', 'failed', 'removed'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE sender_registration_numbers SET assignment = 'failed' WHERE assignment = 'removed'`);
    await queryRunner.query(`
      ALTER TABLE sender_registration_numbers
        DROP CONSTRAINT sender_registration_numbers_assignment_check,
        ADD CONSTRAINT sender_registration_numbers_assignment_check
          CHECK (assignment IN ('pending', 'provisioned', 'failed'))`);
  }
}
