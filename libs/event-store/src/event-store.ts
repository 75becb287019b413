import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './event-rows.js';
import {
  ConcurrencyError,
  type EventCheck,
  type ExpectedVersion,
  type NewEvent,
  type StoredEvent,
  UnpublishableEventError,
  unrepresentableInstant,
} from './events.js';
import { STREAM_VERSION_CONSTRAINT } from './migrations/1767225600000-event-store-schema.js';
import { transactionAsUnit, unitOfWorkOf } from './unit-of-work.js';
import type { Upcasters } from './upcasters.js';

export interface EventStoreOptions {
  /** Stamps new events with the current schema version and upcasts old ones on read. */
  upcasters?: Upcasters;
  /**
   * The contract check the publisher applies (a service passes its contracts' validator): an
   * event failing it is refused at append with an UnpublishableEventError, in the appending
   * transaction, rather than committed and then refused by the outbox relay on every attempt.
   */
  check?: EventCheck;
}

export interface AppendResult {
  /** Version of the stream after the append (its last event's version). */
  nextVersion: number;
  events: StoredEvent[];
}

interface EventDocument {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: NewEvent['metadata'];
  occurredAt: string | null;
}

interface AppendedRow {
  current_version: number;
  global_position: string | null;
  version: number | null;
  event_id: string | null;
  occurred_at: Date | null;
  recorded_at: Date | null;
}

/**
 * One statement appends the events and queues them in the outbox, so both commit or neither
 * does (the store is the outbox; there is no second write to forget). The expected version is
 * checked against MAX(version), and two writers that both pass the check collide on
 * UNIQUE(stream_id, version): the loser blocks until the winner commits, then fails with 23505,
 * which becomes a ConcurrencyError. Rows are inserted in version order, so inside one stream
 * global_position grows with version (the outbox relay's ordering relies on it).
 */
const APPEND_SQL = `
  WITH current_version AS (
    SELECT COALESCE(MAX(version), 0) AS version FROM events WHERE stream_id = $1
  ),
  appended AS (
    INSERT INTO events
      (stream_id, stream_type, version, event_id, type, schema_version, data, metadata, occurred_at)
    SELECT $1, $2, c.version + e.ordinal, (e.doc->>'eventId')::uuid, e.doc->>'type',
           (e.doc->>'schemaVersion')::integer, e.doc->'data', e.doc->'metadata',
           COALESCE((e.doc->>'occurredAt')::timestamptz, now())
    FROM current_version c, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(doc, ordinal)
    WHERE $4::integer IS NULL OR c.version = $4::integer
    ORDER BY e.ordinal
    RETURNING global_position, version, event_id, occurred_at, recorded_at
  ),
  queued AS (
    INSERT INTO outbox (global_position) SELECT global_position FROM appended
  )
  SELECT c.version AS current_version, a.global_position, a.version, a.event_id,
         a.occurred_at, a.recorded_at
  FROM current_version c LEFT JOIN appended a ON true
  ORDER BY a.version`;

/**
 * APPEND_SQL for many streams at once (a unit of work's appends, one statement for a batch):
 * each stream's expected version is checked against its MAX(version), and if any differs
 * nothing is inserted and the mismatches are returned (a NULL expected version, 'any', compares
 * as no mismatch: `current <> NULL` is not true). Rows go in stream by stream, each in
 * version order, so within a stream global_position grows with version as for one append; two
 * writers that both pass the check collide on UNIQUE(stream_id, version) as there.
 */
const APPEND_MANY_SQL = `
  WITH streams AS MATERIALIZED (
    SELECT s.stream_id, s.stream_type, s.expected, s.position,
           (SELECT COALESCE(MAX(version), 0) FROM events WHERE stream_id = s.stream_id) AS current
    FROM unnest($1::text[], $2::text[], $3::integer[])
         WITH ORDINALITY AS s(stream_id, stream_type, expected, position)
  ),
  appended AS (
    INSERT INTO events
      (stream_id, stream_type, version, event_id, type, schema_version, data, metadata, occurred_at)
    SELECT s.stream_id, s.stream_type, s.current + e.ordinal, (e.doc->>'eventId')::uuid,
           e.doc->>'type', (e.doc->>'schemaVersion')::integer, e.doc->'data', e.doc->'metadata',
           COALESCE((e.doc->>'occurredAt')::timestamptz, now())
    FROM streams s,
         jsonb_array_elements($4::jsonb -> (s.position - 1)::integer) WITH ORDINALITY AS e(doc, ordinal)
    WHERE NOT EXISTS (SELECT 1 FROM streams x WHERE x.current <> x.expected)
    ORDER BY s.position, e.ordinal
    RETURNING global_position
  ),
  queued AS (
    INSERT INTO outbox (global_position) SELECT global_position FROM appended
  )
  SELECT stream_id, expected, current FROM streams WHERE current <> expected`;

/** One stream's part of an appendMany. */
export interface StreamAppend {
  streamId: string;
  streamType: string;
  /** Exact version the stream must be at (0: must not exist yet), or 'any'. */
  expected: ExpectedVersion;
  events: NewEvent[];
}

