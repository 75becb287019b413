import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import {
  type ContactFact,
  type ContactRow,
  evolveContactRow,
  isContactFact,
  outcomeOf,
} from './contact-row.js';

/** NOTIFY channel: a contact fact answering an API request was projected (payload: the notice). */
export const CONTACT_FACTS_CHANNEL = 'gateway_contact_facts';

export interface ContactFactNotice {
  tenantId: string;
  requestId: string;
  type: string;
}

const ROW_COLUMNS = `tenant_id, contact_id, version, phone, first_name, last_name, email,
  company_name, time_zone, tags, custom_fields, updated_at`;

/**
 * Projects messaging's contact facts into the gateway's `contacts` (with `evolveContactRow`) and
 * `contact_request_outcomes` (with `outcomeOf`). A contact's facts share a stream key, so they
 * arrive in order; each fact's writes and its inbox record commit together.
 */
export class ContactProjection implements EventHandlers {
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
    if (!isContactFact(consumed)) return;
    const event = { type: consumed.type, data: consumed.data } as ContactFact;
    const { tenantId, contactId } = event.data;
    const rows = await manager.query<ContactRow[]>(
      `SELECT ${ROW_COLUMNS} FROM contacts WHERE tenant_id = $1 AND contact_id = $2 FOR UPDATE`,
      [tenantId, contactId],
    );
    const row = rows[0] ?? null;
    const next = evolveContactRow(row, event);
    if (next === null && row !== null) {
      await manager.query(`DELETE FROM contacts WHERE tenant_id = $1 AND contact_id = $2`, [
        tenantId,
        contactId,
      ]);
    } else if (next !== null && next !== row) {
      await manager.query(
        `INSERT INTO contacts (${ROW_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12)
         ON CONFLICT (tenant_id, contact_id) DO UPDATE SET
           version = EXCLUDED.version, phone = EXCLUDED.phone, first_name = EXCLUDED.first_name,
           last_name = EXCLUDED.last_name, email = EXCLUDED.email,
           company_name = EXCLUDED.company_name, time_zone = EXCLUDED.time_zone,
           tags = EXCLUDED.tags, custom_fields = EXCLUDED.custom_fields,
           updated_at = EXCLUDED.updated_at`,
        [
          next.tenant_id,
          next.contact_id,
          next.version,
          next.phone,
          next.first_name,
          next.last_name,
          next.email,
          next.company_name,
          next.time_zone,
          next.tags,
          JSON.stringify(next.custom_fields),
          next.updated_at,
        ],
      );
    }

    const outcome = outcomeOf(event);
    if (outcome === null) return;
    const inserted = await manager.query<Array<{ request_id: string }>>(
      `INSERT INTO contact_request_outcomes
         (request_id, tenant_id, contact_id, type, version, created, reason, current_version, contact, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)
       ON CONFLICT (request_id) DO NOTHING
       RETURNING request_id`,
      [
        outcome.request_id,
        outcome.tenant_id,
        outcome.contact_id,
        outcome.type,
        outcome.version,
        outcome.created,
        outcome.reason,
        outcome.current_version,
        outcome.contact === null ? null : JSON.stringify(outcome.contact),
        outcome.occurred_at,
      ],
    );
    if (inserted.length > 0) {
      // Delivered at commit: a waiter never hears of an outcome it cannot read yet.
      const notice: ContactFactNotice = {
        tenantId: outcome.tenant_id,
        requestId: outcome.request_id,
        type: outcome.type,
      };
      await manager.query(`SELECT pg_notify($1, $2)`, [
        CONTACT_FACTS_CHANNEL,
        JSON.stringify(notice),
      ]);
    }
  }
}
