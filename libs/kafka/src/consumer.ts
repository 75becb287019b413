import { dlqTopicFor, validateEventData } from '@textplane/contracts';
import { withSpan } from '@textplane/observability';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { type EventEnvelope, fromKafkaMessage } from './envelope.js';
import { type KafkaLogger } from './client.js';
import { describeFailure, toDeadLetterMessage } from './dead-letter.js';
import { type Backoff, retryDelayMs } from './backoff.js';
import { kafkaUnavailable } from './kafka-unavailable.js';
import { EventProducer } from './producer.js';

/** A dependency (the database, the broker) that cannot be used right now, and what was seen. */
export interface DependencyUnavailable {
  dependency: string;
  reason: string;
}

/** Whether a consumer is working, or holding its partitions until a dependency is back. */
export type ConsumerStatus =
  { state: 'consuming' } | { state: 'waiting'; dependency: string; reason: string; since: Date };

/** An event read from Kafka, with where it was read. */
export interface ConsumedEvent<T = unknown> extends EventEnvelope<T> {
  topic: string;
  partition: number;
  offset: string;
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Must be idempotent: delivery is at least once (services wrap it in the event-store Inbox). */
  handle: (event: ConsumedEvent) => Promise<void>;
  /** Handler attempts before the event goes to the DLQ (default 5). */
  maxAttempts?: number;
  /** Exponential backoff with jitter between attempts (default 200 ms doubling up to 10 s). */
  backoffMs?: Backoff;
  /**
   * Tells a failure caused by an unavailable dependency (the database restarting, the broker
   * gone) from one of the event itself. Such a failure is no attempt and never dead-letters:
   * the partition stays where it is and the handler is called again, with `outageBackoffMs`,
   * until it gets through or the consumer stops; meanwhile status() says what it waits for.
   * Default: Kafka's own unavailability only (this lib knows no other dependency).
   */
  dependencyUnavailable?: (error: unknown) => DependencyUnavailable | undefined;
  /** Backoff between calls while a dependency is unavailable (default 500 ms doubling up to 15 s). */
  outageBackoffMs?: Backoff;
  /** The clock that dates a wait in status() (default: the system's). */
  now?: () => Date;
  /** Partitions processed in parallel, each still in order (default 3). */
  partitionsConsumedConcurrently?: number;
  /**
   * Events of one partition handled at once when their keys differ (default 1: one at a time).
   * Events with the same key (the same stream) still run one after the other, in order, and
   * offsets are committed in order, only past events that are done.
   */
  keyConcurrency?: number;
  /**
   * The event types this group acts on; others on its topics are passed over (and committed)
   * without being decoded, validated or handled. Default: every type.
   */
  eventTypes?: readonly string[];
  /**
   * Handles all of a fetched batch's events in one call (typically one transaction), in
   * partition order. If it throws, or any event of the batch cannot be decoded, the batch is
   * handled again event by event with `handle`, so a poison event still gets its retries and
   * its DLQ record without holding back the others. Must be idempotent like `handle`.
   */
  handleBatch?: (events: ConsumedEvent[]) => Promise<void>;
  /** Where a new group starts (default true: it reads the topic's history). */
  fromBeginning?: boolean;
  /** Data must match its contract (default true); a mismatch goes straight to the DLQ. */
  validate?: boolean;
  logger?: KafkaLogger;
}

const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_BACKOFF: Backoff = { initial: 200, max: 10_000 };
// A database restart takes seconds; a longer outage is probed every 15 s, soon enough to resume
// promptly and rare enough that many consumers do not hammer a server that is coming up.
const DEFAULT_OUTAGE_BACKOFF: Backoff = { initial: 500, max: 15_000 };
const DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY = 3;

