import type {
  BrandOtpSendStarted,
  BrandOtpVerificationStarted,
  BrandOtpVerified,
  BrandRegistrationStarted,
  BrandVettingStarted,
  CampaignSubmissionStarted,
  NumberAssigned,
  NumberAssignmentStarted,
  NumberUnassignmentStarted,
  TollFreeVerificationStarted,
} from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import { brandStreamId } from '../brands/brand.events.js';
import { campaignStreamId } from '../campaigns/campaign.events.js';
import type {
  CarrierCall,
  RegistrationCarrier,
} from '../infrastructure/carriers/registration-carrier.js';
import type { CommandContext, RegistrationStore } from '../infrastructure/registration-store.js';
import { numberAssignmentStreamId } from '../number-assignments/number-assignment.events.js';
import { tollFreeVerificationStreamId } from '../toll-free-verifications/toll-free-verification.events.js';

/** Reads a resource again at the carrier and records what changed (CarrierUpdateHandler). */
export interface CarrierRefresher {
  refresh(kind: 'brand', carrierId: string, context: CommandContext): Promise<void>;
}

/** The carrier could not be reached or answered "not now": the event is tried again. */
export class CarrierUnavailableError extends Error {
  constructor(detail: string) {
    super(`carrier unavailable: ${detail}`);
    this.name = 'CarrierUnavailableError';
  }
}

/**
 * Makes the carrier call each started fact asks for, once, and records the answer. The attempt
 * is recorded first (the started fact, committed before this runs: DESIGN "Event store" 6); the
 * call carries textplane's id as its idempotency key, so a redelivered fact, a crash between
 * the call and the record, or a retry after an outage creates nothing twice. A fact whose
 * stream has moved on (answered already) is passed over.
 */
export class CarrierSubmissionHandler {
  constructor(
    private readonly registrations: RegistrationStore,
    private readonly carrier: RegistrationCarrier,
    private readonly clock: Clock,
    /** Reads a brand again once its OTP is verified; absent, the webhook and the poller do. */
    private readonly refresher?: CarrierRefresher,
  ) {}

