import type { EntityManager } from 'typeorm';
import type { EventStore } from './event-store.js';
import { ConcurrencyError, type EventMetadata, type StoredEvent } from './events.js';
import { type TrackedStream, unitOfWorkOf } from './unit-of-work.js';

/** An aggregate's pure rules, in the decide/evolve shape. */
export interface Decider<Command, Event extends { type: string; data: unknown }, State> {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: State;
  /** Which stored event types belong to this aggregate (others in the stream are skipped). */
  isEvent: (type: string) => type is Event['type'];
}

export interface AggregateStoreOptions<Event> {
  /** Inline projections, run in the same transaction as the append. */
  project?: (manager: EntityManager, events: Event[]) => Promise<void>;
  /**
   * Which events the projection writes for (default: all). When none of the new events needs
   * it, the append commits on its own, without a transaction around it: one round trip.
   */
  projects?: (event: Event) => boolean;
  /** Attempts when another writer appended first (each re-reads and decides again). Default 5. */
  concurrencyAttempts?: number;
}

export interface Decision<Event, State> {
  events: Event[];
  state: State;
}

/**
 * Runs commands against one aggregate type: load the stream, decide, append at the version read.
 * Without a caller's transaction a lost race is retried with fresh state; inside one, the
 * ConcurrencyError propagates so the caller's unit of work is retried as a whole.
 */
export class AggregateStore<Command, Event extends { type: string; data: unknown }, State> {
  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<Command, Event, State>,
    private readonly streamType: string,
    private readonly options: AggregateStoreOptions<Event> = {},
  ) {}

  /**
   * The stream's current state. Inside a unit of work (see withUnitOfWork) the stream is read
   * once and then kept, events decided but not yet flushed included.
   */
  async load(
    streamId: string,
    manager?: EntityManager,
  ): Promise<{ state: State; version: number }> {
    const tracked = manager ? this.tracked(manager, streamId) : undefined;
    if (tracked) return this.current(tracked);
    const loaded = this.fold(await this.store.readStream(streamId, manager));
    if (manager) this.track(manager, streamId, loaded);
    return loaded;
  }

  /** `load` for several streams, in one read for those a unit of work does not hold yet. */
  async loadAll(
    streamIds: readonly string[],
    manager?: EntityManager,
  ): Promise<Map<string, { state: State; version: number }>> {
    const loaded = new Map<string, { state: State; version: number }>();
    const unread: string[] = [];
    for (const streamId of streamIds) {
      const tracked = manager ? this.tracked(manager, streamId) : undefined;
      if (tracked) loaded.set(streamId, this.current(tracked));
      else unread.push(streamId);
    }
    for (const [streamId, events] of await this.store.readStreams(unread, manager)) {
      const stream = this.fold(events);
      if (manager) this.track(manager, streamId, stream);
      loaded.set(streamId, stream);
    }
    return loaded;
  }

  /**
   * `loaded`: the stream as the caller already read it inside the same transaction, so it is
   * not read twice; the append at its version still refuses if another writer got in between.
   */
  async handle(
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    manager?: EntityManager,
    loaded?: { state: State; version: number },
  ): Promise<Decision<Event, State>> {
    if (manager) return this.handleIn(manager, streamId, command, metadata, loaded);
    const attempts = this.options.concurrencyAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.handleOptimistically(streamId, command, metadata);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= attempts) throw error;
      }
    }
  }

  /**
   * Reads outside any transaction: the append's expected version (and the unique constraint on
   * stream and version) refuses it if another writer got in between, and the caller retries.
   */
  private async handleOptimistically(
    streamId: string,
    command: Command,
    metadata: EventMetadata,
  ): Promise<Decision<Event, State>> {
    const { state, version } = await this.load(streamId);
    const events = this.decider.decide(command, state);
    if (events.length === 0) return { events, state };
    const { project, projects } = this.options;
    const newEvents = events.map((event) => ({ type: event.type, data: event.data, metadata }));
    if (project && (!projects || events.some(projects))) {
      await this.store.transaction(async (tx) => {
        await this.store.append(streamId, this.streamType, version, newEvents, tx);
        await project(tx, events);
      });
    } else {
      await this.store.append(streamId, this.streamType, version, newEvents);
    }
    return { events, state: events.reduce(this.decider.evolve, state) };
  }

  private async handleIn(
    manager: EntityManager,
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    loaded?: { state: State; version: number },
  ): Promise<Decision<Event, State>> {
    if (unitOfWorkOf(manager))
      return this.handleInUnit(manager, streamId, command, metadata, loaded);
    const { state, version } = loaded ?? (await this.load(streamId, manager));
    const events = this.decider.decide(command, state);
    if (events.length === 0) return { events, state };
    await this.store.append(
      streamId,
      this.streamType,
      version,
      events.map((event) => ({ type: event.type, data: event.data, metadata })),
      manager,
    );
    await this.options.project?.(manager, events);
    return { events, state: events.reduce(this.decider.evolve, state) };
  }

  /** Decides on the state the unit of work holds and leaves the append to its flush. */
  private async handleInUnit(
    manager: EntityManager,
    streamId: string,
    command: Command,
    metadata: EventMetadata,
    loaded?: { state: State; version: number },
  ): Promise<Decision<Event, State>> {
    const stream =
      this.tracked(manager, streamId) ??
      this.track(
        manager,
        streamId,
        loaded ?? this.fold(await this.store.readStream(streamId, manager)),
      );
    if (!stream) throw new Error('A unit of work is running but did not take the stream');
    const state = stream.state as State;
    const events = this.decider.decide(command, state);
    if (events.length === 0) return { events, state };
    const next = events.reduce(this.decider.evolve, state);
    stream.pending.push(
      ...events.map((event) => ({ type: event.type, data: event.data, metadata })),
    );
    stream.state = next;
    await this.options.project?.(manager, events);
    return { events, state: next };
  }

  private fold(stored: readonly StoredEvent[]): { state: State; version: number } {
    let state = this.decider.initialState;
    for (const event of stored) {
      if (this.decider.isEvent(event.type)) {
        state = this.decider.evolve(state, { type: event.type, data: event.data } as Event);
      }
    }
    return { state, version: stored.at(-1)?.version ?? 0 };
  }

  private current(stream: TrackedStream): { state: State; version: number } {
    return { state: stream.state as State, version: stream.baseVersion + stream.pending.length };
  }

  /** The stream as this transaction's unit of work holds it, if it runs one and holds it. */
  private tracked(manager: EntityManager, streamId: string): TrackedStream | undefined {
    const stream = unitOfWorkOf(manager)?.get(streamId);
    if (stream && stream.owner !== this) {
      throw new Error(`Stream ${streamId} is in this unit of work through another writer`);
    }
    return stream;
  }

  /** Hands a stream just read to the transaction's unit of work, if it runs one. */
  private track(
    manager: EntityManager,
    streamId: string,
    loaded: { state: State; version: number },
  ): TrackedStream | undefined {
    return unitOfWorkOf(manager)?.track(streamId, {
      store: this.store,
      owner: this,
      streamType: this.streamType,
      baseVersion: loaded.version,
      state: loaded.state,
      pending: [],
    });
  }
}