const SESSION_TIMEOUT_MS = 30_000;
const HEARTBEAT_INTERVAL_MS = 3_000;
// Waits between attempts are cut into slices this long, each followed by a heartbeat and a
// check that the consumer is still running, so a long backoff neither gets the member evicted
// nor holds up stop().
const WAIT_SLICE_MS = 1_000;
// A fetch returns as soon as records arrive; this only bounds an idle long poll, which stop()
// has to wait out (kafkajs default 5 s).
const MAX_FETCH_WAIT_MS = 1_000;
// Handled offsets are committed about this often / once this many are waiting, and in full
// when the consumer stops. kafkajs's own auto-commit would commit after every fetched batch:
// with events trickling in, one OffsetCommit per event per group, which cost the broker more
// CPU than everything else it did. What a crash or a rebalance leaves uncommitted (up to about
// a second of events per partition) is delivered again, and every handler is idempotent (the
// inbox, or the stream's own state).
const COMMIT_INTERVAL_MS = 1_000;
// A consumer that crashed for good (see restartAfterCrash) is run again after this long.
const RESTART_AFTER_MS = 5_000;
const COMMIT_THRESHOLD = 500;
// How much one fetch may bring back. kafkajs's defaults (1 MiB per partition, 10 MiB per
// response) let a consumer catching up on a backlog hold 6 MiB of raw records for six
// partitions, and several times that once decoded, in every consumer of a service at once.
// 256 KiB is still hundreds of events per partition and batch; a single record larger than
// that still comes through (the broker returns at least one record batch, KIP-74).
const MAX_FETCH_BYTES_PER_PARTITION = 256 * 1_024;
const MAX_FETCH_BYTES = 2 * 1_024 * 1_024;

type MessageOutcome = 'handled' | 'dead-lettered' | 'interrupted';
/** What became of a whole-batch call: done, to be redone event by event, or cut short by stop. */
type BatchOutcome = 'handled' | 'one-by-one' | 'interrupted';

