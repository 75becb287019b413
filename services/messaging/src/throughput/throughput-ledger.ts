import { lockKeys, queryRows } from '@textplane/event-store';
import {
  type LimitKey,
  type LimitUsage,
  type ThroughputDecision,
  decideThroughput,
} from '@textplane/trust-rules';
import type { EntityManager } from 'typeorm';
import {
  type AccountScope,
  bucketMsOf,
  type CountedMessage,
  countedMessage,
  slotOf,
  type ThroughputFacts,
} from './throughput-counters.js';

export interface ThroughputLedgerOptions {
  /** Whose account limit a message counts against (default `platform`: the one Telnyx account). */
  accountScope?: AccountScope;
  /** Headroom added to every sliding window, ms (default 0). */
  windowMarginMs?: number;
  /**
   * How long past its expiry a row is kept before it is pruned (default 60 s): an instance whose
   * clock runs behind by less than this still sees every row that counts for it.
   */
  pruneGraceMs?: number;
}

const LOCK_PREFIX = 'throughput:';

/**
 * The throughput gate's ledger (issue 12 §3): for messages about to be let through, checks every
 * limit each counts against (`limitsFor` / `limitsForRecipient`, decided by `decideThroughput`)
 * and, for each that passes, counts it against all of them, in the caller's transaction.
 *
 * Correct with any number of messaging instances: the counters a batch touches are locked
 * (transaction-scoped advisory locks, in one sorted order, so two batches never deadlock on them)
 * before they are read, and stay locked until the caller's transaction commits the counts; so
 * every check sees every send counted before it, and two instances can never together pass a
 * cap in any window. The caller's transaction must be READ COMMITTED (Postgres' default, the
 * store's): each statement then reads what the previous lock holder committed.
 *
 * A message counted is counted for good, even if the carrier call then fails or never happens:
 * counting too much only makes later sends wait, counting too little could breach a cap.
 */
export class ThroughputLedger {
  private readonly accountScope: AccountScope;
  private readonly windowMarginMs: number;
  private readonly pruneGraceMs: number;

  constructor(options: ThroughputLedgerOptions = {}) {
    this.accountScope = options.accountScope ?? 'platform';
    this.windowMarginMs = options.windowMarginMs ?? 0;
    this.pruneGraceMs = options.pruneGraceMs ?? 60_000;
    if (this.accountScope !== 'platform' && this.accountScope !== 'tenant') {
      throw new RangeError(
        `accountScope must be platform or tenant (got ${String(this.accountScope)})`,
      );
    }
    for (const [name, value] of [
      ['windowMarginMs', this.windowMarginMs],
      ['pruneGraceMs', this.pruneGraceMs],
    ] as const) {
      if (!Number.isInteger(value) || value < 0) {
        throw new RangeError(`${name} must be a non-negative integer (got ${value})`);
      }
    }
  }

  /** One message: `admitAll` of one. */
  async admit(manager: EntityManager, facts: ThroughputFacts): Promise<ThroughputDecision> {
    const [decision] = await this.admitAll(manager, [facts]);
    if (decision === undefined) throw new Error('ThroughputLedger.admitAll answered nothing');
    return decision;
  }

