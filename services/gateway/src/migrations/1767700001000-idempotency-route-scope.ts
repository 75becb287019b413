import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An Idempotency-Key is scoped to its caller and its route template: the key becomes
 * (scope, route, idempotency_key). Records kept from before have no route (''), which no request
 * looks up: they are not replayed any more and expire with the 24 h retention.
 */
export class IdempotencyRouteScope1767700001000 implements MigrationInterface {
  name = 'IdempotencyRouteScope1767700001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE idempotency_records ADD COLUMN route text NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(`ALTER TABLE idempotency_records ALTER COLUMN route DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE idempotency_records DROP CONSTRAINT idempotency_records_pkey`,
    );
    await queryRunner.query(
      `ALTER TABLE idempotency_records ADD PRIMARY KEY (scope, route, idempotency_key)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Two routes may hold the same key now; the older scope can keep only one of them.
    await queryRunner.query(`
      DELETE FROM idempotency_records r USING idempotency_records newer
       WHERE r.scope = newer.scope AND r.idempotency_key = newer.idempotency_key
         AND (r.created_at, r.route) < (newer.created_at, newer.route)`);
    await queryRunner.query(
      `ALTER TABLE idempotency_records DROP CONSTRAINT idempotency_records_pkey`,
    );
    await queryRunner.query(`ALTER TABLE idempotency_records DROP COLUMN route`);
    await queryRunner.query(
      `ALTER TABLE idempotency_records ADD PRIMARY KEY (scope, idempotency_key)`,
    );
  }
}