  async handle(event: ConsumedEvent): Promise<void> {
    const context: CommandContext = { correlationId: event.correlationId, causationId: event.id };
    switch (event.type) {
      case 'registration.BrandRegistrationStarted.v1': {
        const started = event.data as BrandRegistrationStarted;
        const { state } = await this.registrations.brands.load(brandStreamId(started.brandId));
        if (state.phase !== 'started' || state.status === 'rejected') return;
        const call = await this.carrier.createBrand(started.brandId, started.brand);
        const now = this.clock.now();
        const value = settled(call);
        await this.registrations.handleBrand(
          started.brandId,
          started.tenantId,
          value.outcome === 'done'
            ? {
                type: 'RecordCarrierRegistration',
                carrierBrandId: value.value.carrierBrandId,
                ...(value.value.tcrBrandId ? { tcrBrandId: value.value.tcrBrandId } : {}),
                reading: value.value.reading,
                now,
              }
            : {
                type: 'RecordCarrierRefusal',
                carrierStatus: value.carrierStatus,
                reasons: value.reasons,
                now,
              },
          context,
        );
        return;
      }
      case 'registration.CampaignSubmissionStarted.v1': {
        const started = event.data as CampaignSubmissionStarted;
        const { state } = await this.registrations.campaigns.load(
          campaignStreamId(started.campaignId),
        );
        if (state.phase !== 'started' || state.status === 'rejected') return;
        const call = await this.carrier.submitCampaign(
          started.campaignId,
          started.carrierBrandId,
          started.campaign,
        );
        const now = this.clock.now();
        const value = settled(call);
        await this.registrations.handleCampaign(
          started.campaignId,
          started.tenantId,
          value.outcome === 'done'
            ? {
                type: 'RecordCarrierSubmission',
                carrierCampaignId: value.value.carrierCampaignId,
                ...(value.value.tcrCampaignId ? { tcrCampaignId: value.value.tcrCampaignId } : {}),
                reading: value.value.reading,
                now,
              }
            : {
                type: 'RecordCarrierRefusal',
                carrierStatus: value.carrierStatus,
                reasons: value.reasons,
                now,
              },
          context,
        );
        return;
      }
      case 'registration.NumberAssignmentStarted.v1': {
        const started = event.data as NumberAssignmentStarted;
        const { state } = await this.registrations.assignments.load(
          numberAssignmentStreamId(started.tenantId, started.phoneNumber),
        );
        // Passed over once answered, or when a later request started another attempt.
        if (state.phase !== 'started' || state.requestId !== started.requestId) return;
        const call = await this.carrier.assignNumber(
          started.requestId,
          started.phoneNumber,
          started.carrierCampaignId,
        );
        const now = this.clock.now();
        const value = settled(call);
        await this.registrations.handleAssignment(
          started.tenantId,
          started.phoneNumber,
          value.outcome === 'done'
            ? { type: 'RecordCarrierStatus', reading: value.value, now }
            : {
                type: 'RecordCarrierRefusal',
                carrierStatus: value.carrierStatus,
                reasons: value.reasons,
                now,
              },
          context,
        );
        return;
      }
      case 'registration.NumberUnassignmentStarted.v1': {
        const started = event.data as NumberUnassignmentStarted;
        const { state } = await this.registrations.assignments.load(
          numberAssignmentStreamId(started.tenantId, started.phoneNumber),
        );
        // Passed over once answered, or when a later request started another removal.
        if (
          state.phase !== 'unassigning' ||
          state.submitted ||
          state.requestId !== started.requestId
        ) {
          return;
        }
        const call = settled(
          await this.carrier.unassignNumber(started.requestId, started.phoneNumber),
        );
        const now = this.clock.now();
        await this.registrations.handleAssignment(
          started.tenantId,
          started.phoneNumber,
          call.outcome === 'refused'
            ? {
                type: 'RecordCarrierRefusal',
                carrierStatus: call.carrierStatus,
                reasons: call.reasons,
                now,
              }
            : call.value === null
              ? { type: 'RecordCarrierAbsence', now }
              : { type: 'RecordCarrierStatus', reading: call.value, now },
          context,
        );
        return;
      }
      case 'registration.NumberAssigned.v1': {
        // The campaign learns of its provisioned number (and is approved when the carriers
        // accepted it); redelivered, it changes nothing.
        const assigned = event.data as NumberAssigned;
        await this.registrations.handleCampaign(
          assigned.campaignId,
          assigned.tenantId,
          {
            type: 'RecordNumberProvisioned',
            phoneNumber: assigned.phoneNumber,
            now: this.clock.now(),
          },
          context,
        );
        return;
      }
      case 'registration.TollFreeVerificationStarted.v1': {
        const started = event.data as TollFreeVerificationStarted;
        const { state } = await this.registrations.tollFreeVerifications.load(
          tollFreeVerificationStreamId(started.verificationId),
        );
        if (state.phase !== 'started' || state.status === 'rejected') return;
        const call = await this.carrier.submitTollFreeVerification(
          started.verificationId,
          started.verification,
        );
        const now = this.clock.now();
        const value = settled(call);
        await this.registrations.handleTollFreeVerification(
          started.verificationId,
          started.tenantId,
          value.outcome === 'done'
            ? {
                type: 'RecordCarrierSubmission',
                carrierVerificationId: value.value.carrierVerificationId,
                reading: value.value.reading,
                now,
              }
            : {
                type: 'RecordCarrierRefusal',
                carrierStatus: value.carrierStatus,
                reasons: value.reasons,
                now,
              },
          context,
        );
        return;
      }
      case 'registration.BrandOtpSendStarted.v1': {
        const started = event.data as BrandOtpSendStarted;
        const { state } = await this.registrations.brands.load(brandStreamId(started.brandId));
        // Passed over once answered, or when a later request started another OTP.
        if (
          state.phase !== 'registered' ||
          state.otp.phase !== 'sending' ||
          state.otp.requestId !== started.requestId
        ) {
          return;
        }
        const call = settled(
          await this.carrier.sendBrandOtp(started.requestId, state.carrierBrandId, {
            pinSms: started.pinSms,
            successSms: started.successSms,
          }),
        );
        const now = this.clock.now();
        await this.registrations.handleBrand(
          started.brandId,
          started.tenantId,
          call.outcome === 'done'
            ? {
                type: 'RecordOtpSent',
                requestId: started.requestId,
                referenceId: call.value.referenceId,
                now,
              }
            : {
                type: 'RecordOtpFailure',
                requestId: started.requestId,
                step: 'send',
                reasons: call.reasons,
                now,
              },
          context,
        );
        return;
      }
      case 'registration.BrandOtpVerificationStarted.v1': {
        const started = event.data as BrandOtpVerificationStarted;
        const { state } = await this.registrations.brands.load(brandStreamId(started.brandId));
        if (
          state.phase !== 'registered' ||
          state.otp.phase !== 'verifying' ||
          state.otp.requestId !== started.requestId
        ) {
          return;
        }
        const call = settled(
          await this.carrier.verifyBrandOtp(
            started.requestId,
            state.carrierBrandId,
            started.otpPin,
          ),
        );
        const now = this.clock.now();
        await this.registrations.handleBrand(
          started.brandId,
          started.tenantId,
          call.outcome === 'done'
            ? { type: 'RecordOtpVerified', requestId: started.requestId, now }
            : {
                type: 'RecordOtpFailure',
                requestId: started.requestId,
                step: 'verification',
                reasons: call.reasons,
                now,
              },
          context,
        );
        return;
      }
      case 'registration.BrandOtpVerified.v1': {
        // The carrier verifies the brand's identity on the PIN: read its status again now
        // rather than wait for the webhook or the poller.
        const verified = event.data as BrandOtpVerified;
        const { state } = await this.registrations.brands.load(brandStreamId(verified.brandId));
        if (state.phase !== 'registered' || !this.refresher) return;
        await this.refresher.refresh('brand', state.carrierBrandId, context);
        return;
      }
      case 'registration.BrandVettingStarted.v1': {
        const started = event.data as BrandVettingStarted;
        const { state } = await this.registrations.brands.load(brandStreamId(started.brandId));
        if (
          state.phase !== 'registered' ||
          state.vettingOrder.phase !== 'ordering' ||
          state.vettingOrder.requestId !== started.requestId
        ) {
          return;
        }
        const call = settled(
          await this.carrier.orderBrandVetting(started.requestId, state.carrierBrandId, {
            evpId: started.evpId,
            vettingClass: started.vettingClass,
          }),
        );
        const now = this.clock.now();
        await this.registrations.handleBrand(
          started.brandId,
          started.tenantId,
          call.outcome === 'done'
            ? {
                type: 'RecordVettingOrdered',
                requestId: started.requestId,
                ...(call.value.vettingId ? { vettingId: call.value.vettingId } : {}),
                now,
              }
            : {
                type: 'RecordVettingFailure',
                requestId: started.requestId,
                reasons: call.reasons,
                now,
              },
          context,
        );
        return;
      }
      default:
        throw new Error(`carrier submission cannot handle ${event.type}`);
    }
  }
}

function settled<T>(call: CarrierCall<T>): Exclude<CarrierCall<T>, { outcome: 'unavailable' }> {
  if (call.outcome === 'unavailable') throw new CarrierUnavailableError(call.errorDetail);
  return call;
}
