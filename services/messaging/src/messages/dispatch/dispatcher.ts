import type { MessageQueued } from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import type { MessageStore } from '../../infrastructure/message-store.js';
import {
  type Candidate,
  type Submission,
  type SubmitToCarrierHandler,
  traced,
} from '../submit-to-carrier/submit-to-carrier.handler.js';
import type { DispatchGates } from './dispatch-gates.js';
import type { DispatchQueue } from './dispatch-queue.js';
import { clearanceOf } from './gates.js';

/**
 * The one way out for every outbound message, whatever queued it: its gates (dispatch/gates.ts)
 * are asked in order, in one transaction per batch with the facts they look at; a message that
 * must wait goes into the dispatch queue (for a time or an event), a blocked one ends there, and
 * one that passes has its attempt recorded and goes to the carrier (SubmitToCarrierHandler).
 * Messages come from MessageQueued events, from the queue when they are due, and from receipt
 * reconciliation.
 */
export class Dispatcher {
  constructor(
    private readonly store: EventStore,
    private readonly messages: MessageStore,
    private readonly gates: DispatchGates,
    private readonly queue: DispatchQueue,
    private readonly carrier: SubmitToCarrierHandler,
    private readonly clock: Clock,
  ) {}

  handle(event: ConsumedEvent): Promise<void> {
    return this.handleBatch([event]);
  }

  /**
   * A fetched batch: each message gated and its attempt recorded in one transaction, then the
   * carrier calls. If a step fails the consumer goes event by event, and a repeated call carries
   * the same key.
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
            ...(event.traceparent !== undefined ? { traceparent: event.traceparent } : {}),
          },
          event,
        };
      });
    await this.dispatch(candidates);
  }

  /**
   * Queued messages whose time has come go through every gate again. Each is claimed for a while
   * first, so dispatchers never release the same one; the gating transaction reads the message
   * again, so one canceled since it was claimed goes nowhere. One that fails stays claimed until
   * the claim lapses and does not hold back the others.
   */
  async releaseDue(limit: number): Promise<number> {
    const due = await this.queue.claimDue(this.clock.now(), limit);
    const candidates = due.map((row) => ({
      messageId: row.messageId,
      context: {
        tenantId: row.tenantId,
        correlationId: row.correlationId,
        ...(row.traceparent !== null ? { traceparent: row.traceparent } : {}),
      },
      inQueue: true,
    }));
    try {
      await this.dispatch(candidates);
    } catch {
      const failures: unknown[] = [];
      for (const candidate of candidates) {
        await this.dispatch([candidate]).catch((error: unknown) => failures.push(error));
      }
      if (failures.length > 0) {
        throw new AggregateError(failures, `${failures.length} held messages were not released`);
      }
    }
    return due.length;
  }

  /**
   * Releases due messages batch after batch until a batch comes back short, so a crowd due at
   * one instant (a scheduled bulk) goes out at the dispatcher's pace, not one batch per tick.
   */
  async releaseAllDue(batch: number): Promise<number> {
    let released = 0;
    for (;;) {
      const claimed = await this.releaseDue(batch);
      released += claimed;
      if (claimed < batch) return released;
    }
  }

  /**
   * An event that opens a gate happened (for one occurrence, `key`): the messages waiting on it
   * are due now, released by the next `releaseDue`. In the caller's transaction.
   */
  wake(manager: EntityManager, event: string, key: string | null = null): Promise<string[]> {
    return this.queue.wake(manager, event, key, this.clock.now());
  }

  /**
   * A message left `sending` without the carrier's answer (receipt reconciliation): the same
   * gates and the same idempotency key as its first call, so the carrier answers as it did then
   * if it took the message, and takes it now if it never did.
   */
  resubmit(messageId: string, tenantId: string): Promise<void> {
    return this.dispatch([{ messageId, context: { tenantId, correlationId: messageId } }]);
  }

  private async dispatch(all: Candidate[]): Promise<void> {
    // A redelivered event can bring the same message twice in one batch: it is decided once.
    const candidates = [...new Map(all.map((c) => [c.messageId, c])).values()];
    if (candidates.length === 0) return;
    const started = await this.store.transaction(async (manager) => {
      const now = this.clock.now();
      const gated = await this.gates.clear(
        manager,
        candidates.map((c) => c.messageId),
        now,
      );
      const submissions: Submission[] = [];
      for (const candidate of candidates) {
        const gate = gated.get(candidate.messageId);
        if (!gate) {
          // No longer waiting for the carrier (sent, blocked, canceled...): nothing to release.
          await this.queue.forget(manager, candidate.messageId);
          continue;
        }
        const decision = await traced(candidate, () =>
          this.messages.handle(
            candidate.messageId,
            {
              type: 'StartSubmission',
              clearance: clearanceOf(gate.verdict, gate.retried),
              now,
            },
            candidate.context,
            manager,
            gate.loaded,
          ),
        );
        // The queue is written only for messages in it or entering it, not for each send.
        const followed =
          candidate.inQueue === true ||
          gate.loaded.state.status === 'scheduled' ||
          decision.events.some((e) => e.type === 'messaging.MessageHeld.v1');
        if (followed) {
          await this.queue.follow(manager, candidate.messageId, candidate.context, decision.events);
        }
        const start = decision.events.find(
          (e) => e.type === 'messaging.MessageSubmissionStarted.v1',
        );
        if (start && 'message' in decision.state) {
          submissions.push({
            ...candidate,
            // Its row stays leased until the answer is recorded (DispatchQueue.follow).
            inQueue: followed,
            message: decision.state.message,
            profile: gate.profile,
          });
        } else if (gate.verdict.answer === 'wait' && gate.verdict.until.kind === 'event') {
          const { event, key, releaseAt } = gate.verdict.until;
          await this.queue.waitFor(manager, candidate.messageId, candidate.context, {
            gate: gate.verdict.gate,
            event,
            ...(key ? { key } : {}),
            ...(releaseAt ? { releaseAt } : {}),
          });
        } else if (gate.verdict.answer === 'wait' && gate.verdict.until.kind === 'turn') {
          await this.queue.parkUntil(manager, candidate.messageId, candidate.context, {
            gate: gate.verdict.gate,
            at: gate.verdict.until.at,
          });
        }
      }
      return submissions;
    });
    await this.carrier.submitAll(started);
  }
}
