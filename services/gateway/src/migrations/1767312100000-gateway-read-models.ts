import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The gateway's read models (rebuildable from events) and its idempotency records. */
export class GatewayReadModels1767312100000 implements MigrationInterface {
  name = 'GatewayReadModels1767312100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        brand_name text NOT NULL,
        time_zone text NOT NULL,
        default_sender text NOT NULL,
        sender_numbers text[] NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE api_keys (
        key_hash text PRIMARY KEY,
        key_id uuid NOT NULL UNIQUE,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        label text NOT NULL,
        issued_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        direction text NOT NULL,
        status text NOT NULL,
        to_number text NOT NULL,
        from_number text NOT NULL,
        contact_phone text NOT NULL,
        body text NOT NULL,
        media_urls jsonb NOT NULL,
        purpose text,
        encoding text NOT NULL,
        segments integer NOT NULL,
        carrier_message_id text,
        error_code text,
        error_detail text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        sent_at timestamptz,
        delivered_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX messages_conversation ON messages (tenant_id, contact_phone, created_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE idempotency_records (
        scope text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        status_code integer NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, idempotency_key)
      )`);
    await queryRunner.query(
      `CREATE INDEX idempotency_records_created_at ON idempotency_records (created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_records`);
    await queryRunner.query(`DROP TABLE messages`);
    await queryRunner.query(`DROP TABLE api_keys`);
    await queryRunner.query(`DROP TABLE tenants`);
  }
}
