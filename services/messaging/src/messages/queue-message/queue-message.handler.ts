import type { SendRequested } from '@textplane/contracts';
import type { Inbox } from '@textplane/event-store';
import { type ConsumedEvent, inEventSpan } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import type { Clock } from '../../infrastructure/clock.js';
import type { MessageStore } from '../../infrastructure/message-store.js';

/** Turns a gateway send request into a queued message, exactly once per request event. */
export class QueueMessageHandler {
  constructor(
    private readonly inbox: Inbox,
    private readonly messages: MessageStore,
    private readonly clock: Clock,
    private readonly consumerGroup: string,
  ) {}

  async handle(event: ConsumedEvent): Promise<void> {
    await this.inbox.handleOnce(this.consumerGroup, event.id, (manager) =>
      this.apply(event, manager),
    );
  }

  /** A fetched batch in one transaction: one commit for all its requests. */
  async handleBatch(events: ConsumedEvent[]): Promise<void> {
    await this.inbox.handleAllOnce(
      this.consumerGroup,
      events.map((event) => ({
        eventId: event.id,
        fn: (manager) => inEventSpan(event, () => this.apply(event, manager)),
      })),
    );
  }

  private async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (event.type !== 'gateway.SendRequested.v1') return;
    const request = event.data as SendRequested;
    await this.messages.handle(
      request.messageId,
      { type: 'QueueMessage', request, now: this.clock.now() },
      { tenantId: request.tenantId, correlationId: event.correlationId, causationId: event.id },
      manager,
    );
  }
}
