import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { GroupCommit } from './group-commit.js';
import { withUnitOfWork } from './unit-of-work.js';

export type TransactionWork<T> = (manager: EntityManager) => Promise<T>;

interface Waiting {
  readonly work: TransactionWork<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupedTransactionsOptions {
  /** Most units of work committed by one transaction (default 64). */
  maxGroup?: number;
}

/**
 * Group commit for short, independent units of work (accepting a send request, say): while one
 * transaction is committing, the work that arrives waits, and the next transaction runs all of
 * it, one unit after another, as one unit of work (their EventStore.appendOnCommit appends go
 * in one statement) with one commit. Alone, a unit runs at once in its own transaction. Each
 * caller's promise settles when its writes are committed.
 *
 * If any unit of a group fails, the group's transaction is rolled back and each of its units
 * runs again in a transaction of its own, so each caller gets its own outcome. A unit must
 * therefore do nothing outside the transaction that it cannot do twice.
 */
export class GroupedTransactions {
  private readonly queue: GroupCommit<Waiting>;

  constructor(
    private readonly dataSource: DataSource,
    options: GroupedTransactionsOptions = {},
  ) {
    this.queue = new GroupCommit((group) => this.commit(group), options.maxGroup ?? 64);
  }

  run<T>(work: TransactionWork<T>): Promise<T> {
    // The unit runs later, from whichever caller started the commit loop: it keeps its own
    // caller's async context (trace, logging) rather than that caller's.
    const bound = AsyncLocalStorage.bind(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.enqueue({ work: bound, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private async commit(group: readonly Waiting[]): Promise<void> {
    if (group.length > 1) {
      let results: unknown[] | undefined;
      try {
        results = await this.transaction(async (manager) => {
          const done: unknown[] = [];
          for (const { work } of group) done.push(await work(manager));
          return done;
        });
      } catch {
        results = undefined;
      }
      if (results) {
        for (const [index, { resolve }] of group.entries()) resolve(results[index]);
        return;
      }
    }
    // Alone, or after the group failed: each unit in its own transaction, all at once.
    await Promise.all(
      group.map(({ work, resolve, reject }) => this.transaction(work).then(resolve, reject)),
    );
  }

  private transaction<T>(work: TransactionWork<T>): Promise<T> {
    return this.dataSource.transaction((manager) => withUnitOfWork(manager, () => work(manager)));
  }
}
