import { randomUUID } from 'node:crypto';
import { numberLookupStreamId } from '@textplane/contracts';
import { type EventStore, lockKeys, queryRows } from '@textplane/event-store';
import type { Clock } from '@textplane/service-runtime';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type KnownNumber,
  NUMBER_LOOKUP_EVENT,
  NUMBER_LOOKUP_STREAM_TYPE,
  type NumberLookupEvent,
  numberLookupWaitKey,
} from './known-number.js';
import { LookupLimiter } from './lookup-limiter.js';
import type { CarrierNumberLookup, NumberLookupCarrier } from './number-lookup-carrier.js';
import {
  lockedKnownNumbersOf,
  NumberLookupProjection,
  numberLookupLockKey,
} from './number-lookup.projection.js';

/** Wakes the messages waiting on an event (DispatchQueue.wake with its clock bound). */
export interface NumberLookupWaker {
  wake(manager: EntityManager, event: string, key: string): Promise<string[]>;
}

export interface NumberLookupsOptions {
  /** Lookups at the carrier at once, per process (NUMBER_LOOKUP_CONCURRENCY). */
  concurrency: number;
  /** Numbers taken per pass over the waiting messages (NUMBER_LOOKUP_BATCH). */
  batch: number;
  /**
   * How long a process owns a number it is looking up (NUMBER_LOOKUP_CLAIM_MS): no other process
   * looks it up meanwhile; one that died holding it is taken over after it.
   */
  claimMs: number;
  /** How often `start` looks for messages waiting on a lookup (NUMBER_LOOKUP_INTERVAL_MS). */
  intervalMs: number;
}

export const DEFAULT_NUMBER_LOOKUPS_OPTIONS: NumberLookupsOptions = Object.freeze({
  concurrency: 4,
  batch: 50,
  claimMs: 30_000,
  intervalMs: 250,
});

/** What one pass did: numbers looked up and recorded, of them failed, and numbers left alone. */
export interface NumberLookupPass {
  recorded: number;
  failed: number;
  /** Another process (or an earlier pass still running here) owns them. */
  skipped: number;
}

export interface NumberLookupsLogger {
  warn(obj: object, msg: string): void;
}

/**
 * The tenant's number validation, messaging's side (issue 12 §4): what the number-validation gate
 * reads (`knownNumbers`), and the worker that looks up the numbers messages wait on.
 *
 * The gate makes a message to a number messaging knows nothing (fresh) of wait in the dispatch
 * queue for NUMBER_LOOKUP_EVENT keyed by the number. The worker (`lookUpWaiting`, every
 * `intervalMs` once `start`ed) takes those numbers, claims each (number_lookup_claims: one
 * process looks a number up, once, however many messages and instances wait on it), asks the
 * carrier within the limiter's concurrency, and records the answer as a fact of the number
 * (messaging.NumberLookedUp.v1 or NumberLookupFailed.v1 on `number-lookup-<phone>`) with its
 * cache row (number_lookups) and the wake of every message waiting on it, in one transaction.
 */
