import type { EventDataByType } from '@textplane/contracts';
import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import type { MessageReadModel } from './message-read-model.js';

export const MESSAGE_CHANGES_CHANNEL = 'gateway_message_changes';

export interface MessageChangeNotice {
  tenantId: string;
  messageId: string;
  eventType: string;
  occurredAt: string;
}

/**
 * Keeps the gateway's message read model in step with messaging's events, exactly once per
 * event (inbox), and announces each change with NOTIFY in the same transaction so watchers on
 * any gateway instance hear about it only once it is committed.
 */
export class MessageProjection {
  constructor(
    private readonly inbox: Inbox,
    private readonly readModel: MessageReadModel,
    private readonly consumerGroup: string,
  ) {}

  async handle(event: ConsumedEvent): Promise<void> {
    await this.inbox.handleOnce(this.consumerGroup, event.id, async (manager) => {
      const changed = await this.apply(manager, event);
      if (changed && event.tenantId) {
        const notice: MessageChangeNotice = {
          tenantId: event.tenantId,
          messageId: messageIdOf(event),
          eventType: event.type,
          occurredAt: event.time,
        };
        await manager.query(`SELECT pg_notify($1, $2)`, [
          MESSAGE_CHANGES_CHANNEL,
          JSON.stringify(notice),
        ]);
      }
    });
  }

  private async apply(manager: EntityManager, event: ConsumedEvent): Promise<boolean> {
    const m = this.readModel;
    switch (event.type) {
      case 'messaging.MessageQueued.v1': {
        const d = event.data as EventDataByType['messaging.MessageQueued.v1'];
        const inserted = await m.insert(manager, {
          id: d.messageId,
          tenantId: d.tenantId,
          direction: 'outbound',
          status: 'queued',
          to: d.to,
          from: d.from,
          body: d.body,
          mediaUrls: d.mediaUrls,
          purpose: d.purpose,
          encoding: d.encoding,
          segments: d.segments,
          carrierMessageId: null,
          createdAt: d.queuedAt,
        });
        return inserted !== null;
      }
      case 'messaging.MessageSubmissionStarted.v1': {
        const d = event.data as EventDataByType['messaging.MessageSubmissionStarted.v1'];
        return m.update(manager, d.messageId, {
          status: 'sending',
          fromStatuses: ['queued'],
          at: d.startedAt,
        });
      }
      case 'messaging.MessageSubmitted.v1': {
        const d = event.data as EventDataByType['messaging.MessageSubmitted.v1'];
        return m.update(manager, d.messageId, {
          carrierMessageId: d.carrierMessageId,
          at: d.submittedAt,
        });
      }
      case 'messaging.MessageSent.v1': {
        const d = event.data as EventDataByType['messaging.MessageSent.v1'];
        return m.update(manager, d.messageId, {
          status: 'sent',
          fromStatuses: ['queued', 'sending'],
          carrierMessageId: d.carrierMessageId,
          sentAt: d.sentAt,
          at: d.sentAt,
        });
      }
      case 'messaging.MessageDelivered.v1': {
        const d = event.data as EventDataByType['messaging.MessageDelivered.v1'];
        return m.update(manager, d.messageId, {
          status: 'delivered',
          carrierMessageId: d.carrierMessageId,
          deliveredAt: d.deliveredAt,
          at: d.deliveredAt,
        });
      }
      case 'messaging.MessageFailed.v1': {
        const d = event.data as EventDataByType['messaging.MessageFailed.v1'];
        return m.update(manager, d.messageId, {
          status: 'failed',
          errorCode: d.errorCode,
          errorDetail: d.errorDetail,
          at: d.failedAt,
        });
      }
      case 'messaging.MessageUndelivered.v1': {
        const d = event.data as EventDataByType['messaging.MessageUndelivered.v1'];
        return m.update(manager, d.messageId, {
          status: 'undelivered',
          errorCode: d.errorCode,
          errorDetail: d.errorDetail,
          at: d.undeliveredAt,
        });
      }
      case 'messaging.InboundMessageReceived.v1': {
        const d = event.data as EventDataByType['messaging.InboundMessageReceived.v1'];
        const inserted = await m.insert(manager, {
          id: d.messageId,
          tenantId: d.tenantId,
          direction: 'inbound',
          status: 'received',
          to: d.to,
          from: d.from,
          body: d.body,
          mediaUrls: d.mediaUrls,
          purpose: null,
          encoding: d.encoding,
          segments: d.segments,
          carrierMessageId: d.carrierMessageId,
          createdAt: d.receivedAt,
        });
        return inserted !== null;
      }
      default:
        return false;
    }
  }
}

function messageIdOf(event: ConsumedEvent): string {
  const data = event.data as { messageId?: unknown };
  return typeof data.messageId === 'string' ? data.messageId : event.subject;
}
