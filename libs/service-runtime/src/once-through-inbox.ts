import type { Inbox } from '@textplane/event-store';
import { type ConsumedEvent, inEventSpan } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';

/** What a consumer needs: one event at a time, or a fetched batch at once. */
export interface EventHandlers {
  handle: (event: ConsumedEvent) => Promise<void>;
  handleBatch: (events: ConsumedEvent[]) => Promise<void>;
}

/**
 * Applies each event exactly once through the inbox: `apply`'s writes and the inbox record
 * commit together. One by one, each event has its own transaction; a fetched batch shares one
 * (one commit), each event still applied in a span continuing its own trace.
 */
export function onceThroughInbox(
  inbox: Inbox,
  consumerGroup: string,
  apply: (event: ConsumedEvent, manager: EntityManager) => Promise<void>,
  options: OnceThroughInboxOptions = {},
): EventHandlers {
  const { prepare } = options;
  return {
    handle: async (event) => {
      await inbox.handleOnce(consumerGroup, event.id, (manager) => apply(event, manager));
    },
    handleBatch: async (events) => {
      await inbox.handleAllOnce(
        consumerGroup,
        events.map((event) => ({
          eventId: event.id,
          fn: (manager) => inEventSpan(event, () => apply(event, manager)),
        })),
        prepare
          ? (manager, fresh) =>
              prepare(
                events.filter((e) => fresh.has(e.id)),
                manager,
              )
          : undefined,
      );
    },
  };
}

export interface OnceThroughInboxOptions {
  /**
   * Runs once per fetched batch, in its transaction before the events are applied, with the
   * events not seen before: the place for one read on behalf of all of them (the streams they
   * touch, through the unit of work), instead of one read per event.
   */
  prepare?: (events: ConsumedEvent[], manager: EntityManager) => Promise<void>;
}

/**
 * A fetched batch applied set-based, exactly once: in one transaction its inbox record, then
 * `apply` once with the events not recorded before, in order (a copy redelivered inside the
 * batch left out), for projections that read and write a batch's rows at once instead of event
 * by event.
 */
export async function batchOnceThroughInbox(
  inbox: Inbox,
  consumerGroup: string,
  events: readonly ConsumedEvent[],
  apply: (fresh: ConsumedEvent[], manager: EntityManager) => Promise<void>,
): Promise<void> {
  if (events.length === 0) return;
  await inbox.handleAllOnce(
    consumerGroup,
    events.map((event) => ({ eventId: event.id, fn: nothingMore })),
    async (manager, fresh) => {
      const seen = new Set<string>();
      const firstCopies = events.filter((event) => {
        if (!fresh.has(event.id) || seen.has(event.id)) return false;
        seen.add(event.id);
        return true;
      });
      await apply(firstCopies, manager);
    },
  );
}

async function nothingMore(): Promise<void> {}
