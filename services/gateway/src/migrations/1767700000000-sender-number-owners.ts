import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sender number belongs to at most one tenant: the tenants read model keeps each number as a
 * row whose primary key is the number, written by the tenant projection in the transaction that
 * appends the tenant event, so of two concurrent claims exactly one commits. Numbers two tenants
 * already share (claimed before this rule) stay with the tenant that was created first.
 */
export class SenderNumberOwners1767700000000 implements MigrationInterface {
  name = 'SenderNumberOwners1767700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sender_numbers (
        phone_number text PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        added_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX sender_numbers_tenant ON sender_numbers (tenant_id, added_at, phone_number)`,
    );
    await queryRunner.query(`
      INSERT INTO sender_numbers (phone_number, tenant_id, added_at)
      SELECT DISTINCT ON (number) number, t.id, t.created_at
        FROM tenants t, unnest(t.sender_numbers) AS number
       ORDER BY number, t.created_at, t.id`);
    await queryRunner.query(`ALTER TABLE tenants DROP COLUMN sender_numbers`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE tenants ADD COLUMN sender_numbers text[] NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`
      UPDATE tenants t SET sender_numbers = ARRAY(
        SELECT s.phone_number FROM sender_numbers s WHERE s.tenant_id = t.id
         ORDER BY s.added_at, s.phone_number)`);
    await queryRunner.query(`ALTER TABLE tenants ALTER COLUMN sender_numbers DROP DEFAULT`);
    await queryRunner.query(`DROP TABLE sender_numbers`);
  }
}
