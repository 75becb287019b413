import type { ContactImportChunkSubmitted, ContactImportRejectedRow } from '@textplane/contracts';
import { AggregateStore, type EventStore, unitOfWorkOf } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import {
  type ContactLookupRow,
  evolveContactLookup,
} from '../contacts/contact-lookup.projection.js';
import type { ContactCommand } from '../contacts/contact.commands.js';
import {
  type ContactState,
  decide as decideContact,
  evolve as evolveContact,
  initialState as initialContactState,
} from '../contacts/contact.decider.js';
import {
  CONTACT_STREAM_TYPE,
  type ContactEvent,
  contactStreamId,
  isContactEventType,
} from '../contacts/contact.events.js';
import { metadataOf } from '../infrastructure/message-store.js';
import {
  CONTACT_IMPORT_STREAM_TYPE,
  type ContactImportCommand,
  type ContactImportEvent,
  type ContactImportState,
  contactImportStreamId,
  decide,
  evolve,
  initialState,
  isContactImportEventType,
} from './contact-import.decider.js';

const LOOKUP_WRITE_KEY = 'contact-imports:contacts-lookup';

/**
 * Writes a chunk's rows of `contacts` in one statement, with `evolveContactLookup` (the table's
 * one evolve): a contact upserted twice in the chunk keeps its last row.
 */
async function writeLookupRows(
  manager: EntityManager,
  rows: readonly ContactLookupRow[],
): Promise<void> {
  const last = new Map<string, ContactLookupRow>();
  for (const row of rows) last.set(`${row.tenant_id}\u0000${row.contact_id}`, row);
  const unique = [...last.values()];
  if (unique.length === 0) return;
  await manager.query(
    `INSERT INTO contacts (tenant_id, contact_id, version, phone, time_zone, record, updated_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[])
     ON CONFLICT (tenant_id, contact_id) DO UPDATE SET
       version = EXCLUDED.version, phone = EXCLUDED.phone, time_zone = EXCLUDED.time_zone,
       record = EXCLUDED.record, updated_at = EXCLUDED.updated_at`,
    [
      unique.map((r) => r.tenant_id),
      unique.map((r) => r.contact_id),
      unique.map((r) => r.version),
      unique.map((r) => r.phone),
      unique.map((r) => r.time_zone),
      unique.map((r) => JSON.stringify(r.record)),
      unique.map((r) => r.updated_at),
    ],
  );
}

/**
 * The chunks of contact imports: each chunk's rows are upserted in one transaction through the
 * contact decider (the rules a PUT goes through), in row order, and answered with one
 * `ContactImportChunkProcessed`. A redelivered chunk changes nothing: the inbox has its event id,
 * and the import's stream knows the chunk was answered, so each row bumps its contact's version
 * once. The `contacts` lookup rows of the chunk are written in one statement at the flush.
 */
export class ContactImportChunkHandler {
  private readonly contacts: AggregateStore<ContactCommand, ContactEvent, ContactState>;
  private readonly imports: AggregateStore<
    ContactImportCommand,
    ContactImportEvent,
    ContactImportState
  >;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
  ) {
    this.contacts = new AggregateStore(
      store,
      {
        decide: decideContact,
        evolve: evolveContact,
        initialState: initialContactState,
        isEvent: isContactEventType,
      },
      CONTACT_STREAM_TYPE,
      {
        project: (manager, events) => {
          const unit = unitOfWorkOf(manager);
          for (const event of events) {
            const next = evolveContactLookup(null, event);
            // Import rows only upsert; a refusal leaves the table as it is.
            if (next === null) continue;
            if (unit) unit.deferWrite(LOOKUP_WRITE_KEY, next, writeLookupRows);
            else return writeLookupRows(manager, [next]);
          }
          return Promise.resolve();
        },
      },
    );
    this.imports = new AggregateStore(
      store,
      { decide, evolve, initialState, isEvent: isContactImportEventType },
      CONTACT_IMPORT_STREAM_TYPE,
    );
  }

  /** The effect of one event, inside the caller's transaction and unit of work (onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (event.type !== 'gateway.ContactImportChunkSubmitted.v1') return;
    const d = event.data as ContactImportChunkSubmitted;
    const importStream = contactImportStreamId(d.tenantId, d.importId);
    const progress = await this.imports.load(importStream, manager);
    if (progress.state.answered.has(d.chunk)) return;

    const metadata = metadataOf({
      tenantId: d.tenantId,
      correlationId: event.correlationId,
      causationId: event.id,
    });
    const now = this.clock.now();
    const requestedAt = new Date(d.requestedAt);
    const streams = [...new Set(d.rows.map((r) => contactStreamId(d.tenantId, r.contactId)))];
    await this.contacts.loadAll(streams, manager);
    let upserted = 0;
    const rejected: ContactImportRejectedRow[] = [];
    for (const row of d.rows) {
      const decision = await this.contacts.handle(
        contactStreamId(d.tenantId, row.contactId),
        {
          type: 'UpsertContact',
          tenantId: d.tenantId,
          contactId: row.contactId,
          requestId: row.requestId,
          contact: row.contact,
          imported: true,
          requestedAt,
          now,
        },
        metadata,
        manager,
      );
      for (const fact of decision.events) {
        if (fact.type === 'messaging.ContactUpserted.v1') upserted += 1;
        else if (fact.type === 'messaging.ContactRequestRejected.v1') {
          rejected.push({
            row: row.row,
            reason: fact.data.reason,
            message: `contact ${row.contactId} was not upserted: ${fact.data.reason}`,
          });
        }
      }
    }
    await this.imports.handle(
      importStream,
      {
        type: 'RecordChunkOutcome',
        tenantId: d.tenantId,
        importId: d.importId,
        chunk: d.chunk,
        upserted,
        rejected,
        now,
      },
      metadata,
      manager,
      progress,
    );
  }
}
