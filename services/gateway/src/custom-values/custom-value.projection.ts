import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { recordOutcome } from '../templates/template-outcomes.js';
import {
  type CustomValueFact,
  type CustomValueRow,
  customValueOutcomeOf,
  evolveCustomValueRow,
  isCustomValueFact,
} from './custom-value-row.js';

/**
 * Projects messaging's custom value facts into `custom_values` (with `evolveCustomValueRow`) and
 * `template_request_outcomes`; a fact's writes and its inbox record commit together.
 */
export class CustomValueProjection implements EventHandlers {
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
    if (!isCustomValueFact(consumed)) return;
    const event = { type: consumed.type, data: consumed.data } as CustomValueFact;
    const { tenantId, key } = event.data;
    const rows = await manager.query<
      Array<Omit<CustomValueRow, 'updated_at'> & { updated_at: Date }>
    >(
      `SELECT tenant_id, key, value, version, updated_at FROM custom_values
       WHERE tenant_id = $1 AND key = $2 FOR UPDATE`,
      [tenantId, key],
    );
    const found = rows[0];
    const row = found ? { ...found, updated_at: found.updated_at.toISOString() } : null;
    const next = evolveCustomValueRow(row, event);
    if (next === null && row !== null) {
      await manager.query(`DELETE FROM custom_values WHERE tenant_id = $1 AND key = $2`, [
        tenantId,
        key,
      ]);
    } else if (next !== null && next !== row) {
      await manager.query(
        `INSERT INTO custom_values (tenant_id, key, value, version, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, key) DO UPDATE SET
           value = EXCLUDED.value, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at`,
        [next.tenant_id, next.key, next.value, next.version, next.updated_at],
      );
    }
    const outcome = customValueOutcomeOf(event);
    if (outcome) await recordOutcome(manager, outcome);
  }
}
