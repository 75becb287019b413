import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `number_lookups` (issue 12 §4, `GET /v1/numbers/{phone}/lookup`): what messaging's number
 * validation learned of a number, written only by NumberLookupProjection from
 * messaging.number-lookups.events.v1, rebuilt from it.
 */
export class NumberLookupReadModel1768600004000 implements MigrationInterface {
  name = 'NumberLookupReadModel1768600004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE number_lookups (
        phone_number text COLLATE "C" PRIMARY KEY,
        line_type text,
        carrier text,
        carrier_name text,
        carrier_line_type text,
        looked_up_at timestamptz,
        failure_reason text,
        failure_detail text,
        failed_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE number_lookups`);
  }
}
