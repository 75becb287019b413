import pg from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './event-rows.js';
import { type EventCheck, type StoredEvent, unrepresentableInstant } from './events.js';
import { OUTBOX_CHANNEL } from './migrations/1767225600000-event-store-schema.js';
import type { Upcasters } from './upcasters.js';

/** Dead outbox rows cleared by the relay's own VACUUM, at most this many at a time. */
const VACUUM_EVERY_DELETED_ROWS = 5_000;

/** Publishes the batch in order; resolves only once every event is acknowledged, else throws. */
export type EventPublisher = (events: StoredEvent[]) => Promise<void>;

export interface OutboxRelayOptions {
  /** Most events per publish call (default 500). */
  batchSize?: number;
  /** Polling fallback when no notification arrives, and lock retry period (default 1000 ms). */
  idleDelayMs?: number;
  onError?: (error: unknown) => void;
  /** Same registry as the EventStore's, so publishers see current shapes only. */
  upcasters?: Upcasters;
  /**
   * The publisher's contract check (the EventStore's `check`). An event failing it, or whose
   * occurredAt no RFC 3339 timestamp can hold, is never handed to the publisher, which would
   * refuse the batch on every attempt and so hold up every event after it forever: it is moved
   * to `outbox_quarantine` with the reason, and the events after it are published. Only events
   * recorded before the store checked at append (or under another contract) can get there.
   */
  check?: EventCheck;
  /** Told of each quarantined event (default: console.error); for a loud log and a metric. */
  onQuarantined?: (event: StoredEvent, reason: string) => void;
}

/** Session advisory lock key: one relay per database (advisory locks are database-scoped). */
const RELAY_LOCK_KEY = '5118170310021746913';

/**
 * Why per-stream order holds although transactions may commit out of global_position order:
 * - Version n+1 of a stream can only be inserted once version n is committed: before that, the
 *   writer of n+1 reads MAX(version) = n-1, picks n and blocks on UNIQUE(stream_id, version)
 *   until n commits, then fails. So n's global_position (taken at its insert) is lower than
 *   n+1's (taken later), and n's outbox row committed no later than n+1's.
 * - Each batch reads committed outbox rows in global_position order with a fresh snapshot. If
 *   the snapshot shows n+1, it shows n too (unless n was already published and deleted), and n
 *   sorts first, so it is in the same batch, earlier, or in a previous batch.
 * - Rows are deleted only after the publisher acknowledged the whole batch, on the connection
 *   holding the lock. A crash before the delete republishes the batch (at least once; the
 *   consumers' inbox drops the duplicates). A rolled-back append left no outbox row.
 * A relay that loses its connection mid-publish also loses the lock and cannot delete; the next
 * leader republishes from the same rows.
 */
const BATCH_SQL = `
  SELECT ${EVENT_COLUMNS}
  FROM outbox o JOIN events e ON e.global_position = o.global_position
  ORDER BY o.global_position
  LIMIT $1`;

/** One statement, so a batch leaves the outbox and its unpublishable events enter quarantine together. */
const SETTLE_BATCH_SQL = `
  WITH quarantined AS (
    INSERT INTO outbox_quarantine (global_position, reason)
    SELECT * FROM unnest($2::bigint[], $3::text[])
    ON CONFLICT (global_position) DO UPDATE SET reason = EXCLUDED.reason
  )
  DELETE FROM outbox WHERE global_position = ANY($1::bigint[])`;

interface LeaderSession {
  queryRunner: QueryRunner;
  client: pg.Client;
  onNotification: (message: pg.Notification) => void;
}

export class OutboxRelay {
  private readonly batchSize: number;
  private readonly idleDelayMs: number;
  private readonly onError: (error: unknown) => void;
  private readonly registry: Upcasters | undefined;
  private readonly check: EventCheck | undefined;
  private readonly onQuarantined: (event: StoredEvent, reason: string) => void;

