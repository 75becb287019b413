import type { ComplianceReason, MessageQueued } from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import { type ConsumedEvent, inEventSpan } from '@textplane/kafka';
import { currentTraceparent } from '@textplane/observability';
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
import type { ComplianceGate } from './compliance-gate.js';
import type { HeldMessages } from './held-messages.js';

export interface SubmissionPolicy {
  /** Calls to an unavailable carrier before the message is failed. */
  attempts: number;
  backoffMs: { initial: number; max: number };
}

export type Sleep = (ms: number) => Promise<void>;

/**
 * Hands a queued message to the carrier once compliance clears it, right before the call (a
 * blocked message ends there, one outside the recipient's hours is held). The attempt is
 * recorded before the call, and the call
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
    private readonly gate: ComplianceGate,
    private readonly held: HeldMessages,
    private readonly clock: Clock,
    private readonly policy: SubmissionPolicy,
    private readonly sleep: Sleep,
  ) {}

  handle(event: ConsumedEvent): Promise<void> {
    return this.handleBatch([event]);
  }

  /**
   * A fetched batch: each message cleared by compliance and its attempt recorded in one
   * transaction, the carrier called for each cleared one (at most `CARRIER_CALLS_AT_ONCE` at a
   * time), the answers recorded in one transaction. If a step fails the consumer goes event by
   * event, and a repeated call carries the same key.
   */
  async handleBatch(events: ConsumedEvent[]): Promise<void> {
    const candidates = events
      .filter((event) => event.type === 'messaging.MessageQueued.v1')
      .map((event) => {
        const data = event.data as MessageQueued;
        return {
          messageId: data.messageId,
          context: {
            tenantId: data.tenantId,
            correlationId: event.correlationId,
            causationId: event.id,
          },
          event,
        };
      });
    await this.submitAll(candidates);
  }

  /**
   * Held messages whose time has come go through the same checks as new ones. Each is claimed
   * for a while first, so replicas never release the same one; one that fails stays claimed
   * until the claim lapses and does not hold back the others.
   */
  async releaseDue(limit: number): Promise<number> {
    const due = await this.held.claimDue(this.clock.now(), limit);
    const candidates = due.map((row) => ({
      messageId: row.messageId,
      context: { tenantId: row.tenantId, correlationId: row.correlationId },
    }));
    try {
      await this.submitAll(candidates);
    } catch {
      const failures: unknown[] = [];
      for (const candidate of candidates) {
        await this.submitAll([candidate]).catch((error: unknown) => failures.push(error));
      }
      if (failures.length > 0) {
        throw new AggregateError(failures, `${failures.length} held messages were not released`);
      }
    }
    return due.length;
  }

  /**
   * A message left `sending` without the carrier's answer (receipt reconciliation): the same
   * checks and the same idempotency key as its first call, so the carrier answers as it did
   * then if it took the message, and takes it now if it never did.
   */
  resubmit(messageId: string, tenantId: string): Promise<void> {
    return this.submitAll([{ messageId, context: { tenantId, correlationId: messageId } }]);
  }

  private async submitAll(all: Candidate[]): Promise<void> {
    // A redelivered event can bring the same message twice in one batch: it is decided once.
    const candidates = [...new Map(all.map((c) => [c.messageId, c])).values()];
    if (candidates.length === 0) return;
    const started = await this.store.transaction(async (manager) => {
      const gated = await this.gate.clear(
        manager,
        candidates.map((c) => c.messageId),
        this.clock.now(),
      );
      const submissions: Submission[] = [];
      for (const candidate of candidates) {
        const gate = gated.get(candidate.messageId);
        if (!gate) {
          // No longer waiting for the carrier (sent, blocked...): nothing left to release.
          await this.held.forget(manager, candidate.messageId);
          continue;
        }
        const decision = await traced(candidate, () =>
          this.messages.handle(
            candidate.messageId,
            { type: 'StartSubmission', clearance: gate.clearance, now: this.clock.now() },
            candidate.context,
            manager,
            gate.loaded,
          ),
        );
        const wasHeld = gate.loaded.state.status === 'scheduled';
        if (wasHeld || decision.events.some((e) => e.type === 'messaging.MessageHeld.v1')) {
          await this.held.follow(manager, candidate.messageId, candidate.context, decision.events);
        }
        const start = decision.events.find(
          (e) => e.type === 'messaging.MessageSubmissionStarted.v1',
        );
        if (start && 'message' in decision.state) {
          submissions.push({
            ...candidate,
            message: decision.state.message,
            profile: gate.profile,
          });
        }
      }
      return submissions;
    });
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
      const block = await this.gate.recheck(message, profile, this.clock.now());
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
        ? [{ submission, carrierMessageId: result.carrierMessageId }]
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
    for (const { submission, carrierMessageId } of accepted) {
      const { messageId } = submission.message;
      const { context } = submission;
      await traced(submission, async () => {
        await this.messages.handle(
          messageId,
          { type: 'RecordCarrierAcceptance', carrierMessageId, now: this.clock.now() },
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

interface Candidate {
  messageId: string;
  context: CommandContext;
  /** The Kafka event that brought the message, whose trace the submission continues. */
  event?: ConsumedEvent;
}

interface Submission extends Candidate {
  message: OutboundMessage;
  profile: TenantProfile;
}

function traced<T>(candidate: Candidate, work: () => Promise<T>): Promise<T> {
  return candidate.event ? inEventSpan(candidate.event, work) : work();
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
