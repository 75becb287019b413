import type { ComplianceReason } from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import { type ConsumedEvent, inEventSpan } from '@textplane/kafka';
import { currentTraceparent, withSpan } from '@textplane/observability';
import type { EntityManager } from 'typeorm';
import type {
  CarrierMessageIndex,
  MessageRef,
  StatusReport,
} from '../../infrastructure/carrier-message-index.js';
import type { Carrier, CarrierSubmissionResult } from '../../infrastructure/carriers/carrier.js';
import type { Clock } from '@textplane/service-runtime';
import type { CommandContext, MessageStore } from '../../infrastructure/message-store.js';
import type { MessageCommand } from '../message.commands.js';
import type { OutboundMessage } from '../message.decider.js';
import type { TenantProfile } from '../../tenants/tenant-profiles.js';
import type { DispatchGates } from '../dispatch/dispatch-gates.js';
import type { DispatchQueue } from '../dispatch/dispatch-queue.js';

export interface SubmissionPolicy {
  /** Calls to an unavailable carrier before the message is failed. */
  attempts: number;
  backoffMs: { initial: number; max: number };
}

export type Sleep = (ms: number) => Promise<void>;

/**
 * Calls the carrier for messages the dispatcher let through (their attempts recorded), and
 * records the answers. Each call carries the message id as idempotency key: if the process dies
 * before the answer is recorded, the message is dispatched again with the same key (a Kafka-borne
 * one when its event is redelivered, a queued one when its leased row lapses) and the carrier
 * answers as the first time, so nothing is sent twice.
 */
export class SubmitToCarrierHandler {
  constructor(
    private readonly store: EventStore,
    private readonly messages: MessageStore,
    private readonly index: CarrierMessageIndex,
    private readonly carrier: Carrier,
    private readonly gates: Pick<DispatchGates, 'recheck'>,
    private readonly queue: Pick<DispatchQueue, 'forgetAll'>,
    private readonly clock: Clock,
    private readonly policy: SubmissionPolicy,
    private readonly sleep: Sleep,
  ) {}

  /** The carrier called for each (at most `CARRIER_CALLS_AT_ONCE` at a time), then the answers. */
  async submitAll(started: readonly Submission[]): Promise<void> {
    if (started.length === 0) return;
    const results = await mapBounded(started, CARRIER_CALLS_AT_ONCE, (submission) =>
      traced(submission, () => this.submit(submission.message, submission.profile)),
    );
    await this.recordOutcomes(started, results);
  }

  /**
   * The batch's answers, recorded in one transaction. By now they are facts: should that
   * transaction fail, each is recorded again in a transaction of its own instead of being
   * dropped. Dropped, the consumer's retry event by event would decide the message anew: found
   * `sending` with no carrier id after a STOP, a message the carrier took would be recorded as
   * blocked, when it went out and only the carrier's outcomes can follow.
   */
  private async recordOutcomes(
    started: readonly Submission[],
    results: readonly SubmissionOutcome[],
  ): Promise<void> {
    try {
      await this.store.transaction((manager) => this.recordAll(manager, started, results));
    } catch (batchFailure) {
      const failures: unknown[] = [];
      for (const [index, submission] of started.entries()) {
        const result = results[index];
        if (!result) continue;
        await this.store
          .transaction((manager) => this.recordAll(manager, [submission], [result]))
          .catch((error: unknown) => failures.push(error));
      }
      if (failures.length > 0) {
        throw new AggregateError(
          [batchFailure, ...failures],
          `${failures.length} carrier answers were not recorded`,
          { cause: batchFailure },
        );
      }
    }
  }

  private async recordAll(
    manager: EntityManager,
    started: readonly Submission[],
    results: readonly SubmissionOutcome[],
  ): Promise<void> {
    await this.recordAcceptances(manager, started, results);
    for (const [index, submission] of started.entries()) {
      const result = results[index];
      if (!result || result.outcome === 'accepted') continue;
      await traced(submission, () =>
        this.recordResult(manager, submission.message.messageId, result, submission.context),
      );
    }
    // Released from the queue: its leased row goes with the answer (a lapsed lease re-sends).
    await this.queue.forgetAll(
      manager,
      started.filter((s) => s.inQueue === true).map((s) => s.message.messageId),
    );
  }