export class NumberLookups {
  private readonly limiter: LookupLimiter;
  private readonly projection = new NumberLookupProjection();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly carrier: NumberLookupCarrier,
    private readonly waker: NumberLookupWaker,
    private readonly clock: Clock,
    private readonly options: NumberLookupsOptions = DEFAULT_NUMBER_LOOKUPS_OPTIONS,
    private readonly logger?: NumberLookupsLogger,
  ) {
    this.limiter = new LookupLimiter(options.concurrency);
  }

  /**
   * What messaging knows of these recipients, for the gate, in the gating transaction (numbers
   * absent from the map: nothing). Takes each number's lookup lock shared (numberLookupLockKey),
   * so a message the gate makes wait cannot miss the wake of a lookup recorded meanwhile.
   */
  knownNumbers(
    manager: EntityManager,
    phoneNumbers: readonly string[],
  ): Promise<Map<string, KnownNumber>> {
    return lockedKnownNumbersOf(manager, phoneNumbers);
  }

  /** Looks up the numbers that messages wait on now (up to `batch`), each once. */
  async lookUpWaiting(): Promise<NumberLookupPass> {
    const rows = await queryRows<{ waiting_key: string }>(
      this.dataSource,
      // Numbers another process owns now are left out, so the batch goes to those nobody does.
      `SELECT DISTINCT q.waiting_key FROM dispatch_queue q
       WHERE q.waiting_for = $1 AND q.waiting_key IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM number_lookup_claims c
                         WHERE c.phone_number = q.waiting_key AND c.claimed_until > $3)
       ORDER BY q.waiting_key LIMIT $2`,
      [NUMBER_LOOKUP_EVENT, this.options.batch, this.clock.now().toISOString()],
    );
    const outcomes = await Promise.all(
      rows.map((row) =>
        // A number this process is looking up already (an earlier pass still running) is left
        // to that lookup, which wakes these messages too.
        this.limiter.has(row.waiting_key)
          ? Promise.resolve('skipped' as const)
          : this.limiter.once(row.waiting_key, () => this.lookUpClaimed(row.waiting_key)),
      ),
    );
    return {
      recorded: outcomes.filter((o) => o !== 'skipped').length,
      failed: outcomes.filter((o) => o === 'failed').length,
      skipped: outcomes.filter((o) => o === 'skipped').length,
    };
  }

  /** Runs `lookUpWaiting` every `intervalMs` (one pass at a time) until `stop`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.pass) return;
      this.pass = this.lookUpWaiting()
        .catch((error: unknown) => this.logger?.warn({ err: error }, 'number lookups failed'))
        .finally(() => (this.pass = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  /** One number: claimed, looked up, recorded; 'skipped' when another owns it or none waits. */
  private async lookUpClaimed(phoneNumber: string): Promise<'found' | 'failed' | 'skipped'> {
    if (!(await this.claim(phoneNumber))) return 'skipped';
    const answer = await this.carrier
      .lookUpNumber(phoneNumber)
      .catch((error: unknown): CarrierNumberLookup => ({
        outcome: 'failed',
        reason: 'carrier_unavailable',
        detail: error instanceof Error ? error.message : String(error),
      }));
    await this.record(phoneNumber, answer);
    return answer.outcome;
  }

  /**
   * Owns the number for `claimMs` if no other process does and messages still wait on it. The
   * claim is left to lapse, not released, after the record: a process that read the waits before
   * that record committed then finds the number owned, not free, and does not look it up again.
   */
  private async claim(phoneNumber: string): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const rows = await queryRows<{ phone_number: string }>(
      this.dataSource,
      `INSERT INTO number_lookup_claims (phone_number, claimed_until)
       SELECT $1, $2::timestamptz + make_interval(secs => $3)
       WHERE EXISTS (SELECT 1 FROM dispatch_queue WHERE waiting_for = $4 AND waiting_key = $1)
       ON CONFLICT (phone_number) DO UPDATE SET claimed_until = EXCLUDED.claimed_until
         WHERE number_lookup_claims.claimed_until <= $2
       RETURNING phone_number`,
      [phoneNumber, now, this.options.claimMs / 1000, NUMBER_LOOKUP_EVENT],
    );
    return rows.length > 0;
  }

  /** The answer as a fact of the number, its cache row, and the wake of its waiting messages. */
  private async record(phoneNumber: string, answer: CarrierNumberLookup): Promise<void> {
    const event = numberLookupEventOf(phoneNumber, answer, this.clock.now());
    await this.store.transaction(async (manager) => {
      await lockKeys(manager, [numberLookupLockKey(phoneNumber)], 'exclusive');
      await this.store.append(
        numberLookupStreamId(phoneNumber),
        NUMBER_LOOKUP_STREAM_TYPE,
        'any',
        [{ type: event.type, data: event.data, metadata: { correlationId: randomUUID() } }],
        manager,
      );
      await this.projection.apply(manager, event);
      await this.waker.wake(manager, NUMBER_LOOKUP_EVENT, numberLookupWaitKey(phoneNumber));
    });
  }
}

/** The carrier's answer as the number's lookup fact (pure). */
export function numberLookupEventOf(
  phoneNumber: string,
  answer: CarrierNumberLookup,
  now: Date,
): NumberLookupEvent {
  const at = now.toISOString();
  switch (answer.outcome) {
    case 'found':
      return {
        type: 'messaging.NumberLookedUp.v1',
        data: {
          phoneNumber,
          lineType: answer.lineType,
          carrier: answer.carrier,
          ...(answer.carrierName === undefined ? {} : { carrierName: answer.carrierName }),
          ...(answer.carrierLineType === undefined
            ? {}
            : { carrierLineType: answer.carrierLineType }),
          lookedUpAt: at,
        },
      };
    case 'failed':
      return {
        type: 'messaging.NumberLookupFailed.v1',
        data: {
          phoneNumber,
          reason: answer.reason,
          detail: answer.detail,
          ...(answer.carrierErrorCode === undefined
            ? {}
            : { carrierErrorCode: answer.carrierErrorCode }),
          failedAt: at,
        },
      };
  }
}
