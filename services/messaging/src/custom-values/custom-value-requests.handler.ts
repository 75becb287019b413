import type { CustomValueDeletionRequested, CustomValueSetRequested } from '@textplane/contracts';
import { AggregateStore, type Decision, type EventStore } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { CustomValueProjection } from '../bulk-sends/template-lookup.projection.js';
import { StreamRequests } from '../infrastructure/stream-requests.js';
import type { CustomValueCommand } from './custom-value.commands.js';
import { type CustomValueState, decide, evolve, initialState } from './custom-value.decider.js';
import {
  CUSTOM_VALUE_STREAM_TYPE,
  type CustomValueEvent,
  customValueStreamId,
  isCustomValueEventType,
} from './custom-value.events.js';

/** The gateway's custom value requests (PUT and DELETE of `/v1/custom-values/{key}`). */
export class CustomValueRequestHandler {
  private readonly requests: StreamRequests<CustomValueCommand, CustomValueEvent, CustomValueState>;

  constructor(store: EventStore, clock: Clock) {
    const values = new CustomValueProjection();
    this.requests = new StreamRequests(
      new AggregateStore(
        store,
        { decide, evolve, initialState, isEvent: isCustomValueEventType },
        CUSTOM_VALUE_STREAM_TYPE,
        {
          // The values a bulk send renders with (bulk-sends/template-lookup.projection.ts).
          project: async (manager, events) => {
            for (const event of events) await values.apply(manager, event);
          },
        },
      ),
      { commandOf, streamOf: (command) => customValueStreamId(command.tenantId, command.key) },
      clock,
    );
  }

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  apply(
    event: ConsumedEvent,
    manager: EntityManager,
  ): Promise<Decision<CustomValueEvent, CustomValueState> | null> {
    return this.requests.apply(event, manager);
  }
}

function commandOf(event: ConsumedEvent, now: Date): CustomValueCommand | null {
  switch (event.type) {
    case 'gateway.CustomValueSetRequested.v1': {
      const d = event.data as CustomValueSetRequested;
      return {
        type: 'SetCustomValue',
        tenantId: d.tenantId,
        key: d.key,
        value: d.value,
        requestId: d.requestId,
        requestedAt: new Date(d.requestedAt),
        now,
      };
    }
    case 'gateway.CustomValueDeletionRequested.v1': {
      const d = event.data as CustomValueDeletionRequested;
      return {
        type: 'DeleteCustomValue',
        tenantId: d.tenantId,
        key: d.key,
        requestId: d.requestId,
        requestedAt: new Date(d.requestedAt),
        now,
      };
    }
    default:
      return null;
  }
}