  private session: LeaderSession | undefined;
  private deletedSinceVacuum = 0;
  private vacuuming: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** Serialises batches: the loop and direct drainOnce calls never overlap. */
  private tail: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;
  private wokenWhileBusy = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publish: EventPublisher,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.idleDelayMs = options.idleDelayMs ?? 1000;
    this.onError =
      options.onError ??
      ((error) => {
        console.error('Outbox relay error', error);
      });
    this.registry = options.upcasters;
    this.check = options.check;
    this.onQuarantined =
      options.onQuarantined ??
      ((event, reason) => {
        console.error(
          `Outbox relay quarantined event ${event.eventId} (${event.type}, stream ${event.streamId}, position ${event.globalPosition}): ${reason}`,
        );
      });
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError('batchSize must be a positive integer');
    }
  }

  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Waits for the in-flight batch, then gives up the lock so another relay can take over. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp();
    await this.loop;
    this.loop = undefined;
    await this.exclusive(() => this.closeSession());
    await this.vacuuming;
  }

  /**
   * Publishes at most one batch and returns how many events it published: 0 when the outbox is
   * empty or another relay holds the lock. Takes the lock when free and keeps it until stop().
   */
  drainOnce(): Promise<number> {
    return this.exclusive(() => this.publishBatch());
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let published = 0;
      try {
        published = await this.drainOnce();
      } catch (error) {
        this.onError(error);
      }
      // A full batch means more is probably waiting; anything less means caught up (or failing).
      if (published < this.batchSize) await this.idle();
    }
  }

  private async publishBatch(): Promise<number> {
    const session = await this.leaderSession();
    if (session === undefined) return 0;
    const rows = await session.queryRunner.manager.query<EventRow[]>(BATCH_SQL, [this.batchSize]);
    if (rows.length === 0) return 0;
    const publishable: StoredEvent[] = [];
    const unpublishable: Array<{ event: StoredEvent; reason: string }> = [];
    for (const row of rows) {
      const event = toStoredEvent(row, this.registry);
      const reason = this.unpublishableReason(event);
      if (reason === undefined) publishable.push(event);
      else unpublishable.push({ event, reason });
    }
    if (publishable.length > 0) await this.publish(publishable);
    await session.queryRunner.manager.query(SETTLE_BATCH_SQL, [
      rows.map((row) => row.global_position),
      unpublishable.map(({ event }) => event.globalPosition.toString()),
      unpublishable.map(({ reason }) => reason),
    ]);
    for (const { event, reason } of unpublishable) this.onQuarantined(event, reason);
    this.deletedSinceVacuum += rows.length;
    if (this.deletedSinceVacuum >= VACUUM_EVERY_DELETED_ROWS && this.vacuuming === undefined) {
      this.deletedSinceVacuum = 0;
      // The outbox is a queue: every row is deleted soon after it is written. Left to
      // autovacuum (which a server may have turned off), its dead rows pile up and every
      // batch query wades through them. The leader clears them itself, on another connection
      // so publishing goes on meanwhile; one VACUUM at a time.
      this.vacuuming = this.dataSource
        .query('VACUUM outbox')
        .then(
          () => undefined,
          (error: unknown) => this.onError(error),
        )
        .finally(() => {
          this.vacuuming = undefined;
        });
    }
    return rows.length;
  }

  private unpublishableReason(event: StoredEvent): string | undefined {
    const instant = unrepresentableInstant(event.occurredAt);
    if (instant !== undefined) return instant;
    const result = this.check?.(event.type, event.data);
    return result === undefined || result.valid ? undefined : result.reason;
  }

  /** The lock-holding connection, opened on demand; undefined while another relay leads. */
  private async leaderSession(): Promise<LeaderSession | undefined> {
    if (this.session !== undefined) {
      if (!this.session.queryRunner.isReleased) return this.session;
      // TypeORM released it after a connection error: the lock went with the connection.
      this.session = undefined;
    }
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      const connection: unknown = await queryRunner.connect();
      if (!(connection instanceof pg.Client)) {
        throw new Error('OutboxRelay needs a DataSource using the node-postgres driver');
      }
      const locked = await queryRunner.manager.query<Array<{ locked: boolean }>>(
        'SELECT pg_try_advisory_lock($1::bigint) AS locked',
        [RELAY_LOCK_KEY],
      );
      if (locked[0]?.locked !== true) {
        await queryRunner.release();
        return undefined;
      }
      const onNotification = (message: pg.Notification): void => {
        if (message.channel === OUTBOX_CHANNEL) this.wakeUp();
      };
      connection.on('notification', onNotification);
      await queryRunner.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.session = { queryRunner, client: connection, onNotification };
      return this.session;
    } catch (error) {
      await this.dropConnection(queryRunner);
      throw error;
    }
  }

  private async closeSession(): Promise<void> {
    const session = this.session;
    if (session === undefined) return;
    this.session = undefined;
    session.client.removeListener('notification', session.onNotification);
    await this.dropConnection(session.queryRunner);
  }

  /**
   * Ends the connection rather than returning it to the pool: ending the session is what
   * releases the advisory lock and the LISTEN for sure, and the pool discards ended clients.
   */
  private async dropConnection(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.isReleased) return;
    const connection: unknown = await queryRunner.connect().catch(() => undefined);
    if (connection instanceof pg.Client) await connection.end().catch(() => {});
    await queryRunner.release();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => {});
    return result;
  }

  private idle(): Promise<void> {
    if (this.stopping || this.wokenWhileBusy) {
      this.wokenWhileBusy = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, this.idleDelayMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private wakeUp(): void {
    if (this.wake === undefined) this.wokenWhileBusy = true;
    else this.wake();
  }
}
