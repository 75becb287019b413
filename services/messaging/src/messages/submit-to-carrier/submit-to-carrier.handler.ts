import type { MessageQueued } from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { currentTraceparent } from '@textplane/observability';
import type {
  CarrierMessageIndex,
  StatusReport,
} from '../../infrastructure/carrier-message-index.js';
import type { Carrier, CarrierSubmissionResult } from '../../infrastructure/carriers/carrier.js';
import type { Clock } from '../../infrastructure/clock.js';
import type { CommandContext, MessageStore } from '../../infrastructure/message-store.js';
import type { MessageCommand } from '../message.commands.js';
import type { OutboundMessage } from '../message.decider.js';

export interface SubmissionPolicy {
  /** Calls to an unavailable carrier before the message is failed. */
  attempts: number;
  backoffMs: { initial: number; max: number };
}

export type Sleep = (ms: number) => Promise<void>;

/**
 * Hands a queued message to the carrier. The attempt is recorded before the call, and the call
 * carries the message id as idempotency key: if the process dies before the answer is recorded,
 * the redelivered MessageQueued event retries with the same key and the carrier answers as the
 * first time, so nothing is sent twice.
 */
export class SubmitToCarrierHandler {
  constructor(
    private readonly store: EventStore,
    private readonly messages: MessageStore,
    private readonly index: CarrierMessageIndex,
    private readonly carrier: Carrier,
    private readonly clock: Clock,
    private readonly policy: SubmissionPolicy,
    private readonly sleep: Sleep,
  ) {}

  async handle(event: ConsumedEvent): Promise<void> {
    if (event.type !== 'messaging.MessageQueued.v1') return;
    const queued = event.data as MessageQueued;
    const context: CommandContext = {
      tenantId: queued.tenantId,
      correlationId: event.correlationId,
      causationId: event.id,
    };
    const started = await this.messages.handle(
      queued.messageId,
      { type: 'StartSubmission', now: this.clock.now() },
      context,
    );
    if (started.events.length === 0 || !('message' in started.state)) return;

    const result = await this.submit(started.state.message);
    switch (result.outcome) {
      case 'accepted':
        return this.recordAcceptance(queued.messageId, result.carrierMessageId, context);
      case 'rejected':
        await this.fail(queued.messageId, result.errorCode, result.errorDetail, context);
        return;
      case 'unavailable':
        await this.fail(queued.messageId, 'carrier_unavailable', result.errorDetail, context);
        return;
    }
  }

  private async submit(message: OutboundMessage): Promise<CarrierSubmissionResult> {
    let delay = this.policy.backoffMs.initial;
    for (let attempt = 1; ; attempt++) {
      const result = await this.carrier.submit({
        messageId: message.messageId,
        from: message.from,
        to: message.to,
        body: message.body,
        mediaUrls: message.mediaUrls,
      });
      if (result.outcome !== 'unavailable' || attempt >= this.policy.attempts) return result;
      await this.sleep(Math.min(this.policy.backoffMs.max, result.retryAfterMs ?? delay));
      delay = Math.min(this.policy.backoffMs.max, delay * 2);
    }
  }

  private async recordAcceptance(
    messageId: string,
    carrierMessageId: string,
    context: CommandContext,
  ): Promise<void> {
    await this.store.transaction(async (manager) => {
      await this.index.lock(manager, carrierMessageId);
      await this.messages.handle(
        messageId,
        { type: 'RecordCarrierAcceptance', carrierMessageId, now: this.clock.now() },
        context,
        manager,
      );
      await this.index.record(manager, carrierMessageId, {
        messageId,
        tenantId: context.tenantId,
        traceparent: currentTraceparent() ?? null,
      });
      for (const report of await this.index.takeParked(manager, carrierMessageId)) {
        await this.messages.handle(messageId, carrierStatusCommand(report), context, manager);
      }
    });
  }

  private async fail(
    messageId: string,
    errorCode: string,
    errorDetail: string,
    context: CommandContext,
  ): Promise<void> {
    await this.messages.handle(
      messageId,
      { type: 'RecordSubmissionFailure', errorCode, errorDetail, now: this.clock.now() },
      context,
    );
  }
}

export function carrierStatusCommand(report: StatusReport): MessageCommand {
  return {
    type: 'RecordCarrierStatus',
    status: report.status,
    carrierMessageId: report.carrierMessageId,
    errorCode: report.errorCode,
    errorDetail: report.errorDetail,
    occurredAt: report.occurredAt,
  };
}