/**
 * 'any' re-runs a statement that lost a race; every lost round means another writer won, so
 * this bounds the contention tolerated, and stops a retry that can never see the winner
 * (a caller's REPEATABLE READ snapshot) from spinning.
 */
const ANY_VERSION_ATTEMPTS = 32;

export class EventStore {
  private readonly registry: Upcasters | undefined;
  private readonly check: EventCheck | undefined;

  constructor(
    private readonly dataSource: DataSource,
    options: EventStoreOptions = {},
  ) {
    this.registry = options.upcasters;
    this.check = options.check;
  }

  /**
   * Throws UnpublishableEventError for the first of `events` that could never be published (see
   * EventStoreOptions.check and unrepresentableInstant). Every append runs it before writing; a
   * group commit runs it per caller first, so one bad append fails only its own caller.
   */
  assertPublishable(streamId: string, events: readonly NewEvent[]): void {
    for (const event of events) {
      const instant =
        event.occurredAt === undefined ? undefined : unrepresentableInstant(event.occurredAt);
      if (instant !== undefined) throw new UnpublishableEventError(streamId, event.type, instant);
      const result = this.check?.(event.type, event.data ?? null);
      if (result !== undefined && !result.valid) {
        throw new UnpublishableEventError(streamId, event.type, result.reason);
      }
    }
  }

