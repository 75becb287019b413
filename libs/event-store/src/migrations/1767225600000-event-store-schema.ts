import type { MigrationInterface, QueryRunner } from 'typeorm';

export const OUTBOX_CHANNEL = 'event_store_outbox';
export const STREAM_VERSION_CONSTRAINT = 'events_stream_id_version_key';

export class EventStoreSchema1767225600000 implements MigrationInterface {
  name = 'EventStoreSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE events (
        global_position bigserial PRIMARY KEY,
        stream_id text NOT NULL,
        stream_type text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        event_id uuid NOT NULL CONSTRAINT events_event_id_key UNIQUE,
        type text NOT NULL,
        schema_version integer NOT NULL DEFAULT 1,
        data jsonb NOT NULL,
        metadata jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ${STREAM_VERSION_CONSTRAINT} UNIQUE (stream_id, version)
      )`);

    // A queue table: rows live for milliseconds, so vacuum it by dead-row count rather than by
    // table-size ratio, or the relay's ordered index scan wades through dead entries.
    await queryRunner.query(`
      CREATE TABLE outbox (global_position bigint PRIMARY KEY)
      WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000)`);

    // NOTIFY is transactional: the relay is woken only when the appending transaction commits.
    // Statement-level, and Postgres folds identical notifications of one transaction into one.
    await queryRunner.query(`
      CREATE FUNCTION event_store_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM queued) THEN
          PERFORM pg_notify('${OUTBOX_CHANNEL}', '');
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
      REFERENCING NEW TABLE AS queued
      FOR EACH STATEMENT EXECUTE FUNCTION event_store_notify_outbox()`);

    await queryRunner.query(`
      CREATE TABLE inbox (
        consumer_group text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE inbox');
    await queryRunner.query('DROP TABLE outbox');
    await queryRunner.query('DROP FUNCTION event_store_notify_outbox()');
    await queryRunner.query('DROP TABLE events');
  }
}
