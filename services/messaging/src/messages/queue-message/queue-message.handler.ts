import type { SendRequested } from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import type { Clock } from '../../infrastructure/clock.js';
import type { MessageStore } from '../../infrastructure/message-store.js';

/** Turns a gateway send request into a queued message, exactly once per request event. */
export class QueueMessageHandler {
  constructor(
    private readonly messages: MessageStore,
    private readonly clock: Clock,
  ) {}

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
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
