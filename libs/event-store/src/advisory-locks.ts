import type { EntityManager } from 'typeorm';

/**
 * Takes Postgres transaction-scoped advisory locks on text keys, released when the caller's
 * transaction ends. All keys in one round trip, in the order given: callers that lock several
 * keys pass them sorted, so two transactions never wait on each other in a cycle.
 */
export async function lockKeys(
  manager: EntityManager,
  keys: readonly string[],
  mode: 'exclusive' | 'shared',
): Promise<void> {
  if (keys.length === 0) return;
  const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  // A volatile call in the select list runs after ORDER BY, so the locks follow the keys' order.
  await manager.query(
    `SELECT ${lock}(hashtextextended(key, 0))
       FROM unnest($1::text[]) WITH ORDINALITY AS keys(key, position)
      ORDER BY position`,
    [keys],
  );
}
