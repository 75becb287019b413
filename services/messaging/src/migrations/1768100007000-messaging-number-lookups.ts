import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Number validation (issue 12 §4). `number_lookups`: what messaging knows of a number, its last
 * successful lookup and its last failure after it, written only by NumberLookupProjection from
 * the number's lookup events (stream `number-lookup-<phone>`), rebuilt from them.
 * `number_lookup_claims`: which process is looking a number up until when (bookkeeping, not a
 * read model: a lost row only lets a number be looked up once more).
 */
export class MessagingNumberLookups1768100007000 implements MigrationInterface {
  name = 'MessagingNumberLookups1768100007000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE number_lookups (
        phone_number text PRIMARY KEY,
        line_type text CHECK (line_type IN ('mobile', 'landline', 'voip', 'toll_free', 'unknown')),
        carrier text CHECK (carrier IN ('att', 'tmobile', 'verizon', 'other')),
        carrier_name text,
        looked_up_at timestamptz,
        failure_reason text,
        failure_detail text,
        failed_at timestamptz,
        CHECK ((line_type IS NULL) = (looked_up_at IS NULL) AND (carrier IS NULL) = (looked_up_at IS NULL)),
        CHECK ((failure_reason IS NULL) = (failed_at IS NULL))
      )`);
    await queryRunner.query(`
      CREATE TABLE number_lookup_claims (
        phone_number text PRIMARY KEY,
        claimed_until timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE number_lookup_claims`);
    await queryRunner.query(`DROP TABLE number_lookups`);
  }
}