/**
 * Consumes CloudEvents at least once, each partition in order. A failing handler is retried
 * with backoff without moving past the event; after maxAttempts (at once for an undecodable or
 * invalid event) the original record goes to `<group>.dlq` and the partition moves on. A failure
 * that `dependencyUnavailable` recognises is not the event's fault and is no attempt: the
 * handler is retried until the dependency is back, however long that takes. An offset is
 * committed only once its event was handled or safely written to the DLQ; if the DLQ write
 * fails, the batch fails and the event is read again rather than lost.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  /** The latest batch's payload, whose offset manager knows what is handled but uncommitted. */
  private lastPayload: EachBatchPayload | undefined;
  /** Commits what the last batches left uncommitted when no further batch comes. */
  private commitTimer: NodeJS.Timeout | undefined;
  /** Runs the consumer again after a crash kafkajs does not restart from. */
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly dlqProducer: EventProducer;
  private readonly dlqTopic: string;
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private readonly outageBackoff: Backoff;
  private readonly dependencyUnavailable: (error: unknown) => DependencyUnavailable | undefined;
  private readonly outages: Outages;
  private readonly validate: boolean;
  private readonly logger: KafkaLogger | undefined;

  private readonly eventTypes: ReadonlySet<string> | undefined;

  constructor(private readonly options: EventConsumerOptions) {
    this.eventTypes = options.eventTypes ? new Set(options.eventTypes) : undefined;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new Error(`maxAttempts must be a positive integer, got ${this.maxAttempts}`);
    }
    this.backoff = options.backoffMs ?? DEFAULT_BACKOFF;
    this.outageBackoff = options.outageBackoffMs ?? DEFAULT_OUTAGE_BACKOFF;
    this.dependencyUnavailable = options.dependencyUnavailable ?? kafkaUnavailable;
    this.outages = new Outages(options.now ?? (() => new Date()));
    this.validate = options.validate ?? true;
    this.logger = options.logger;
    this.dlqTopic = dlqTopicFor(options.groupId);
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: SESSION_TIMEOUT_MS,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      maxWaitTimeInMs: MAX_FETCH_WAIT_MS,
      maxBytesPerPartition: MAX_FETCH_BYTES_PER_PARTITION,
      maxBytes: MAX_FETCH_BYTES,
      allowAutoTopicCreation: false,
    });
    this.dlqProducer = new EventProducer(options.kafka);
  }

  async start(): Promise<void> {
    await this.assertTopicsExist();
    await this.dlqProducer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.run();
    this.commitTimer = setInterval(() => {
      this.lastPayload?.commitOffsetsIfNecessary().catch((error: unknown) => {
        this.logger?.warn({ err: error }, 'periodic offset commit failed; retried next time');
      });
    }, COMMIT_INTERVAL_MS / 2);
    this.commitTimer.unref();
    // A new group generation or a restarted runner has its own offsets: the old payload's are void.
    const forget = (): void => {
      this.lastPayload = undefined;
    };
    this.consumer.on(this.consumer.events.GROUP_JOIN, forget);
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      forget();
      if (!event.payload.restart) this.restartAfterCrash(event.payload.error);
    });
  }

  private run(): Promise<void> {
    return this.consumer.run({
      autoCommit: false,
      autoCommitInterval: COMMIT_INTERVAL_MS,
      autoCommitThreshold: COMMIT_THRESHOLD,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently:
        this.options.partitionsConsumedConcurrently ?? DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
      eachBatch: (payload) => this.consumeBatchThenCommitIfStopping(payload),
    });
  }

  /**
   * kafkajs restarts a crashed consumer only when the error's root cause is retriable; after any
   * other crash (a non-retriable protocol answer while the group re-forms, a failed disconnect)
   * it leaves the consumer stopped for good, and the service would stop consuming while looking
   * healthy. Such a crash is logged and the consumer run again, until stop().
   */
  private restartAfterCrash(error: Error): void {
    if (this.stopping) return;
    this.logger?.error(
      { groupId: this.options.groupId, err: describeFailure(error), restartInMs: RESTART_AFTER_MS },
      'consumer crashed and kafkajs will not restart it; running it again',
    );
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.run().catch((failure: unknown) => this.restartAfterCrash(failure as Error));
    }, RESTART_AFTER_MS);
    this.restartTimer.unref();
  }

  /** Consuming, or waiting on a dependency (the longest wait of its partitions and events). */
  status(): ConsumerStatus {
    return this.outages.status();
  }

  /** Finishes the event in flight, commits what was handled, leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.commitTimer);
    // What was handled before now; a batch still in flight commits the rest as it ends.
    const pending = this.lastPayload?.uncommittedOffsets().topics ?? [];
    const offsets = pending.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition, offset }) => ({ topic, partition: Number(partition), offset })),
    );
    if (offsets.length > 0) await this.commitOnStop(this.consumer.commitOffsets(offsets));
    await this.consumer.disconnect();
    await this.dlqProducer.disconnect();
  }

  /** After a batch: commits when enough time or events have passed. */
  private async commitProgress(payload: EachBatchPayload): Promise<void> {
    this.lastPayload = payload;
    await payload.commitOffsetsIfNecessary();
  }

  private async consumeBatchThenCommitIfStopping(payload: EachBatchPayload): Promise<void> {
    try {
      await this.consumeBatch(payload);
    } finally {
      // Stopping: kafkajs leaves the group once this batch ends and commits nothing itself.
      if (!payload.isRunning()) {
        await this.commitOnStop(payload.commitOffsetsIfNecessary(payload.uncommittedOffsets()));
      }
    }
  }

  /** A commit made while stopping: if it fails, the events are simply delivered again. */
  private async commitOnStop(commit: Promise<unknown>): Promise<void> {
    await commit.catch((error: unknown) => {
      this.logger?.warn({ err: error }, 'could not commit on stop; the events will come again');
    });
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    if (this.options.handleBatch) {
      const outcome = await this.consumeWholeBatch(payload, this.options.handleBatch);
      if (outcome !== 'one-by-one') return;
    }
    const keyConcurrency = this.options.keyConcurrency ?? 1;
    if (keyConcurrency > 1) return this.consumeBatchByKey(payload, keyConcurrency);
    const { batch } = payload;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      const outcome = await this.consumeMessage(batch.topic, batch.partition, message, payload);
      if (outcome === 'interrupted') return;
      payload.resolveOffset(message.offset);
      await this.commitProgress(payload);
      await payload.heartbeat();
    }
  }

  /**
   * Handles different keys side by side (at most `limit` at once) while each key's events run
   * in order; offsets are resolved strictly in partition order as the events finish.
   */
  private async consumeBatchByKey(payload: EachBatchPayload, limit: number): Promise<void> {
    const { batch } = payload;
    const slots = new Slots(limit);
    const lastOfKey = new Map<string, Promise<MessageOutcome>>();
    const outcomes: Array<Promise<MessageOutcome>> = [];
    for (const message of batch.messages) {
      const key = message.key?.toString('utf8') ?? '';
      const previous = lastOfKey.get(key) ?? Promise.resolve<MessageOutcome>('handled');
      const outcome = previous.then(async (before) => {
        if (before === 'interrupted' || !payload.isRunning() || payload.isStale()) {
          return 'interrupted';
        }
        await slots.take();
        try {
          return await this.consumeMessage(batch.topic, batch.partition, message, payload);
        } finally {
          slots.give();
        }
      });
      lastOfKey.set(key, outcome);
      outcomes.push(outcome);
    }
    try {
      for (const [index, message] of batch.messages.entries()) {
        if ((await outcomes[index]) === 'interrupted') break;
        payload.resolveOffset(message.offset);
        await this.commitProgress(payload);
        await payload.heartbeat();
      }
    } finally {
      // Nothing is left running unobserved when the batch ends early or fails.
      await Promise.allSettled(outcomes);
    }
  }

  /**
   * The fast path: one handler call for the whole batch, called again while a dependency is
   * unavailable; any other failure (or an undecodable event) hands the batch to the slow path.
   */
  private async consumeWholeBatch(
    payload: EachBatchPayload,
    handleBatch: (events: ConsumedEvent[]) => Promise<void>,
  ): Promise<BatchOutcome> {
    const { batch } = payload;
    if (!payload.isRunning() || payload.isStale()) return 'interrupted';
    const events: ConsumedEvent[] = [];
    for (const message of batch.messages) {
      if (!this.wants(message)) continue;
      const decoded = this.decode(batch.topic, batch.partition, message);
      if ('reason' in decoded) return 'one-by-one';
      events.push(decoded.event);
    }
    if (events.length > 0) {
      const at = { topic: batch.topic, partition: batch.partition, events: events.length };
      const outage = this.outages.begin();
      try {
        for (;;) {
          const failure = await this.handleBatchWithKeepAlive(events, payload, handleBatch);
          if (failure === undefined) break;
          const unavailable = this.dependencyUnavailable(failure.error);
          if (unavailable === undefined) {
            this.logger?.warn(
              { ...at, err: describeFailure(failure.error) },
              'batch handler failed; handling the events one by one',
            );
            return 'one-by-one';
          }
          const retry = outage.failed(unavailable);
          this.logWaiting(at, unavailable, retry);
          const waited = await this.waitAlive(retryDelayMs(retry, this.outageBackoff), payload);
          if (!waited) return 'interrupted';
        }
        this.logThrough(at, outage);
      } finally {
        outage.end();
      }
    }
    for (const message of batch.messages) payload.resolveOffset(message.offset);
    await this.commitProgress(payload);
    await payload.heartbeat();
    return 'handled';
  }

  /** One call of the batch handler, heartbeating meanwhile; the failure, if it threw. */
  private async handleBatchWithKeepAlive(
    events: ConsumedEvent[],
    payload: EachBatchPayload,
    handleBatch: (events: ConsumedEvent[]) => Promise<void>,
  ): Promise<{ error: unknown } | undefined> {
    const { batch } = payload;
    const keepAlive = setInterval(() => {
      payload.heartbeat().catch(() => undefined);
    }, HEARTBEAT_INTERVAL_MS);
    try {
      await withSpan(
        `process ${batch.topic}`,
        {
          kind: 'consumer',
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'process',
            'messaging.destination.name': batch.topic,
            'messaging.destination.partition.id': String(batch.partition),
            'messaging.consumer.group.name': this.options.groupId,
            'messaging.batch.message_count': events.length,
          },
        },
        () => handleBatch(events),
      );
      return undefined;
    } catch (error: unknown) {
      return { error };
    } finally {
      clearInterval(keepAlive);
    }
  }

  private wants(message: KafkaMessage): boolean {
    return !this.eventTypes || this.eventTypes.has(message.headers?.['ce_type']?.toString() ?? '');
  }

  /** The event in a record, or why it cannot be one (undecodable, or breaking its schema). */
  private decode(
    topic: string,
    partition: number,
    message: KafkaMessage,
  ): { event: ConsumedEvent } | { reason: string } {
    let envelope: EventEnvelope;
    try {
      envelope = fromKafkaMessage(message);
    } catch (error: unknown) {
      return { reason: describeFailure(error) };
    }
    if (this.validate) {
      const result = validateEventData(envelope.type, envelope.data);
      if (!result.valid) return { reason: `invalid event: ${result.reason}` };
    }
    return { event: { ...envelope, topic, partition, offset: message.offset } };
  }

  private async consumeMessage(
    topic: string,
    partition: number,
    message: KafkaMessage,
    payload: EachBatchPayload,
  ): Promise<MessageOutcome> {
    if (!this.wants(message)) return 'handled';
    const decoded = this.decode(topic, partition, message);
    if ('reason' in decoded) {
      await this.deadLetter(topic, partition, message, decoded.reason, 0);
      return 'dead-lettered';
    }
    const { event } = decoded;

    let failure: unknown;
    const outage = this.outages.begin();
    try {
      for (let attempt = 1; ;) {
        try {
          await this.handleWithKeepAlive(event, attempt, payload);
          this.logThrough(where(event), outage);
          return 'handled';
        } catch (error: unknown) {
          const unavailable = this.dependencyUnavailable(error);
          if (unavailable !== undefined) {
            // Not the event's fault: no attempt spent, the same call again once it may work.
            const retry = outage.failed(unavailable);
            this.logWaiting(where(event), unavailable, retry);
            const waited = await this.waitAlive(retryDelayMs(retry, this.outageBackoff), payload);
            if (!waited) return 'interrupted';
            continue;
          }
          outage.end();
          failure = error;
          this.logger?.warn(
            {
              ...where(event),
              attempt,
              maxAttempts: this.maxAttempts,
              err: describeFailure(error),
            },
            'event handler failed',
          );
        }
        if (attempt >= this.maxAttempts) break;
        const waited = await this.waitAlive(retryDelayMs(attempt, this.backoff), payload);
        if (!waited) return 'interrupted';
        attempt += 1;
      }
    } finally {
      outage.end();
    }
    await this.deadLetter(topic, partition, message, describeFailure(failure), this.maxAttempts);
    return 'dead-lettered';
  }

  /** Says so when a call starts waiting on a dependency, then every tenth retry. */
  private logWaiting(
    at: Record<string, string | number>,
    unavailable: DependencyUnavailable,
    retry: number,
  ): void {
    if (retry !== 1 && retry % 10 !== 0) return;
    this.logger?.warn(
      { ...at, groupId: this.options.groupId, ...unavailable, retries: retry },
      `${unavailable.dependency} unavailable; holding the partition and retrying until it is back`,
    );
  }

  /** Says so when a call that waited on a dependency got through. */
  private logThrough(at: Record<string, string | number>, outage: OutageWait): void {
    const waiting = outage.waiting;
    if (waiting === undefined) return;
    this.logger?.warn(
      {
        ...at,
        groupId: this.options.groupId,
        dependency: waiting.dependency,
        retries: outage.retries,
        since: waiting.since.toISOString(),
      },
      `${waiting.dependency} is back; the partition moves on`,
    );
  }

  /**
   * Runs the handler in a consumer span continuing the producer's trace. kafkajs only heartbeats
   * when asked, so a slow handler is accompanied by periodic heartbeats; their failures
   * (a rebalance) surface at the next heartbeat made in line, after the handler.
   */
  private async handleWithKeepAlive(
    event: ConsumedEvent,
    attempt: number,
    payload: EachBatchPayload,
  ): Promise<void> {
    const keepAlive = setInterval(() => {
      payload.heartbeat().catch(() => undefined);
    }, HEARTBEAT_INTERVAL_MS);
    try {
      await withSpan(
        `process ${event.topic}`,
        {
          kind: 'consumer',
          ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'process',
            'messaging.destination.name': event.topic,
            'messaging.destination.partition.id': String(event.partition),
            'messaging.consumer.group.name': this.options.groupId,
            'messaging.kafka.offset': Number(event.offset),
            'messaging.kafka.message.key': event.subject,
            'messaging.message.id': event.id,
            'cloudevents.event_id': event.id,
            'cloudevents.event_type': event.type,
            'cloudevents.event_source': event.source,
            'cloudevents.event_subject': event.subject,
            'textplane.attempt': attempt,
          },
        },
        () => this.options.handle(event),
      );
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Sleeps while heartbeating; false when the consumer stopped or lost the partition meanwhile. */
  private async waitAlive(delayMs: number, payload: EachBatchPayload): Promise<boolean> {
    const until = Date.now() + delayMs;
    for (let remaining = delayMs; remaining > 0; remaining = until - Date.now()) {
      await sleep(Math.min(remaining, WAIT_SLICE_MS));
      if (!payload.isRunning() || payload.isStale()) return false;
      await payload.heartbeat();
    }
    return true;
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: string,
    attempts: number,
  ): Promise<void> {
    const record = toDeadLetterMessage({
      topic,
      partition,
      message,
      reason,
      attempts,
      failedAt: new Date(),
    });
    // No try/catch: if this write fails the offset stays unresolved and kafkajs retries the
    // batch, so the event is delivered again instead of being skipped.
    await this.dlqProducer.sendRecords(this.dlqTopic, [record]);
    this.logger?.error(
      { topic, partition, offset: message.offset, dlqTopic: this.dlqTopic, attempts, reason },
      'event sent to the dead-letter topic',
    );
  }

  private async assertTopicsExist(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = [...this.options.topics, this.dlqTopic].filter((t) => !existing.has(t));
      if (missing.length > 0) {
        throw new Error(
          `Consumer group ${this.options.groupId} needs topics that do not exist: ${missing.join(', ')} (create them with ensureTopics)`,
        );
      }
    } finally {
      await admin.disconnect();
    }
  }
}

