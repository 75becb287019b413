import type {
  TemplateArchivalRequested,
  TemplateContent,
  TemplateCreationRequested,
  TemplateRevisionRequested,
} from '@textplane/contracts';
import { AggregateStore, type Decision, type EventStore } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { TemplateVersionProjection } from '../bulk-sends/template-lookup.projection.js';
import { StreamRequests } from '../infrastructure/stream-requests.js';
import type { TemplateCommand } from './template.commands.js';
import { type TemplateState, decide, evolve, initialState } from './template.decider.js';
import {
  TEMPLATE_STREAM_TYPE,
  type TemplateEvent,
  isTemplateEventType,
  templateStreamId,
} from './template.events.js';

/** The gateway's template requests (POST, PUT and DELETE of `/v1/templates`), each decided once. */
export class TemplateRequestHandler {
  private readonly templates: AggregateStore<TemplateCommand, TemplateEvent, TemplateState>;
  private readonly requests: StreamRequests<TemplateCommand, TemplateEvent, TemplateState>;

  constructor(store: EventStore, clock: Clock) {
    const versions = new TemplateVersionProjection();
    this.templates = new AggregateStore(
      store,
      { decide, evolve, initialState, isEvent: isTemplateEventType },
      TEMPLATE_STREAM_TYPE,
      {
        // The versions a bulk send renders with (bulk-sends/template-lookup.projection.ts).
        project: async (manager, events) => {
          for (const event of events) await versions.apply(manager, event);
        },
      },
    );
    this.requests = new StreamRequests(
      this.templates,
      { commandOf, streamOf: (command) => templateStreamId(command.tenantId, command.templateId) },
      clock,
    );
  }

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  apply(
    event: ConsumedEvent,
    manager: EntityManager,
  ): Promise<Decision<TemplateEvent, TemplateState> | null> {
    return this.requests.apply(event, manager);
  }

  load(tenantId: string, templateId: string): Promise<{ state: TemplateState; version: number }> {
    return this.templates.load(templateStreamId(tenantId, templateId));
  }
}

function contentOf(d: TemplateContent): TemplateContent {
  return {
    name: d.name,
    body: d.body,
    ...(d.purpose !== undefined ? { purpose: d.purpose } : {}),
    mediaUrls: d.mediaUrls,
    warnings: d.warnings,
  };
}

function commandOf(event: ConsumedEvent, now: Date): TemplateCommand | null {
  switch (event.type) {
    case 'gateway.TemplateCreationRequested.v1': {
      const d = event.data as TemplateCreationRequested;
      return {
        type: 'CreateTemplate',
        tenantId: d.tenantId,
        templateId: d.templateId,
        requestId: d.requestId,
        kind: d.kind,
        content: contentOf(d),
        requestedAt: new Date(d.requestedAt),
        now,
      };
    }
    case 'gateway.TemplateRevisionRequested.v1': {
      const d = event.data as TemplateRevisionRequested;
      return {
        type: 'ReviseTemplate',
        tenantId: d.tenantId,
        templateId: d.templateId,
        requestId: d.requestId,
        content: contentOf(d),
        requestedAt: new Date(d.requestedAt),
        now,
      };
    }
    case 'gateway.TemplateArchivalRequested.v1': {
      const d = event.data as TemplateArchivalRequested;
      return {
        type: 'ArchiveTemplate',
        tenantId: d.tenantId,
        templateId: d.templateId,
        requestId: d.requestId,
        requestedAt: new Date(d.requestedAt),
        now,
      };
    }
    default:
      return null;
  }
}
