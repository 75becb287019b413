import {
  AggregateStore,
  type Decision,
  type EventMetadata,
  type EventStore,
} from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import { ConsentStandingReplica } from '@textplane/replicas';
import type { EntityManager } from 'typeorm';
import type { ConsentCommand } from '../consents/consent.commands.js';
import {
  type ConsentLedgerState,
  decide,
  evolve,
  initialState,
} from '../consents/consent.decider.js';
import {
  CONSENT_STREAM_TYPE,
  type ConsentEvent,
  consentStreamId,
  isConsentEventType,
} from '../consents/consent.events.js';

/** Where a command came from, carried into the metadata of the events it causes. */
export interface CommandContext {
  correlationId: string;
  causationId?: string;
}

/** The ledger streams, with the standing projection updated in the same transaction. */
export class ConsentStore {
  private readonly aggregates: AggregateStore<ConsentCommand, ConsentEvent, ConsentLedgerState>;

  constructor(store: EventStore) {
    // The service's own queries filter on opted_out.
    const standings = new ConsentStandingReplica({ keeps: 'standing-and-opted-out' });
    this.aggregates = new AggregateStore(
      store,
      { decide, evolve, initialState, isEvent: isConsentEventType },
      CONSENT_STREAM_TYPE,
      {
        project: (manager, events) => standings.project(manager, events),
        projects: (event) => standings.follows(event),
      },
    );
  }

  load(
    tenantId: string,
    phone: string,
    manager?: EntityManager,
  ): Promise<{ state: ConsentLedgerState; version: number }> {
    return this.aggregates.load(consentStreamId(tenantId, phone), manager);
  }

  handle(
    tenantId: string,
    phone: string,
    command: ConsentCommand,
    context: CommandContext,
    manager?: EntityManager,
  ): Promise<Decision<ConsentEvent, ConsentLedgerState>> {
    return this.aggregates.handle(
      consentStreamId(tenantId, phone),
      command,
      metadataOf(tenantId, context),
      manager,
    );
  }
}

function metadataOf(tenantId: string, context: CommandContext): EventMetadata {
  const traceparent = currentTraceparent();
  return {
    tenantId,
    correlationId: context.correlationId,
    ...(context.causationId ? { causationId: context.causationId } : {}),
    ...(traceparent ? { traceparent } : {}),
  };
}