function where(event: ConsumedEvent): Record<string, string | number> {
  return {
    topic: event.topic,
    partition: event.partition,
    offset: event.offset,
    eventId: event.id,
    eventType: event.type,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Waiting {
  dependency: string;
  reason: string;
  since: Date;
}

/** The waits on unavailable dependencies under way in one consumer, for status(). */
class Outages {
  private readonly waits = new Set<OutageWait>();

  constructor(private readonly now: () => Date) {}

  /** A wait for one call (an event, a batch); it counts only once a failure is recorded. */
  begin(): OutageWait {
    return new OutageWait(this.waits, this.now);
  }

  status(): ConsumerStatus {
    let oldest: Waiting | undefined;
    for (const { waiting } of this.waits) {
      if (waiting && (!oldest || waiting.since < oldest.since)) oldest = waiting;
    }
    return oldest ? { state: 'waiting', ...oldest } : { state: 'consuming' };
  }
}

class OutageWait {
  /** Failed calls since the dependency became unavailable; 0 while not waiting. */
  retries = 0;
  waiting: Waiting | undefined;

  constructor(
    private readonly waits: Set<OutageWait>,
    private readonly now: () => Date,
  ) {}

  /** One more call failed for the dependency; the number of the retry to come. */
  failed(unavailable: DependencyUnavailable): number {
    this.retries += 1;
    this.waiting = {
      dependency: unavailable.dependency,
      reason: unavailable.reason,
      since: this.waiting?.since ?? this.now(),
    };
    this.waits.add(this);
    return this.retries;
  }

  /** The call got through, failed on its own, or was given up: no longer waiting. */
  end(): void {
    this.retries = 0;
    this.waiting = undefined;
    this.waits.delete(this);
  }
}

/** A counting semaphore: at most `size` holders at once, waiting callers served in order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  take(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/**
 * Runs work for one event of a batch in a span continuing that event's trace, so what a batch
 * handler records for the event carries the event's trace on (as one-by-one handling does).
 */
export function inEventSpan<T>(event: ConsumedEvent, work: () => Promise<T>): Promise<T> {
  return withSpan(
    `process ${event.type}`,
    {
      kind: 'consumer',
      ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
      attributes: { 'messaging.message.id': event.id, 'cloudevents.event_type': event.type },
    },
    work,
  );
}
