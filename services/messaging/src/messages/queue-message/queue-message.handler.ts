import type { SendRequested } from '@textplane/contracts';
import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
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
    if (event.type !== 'gateway.SendRequested.v1') return;
    const request = event.data as SendRequested;
    await this.inbox.handleOnce(this.consumerGroup, event.id, (manager) =>
      this.messages.handle(
        request.messageId,
        { type: 'QueueMessage', request, now: this.clock.now() },
        { tenantId: request.tenantId, correlationId: event.correlationId, causationId: event.id },
        manager,
      ),
    );
  }
}
