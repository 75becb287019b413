import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs SQL and returns its rows whatever the statement: TypeORM's Postgres driver answers an
 * UPDATE or DELETE (even with RETURNING) as `[rows, affectedCount]`, other statements as rows.
 */
export async function queryRows<T>(
  executor: EntityManager | DataSource,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const raw: unknown = await executor.query(sql, parameters);
  if (!Array.isArray(raw)) return [];
  if (raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return raw as T[];
}
