import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Projections messaging keeps beside its event store. Each can be rebuilt from events. */
export class MessagingReadModels1767312000000 implements MigrationInterface {
  name = 'MessagingReadModels1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenant_numbers (
        phone_number text PRIMARY KEY,
        tenant_id uuid NOT NULL,
        added_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE carrier_message_index (
        carrier_message_id text PRIMARY KEY,
        message_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        traceparent text
      )`);
    // Receipts that arrived before the carrier's acceptance was recorded wait here.
    await queryRunner.query(`
      CREATE TABLE parked_carrier_reports (
        id bigserial PRIMARY KEY,
        carrier_message_id text NOT NULL,
        report jsonb NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX parked_carrier_reports_carrier_message_id ON parked_carrier_reports (carrier_message_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE conversations (
        tenant_id uuid NOT NULL,
        contact_phone text NOT NULL,
        last_message_id uuid NOT NULL,
        last_message_at timestamptz NOT NULL,
        message_count integer NOT NULL,
        PRIMARY KEY (tenant_id, contact_phone)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE conversations`);
    await queryRunner.query(`DROP TABLE parked_carrier_reports`);
    await queryRunner.query(`DROP TABLE carrier_message_index`);
    await queryRunner.query(`DROP TABLE tenant_numbers`);
  }
}
