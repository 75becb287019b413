import { QueryFailedError } from 'typeorm';
import type { EventStore, StreamAppend } from './event-store.js';
import { ConcurrencyError, type NewEvent } from './events.js';
import { GroupCommit, type Pending } from './group-commit.js';

interface Append {
  readonly streamId: string;
  readonly streamType: string;
  readonly events: NewEvent[];
}

type Waiting = Append & Pending<void>;

export interface GroupAppenderOptions {
  /** Most appends committed by one statement (default 256). */
  maxGroup?: number;
}

/**
 * Group commit for independent appends at 'any' version (webhook receipts, say): while one
 * statement is committing, the appends that arrive wait, and the next statement commits all of
 * them together. A lone append goes at once, as it would alone; under load, N concurrent appends
 * cost one round trip and one commit instead of N. Each caller's promise settles when its events
 * are committed, so what a caller acknowledges is durable just as with EventStore.append.
 *
 * Appends to one stream keep their arrival order. An append the store refuses as unpublishable
 * (EventStore.assertPublishable) fails alone, before the group's statement. If a group's statement clashes (a duplicate
 * event id, a race with another process on a stream), its appends are retried one by one, so
 * each caller gets its own outcome and one bad append does not fail the others; any other
 * failure fails the whole group at once.
 */
export class GroupAppender {
  private readonly queue: GroupCommit<Append, void>;

  constructor(
    private readonly store: EventStore,
    options: GroupAppenderOptions = {},
  ) {
    this.queue = new GroupCommit((group) => this.commit(group), options.maxGroup ?? 256);
  }

  /** Appends at 'any' version; resolves once committed, rejects as EventStore.append would. */
  append(streamId: string, streamType: string, events: NewEvent[]): Promise<void> {
    return this.queue.submit({ streamId, streamType, events });
  }

  private async commit(arrived: readonly Waiting[]): Promise<void> {
    // An append that could never be published fails its own caller here, before it can fail
    // the statement that would commit the others.
    const group = arrived.filter((waiting) => {
      try {
        this.store.assertPublishable(waiting.streamId, waiting.events);
        return true;
      } catch (error) {
        waiting.reject(error);
        return false;
      }
    });
    if (group.length === 0) return;
    if (group.length === 1) return this.commitAlone(group[0] as Waiting);
    const byStream = new Map<string, StreamAppend>();
    for (const { streamId, streamType, events } of group) {
      const known = byStream.get(streamId);
      if (known) known.events.push(...events);
      else byStream.set(streamId, { streamId, streamType, expected: 'any', events: [...events] });
    }
    try {
      await this.store.appendMany([...byStream.values()]);
    } catch (error) {
      if (!isConflict(error)) {
        // The database itself failed (down, pool exhausted): each append would fail the same.
        for (const waiting of group) waiting.reject(error);
        return;
      }
      // One append clashed (a redelivered event id, another process on a stream): each gets
      // its own outcome, streams at once, each stream's appends still in arrival order.
      await Promise.all(
        [...Map.groupBy(group, (waiting) => waiting.streamId).values()].map(async (appends) => {
          for (const waiting of appends) await this.commitAlone(waiting);
        }),
      );
      return;
    }
    for (const waiting of group) waiting.resolve();
  }

  private async commitAlone(waiting: Waiting): Promise<void> {
    try {
      await this.store.append(waiting.streamId, waiting.streamType, 'any', waiting.events);
      waiting.resolve();
    } catch (error) {
      waiting.reject(error);
    }
  }
}

/** A lost race on a stream's version or a duplicate event id: specific to some append. */
function isConflict(error: unknown): boolean {
  if (error instanceof ConcurrencyError) return true;
  if (!(error instanceof QueryFailedError)) return false;
  const cause = error.driverError as { code?: unknown } | undefined;
  return cause?.code === '23505';
}
