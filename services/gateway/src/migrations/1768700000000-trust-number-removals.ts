import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A campaign number's latest removal request (`DELETE /v1/trust/campaigns/{id}/numbers/{phone}`)
 * on its assignment's row of trust_campaign_numbers: null while none was made. Rows from before
 * had none; a rebuild fills it in from the requests and registration's facts.
 */
export class TrustNumberRemovals1768700000000 implements MigrationInterface {
  name = 'TrustNumberRemovals1768700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE trust_campaign_numbers ADD COLUMN removal jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE trust_campaign_numbers DROP COLUMN removal`);
  }
}
