import type { MessageQueued } from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import { type ConsumedEvent, inEventSpan } from '@textplane/kafka';
import { currentTraceparent } from '@textplane/observability';
import type { EntityManager } from 'typeorm';
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
    const context = contextOf(event, queued);
    const started = await this.messages.handle(
      queued.messageId,
      { type: 'StartSubmission', now: this.clock.now() },
      context,
    );
    if (started.events.length === 0 || !('message' in started.state)) return;
    const result = await this.submit(started.state.message);
    await this.store.transaction((manager) =>
      this.recordResult(manager, queued.messageId, result, context),
    );
  }

  /**
   * A fetched batch: the attempts recorded in one transaction, the carrier called for each
   * (at most `CARRIER_CALLS_AT_ONCE` at a time), the answers recorded in one transaction. If a
   * step fails the consumer goes event by event, and a repeated call carries the same key.
   */
  async handleBatch(events: ConsumedEvent[]): Promise<void> {
    const queued = events.filter((event) => event.type === 'messaging.MessageQueued.v1');
    const started = await this.store.transaction(async (manager) => {
      const submissions: Array<{
        event: ConsumedEvent;
        context: CommandContext;
        message: OutboundMessage;
      }> = [];
      for (const event of queued) {
        const data = event.data as MessageQueued;
        const context = contextOf(event, data);
        const decision = await inEventSpan(event, () =>
          this.messages.handle(
            data.messageId,
            { type: 'StartSubmission', now: this.clock.now() },
            context,
            manager,
          ),
        );
        if (decision.events.length > 0 && 'message' in decision.state) {
          submissions.push({ event, context, message: decision.state.message });
        }
      }
      return submissions;
    });
    const results = await mapBounded(started, CARRIER_CALLS_AT_ONCE, ({ event, message }) =>
      inEventSpan(event, () => this.submit(message)),
    );
    await this.store.transaction(async (manager) => {
      for (const [index, { event, context, message }] of started.entries()) {
        const result = results[index];
        if (!result) continue;
        await inEventSpan(event, () =>
          this.recordResult(manager, message.messageId, result, context),
        );
      }
    });
  }

  private async recordResult(
    manager: EntityManager,
    messageId: string,
    result: CarrierSubmissionResult,
    context: CommandContext,
  ): Promise<void> {
    switch (result.outcome) {
      case 'accepted':
        return this.recordAcceptance(manager, messageId, result.carrierMessageId, context);
      case 'rejected':
        return this.fail(manager, messageId, result.errorCode, result.errorDetail, context);
      case 'unavailable':
        return this.fail(manager, messageId, 'carrier_unavailable', result.errorDetail, context);
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
    manager: EntityManager,
    messageId: string,
    carrierMessageId: string,
    context: CommandContext,
  ): Promise<void> {
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
  }

  private async fail(
    manager: EntityManager,
    messageId: string,
    errorCode: string,
    errorDetail: string,
    context: CommandContext,
  ): Promise<void> {
    await this.messages.handle(
      messageId,
      { type: 'RecordSubmissionFailure', errorCode, errorDetail, now: this.clock.now() },
      context,
      manager,
    );
  }
}

/** Carrier calls in flight at once for one batch: enough to hide latency, not a flood. */
const CARRIER_CALLS_AT_ONCE = 32;

function contextOf(event: ConsumedEvent, queued: MessageQueued): CommandContext {
  return { tenantId: queued.tenantId, correlationId: event.correlationId, causationId: event.id };
}

/** `items.map(work)` with at most `limit` calls running at once; results in input order. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (item !== undefined) results[index] = await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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
