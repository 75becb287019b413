import type { CarrierWebhookReceived } from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { DataSource } from 'typeorm';
import { CarrierUnavailableError } from '../carrier-submission/carrier-submission.handler.js';
import type {
  CarrierCall,
  RegistrationCarrier,
} from '../infrastructure/carriers/registration-carrier.js';
import { parseTelnyxRegistrationWebhook } from '../infrastructure/carriers/telnyx/telnyx-registration-webhook.js';
import type {
  CarrierResourceKind,
  CommandContext,
  RegistrationStore,
} from '../infrastructure/registration-store.js';

export type ResourceKind = CarrierResourceKind;

export interface UpdateLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/**
 * Brings a brand, campaign, number assignment or toll-free verification up to date with the carrier: on its status
 * webhook (as the gateway verified and recorded it) and, as the fallback, when the poller finds
 * it still waiting. Either way the resource is read again from the carrier, and the reading is
 * decided on its stream (the same word twice changes nothing).
 */
export class CarrierUpdateHandler {
  constructor(
    private readonly registrations: RegistrationStore,
    private readonly carrier: RegistrationCarrier,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: UpdateLogger,
  ) {}

  /** One recorded carrier webhook (gateway.CarrierWebhookReceived.v1). */
  async handle(event: ConsumedEvent): Promise<void> {
    const webhook = event.data as CarrierWebhookReceived;
    const read = parseTelnyxRegistrationWebhook(webhook.eventType, webhook.payload);
    const context: CommandContext = { correlationId: event.correlationId, causationId: event.id };
    switch (read.kind) {
      case 'ignored':
        this.logger.warn({ webhookId: webhook.webhookId, reason: read.reason }, 'webhook ignored');
        return;
      case 'brand':
        await this.refresh('brand', read.carrierBrandId, context);
        return;
      case 'campaign':
        await this.refresh('campaign', read.carrierCampaignId, context);
        return;
      case 'phone_number':
        await this.refresh('phone_number', read.phoneNumber, context);
        return;
      case 'toll_free_verification':
        await this.refresh('toll_free_verification', read.carrierVerificationId, context);
        return;
    }
  }

  /** The carrier's answer; "not now" is retried, a refused read (the resource gone) is logged. */
  private answered<T>(kind: ResourceKind, carrierId: string, call: CarrierCall<T>): T | null {
    switch (call.outcome) {
      case 'done':
        return call.value;
      case 'unavailable':
        throw new CarrierUnavailableError(call.errorDetail);
      case 'refused':
        this.logger.warn(
          { kind, carrierId, reasons: call.reasons },
          'the carrier refused to read the resource; nothing recorded',
        );
        return null;
    }
  }

  /** Reads one resource again at the carrier and records what changed. */
  async refresh(kind: ResourceKind, carrierId: string, context: CommandContext): Promise<void> {
    const reference = await this.registrations.streamOf(this.dataSource.manager, kind, carrierId);
    if (!reference) {
      // Not ours, or created by a call whose answer is not recorded yet (it will be polled).
      this.logger.info({ kind, carrierId }, 'status update for a resource not known here');
      return;
    }
    const { streamId, tenantId } = reference;
    switch (kind) {
      case 'brand': {
        const standing = this.answered(kind, carrierId, await this.carrier.brandStatus(carrierId));
        if (!standing) return;
        const brandId = streamId.slice('brand-'.length);
        const now = this.clock.now();
        await this.registrations.handleBrand(
          brandId,
          tenantId,
          { type: 'RecordCarrierStatus', reading: standing.reading, now },
          context,
        );
        if (standing.vetting) {
          await this.registrations.handleBrand(
            brandId,
            tenantId,
            {
              type: 'RecordVetting',
              vettingScore: standing.vetting.score,
              ...(standing.vetting.provider ? { vettingProvider: standing.vetting.provider } : {}),
              now,
            },
            context,
          );
        }
        return;
      }
      case 'campaign': {
        const reading = this.answered(
          kind,
          carrierId,
          await this.carrier.campaignStatus(carrierId),
        );
        if (!reading) return;
        await this.registrations.handleCampaign(
          streamId.slice('campaign-'.length),
          tenantId,
          { type: 'RecordCarrierStatus', reading, now: this.clock.now() },
          context,
        );
        return;
      }
      case 'toll_free_verification': {
        const reading = this.answered(
          kind,
          carrierId,
          await this.carrier.tollFreeVerificationStatus(carrierId),
        );
        if (!reading) return;
        await this.registrations.handleTollFreeVerification(
          streamId.slice('toll-free-verification-'.length),
          tenantId,
          { type: 'RecordCarrierStatus', reading, now: this.clock.now() },
          context,
        );
        return;
      }
      case 'phone_number': {
        const call = await this.carrier.assignmentStatus(carrierId);
        // A read that finds no assignment is the carrier's answer, not a refusal: the number is
        // on no campaign there (a removal done).
        if (call.outcome === 'done' && call.value === null) {
          await this.registrations.handleAssignment(
            tenantId,
            carrierId,
            { type: 'RecordCarrierAbsence', now: this.clock.now() },
            context,
          );
          return;
        }
        const reading = this.answered(kind, carrierId, call);
        if (!reading) return;
        await this.registrations.handleAssignment(
          tenantId,
          carrierId,
          { type: 'RecordCarrierStatus', reading, now: this.clock.now() },
          context,
        );
        return;
      }
    }
  }
}
