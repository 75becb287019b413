import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's conversations read model: one row per tenant and phone number (the other party),
 * a projection of messaging's messages topic and the gateway's read marks (conversations/).
 * Listed by last activity then phone, newest first; a status change finds its row by the latest
 * message's id.
 */
export class ConversationReadModel1768100500000 implements MigrationInterface {
  name = 'ConversationReadModel1768100500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE conversations (
        tenant_id uuid NOT NULL,
        phone text COLLATE "C" NOT NULL,
        sender_number text NOT NULL,
        last_message jsonb NOT NULL,
        last_message_id uuid NOT NULL,
        last_activity_at timestamptz NOT NULL,
        unread jsonb NOT NULL,
        unread_count integer NOT NULL,
        read_up_to_at timestamptz,
        read_up_to_id uuid,
        last_read_at timestamptz,
        PRIMARY KEY (tenant_id, phone)
      )`);
    await queryRunner.query(
      `CREATE INDEX conversations_recent ON conversations (tenant_id, last_activity_at DESC, phone DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX conversations_unread ON conversations (tenant_id, last_activity_at DESC, phone DESC)
       WHERE unread_count > 0`,
    );
    await queryRunner.query(
      `CREATE INDEX conversations_last_message ON conversations (last_message_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE conversations`);
  }
}