  /**
   * Appends `events` to the end of the stream. Pass `manager` (from `transaction`) to append in
   * the caller's transaction; without it the single statement commits on its own.
   */
  async append(
    streamId: string,
    streamType: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<AppendResult> {
    assertExpectedVersion(expected);
    if ((unitOfWorkOf(manager)?.get(streamId)?.pending.length ?? 0) > 0) {
      // Its flush would then find the stream moved on and fail the transaction every time.
      throw new Error(
        `Stream ${streamId} has events waiting in this transaction's unit of work: append to it through the AggregateStore that decided them`,
      );
    }
    if (events.length === 0) {
      const nextVersion = await this.currentVersion(streamId, manager);
      if (expected !== 'any' && expected !== nextVersion) {
        throw new ConcurrencyError(streamId, expected, nextVersion);
      }
      return { nextVersion, events: [] };
    }

    this.assertPublishable(streamId, events);
    const documents = events.map((event) => this.document(event));
    const parameters = [
      streamId,
      streamType,
      JSON.stringify(documents),
      expected === 'any' ? null : expected,
    ];

    const rows =
      expected === 'any'
        ? await this.insertAtAnyVersion(streamId, parameters, manager)
        : await this.insert(streamId, expected, parameters, manager);

    const stored: StoredEvent[] = [];
    for (const [index, row] of rows.entries()) {
      const document = documents[index];
      if (
        document === undefined ||
        row.global_position === null ||
        row.version === null ||
        row.event_id === null ||
        row.occurred_at === null ||
        row.recorded_at === null
      ) {
        throw new ConcurrencyError(streamId, expected, rows[0]?.current_version);
      }
      stored.push({
        globalPosition: BigInt(row.global_position),
        streamId,
        streamType,
        version: row.version,
        eventId: row.event_id,
        type: document.type,
        data: document.data,
        metadata: document.metadata,
        occurredAt: row.occurred_at,
        recordedAt: row.recorded_at,
      });
    }
    const last = stored.at(-1);
    if (last === undefined || stored.length !== events.length) {
      throw new ConcurrencyError(streamId, expected, rows[0]?.current_version);
    }
    return { nextVersion: last.version, events: stored };
  }

  /**
   * Appends when the transaction's unit of work flushes (with its other appends, in one
   * statement), for a caller that needs no stored positions back. `manager` must be running a
   * unit of work (EventStore.transaction, the inbox, GroupedTransactions), and the stream must
   * not be in it yet; the expected version is checked at the flush.
   */
  appendOnCommit(
    streamId: string,
    streamType: string,
    expected: number,
    events: NewEvent[],
    manager: EntityManager,
  ): void {
    const unit = unitOfWorkOf(manager);
    if (!unit) throw new Error('appendOnCommit needs a transaction running a unit of work');
    if (!Number.isInteger(expected) || expected < 0) {
      throw new RangeError(`Expected version must be an integer >= 0, got ${expected}`);
    }
    if (unit.get(streamId)) throw new Error(`Stream ${streamId} is already in this unit of work`);
    // Refused now, from the caller that made it, rather than at the flush; the flush checks again.
    this.assertPublishable(streamId, events);
    unit.track(streamId, {
      store: this,
      streamType,
      baseVersion: expected,
      state: undefined,
      pending: [...events],
    });
  }

  /**
   * Appends to several streams in one statement, all or nothing: a stream not at its expected
   * version fails the whole call with a ConcurrencyError (inside a transaction the caller then
   * rolls back, as for one append). Each stream appears at most once.
   */
  async appendMany(
    appends: readonly StreamAppend[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const pending = appends.filter((append) => append.events.length > 0);
    if (pending.length === 0) return;
    const streamIds = new Set<string>();
    for (const { streamId, expected, events } of pending) {
      if (streamIds.has(streamId)) throw new RangeError(`Stream ${streamId} appears twice`);
      assertExpectedVersion(expected);
      this.assertPublishable(streamId, events);
      streamIds.add(streamId);
    }
    const parameters = [
      pending.map((append) => append.streamId),
      pending.map((append) => append.streamType),
      pending.map((append) => (append.expected === 'any' ? null : append.expected)),
      JSON.stringify(pending.map((append) => append.events.map((event) => this.document(event)))),
    ];
    let mismatches: Array<{ stream_id: string; expected: number; current: number }>;
    try {
      mismatches = await manager.query(APPEND_MANY_SQL, parameters);
    } catch (error) {
      if (!isStreamVersionConflict(error)) throw error;
      const first = pending[0];
      throw new ConcurrencyError(first?.streamId ?? '', first?.expected ?? 'any', undefined);
    }
    const mismatch = mismatches[0];
    if (mismatch)
      throw new ConcurrencyError(mismatch.stream_id, mismatch.expected, mismatch.current);
  }

  /** Several streams in one read: each stream's events in version order, by stream id. */
  async readStreams(
    streamIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, StoredEvent[]>> {
    const streams = new Map<string, StoredEvent[]>(streamIds.map((id) => [id, []]));
    if (streamIds.length === 0) return streams;
    const rows = await manager.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream_id = ANY($1::text[])
       ORDER BY e.stream_id, e.version`,
      [[...new Set(streamIds)]],
    );
    for (const row of rows) streams.get(row.stream_id)?.push(toStoredEvent(row, this.registry));
    return streams;
  }

  async readStream(
    streamId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StoredEvent[]> {
    const rows = await manager.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.stream_id = $1 ORDER BY e.version`,
      [streamId],
    );
    return rows.map((row) => toStoredEvent(row, this.registry));
  }

  /**
   * A transaction run as a unit of work (see UnitOfWork): what AggregateStore decides in it is
   * appended in one statement just before the commit; `append` still writes at once.
   * READ COMMITTED (Postgres's default, left implicit: TypeORM would spend a second statement
   * naming it): each statement sees the latest commits, so MAX(version) is fresh.
   */
  transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return transactionAsUnit(this.dataSource, fn);
  }

  /** An event as the append statements take it. */
  private document(event: NewEvent): EventDocument {
    return {
      eventId: event.eventId ?? uuidv7(),
      type: event.type,
      schemaVersion: this.registry?.currentVersion(event.type) ?? 1,
      data: event.data ?? null,
      metadata: event.metadata,
      occurredAt: event.occurredAt?.toISOString() ?? null,
    };
  }

  private async currentVersion(streamId: string, manager: EntityManager): Promise<number> {
    const rows = await manager.query<Array<{ version: number }>>(
      'SELECT COALESCE(MAX(version), 0) AS version FROM events WHERE stream_id = $1',
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  private async insert(
    streamId: string,
    expected: ExpectedVersion,
    parameters: unknown[],
    manager: EntityManager,
  ): Promise<AppendedRow[]> {
    try {
      return await manager.query<AppendedRow[]>(APPEND_SQL, parameters);
    } catch (error) {
      if (isStreamVersionConflict(error)) throw new ConcurrencyError(streamId, expected, undefined);
      throw error;
    }
  }

  /**
   * With 'any' a lost race is not the caller's concern: the statement is re-run and reads the
   * new MAX(version). Inside a caller's transaction a savepoint keeps the failed attempt from
   * aborting the whole transaction.
   */
  private async insertAtAnyVersion(
    streamId: string,
    parameters: unknown[],
    manager: EntityManager,
  ): Promise<AppendedRow[]> {
    const inTransaction = manager.queryRunner?.isTransactionActive === true;
    for (let attempt = 1; ; attempt++) {
      if (inTransaction) await manager.query('SAVEPOINT event_store_append');
      try {
        const rows = await this.insert(streamId, 'any', parameters, manager);
        if (inTransaction) await manager.query('RELEASE SAVEPOINT event_store_append');
        return rows;
      } catch (error) {
        if (inTransaction) await manager.query('ROLLBACK TO SAVEPOINT event_store_append');
        if (!(error instanceof ConcurrencyError) || attempt >= ANY_VERSION_ATTEMPTS) throw error;
      }
    }
  }
}

function assertExpectedVersion(expected: ExpectedVersion): void {
  if (expected !== 'any' && (!Number.isInteger(expected) || expected < 0)) {
    throw new RangeError(`Expected version must be an integer >= 0 or 'any', got ${expected}`);
  }
}

function isStreamVersionConflict(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const cause: unknown = error.driverError;
  return (
    typeof cause === 'object' &&
    cause !== null &&
    'code' in cause &&
    cause.code === '23505' &&
    'constraint' in cause &&
    cause.constraint === STREAM_VERSION_CONSTRAINT
  );
}
