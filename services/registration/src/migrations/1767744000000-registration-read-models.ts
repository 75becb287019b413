import { tenantProfilesTable } from '@textplane/replicas';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables registration keeps beside its event store. Each can be rebuilt from events. */
export class RegistrationReadModels1767744000000 implements MigrationInterface {
  name = 'RegistrationReadModels1767744000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // From gateway.tenants.events.v1: which numbers each tenant owns.
    await queryRunner.query(tenantProfilesTable('senders'));
    // Carrier ids to textplane's streams, for status webhooks and polls (written inline).
    await queryRunner.query(`
      CREATE TABLE carrier_references (
        kind text NOT NULL CHECK (kind IN ('brand', 'campaign', 'phone_number')),
        carrier_id text NOT NULL,
        stream_id text NOT NULL,
        tenant_id uuid NOT NULL,
        settled boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (kind, carrier_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX carrier_references_unsettled ON carrier_references (updated_at) WHERE NOT settled`,
    );
    // When the polling fallback last read each resource: its own bookkeeping, not a projection.
    await queryRunner.query(`
      CREATE TABLE registration_polls (
        kind text NOT NULL,
        carrier_id text NOT NULL,
        polled_at timestamptz NOT NULL,
        PRIMARY KEY (kind, carrier_id)
      )`);
    // A brand's campaigns, for the sole proprietor's one (written inline).
    await queryRunner.query(`
      CREATE TABLE brand_campaigns (
        brand_id uuid NOT NULL,
        campaign_id uuid NOT NULL,
        PRIMARY KEY (brand_id, campaign_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE brand_campaigns`);
    await queryRunner.query(`DROP TABLE registration_polls`);
    await queryRunner.query(`DROP TABLE carrier_references`);
    await queryRunner.query(`DROP TABLE tenant_profiles`);
  }
}
