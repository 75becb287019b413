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

/**
 * A bulk send's stream as its decider needs it: every event, but a frozen chunk keeps only the
 * recipients `evolve` looks at: none once the last chunk is in, and while chunks still come, for a
 * local-time schedule, batch 0's with their own `sendAt` (its first batch time). A 100,000-
 * recipient run is 50 chunks of 2,000: read whole for every chunk and every batch, each freeze
 * and each release cost the size of the send (quadratic over the run).
 */
const FROZEN = `'messaging.BulkSendRecipientsFrozen.v1'`;
const LIGHT_STREAM = `
  WITH s AS (SELECT version, type, data FROM events WHERE stream_id = $1),
       f AS (SELECT bool_or(type = ${FROZEN} AND data ? 'firstBatchAt') AS done,
                    bool_or(type = 'messaging.BulkSendCreated.v1' AND data->'delivery' ? 'localTime')
                      AS local_time
             FROM s)
  SELECT s.version, s.type,
         CASE WHEN s.type <> ${FROZEN} THEN s.data
              WHEN f.local_time AND NOT f.done THEN
                jsonb_set(s.data, '{recipients}', jsonb_path_query_array(
                  s.data->'recipients', '$[*] ? (@.batch == 0 && exists(@.sendAt))'))
              ELSE (s.data - 'recipients') || '{"recipients": []}'::jsonb END AS data
  FROM s, f ORDER BY s.version`;

/** Bulk-send streams, with `bulk_send_runs` and `bulk_send_recipients` following inline. */
export class BulkSendStore {
  private readonly aggregates: AggregateStore<BulkSendCommand, BulkSendEvent, BulkSendState>;

  constructor(private readonly store: EventStore) {
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

  /** The run's state and its stream's version (read light: see LIGHT_STREAM). */
  async load(
    bulkSendId: string,
    manager?: EntityManager,
  ): Promise<{ state: BulkSendState; version: number }> {
    if (!manager) return this.store.transaction((own) => this.load(bulkSendId, own));
    const rows = await manager.query<Array<{ version: number; type: string; data: unknown }>>(
      LIGHT_STREAM,
      [bulkSendStreamId(bulkSendId)],
    );
    let state = initialState;
    for (const row of rows) {
      if (isBulkSendEventType(row.type)) {
        state = evolve(state, { type: row.type, data: row.data } as BulkSendEvent);
      }
    }
    return { state, version: rows.at(-1)?.version ?? 0 };
  }

  /** Decides `command` on the run (as `loaded`, or as read now) and appends at its version. */
  async handle(
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
      loaded ?? (await this.load(bulkSendId, manager)),
    );
  }
}
