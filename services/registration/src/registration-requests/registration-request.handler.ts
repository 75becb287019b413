import type {
  BrandOtpRequested,
  BrandOtpVerificationRequested,
  BrandRegistrationRequested,
  BrandVettingRequested,
  CampaignSubmissionRequested,
  NumberAssignmentRequested,
  NumberUnassignmentRequested,
  TollFreeVerificationRequested,
} from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { brandStreamId } from '../brands/brand.events.js';
import type { CampaignBrand } from '../campaigns/campaign.decider.js';
import { campaignStreamId } from '../campaigns/campaign.events.js';
import type { CommandContext, RegistrationStore } from '../infrastructure/registration-store.js';
import { isTollFree, type TenantNumbers } from '../tenants/tenant-numbers.js';

/**
 * Records what the gateway was asked: a brand to register, a campaign to submit, a number to
 * assign or to remove from its campaign, a toll-free verification, a sole proprietor's OTP and its PIN, a vetting order. Each is decided against what is known (the brand, the campaign, the tenant's numbers)
 * and either started (the carrier call follows, see CarrierSubmissionHandler) or refused with
 * the fields and why. Nothing here calls the carrier.
 */
export class RegistrationRequestHandler {
  constructor(
    private readonly registrations: RegistrationStore,
    private readonly tenants: TenantNumbers,
    private readonly clock: Clock,
  ) {}

  /** The effect of one event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    const context: CommandContext = { correlationId: event.correlationId, causationId: event.id };
    const now = this.clock.now();
    switch (event.type) {
      case 'gateway.BrandRegistrationRequested.v1': {
        const request = event.data as BrandRegistrationRequested;
        await this.registrations.handleBrand(
          request.brandId,
          request.tenantId,
          { type: 'StartRegistration', request, now },
          context,
          manager,
        );
        return;
      }
      case 'gateway.CampaignSubmissionRequested.v1': {
        const request = event.data as CampaignSubmissionRequested;
        const brand = await this.brandOf(manager, request);
        await this.registrations.handleCampaign(
          request.campaignId,
          request.tenantId,
          { type: 'StartSubmission', request, brand, now },
          context,
          manager,
        );
        return;
      }
      case 'gateway.NumberAssignmentRequested.v1': {
        const request = event.data as NumberAssignmentRequested;
        const { state } = await this.registrations.campaigns.load(
          campaignStreamId(request.campaignId),
          manager,
        );
        const campaign =
          state.phase === 'none'
            ? null
            : {
                campaignId: state.campaignId,
                tenantId: state.tenantId,
                status: state.status,
                carrierCampaignId: state.phase === 'submitted' ? state.carrierCampaignId : null,
              };
        await this.registrations.handleAssignment(
          request.tenantId,
          request.phoneNumber,
          {
            type: 'StartAssignment',
            request,
            context: {
              campaign,
              tenantOwnsNumber: await this.tenants.owns(
                manager,
                request.tenantId,
                request.phoneNumber,
              ),
              tollFree: isTollFree(request.phoneNumber),
            },
            now,
          },
          context,
          manager,
        );
        return;
      }
      case 'gateway.NumberUnassignmentRequested.v1': {
        // Decided on the number's stream alone: it knows which campaign the number is on.
        const request = event.data as NumberUnassignmentRequested;
        await this.registrations.handleAssignment(
          request.tenantId,
          request.phoneNumber,
          { type: 'StartUnassignment', request, now },
          context,
          manager,
        );
        return;
      }
      case 'gateway.TollFreeVerificationRequested.v1': {
        const request = event.data as TollFreeVerificationRequested;
        // The body is parsed by the decider; here only what it needs looked up.
        const numbers = (
          Array.isArray(request.verification.phoneNumbers) ? request.verification.phoneNumbers : []
        ).filter((n): n is string => typeof n === 'string');
        const numbersNotOwned: string[] = [];
        for (const phoneNumber of numbers) {
          if (!(await this.tenants.owns(manager, request.tenantId, phoneNumber))) {
            numbersNotOwned.push(phoneNumber);
          }
        }
        await this.registrations.handleTollFreeVerification(
          request.verificationId,
          request.tenantId,
          {
            type: 'StartVerification',
            request,
            context: {
              numbersNotOwned,
              numbersVerifyingElsewhere: await this.registrations.numbersVerifyingElsewhere(
                manager,
                request.tenantId,
                numbers,
                request.verificationId,
              ),
            },
            now,
          },
          context,
          manager,
        );
        return;
      }
      case 'gateway.BrandOtpRequested.v1': {
        const request = event.data as BrandOtpRequested;
        await this.registrations.handleBrand(
          request.brandId,
          request.tenantId,
          { type: 'StartOtp', request, now },
          context,
          manager,
        );
        return;
      }
      case 'gateway.BrandOtpVerificationRequested.v1': {
        const request = event.data as BrandOtpVerificationRequested;
        await this.registrations.handleBrand(
          request.brandId,
          request.tenantId,
          { type: 'StartOtpVerification', request, now },
          context,
          manager,
        );
        return;
      }
      case 'gateway.BrandVettingRequested.v1': {
        const request = event.data as BrandVettingRequested;
        await this.registrations.handleBrand(
          request.brandId,
          request.tenantId,
          { type: 'StartVetting', request, now },
          context,
          manager,
        );
        return;
      }
      default:
        // The consumer subscribes to the request types above only.
        throw new Error(`registration requests cannot handle ${event.type}`);
    }
  }

  private async brandOf(
    manager: EntityManager,
    request: CampaignSubmissionRequested,
  ): Promise<CampaignBrand | null> {
    const brandId = request.campaign.brandId;
    const { state } = await this.registrations.brands.load(brandStreamId(brandId), manager);
    if (state.phase === 'none') return null;
    const { brand } = state;
    return {
      brandId: state.brandId,
      tenantId: state.tenantId,
      status: state.status,
      carrierBrandId: state.phase === 'registered' ? state.carrierBrandId : null,
      entityType: brand.entityType as CampaignBrand['entityType'],
      displayName: brand.displayName,
      ...(brand.companyName ? { companyName: brand.companyName } : {}),
      email: brand.email,
      phone: brand.phone,
      campaignCount: await this.registrations.campaignCountOf(manager, brandId, request.campaignId),
    };
  }
}
