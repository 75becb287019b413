import type { ContactDeletionRequested, ContactUpsertRequested } from '@textplane/contracts';
import { AggregateStore, type Decision, type EventStore } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { StreamRequests } from '../infrastructure/stream-requests.js';
import { ContactLookupProjection } from './contact-lookup.projection.js';
import type { ContactCommand } from './contact.commands.js';
import { type ContactState, decide, evolve, initialState } from './contact.decider.js';
import {
  CONTACT_STREAM_TYPE,
  type ContactEvent,
  contactStreamId,
  isContactEventType,
} from './contact.events.js';

/**
 * The gateway's contact requests (PUT and DELETE of `/v1/contacts/{id}`), each decided once on
 * the contact's stream: upserted, deleted, or refused (stale `If-Match`, nothing to delete), with
 * the `contacts` lookup table following in the same transaction.
 */
export class ContactRequestHandler {
  private readonly contacts: AggregateStore<ContactCommand, ContactEvent, ContactState>;
  private readonly requests: StreamRequests<ContactCommand, ContactEvent, ContactState>;

  constructor(store: EventStore, clock: Clock) {
    const lookup = new ContactLookupProjection();
    this.contacts = new AggregateStore(
      store,
      { decide, evolve, initialState, isEvent: isContactEventType },
      CONTACT_STREAM_TYPE,
      {
        project: async (manager, events) => {
          for (const event of events) await lookup.apply(manager, event);
        },
      },
    );
    this.requests = new StreamRequests(
      this.contacts,
      { commandOf, streamOf: (command) => contactStreamId(command.tenantId, command.contactId) },
      clock,
    );
  }

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  apply(
    event: ConsumedEvent,
    manager: EntityManager,
  ): Promise<Decision<ContactEvent, ContactState> | null> {
    return this.requests.apply(event, manager);
  }

  load(
    tenantId: string,
    contactId: string,
    manager?: EntityManager,
  ): Promise<{ state: ContactState; version: number }> {
    return this.contacts.load(contactStreamId(tenantId, contactId), manager);
  }
}

function commandOf(event: ConsumedEvent, now: Date): ContactCommand | null {
  switch (event.type) {
    case 'gateway.ContactUpsertRequested.v1': {
      const d = event.data as ContactUpsertRequested;
      return {
        type: 'UpsertContact',
        tenantId: d.tenantId,
        contactId: d.contactId,
        requestId: d.requestId,
        contact: d.contact,
        ...(d.expectedVersion !== undefined ? { expectedVersion: d.expectedVersion } : {}),
        requestedAt: new Date(d.requestedAt),
        now,
      };
    }
    case 'gateway.ContactDeletionRequested.v1': {
      const d = event.data as ContactDeletionRequested;
      return {
        type: 'DeleteContact',
        tenantId: d.tenantId,
        contactId: d.contactId,
        requestId: d.requestId,
        ...(d.expectedVersion !== undefined ? { expectedVersion: d.expectedVersion } : {}),
        requestedAt: new Date(d.requestedAt),
        now,
      };
    }
    default:
      return null;
  }
}
