import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import {
  evolveNumberLookup,
  isNumberLookupEventType,
  type NumberLookupEvent,
  type NumberLookupRow,
} from './number-lookup-record.js';

export const NUMBER_LOOKUP_COLUMNS = `phone_number, line_type, carrier, carrier_name,
  carrier_line_type, looked_up_at, failure_reason, failure_detail, failed_at`;

type Instant = Date | string | null;
export type SelectedNumberLookupRow = Omit<NumberLookupRow, 'looked_up_at' | 'failed_at'> & {
  looked_up_at: Instant;
  failed_at: Instant;
};

function iso(value: Instant): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export function numberLookupRowOf(row: SelectedNumberLookupRow): NumberLookupRow {
  return { ...row, looked_up_at: iso(row.looked_up_at), failed_at: iso(row.failed_at) };
}

/**
 * Writes `number_lookups` (evolveNumberLookup) from messaging's number-lookup facts, each with
 * its inbox record; the rebuild replays the topic through it.
 */
export class NumberLookupProjection implements EventHandlers {
  private readonly handlers: EventHandlers;

  constructor(inbox: Inbox, consumerGroup: string) {
    this.handlers = onceThroughInbox(inbox, consumerGroup, (event, manager) =>
      this.apply(event, manager),
    );
  }

  handle(event: ConsumedEvent): Promise<void> {
    return this.handlers.handle(event);
  }

  handleBatch(events: ConsumedEvent[]): Promise<void> {
    return this.handlers.handleBatch(events);
  }

  async apply(consumed: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (!isNumberLookupEventType(consumed.type)) return;
    // The consumer has validated the data against the event's schema.
    const event = { type: consumed.type, data: consumed.data } as NumberLookupEvent;
    const rows = await manager.query<SelectedNumberLookupRow[]>(
      `SELECT ${NUMBER_LOOKUP_COLUMNS} FROM number_lookups WHERE phone_number = $1 FOR UPDATE`,
      [event.data.phoneNumber],
    );
    const before = rows[0] ? numberLookupRowOf(rows[0]) : null;
    const row = evolveNumberLookup(before, event);
    await manager.query(
      `INSERT INTO number_lookups (${NUMBER_LOOKUP_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (phone_number) DO UPDATE SET
         line_type = EXCLUDED.line_type, carrier = EXCLUDED.carrier,
         carrier_name = EXCLUDED.carrier_name, carrier_line_type = EXCLUDED.carrier_line_type,
         looked_up_at = EXCLUDED.looked_up_at, failure_reason = EXCLUDED.failure_reason,
         failure_detail = EXCLUDED.failure_detail, failed_at = EXCLUDED.failed_at`,
      [
        row.phone_number,
        row.line_type,
        row.carrier,
        row.carrier_name,
        row.carrier_line_type,
        row.looked_up_at,
        row.failure_reason,
        row.failure_detail,
        row.failed_at,
      ],
    );
  }
}
