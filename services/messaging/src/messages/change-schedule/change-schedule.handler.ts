import type { MessageCancelRequested, MessageRescheduleRequested } from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import type { MessageStore } from '../../infrastructure/message-store.js';
import type { DispatchQueue } from '../dispatch/dispatch-queue.js';
import type { MessageCommand } from '../message.commands.js';

/**
 * A client's cancel or reschedule of a message, exactly once per request event: decided on the
 * message's stream (canceled, rescheduled, or refused with the status it is in), with the
 * dispatch queue following in the same transaction (the row removed on cancel, moved on
 * reschedule). A dispatcher that claimed the message meanwhile reads it again when it gates it,
 * so a canceled message never reaches the carrier.
 */
export class ChangeScheduleHandler {
  constructor(
    private readonly messages: MessageStore,
    private readonly queue: DispatchQueue,
    private readonly clock: Clock,
  ) {}

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    const request = requestOf(event, this.clock.now());
    if (!request) return;
    const { messageId, tenantId, command } = request;
    const context = { tenantId, correlationId: event.correlationId, causationId: event.id };
    const decision = await this.messages.handle(messageId, command, context, manager);
    await this.queue.follow(manager, messageId, context, decision.events);
  }
}

function requestOf(
  event: ConsumedEvent,
  now: Date,
): { messageId: string; tenantId: string; command: MessageCommand } | null {
  switch (event.type) {
    case 'gateway.MessageCancelRequested.v1': {
      const d = event.data as MessageCancelRequested;
      return {
        messageId: d.messageId,
        tenantId: d.tenantId,
        command: {
          type: 'CancelMessage',
          tenantId: d.tenantId,
          requestedAt: new Date(d.requestedAt),
          now,
        },
      };
    }
    case 'gateway.MessageRescheduleRequested.v1': {
      const d = event.data as MessageRescheduleRequested;
      return {
        messageId: d.messageId,
        tenantId: d.tenantId,
        command: {
          type: 'RescheduleMessage',
          tenantId: d.tenantId,
          sendAt: new Date(d.sendAt),
          requestedAt: new Date(d.requestedAt),
          now,
        },
      };
    }
    default:
      return null;
  }
}