  /**
   * A batch of messages, decided in the order given (an earlier one has the first claim on the
   * room left), one decision each: `pass` (counted), `wait` until a window has room, or
   * `daily_cap` until the T-Mobile reset. Every counter of the batch is locked once, up front,
   * for the rest of the caller's transaction: call it once per gating transaction, after the
   * other gates' locks, so no lock is taken after these. Facts are all checked first; a bad one
   * throws ThroughputFactsError with nothing locked or counted.
   *
   * Within a batch, a message that shares a counter with an earlier message that had to wait on
   * that counter waits as long, even if it would fit (a smaller message): the batch keeps its
   * order rather than let small messages overtake a large one.
   */
  async admitAll(
    manager: EntityManager,
    batch: readonly ThroughputFacts[],
  ): Promise<ThroughputDecision[]> {
    if (batch.length === 0) return [];
    const options = { accountScope: this.accountScope, windowMarginMs: this.windowMarginMs };
    const counted: Array<{ facts: ThroughputFacts; message: CountedMessage }> = batch.map(
      (facts) => ({ facts, message: countedMessage(facts, options) }),
    );
    if (manager.queryRunner?.isTransactionActive !== true) {
      // Outside a transaction each statement commits alone and its locks go with it.
      throw new Error('ThroughputLedger.admitAll must run inside the gating transaction');
    }

    const keys = [
      ...new Set(counted.flatMap(({ message }) => message.counters.map((c) => c.counterKey))),
    ].sort();
    await lockKeys(
      manager,
      keys.map((key) => LOCK_PREFIX + key),
      'exclusive',
    );
    // The earliest `now` of the batch: a row live for any of its messages is read.
    const earliest = new Date(Math.min(...batch.map((facts) => facts.now.getTime())));
    const rows = await manager.query<
      Array<{
        isolation: string;
        counter_key: string | null;
        slot_at: Date | null;
        units: number | null;
      }>
    >(
      `SELECT current_setting('transaction_isolation') AS isolation,
              c.counter_key, c.slot_at, c.units
         FROM (SELECT 1) AS one
         LEFT JOIN throughput_counts c
           ON c.counter_key = ANY($1::text[]) AND c.expires_at > $2`,
      [keys, earliest.toISOString()],
    );
    if (rows[0]?.isolation !== 'read committed') {
      throw new Error(
        `ThroughputLedger needs a READ COMMITTED transaction (got ${rows[0]?.isolation ?? 'none'})`,
      );
    }
    // counter key -> slot (ms) -> units: the counts as they stand, kept up to date below.
    const live = new Map<string, Map<number, number>>();
    for (const row of rows) {
      if (row.counter_key === null || row.slot_at === null || row.units === null) continue;
      const slots = live.get(row.counter_key) ?? new Map<number, number>();
      slots.set(new Date(row.slot_at).getTime(), Number(row.units));
      live.set(row.counter_key, slots);
    }

    const added = new Map<
      string,
      { counterKey: string; slotAt: Date; expiresAt: Date; units: number }
    >();
    const held = new Map<string, ThroughputDecision>();
    const decisions: ThroughputDecision[] = [];
    for (const { facts, message } of counted) {
      const ahead = message.counters
        .map((counter) => held.get(counter.counterKey))
        .find((decision) => decision !== undefined);
      const decision =
        ahead ??
        decideThroughput({
          now: facts.now,
          limits: message.counters.map((counter) => counter.limit),
          usage: usageOf(message, facts.now, live),
          cost: message.cost,
        });
      decisions.push(decision);
      switch (decision.kind) {
        case 'pass':
          for (const counter of message.counters) {
            const slot = slotOf(counter.limit, facts.now);
            const slots = live.get(counter.counterKey) ?? new Map<number, number>();
            const at = slot.slotAt.getTime();
            slots.set(at, (slots.get(at) ?? 0) + message.cost);
            live.set(counter.counterKey, slots);
            const id = `${counter.counterKey}@${at}`;
            const row = added.get(id);
            if (row) row.units += message.cost;
            else added.set(id, { counterKey: counter.counterKey, ...slot, units: message.cost });
          }
          break;
        case 'wait':
        case 'daily_cap': {
          const blocking = message.counters.find((c) => c.limit.key === decision.limit);
          if (blocking && !held.has(blocking.counterKey)) held.set(blocking.counterKey, decision);
          break;
        }
      }
    }

    const rowsToAdd = [...added.values()];
    const cutoff = new Date(earliest.getTime() - this.pruneGraceMs);
    // The locked counters' rows long expired go in the same statement: a counter in use stays short.
    await manager.query(
      `WITH pruned AS (
         DELETE FROM throughput_counts
          WHERE counter_key = ANY($1::text[]) AND expires_at < $2
       )
       INSERT INTO throughput_counts (counter_key, slot_at, units, expires_at)
       SELECT * FROM unnest($3::text[], $4::timestamptz[], $5::integer[], $6::timestamptz[])
       ON CONFLICT (counter_key, slot_at) DO UPDATE
         SET units = throughput_counts.units + EXCLUDED.units`,
      [
        keys,
        cutoff.toISOString(),
        rowsToAdd.map((r) => r.counterKey),
        rowsToAdd.map((r) => r.slotAt.toISOString()),
        rowsToAdd.map((r) => r.units),
        rowsToAdd.map((r) => r.expiresAt.toISOString()),
      ],
    );
    return decisions;
  }

  /**
   * Deletes up to `limit` rows that stopped counting more than the grace before `now`: the
   * counters no message touches any more (admitAll prunes those it locks). Returns how many.
   * Safe beside admissions: a row past its expiry is read by none, and rows an admission is
   * deleting are skipped, not waited for. For a periodic sweep (say each minute, any instance).
   */
  async prune(manager: EntityManager, now: Date, limit = 10_000): Promise<number> {
    if (!Number.isFinite(now.getTime())) throw new RangeError('prune: now is an invalid Date');
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`prune: limit must be a positive integer (got ${limit})`);
    }
    const cutoff = new Date(now.getTime() - this.pruneGraceMs);
    const deleted = await queryRows<{ counter_key: string }>(
      manager,
      `DELETE FROM throughput_counts
        WHERE ctid IN (SELECT ctid FROM throughput_counts WHERE expires_at < $1 LIMIT $2
                       FOR UPDATE SKIP LOCKED)
        RETURNING counter_key`,
      [cutoff.toISOString(), limit],
    );
    return deleted.length;
  }
}

/** What has been counted against each of a message's limits, as `decideThroughput` takes it. */
function usageOf(
  message: CountedMessage,
  now: Date,
  live: ReadonlyMap<string, ReadonlyMap<number, number>>,
): Partial<Record<LimitKey, LimitUsage>> {
  const usage: Partial<Record<LimitKey, LimitUsage>> = {};
  for (const counter of message.counters) {
    const slots = live.get(counter.counterKey) ?? new Map<number, number>();
    const window = counter.limit.window;
    switch (window.kind) {
      case 'sliding': {
        // A slot at or past now + window + bucket holds only sends made at or after now + window
        // (a send is counted at most a bucket after it went): they share no window with a send
        // now. Left out, so an instance whose clock lags others is not held back by their sends.
        const horizon = now.getTime() + window.ms + bucketMsOf(window.ms);
        usage[counter.limit.key] = {
          sends: [...slots]
            .filter(([at]) => at < horizon)
            .map(([at, units]) => ({ at: new Date(at), cost: units })),
        };
        break;
      }
      case 'tmobile_day': {
        const day = slotOf(counter.limit, now).slotAt.getTime();
        usage[counter.limit.key] = { dayCount: slots.get(day) ?? 0 };
        break;
      }
    }
  }
  return usage;
}
