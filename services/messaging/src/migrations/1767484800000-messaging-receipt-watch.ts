import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages handed to the carrier whose outcome is not known yet (`sending`, `sent`), so that a
 * receipt lost anywhere is asked for at the carrier. A projection of the message streams.
 */
export class MessagingReceiptWatch1767484800000 implements MigrationInterface {
  name = 'MessagingReceiptWatch1767484800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE receipt_watch (
        message_id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        carrier_message_id text,
        submitted_at timestamptz NOT NULL,
        checks integer NOT NULL DEFAULT 0,
        next_check_at timestamptz,
        claimed_until timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX receipt_watch_due ON receipt_watch ((COALESCE(next_check_at, submitted_at)))`,
    );
    // Messages already waiting for their outcome when this table arrives are watched too.
    await queryRunner.query(`
      INSERT INTO receipt_watch (message_id, tenant_id, carrier_message_id, submitted_at)
      SELECT (s.data->>'messageId')::uuid, (s.data->>'tenantId')::uuid,
             (SELECT x.data->>'carrierMessageId' FROM events x
              WHERE x.stream_id = s.stream_id AND x.type = 'messaging.MessageSubmitted.v1' LIMIT 1),
             (s.data->>'startedAt')::timestamptz
      FROM events s
      JOIN (SELECT DISTINCT ON (stream_id) stream_id, type FROM events
            WHERE stream_type = 'message' ORDER BY stream_id, version DESC) last
        ON last.stream_id = s.stream_id
      WHERE s.type = 'messaging.MessageSubmissionStarted.v1'
        AND last.type IN ('messaging.MessageSubmissionStarted.v1', 'messaging.MessageSubmitted.v1',
                          'messaging.MessageSent.v1')
      ON CONFLICT (message_id) DO NOTHING`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE receipt_watch`);
  }
}
