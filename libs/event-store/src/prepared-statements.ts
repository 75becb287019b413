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
 * How long a connection keeps its prepared statements before it prepares them again: `firstMs`
 * after it prepares its first, then twice as long each time, up to `maxMs`.
 */
export interface PlanRefresh {
  readonly firstMs: number;
  readonly maxMs: number;
}

const DEFAULT_PLAN_REFRESH: PlanRefresh = { firstMs: 1_000, maxMs: 300_000 };

/** The pool's client config, which pg-pool hands to every client it opens. */
type PreparingClientConfig = pg.ClientConfig & { planRefresh?: PlanRefresh };

/**
 * A node-postgres client that runs parameterised statements as named prepared statements.
 * Postgres then parses and analyses each text once per connection, and after a few executions
 * plans it once too; measured on the send path, parse and plan had cost as much CPU as the
 * statements' execution. TypeORM passes SQL as (text, values): statements without parameters
 * (BEGIN, COMMIT, DDL, LISTEN) go through unchanged, over the simple protocol as before.
 *
 * A plan that Postgres has settled on for a prepared statement is kept until the statement's
 * tables are analysed. A service starts on empty tables, so its first plans scan them whole, and
 * where nothing analyses them (autovacuum off) they went on doing so: a fresh stack read 9
 * million event rows by sequential scan for 6,000 messages, more with every message. So each
 * connection drops its statements now and then (see PlanRefresh), between transactions, and
 * prepares them again against the tables as they are by then.
 */
export class PreparingClient extends pg.Client {
  private readonly prepared = new Set<string>();
  /** Statements this connection no longer runs prepared (see `isStale`). */
  private readonly unprepared = new Set<string>();
  private readonly planRefresh: PlanRefresh;
  private planLifetimeMs: number;
  /** When the first statement since the connection opened (or last refreshed) was prepared. */
  private plannedAt: number | undefined;
  private refreshing = false;

  /** pg's own query(), bound once: every statement of the service goes through here. */
  private readonly send: (...args: unknown[]) => Promise<unknown>;

  constructor(config?: string | PreparingClientConfig) {
    super(config);
    this.send = super.query.bind(this);
    this.planRefresh =
      (typeof config === 'object' ? config.planRefresh : undefined) ?? DEFAULT_PLAN_REFRESH;
    this.planLifetimeMs = this.planRefresh.firstMs;
  }

  // pg's query() is overloaded; only its promise form (text, values) is rewritten, which is the
  // form TypeORM uses. With a callback, or without parameters, pg gets the call unchanged.
  override query(...args: unknown[]): never {
    const [config, values, ...rest] = args;
    if (typeof config === 'string') {
      // Any statement between transactions will do, START TRANSACTION included: a connection
      // may run nothing else outside one.
      this.refreshPlansIfDue();
      const name =
        Array.isArray(values) && values.length > 0 && rest.length === 0
          ? this.nameFor(config)
          : undefined;
      if (name !== undefined) {
        return this.send({ name, text: config, values }).catch((error: unknown) => {
          if (!isStale(error)) throw error;
          // Nothing ran: the statement is given up on this connection and run unprepared.
          // Inside a transaction the error has already aborted it, and the retry reports that.
          this.unprepared.add(name);
          return this.send(config, values).catch(() => {
            throw error;
          });
        }) as never;
      }
    }
    return this.send(...args) as never;
  }

  /**
   * Queues DEALLOCATE ALL ahead of the caller's statement when the plans are due and the
   * connection is between transactions, then forgets what was prepared, here and in pg (whose
   * record of parsed names would skip the Parse). The forgetting happens in DEALLOCATE's callback:
   * pg calls it once every statement queued before it has finished and before it sends any
   * queued after, the one moment its record and the server agree. If DEALLOCATE fails (a cancel,
   * a lost connection), nothing is forgotten and the next try comes a lifetime later.
   */
  private refreshPlansIfDue(): void {
    const { plannedAt } = this;
    if (plannedAt === undefined || this.refreshing) return;
    if (Date.now() - plannedAt < this.planLifetimeMs || this.getTransactionStatus() !== 'I') return;
    this.refreshing = true;
    const query = super.query.bind(this) as unknown as (
      text: string,
      done: (error: Error | null) => void,
    ) => void;
    query('DEALLOCATE ALL', (error) => {
      this.refreshing = false;
      if (error !== null) {
        this.plannedAt = Date.now();
        return;
      }
      this.prepared.clear();
      this.unprepared.clear();
      const records = (this as unknown as { connection?: PgConnectionRecords }).connection;
      if (records?.parsedStatements !== undefined) records.parsedStatements = {};
      if (records?.submittedNamedStatements !== undefined) records.submittedNamedStatements = {};
      this.plannedAt = undefined;
      this.planLifetimeMs = Math.min(this.planLifetimeMs * 2, this.planRefresh.maxMs);
    });
  }

  private nameFor(text: string): string | undefined {
    const name = statementName(text);
    if (name === undefined || this.unprepared.has(name)) return undefined;
    if (this.prepared.has(name)) return name;
    if (this.prepared.size >= PREPARED_STATEMENTS_PER_CONNECTION) return undefined;
    this.prepared.add(name);
    this.plannedAt ??= Date.now();
    return name;
  }
}

/** pg's own record, on its connection, of the statement names it has parsed (pg 8). */
interface PgConnectionRecords {
  parsedStatements?: Record<string, string>;
  submittedNamedStatements?: Record<string, string>;
}

/**
 * A prepared statement the server will not run as prepared any more, before running any of it:
 * its result columns changed under it (a migration added a column to a `SELECT *`, SQLSTATE
 * 0A000), it is gone (26000, e.g. after pg gave it up on a parameter it could not send), or pg
 * and the server disagree on whether it exists (42P05 on its Parse).
 */
function isStale(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '0A000' || code === '26000' || code === '42P05';
}
