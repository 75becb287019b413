import { classifyReply } from '@textplane/compliance';
import type { CarrierWebhookReceived } from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import { withSpan } from '@textplane/observability';
import type { EntityManager } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import type { ConsentView } from '../../consents/consent-view.js';
import type { CarrierMessageIndex } from '../../infrastructure/carrier-message-index.js';
import type { CarrierReport } from '../../infrastructure/carriers/carrier.js';
import { reportOfCarrierWebhook } from '../../infrastructure/carriers/carrier-webhook.js';
import type { MessageStore } from '../../infrastructure/message-store.js';
import type { TenantNumbers } from '../../tenants/tenant-numbers.js';
import { carrierStatusCommand } from '../submit-to-carrier/submit-to-carrier.handler.js';

/** Inbound message ids derive from the carrier's id, so a replayed webhook finds the same stream. */
const INBOUND_NAMESPACE = '6f1c5d0e-3b1a-4c8e-9f3e-2d7a1b0c9e44';

export class UnknownRecipientNumberError extends Error {
  constructor(readonly phoneNumber: string) {
    super(`No tenant owns ${phoneNumber}; the inbound message cannot be routed`);
    this.name = 'UnknownRecipientNumberError';
  }
}

export interface ReportLogger {
  warn(obj: object, msg?: string): void;
}

/** Applies delivery receipts and inbound texts that the gateway received from the carrier. */
export class RecordCarrierReportHandler {
  constructor(
    private readonly messages: MessageStore,
    private readonly index: CarrierMessageIndex,
    private readonly tenants: TenantNumbers,
    private readonly consents: ConsentView,
    private readonly logger: ReportLogger,
  ) {}

  private readonly reports = new WeakMap<ConsumedEvent, CarrierReport>();

  /**
   * For a fetched batch, before `apply` runs for each event: the index rows of the receipts'
   * carrier ids and the streams of their messages, in one read each (the unit of work keeps
   * them), not one per receipt. The carrier ids not indexed yet are all locked here, sorted, in
   * one statement (see CarrierMessageIndex): locked one by one as `apply` meets them, in the
   * batch's order, they could wait in a cycle with the recording of a batch of acceptances,
   * which holds some of the same ids in sorted order. `apply` then takes locks it already holds.
   */
  async prepare(events: readonly ConsumedEvent[], manager: EntityManager): Promise<void> {
    const carrierMessageIds = events.flatMap((event) => {
      if (event.type !== 'gateway.CarrierWebhookReceived.v1') return [];
      try {
        const report = this.reportOf(event);
        return report.kind === 'status' ? [report.carrierMessageId] : [];
      } catch {
        return []; // `apply` meets the same error and reports it for this event alone.
      }
    });
    const refs = await this.index.prefetch(manager, carrierMessageIds);
    const indexed = new Set(refs.map((ref) => ref.carrierMessageId));
    await this.index.lockAll(
      manager,
      carrierMessageIds.filter((id) => !indexed.has(id)),
    );
    await this.messages.loadAll(
      refs.map((ref) => ref.messageId),
      manager,
    );
  }

  /** The webhook's report, parsed once for `prepare` and `apply` alike. */
  private reportOf(event: ConsumedEvent): CarrierReport {
    const known = this.reports.get(event);
    if (known) return known;
    const report = reportOfCarrierWebhook(event.data as CarrierWebhookReceived);
    this.reports.set(event, report);
    return report;
  }

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (event.type !== 'gateway.CarrierWebhookReceived.v1') return;
    const webhook = event.data as CarrierWebhookReceived;
    const report = this.reportOf(event);
    switch (report.kind) {
      case 'not_messaging':
        return;
      case 'ignored':
        this.logger.warn(
          { webhookId: webhook.webhookId, reason: report.reason },
          'carrier webhook ignored',
        );
        return;
      case 'inbound': {
        const tenantId = await this.tenants.ownerOf(manager, report.to);
        if (!tenantId) throw new UnknownRecipientNumberError(report.to);
        const messageId = uuidv5(report.carrierMessageId, INBOUND_NAMESPACE);
        // An opt-out is honoured before the next send: it blocks the number in this very
        // transaction, before the consent service has even seen the text.
        const intent = classifyReply(report.body);
        if (intent.kind === 'opt_out' || intent.kind === 'revocation') {
          await this.consents.recordInboundOptOut(manager, tenantId, report.from, {
            messageId,
            receivedAt: report.receivedAt.toISOString(),
          });
        }
        await this.messages.handle(
          messageId,
          {
            type: 'ReceiveInbound',
            inbound: {
              messageId,
              tenantId,
              from: report.from,
              to: report.to,
              body: report.body,
              mediaUrls: report.mediaUrls,
              carrierMessageId: report.carrierMessageId,
            },
            now: report.receivedAt,
          },
          { tenantId, correlationId: event.correlationId, causationId: event.id },
          manager,
        );
        return;
      }
      case 'status': {
        // Known ids (the usual case) need no lock; an unknown one is parked under the lock
        // that the recording of the carrier's acceptance takes too.
        let ref = await this.index.find(manager, report.carrierMessageId);
        if (!ref) {
          await this.index.lock(manager, report.carrierMessageId);
          ref = await this.index.find(manager, report.carrierMessageId);
        }
        if (!ref) {
          await this.index.park(manager, report);
          return;
        }
        // The receipt continues the trace of the send, so one trace runs from the REST call
        // to the delivery receipt (the carrier's webhook cannot carry our trace context).
        await withSpan(
          'apply carrier receipt',
          { kind: 'internal', ...(ref.traceparent ? { traceparent: ref.traceparent } : {}) },
          () =>
            this.messages.handle(
              ref.messageId,
              carrierStatusCommand(report),
              { tenantId: ref.tenantId, correlationId: ref.messageId, causationId: event.id },
              manager,
            ),
        );
        return;
      }
    }
  }
}