  private async recordResult(
    manager: EntityManager,
    messageId: string,
    result: Exclude<SubmissionOutcome, { outcome: 'accepted' }>,
    context: CommandContext,
  ): Promise<void> {
    switch (result.outcome) {
      case 'rejected':
        return this.fail(manager, messageId, result.errorCode, result.errorDetail, context);
      case 'unavailable':
        return this.fail(manager, messageId, 'carrier_unavailable', result.errorDetail, context);
      case 'blocked': {
        const { reasons, detail } = result;
        await this.messages.handle(
          messageId,
          {
            type: 'StartSubmission',
            clearance: { verdict: 'block', reasons, detail },
            now: this.clock.now(),
          },
          context,
          manager,
        );
        return;
      }
    }
  }

  /**
   * Calls the carrier, retrying an unavailable one. Right before every call the recipient's
   * consent is read again: a STOP recorded since the clearance (while the batch waited for its
   * turn, or between retries) stops the message there.
   */
  private async submit(
    message: OutboundMessage,
    profile: TenantProfile,
  ): Promise<SubmissionOutcome> {
    let delay = this.policy.backoffMs.initial;
    for (let attempt = 1; ; attempt++) {
      const block = await this.gates.recheck(message, profile, this.clock.now());
      if (block) return { outcome: 'blocked', ...block };
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

  /**
   * The carrier's acceptances of a batch, each statement made once for all of them: the carrier
   * ids locked (a receipt that overtook its acceptance waits, then finds the index row), the
   * message streams read, receipts parked meanwhile taken, and the index rows written.
   */
  private async recordAcceptances(
    manager: EntityManager,
    started: readonly Submission[],
    results: readonly SubmissionOutcome[],
  ): Promise<void> {
    const accepted = started.flatMap((submission, index) => {
      const result = results[index];
      return result?.outcome === 'accepted'
        ? [
            {
              submission,
              carrierMessageId: result.carrierMessageId,
              said: {
                ...(result.parts !== undefined ? { parts: result.parts } : {}),
                ...(result.recipientCarrier !== undefined
                  ? { recipientCarrier: result.recipientCarrier }
                  : {}),
              },
            },
          ]
        : [];
    });
    if (accepted.length === 0) return;
    const carrierMessageIds = accepted.map((each) => each.carrierMessageId);
    await this.index.lockAll(manager, carrierMessageIds);
    await this.messages.loadAll(
      accepted.map((each) => each.submission.message.messageId),
      manager,
    );
    const parked = await this.index.takeParked(manager, carrierMessageIds);
    const entries: Array<{ carrierMessageId: string; ref: MessageRef }> = [];
    for (const { submission, carrierMessageId, said } of accepted) {
      const { messageId } = submission.message;
      const { context } = submission;
      await traced(submission, async () => {
        await this.messages.handle(
          messageId,
          { type: 'RecordCarrierAcceptance', carrierMessageId, ...said, now: this.clock.now() },
          context,
          manager,
        );
        for (const report of parked.get(carrierMessageId) ?? []) {
          await this.messages.handle(messageId, carrierStatusCommand(report), context, manager);
        }
        entries.push({
          carrierMessageId,
          ref: { messageId, tenantId: context.tenantId, traceparent: currentTraceparent() ?? null },
        });
      });
    }
    await this.index.recordAll(manager, entries);
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

/** What became of a submission: the carrier's answer, or a block found right before the call. */
type SubmissionOutcome =
  CarrierSubmissionResult | { outcome: 'blocked'; reasons: ComplianceReason[]; detail: string };

/** A message brought to the dispatcher. */
export interface Candidate {
  messageId: string;
  context: CommandContext;
  /** The Kafka event that brought the message, whose trace the submission continues. */
  event?: ConsumedEvent;
  /** Released from the dispatch queue (so its row follows what is decided). */
  inQueue?: boolean;
}

/** A message whose attempt is recorded, for the carrier. */
export interface Submission extends Candidate {
  message: OutboundMessage;
  profile: TenantProfile;
}

/**
 * The work on a candidate in the trace it belongs to: the event's that brought it, else the
 * request's that queued it (kept with its dispatch-queue row), else none.
 */
export function traced<T>(candidate: Candidate, work: () => Promise<T>): Promise<T> {
  if (candidate.event) return inEventSpan(candidate.event, work);
  const traceparent = candidate.context.traceparent;
  if (traceparent === undefined) return work();
  return withSpan(
    'dispatch released message',
    { kind: 'internal', traceparent, attributes: { 'textplane.message_id': candidate.messageId } },
    work,
  );
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
