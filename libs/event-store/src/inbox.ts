import type { DataSource, EntityManager } from 'typeorm';
import { transactionAsUnit, withUnitOfWork } from './unit-of-work.js';

/** One set-based statement of Inbox.applyOnceInSets. */
export interface OnceStatement {
  /** The events it applies, recorded in the inbox by the same statement. */
  readonly eventIds: readonly string[];
  /** Continues `WITH inbox_recorded AS (...)`: see applyOnceInSets. */
  readonly effect: string;
  /** From $3 on. */
  readonly parameters: unknown[];
}

export type InboxOutcome<T> = { applied: true; result: T } | { applied: false };

/**
 * Exactly-once effects for an at-least-once feed: the handler's writes and the record of the
 * event id commit in one transaction, run as a unit of work (the streams a handler decides on
 * through AggregateStore are appended together at the end). A concurrent duplicate blocks on the primary key until
 * the first delivery commits (then it is skipped) or rolls back (then it applies).
 */
export class Inbox {
  constructor(private readonly dataSource: DataSource) {}

  async handleOnce<T>(
    consumerGroup: string,
    eventId: string,
    fn: (manager: EntityManager) => Promise<T>,
  ): Promise<InboxOutcome<T>> {
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      // Postgres's default READ COMMITTED; naming it would cost TypeORM a second statement.
      await queryRunner.startTransaction();
      const recorded = await queryRunner.manager.query<Array<{ event_id: string }>>(
        `INSERT INTO inbox (consumer_group, event_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumerGroup, eventId],
      );
      if (recorded.length === 0) {
        await queryRunner.rollbackTransaction();
        return { applied: false };
      }
      const manager = queryRunner.manager;
      const result = await withUnitOfWork(manager, () => fn(manager));
      await queryRunner.commitTransaction();
      return { applied: true, result };
    } catch (error) {
      // The original failure matters more than a rollback on a connection that may be gone.
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => {});
      throw error;
    } finally {
      await queryRunner.release();
    }
  }

  /**
   * `handleOnce` for a batch: each event's writes and its inbox record, in order, all in one
   * transaction (one commit for the lot); events already recorded are skipped. If any `fn`
   * throws, nothing of the batch is kept (the caller may then go event by event).
   */
  async handleAllOnce(
    consumerGroup: string,
    items: ReadonlyArray<{ eventId: string; fn: (manager: EntityManager) => Promise<unknown> }>,
    /** Runs before the first `fn`, with the ids (as given) of the events not recorded before. */
    prepare?: (manager: EntityManager, fresh: ReadonlySet<string>) => Promise<void>,
  ): Promise<{ applied: number }> {
    return transactionAsUnit(this.dataSource, async (manager) => {
      // One statement records the whole batch; the ids it returns are the events not seen yet.
      const recorded = await manager.query<Array<{ event_id: string }>>(RECORD_NEW_EVENTS, [
        consumerGroup,
        items.map((item) => item.eventId),
      ]);
      const fresh = new Set(recorded.map((row) => row.event_id));
      if (prepare && fresh.size > 0) {
        const ids = items.map((item) => item.eventId).filter((id) => fresh.has(id.toLowerCase()));
        await prepare(manager, new Set(ids));
      }
      let applied = 0;
      for (const { eventId, fn } of items) {
        // A batch may carry the same event twice (a redelivery): it applies once.
        if (!fresh.delete(eventId.toLowerCase())) continue;
        await fn(manager);
        applied += 1;
      }
      return { applied };
    });
  }

  /**
   * Set-based effects for projections on a hot path: each statement records a set of event ids
   * and applies its effect, in one SQL statement, to the events among them not seen before.
   * `effect` continues a `WITH inbox_recorded AS (...)` clause whose `event_id` column lists the
   * new ones: it may add CTEs (starting with a comma), must end with the statement's final
   * SELECT, and must apply only to events in `inbox_recorded`. Its parameters start at $3 ($2 is
   * the ids). Several statements run in order in one transaction (one commit); one runs alone.
   */
  async applyOnceInSets(
    consumerGroup: string,
    statements: readonly OnceStatement[],
  ): Promise<void> {
    const run = async (manager: EntityManager): Promise<void> => {
      for (const { eventIds, effect, parameters } of statements) {
        await manager.query(onceSql(effect), [consumerGroup, eventIds, ...parameters]);
      }
    };
    if (statements.length === 1) await run(this.dataSource.manager);
    else if (statements.length > 1) await this.dataSource.transaction(run);
  }
}

/** Records a set of event ids ($2) for a group ($1), returning those not recorded before. */
const RECORD_NEW_EVENTS = `INSERT INTO inbox (consumer_group, event_id)
  SELECT $1, event_id FROM unnest($2::uuid[]) AS event_id
  ON CONFLICT DO NOTHING RETURNING event_id`;

function onceSql(effect: string): string {
  return `WITH inbox_recorded AS (${RECORD_NEW_EVENTS})
          ${effect}`;
}
