import { AggregateStore, type Decision, type EventStore } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import { type CommandContext, metadataOf } from '../infrastructure/message-store.js';
import type { BulkSendCommand } from './bulk-send.commands.js';
import { type BulkSendState, decide, evolve, initialState } from './bulk-send.decider.js';
import {
  BULK_SEND_STREAM_TYPE,
  type BulkSendEvent,
  bulkSendStreamId,
  isBulkSendEventType,
} from './bulk-send.events.js';
import { BulkSendRunProjection } from './bulk-send-run.projection.js';

/** Bulk-send streams, with `bulk_send_runs` and `bulk_send_recipients` following inline. */
export class BulkSendStore {
  private readonly aggregates: AggregateStore<BulkSendCommand, BulkSendEvent, BulkSendState>;

  constructor(store: EventStore) {
    const runs = new BulkSendRunProjection();
    this.aggregates = new AggregateStore(
      store,
      { decide, evolve, initialState, isEvent: isBulkSendEventType },
      BULK_SEND_STREAM_TYPE,
      {
        project: async (manager, events) => {
          for (const event of events) await runs.apply(manager, event);
        },
      },
    );
  }

  load(
    bulkSendId: string,
    manager?: EntityManager,
  ): Promise<{ state: BulkSendState; version: number }> {
    return this.aggregates.load(bulkSendStreamId(bulkSendId), manager);
  }

  handle(
    bulkSendId: string,
    command: BulkSendCommand,
    context: CommandContext,
    manager: EntityManager,
    loaded?: { state: BulkSendState; version: number },
  ): Promise<Decision<BulkSendEvent, BulkSendState>> {
    return this.aggregates.handle(
      bulkSendStreamId(bulkSendId),
      command,
      metadataOf(context),
      manager,
      loaded,
    );
  }
}
