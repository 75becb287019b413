import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messaging's own projection of registration's facts (issue 12 §2), what the sender-registration
 * gate and the throughput gate look at: per tenant number its campaign assignment, per campaign
 * its status and use case, per brand its entity type and vetting score. Written only by
 * SenderRegistrationProjection from `registration.registrations.events.v1`, rebuilt from it.
 * `changed_at` is the time of the fact a row is at: facts of one number arrive on two streams
 * (its assignment's and its campaign's), so a fact older than the row changes nothing.
 */
export class MessagingSenderRegistrations1768010000000 implements MigrationInterface {
  name = 'MessagingSenderRegistrations1768010000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sender_registration_brands (
        brand_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        entity_type text,
        vetting_score integer CHECK (vetting_score BETWEEN 0 AND 100),
        vetted_at timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE sender_registration_campaigns (
        campaign_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        brand_id uuid NOT NULL,
        usecase text NOT NULL,
        status text NOT NULL
          CHECK (status IN ('pending', 'approved', 'rejected', 'suspended', 'expired')),
        changed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE sender_registration_numbers (
        tenant_id uuid NOT NULL,
        phone_number text NOT NULL,
        campaign_id uuid NOT NULL,
        assignment text NOT NULL CHECK (assignment IN ('pending', 'provisioned', 'failed')),
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (tenant_id, phone_number)
      )`);
    await queryRunner.query(`
      CREATE INDEX sender_registration_numbers_campaign
        ON sender_registration_numbers (campaign_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sender_registration_numbers`);
    await queryRunner.query(`DROP TABLE sender_registration_campaigns`);
    await queryRunner.query(`DROP TABLE sender_registration_brands`);
  }
}
