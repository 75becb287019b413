import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { GroupCommit, type Pending } from './group-commit.js';
import { transactionAsUnit, withUnitOfWork } from './unit-of-work.js';

export type TransactionWork<T> = (manager: EntityManager) => Promise<T>;

interface Unit {
  readonly work: TransactionWork<unknown>;
}

type Waiting = Unit & Pending<unknown>;

/** Most units of work committed by one transaction. */
const MAX_GROUP = 64;

/**
 * Group commit for short, independent units of work (accepting a send request, say): while one
 * transaction is committing, the work that arrives waits, and the next transaction runs all of
 * it, one unit after another, as one unit of work (their EventStore.appendOnCommit appends go
 * in one statement) with one commit. Alone, a unit runs at once in its own transaction. Each
 * caller's promise settles when its writes are committed.
 *
 * If a unit of a group (or the flush) fails, the transaction is rolled back and each of its units
 * runs again in a transaction of its own, so each caller gets its own outcome. A unit must
 * therefore do nothing outside the transaction that it cannot do twice. A failed COMMIT fails
 * the whole group instead: it may have happened, and running the units again could do their
 * work twice. A unit must not call `run` itself (it would wait for its own group).
 */
export class GroupedTransactions {
  private readonly queue: GroupCommit<Unit, unknown>;

  constructor(private readonly dataSource: DataSource) {
    this.queue = new GroupCommit((group) => this.commit(group), MAX_GROUP);
  }

  run<T>(work: TransactionWork<T>): Promise<T> {
    // The unit runs later, from whichever caller started the commit loop: it keeps its own
    // caller's async context (trace, logging) rather than that caller's.
    return this.queue.submit({ work: AsyncLocalStorage.bind(work) }) as Promise<T>;
  }

  private async commit(group: readonly Waiting[]): Promise<void> {
    if (group.length > 1) {
      let committing = false;
      try {
        const results = await this.dataSource.transaction(async (manager) => {
          const done = await withUnitOfWork(manager, async () => {
            const each: unknown[] = [];
            for (const { work } of group) each.push(await work(manager));
            return each;
          });
          committing = true;
          return done;
        });
        for (const [index, { resolve }] of group.entries()) resolve(results[index]);
        return;
      } catch (error) {
        // The COMMIT itself failed (a lost connection, say): it may or may not have happened,
        // and running the units again could do their work twice (a second message for a
        // request without an idempotency key), so the whole group gets the error.
        if (committing) {
          for (const { reject } of group) reject(error);
          return;
        }
        // A unit or the flush failed before the COMMIT: nothing was committed.
      }
    }
    // Alone, or after the group failed before its commit: each unit in a transaction of its own.
    await Promise.all(
      group.map(({ work, resolve, reject }) =>
        transactionAsUnit(this.dataSource, work).then(resolve, reject),
      ),
    );
  }
}
