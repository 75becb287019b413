import type {
  BrandDetails,
  CampaignDetails,
  RegistrationReason,
  TollFreeVerificationDetails,
} from '@textplane/contracts';
import type { CampaignCarrierReading, CarrierReading } from '../../registration-status.js';

/**
 * What registration asks of a carrier, in textplane's vocabulary. Each call names the
 * textplane id it is made for, which the adapter sends as the idempotency key: a call repeated
 * after a crash creates nothing twice.
 */
export interface RegistrationCarrier {
  createBrand(brandId: string, brand: BrandDetails): Promise<CarrierCall<CreatedBrand>>;
  /** Where the brand stands, with its latest vetting score when it has one. */
  brandStatus(carrierBrandId: string): Promise<CarrierCall<BrandStanding>>;
  submitCampaign(
    campaignId: string,
    carrierBrandId: string,
    campaign: CampaignDetails,
  ): Promise<CarrierCall<SubmittedCampaign>>;
  campaignStatus(carrierCampaignId: string): Promise<CarrierCall<CampaignCarrierReading>>;
  assignNumber(
    assignmentKey: string,
    phoneNumber: string,
    carrierCampaignId: string,
  ): Promise<CarrierCall<CarrierReading>>;
  /** Where the number's assignment stands; null when the carrier holds none for it. */
  assignmentStatus(phoneNumber: string): Promise<CarrierCall<CarrierReading | null>>;
  /**
   * Removes the number's campaign assignment: the carrier's word on the removal, or null when it
   * holds no assignment for the number (removed already: a retried call after a crash).
   */
  unassignNumber(
    requestKey: string,
    phoneNumber: string,
  ): Promise<CarrierCall<CarrierReading | null>>;
  submitTollFreeVerification(
    verificationId: string,
    verification: TollFreeVerificationDetails,
  ): Promise<CarrierCall<SubmittedTollFreeVerification>>;
  tollFreeVerificationStatus(carrierVerificationId: string): Promise<CarrierCall<CarrierReading>>;
  /** Sends the sole proprietor's brand an OTP to its mobile phone; `requestKey` is the idempotency key. */
  sendBrandOtp(
    requestKey: string,
    carrierBrandId: string,
    texts: { pinSms: string; successSms: string },
  ): Promise<CarrierCall<{ referenceId: string }>>;
  /** Checks the PIN; `done` means the carrier accepted it. */
  verifyBrandOtp(
    requestKey: string,
    carrierBrandId: string,
    otpPin: string,
  ): Promise<CarrierCall<{ verified: true }>>;
  orderBrandVetting(
    requestKey: string,
    carrierBrandId: string,
    order: { evpId: string; vettingClass: string },
  ): Promise<CarrierCall<{ vettingId?: string }>>;
}

/**
 * `refused`: the carrier's final no (a coded 4xx), with its reasons; `unavailable`: not now
 * (transport, 408, 429, 5xx), to be tried again with the same idempotency key.
 */
export type CarrierCall<T> =
  | { outcome: 'done'; value: T }
  | { outcome: 'refused'; carrierStatus: string; reasons: RegistrationReason[] }
  | { outcome: 'unavailable'; errorDetail: string };

export interface CreatedBrand {
  carrierBrandId: string;
  tcrBrandId?: string;
  reading: CarrierReading;
}

export interface BrandStanding {
  reading: CarrierReading;
  vetting?: { score: number; provider?: string };
}

export interface SubmittedCampaign {
  carrierCampaignId: string;
  tcrCampaignId?: string;
  reading: CampaignCarrierReading;
}

export interface SubmittedTollFreeVerification {
  carrierVerificationId: string;
  reading: CarrierReading;
}
