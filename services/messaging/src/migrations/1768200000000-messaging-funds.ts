import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The funds gate's input (issue 13), written only by FundsProjection from billing.wallets and
 * rebuilt from it: billing's last answer about each message's hold, with how many answers came
 * (billing answers each FundsHoldRequested once), and per tenant the ledger sequence of its last
 * credit and its funds wait limit. A dispatch-queue row may now wait for an event until a time
 * (a message waiting for a credit is looked at again when its funds wait limit passes), so it
 * waits for a time, an event, or an event until a time; never for nothing. And it keeps the trace
 * of the message's request (`traceparent`), so the facts recorded when it is released (a text
 * released by billing's answer, a schedule come due) stay on the caller's trace.
 */
export class MessagingFunds1768200000000 implements MigrationInterface {
  name = 'MessagingFunds1768200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE funds_holds (
        message_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('placed', 'rejected')),
        reason text CHECK (reason IN ('insufficient_funds', 'destination_not_priced')),
        sequence bigint NOT NULL,
        answers integer NOT NULL,
        answered_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE tenant_funds (
        tenant_id uuid PRIMARY KEY,
        last_credit_sequence bigint,
        funds_wait_limit_seconds integer
      )`);
    await queryRunner.query(`
      ALTER TABLE dispatch_queue DROP CONSTRAINT dispatch_queue_waits_for_one,
        ADD CONSTRAINT dispatch_queue_waits_for_one
          CHECK (release_at IS NOT NULL OR waiting_for IS NOT NULL)`);
    await queryRunner.query(`ALTER TABLE dispatch_queue ADD COLUMN traceparent text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dispatch_queue DROP COLUMN traceparent`);
    // A row waiting for an event until a time waits for the event alone again.
    await queryRunner.query(
      `UPDATE dispatch_queue SET release_at = NULL
       WHERE release_at IS NOT NULL AND waiting_for IS NOT NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE dispatch_queue DROP CONSTRAINT dispatch_queue_waits_for_one,
        ADD CONSTRAINT dispatch_queue_waits_for_one
          CHECK ((release_at IS NULL) <> (waiting_for IS NULL))`);
    await queryRunner.query(`DROP TABLE tenant_funds`);
    await queryRunner.query(`DROP TABLE funds_holds`);
  }
}
