import type { AggregateStore, Decision } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { metadataOf } from './message-store.js';

/** Which command a gateway request is, and on which stream it is decided. */
export interface RequestRouting<Command> {
  /** The command a consumed request asks for; null for an event this handler leaves alone. */
  commandOf(event: ConsumedEvent, now: Date): Command | null;
  streamOf(command: Command): string;
}

/**
 * A gateway request decided once on its aggregate's stream (contacts, templates, custom values),
 * inside the caller's transaction (see onceThroughInbox), the request's event as its cause.
 */
export class StreamRequests<
  Command extends { tenantId: string },
  Event extends { type: string; data: unknown },
  State,
> {
  constructor(
    private readonly aggregates: AggregateStore<Command, Event, State>,
    private readonly routing: RequestRouting<Command>,
    private readonly clock: Clock,
  ) {}

  async apply(
    event: ConsumedEvent,
    manager: EntityManager,
  ): Promise<Decision<Event, State> | null> {
    const command = this.routing.commandOf(event, this.clock.now());
    if (!command) return null;
    return this.aggregates.handle(
      this.routing.streamOf(command),
      command,
      metadataOf({
        tenantId: command.tenantId,
        correlationId: event.correlationId,
        causationId: event.id,
      }),
      manager,
    );
  }
}
