import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tenants' settings (`/v1/settings`, gateway.TenantSettingsSet.v1): {} is every default. */
export class TenantSettings1768200000000 implements MigrationInterface {
  name = 'TenantSettings1768200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE tenants ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'::jsonb`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tenants DROP COLUMN settings`);
  }
}
