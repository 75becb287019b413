import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The throughput ledger (issue 12 §3): what has been let through against each carrier and
 * account limit, so every messaging instance checks and counts a send against the same figures.
 * One row per limit counter (`counter_key`: the limit and what it is kept per, e.g. a campaign and
 * a channel) and slot: for a sliding window, a short bucket of sends (`slot_at` its end, so a send
 * is never counted earlier than it went); for the T-Mobile day, the Pacific day (`slot_at` its
 * midnight). `expires_at`: when the row stops counting (slot + window, or the day's end); rows
 * past it are pruned. The (counter_key, expires_at) index serves the ledger's read of the live
 * rows of the counters it locked; (expires_at) the sweep of counters no longer used.
 */
export class MessagingThroughputCounts1768100000000 implements MigrationInterface {
  name = 'MessagingThroughputCounts1768100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE throughput_counts (
        counter_key text NOT NULL,
        slot_at timestamptz NOT NULL,
        units integer NOT NULL CHECK (units > 0),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (counter_key, slot_at)
      )`);
    await queryRunner.query(
      `CREATE INDEX throughput_counts_live ON throughput_counts (counter_key, expires_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX throughput_counts_expiry ON throughput_counts (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE throughput_counts`);
  }
}
