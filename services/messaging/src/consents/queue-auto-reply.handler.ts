import type { AutoReplyRequested } from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import type { Clock } from '@textplane/service-runtime';
import type { MessageStore } from '../infrastructure/message-store.js';

/**
 * Queues the consent service's compliance replies (opt-out and opt-in confirmations, HELP
 * answers). The reply id is the message id, so a redelivered request queues nothing more.
 */
export class QueueAutoReplyHandler {
  constructor(
    private readonly messages: MessageStore,
    private readonly clock: Clock,
  ) {}

  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (event.type !== 'consent.AutoReplyRequested.v1') return;
    const reply = event.data as AutoReplyRequested;
    await this.messages.handle(
      reply.replyId,
      {
        type: 'QueueMessage',
        request: {
          messageId: reply.replyId,
          tenantId: reply.tenantId,
          to: reply.phone,
          from: reply.from,
          body: reply.body,
          mediaUrls: [],
          purpose: 'transactional',
          autoReply: reply.kind,
        },
        additions: null,
        now: this.clock.now(),
      },
      { tenantId: reply.tenantId, correlationId: event.correlationId, causationId: event.id },
      manager,
    );
  }
}
