import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Trust Center's read models (issue 12 §1): brands, campaigns and the numbers assigned to
 * them, each with textplane's status beside the carrier's raw one, its reasons and its status
 * history. Written only by the trust projection (src/trust/trust.projection.ts): the gateway's
 * requests inline, registration's facts from registration.registrations.events.v1.
 */
export class TrustReadModels1768500000000 implements MigrationInterface {
  name = 'TrustReadModels1768500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE trust_brands (
        brand_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        request_id uuid NOT NULL,
        details jsonb NOT NULL,
        status text NOT NULL,
        carrier_status text,
        carrier_brand_id text,
        tcr_brand_id text,
        vetting_score integer,
        vetting_provider text,
        vetted_at timestamptz,
        reasons jsonb NOT NULL,
        errors jsonb NOT NULL,
        history jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX trust_brands_by_tenant ON trust_brands (tenant_id, created_at DESC, brand_id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE trust_campaigns (
        campaign_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        request_id uuid NOT NULL,
        details jsonb NOT NULL,
        status text NOT NULL,
        carrier_status text,
        carrier_campaign_id text,
        tcr_campaign_id text,
        carrier_accepted boolean NOT NULL,
        stream_version integer NOT NULL,
        reasons jsonb NOT NULL,
        errors jsonb NOT NULL,
        history jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX trust_campaigns_by_tenant ON trust_campaigns (tenant_id, created_at DESC, campaign_id DESC)`,
    );
    await queryRunner.query(`CREATE INDEX trust_campaigns_by_brand ON trust_campaigns (brand_id)`);
    await queryRunner.query(`
      CREATE TABLE trust_campaign_numbers (
        request_id uuid PRIMARY KEY,
        campaign_id uuid NOT NULL,
        phone_number text NOT NULL,
        tenant_id uuid NOT NULL,
        status text NOT NULL,
        carrier_status text,
        reasons jsonb NOT NULL,
        errors jsonb NOT NULL,
        history jsonb NOT NULL,
        requested_at timestamptz NOT NULL,
        started_at timestamptz,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX trust_campaign_numbers_by_campaign ON trust_campaign_numbers (campaign_id, phone_number, requested_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX trust_campaign_numbers_by_phone ON trust_campaign_numbers (tenant_id, phone_number, requested_at DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE trust_campaign_numbers`);
    await queryRunner.query(`DROP TABLE trust_campaigns`);
    await queryRunner.query(`DROP TABLE trust_brands`);
  }
}
