import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Distinct statements one connection keeps prepared. The services' SQL is a fixed set of
 * constant texts, far fewer than this; a text built per call (a list of N placeholders) past
 * the cap simply runs unprepared, so a connection's memory stays bounded.
 */
export const PREPARED_STATEMENTS_PER_CONNECTION = 256;

/** Names by statement text, shared by all connections (the same text gets the same name). */
const names = new Map<string, string>();
const MAX_NAMED_TEXTS = 4 * PREPARED_STATEMENTS_PER_CONNECTION;

function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined || names.size >= MAX_NAMED_TEXTS) return known;
  const name = `tp_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  names.set(text, name);
  return name;
}

/**
 * A node-postgres client that runs parameterised statements as named prepared statements.
 * Postgres then parses and analyses each text once per connection, and after a few executions
 * plans it once too; measured on the send path, parse and plan had cost as much CPU as the
 * statements' execution. TypeORM passes SQL as (text, values): statements without parameters
 * (BEGIN, COMMIT, DDL, LISTEN) go through unchanged, over the simple protocol as before.
 */
export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  /** Statements this connection no longer runs prepared (see `isStale`). */
  private readonly unprepared = new Set<string>();

  // pg's query() is overloaded; only its promise form (text, values) is rewritten, which is the
  // form TypeORM uses. With a callback, or without parameters, pg gets the call unchanged.
  override query(...args: unknown[]): never {
    const [config, values, ...rest] = args;
    const run = super.query.bind(this) as (...a: unknown[]) => Promise<unknown>;
    if (
      typeof config === 'string' &&
      Array.isArray(values) &&
      values.length > 0 &&
      rest.length === 0
    ) {
      const name = this.nameFor(config);
      if (name !== undefined) {
        return run({ name, text: config, values }).catch((error: unknown) => {
          if (!isStale(error)) throw error;
          // Nothing ran: the statement is given up on this connection and run unprepared.
          // Inside a transaction the error has already aborted it, and the retry reports that.
          this.unprepared.add(name);
          return run(config, values).catch(() => {
            throw error;
          });
        }) as never;
      }
    }
    return run(...args) as never;
  }

  private nameFor(text: string): string | undefined {
    const name = statementName(text);
    if (name === undefined || this.unprepared.has(name)) return undefined;
    if (this.prepared.has(name)) return name;
    if (this.prepared.size >= PREPARED_STATEMENTS_PER_CONNECTION) return undefined;
    this.prepared.add(name);
    return name;
  }
}

/**
 * A prepared statement the server will not run as prepared any more, before running any of it:
 * its result columns changed under it (a migration added a column to a `SELECT *`, SQLSTATE
 * 0A000), or it is gone (26000, e.g. after pg gave it up on a parameter it could not send).
 */
function isStale(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '0A000' || code === '26000';
}
