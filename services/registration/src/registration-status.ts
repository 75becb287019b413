import type { RegistrationReason, RegistrationStatus } from '@textplane/contracts';

/**
 * What the carrier says of a brand or number assignment, read into textplane's vocabulary by the
 * carrier adapter: textplane's status, the raw value beside it, and the reasons given.
 */
export interface CarrierReading {
  status: RegistrationStatus;
  carrierStatus: string;
  reasons: RegistrationReason[];
}

/**
 * What the carriers say of a campaign. `approved` is never the carrier's to say: a campaign is
 * approved once the carriers accepted it (`carrierAccepted`) and a number's assignment is
 * provisioned, which only the campaign's own stream knows.
 */
export interface CampaignCarrierReading {
  status: Exclude<RegistrationStatus, 'approved'>;
  carrierAccepted: boolean;
  carrierStatus: string;
  reasons: RegistrationReason[];
}

/**
 * Which changes of textplane's status a carrier report may make. `expired` is final (a new
 * registration is needed); `rejected` may go back to `pending` (a resubmission or appeal) or on
 * to `approved` (an appeal granted); `suspended` may be lifted.
 */
const ALLOWED: Readonly<Record<RegistrationStatus, readonly RegistrationStatus[]>> = {
  pending: ['approved', 'rejected', 'suspended', 'expired'],
  approved: ['pending', 'rejected', 'suspended', 'expired'],
  rejected: ['pending', 'approved'],
  suspended: ['approved', 'pending', 'rejected', 'expired'],
  expired: [],
};

export function isAllowedTransition(from: RegistrationStatus, to: RegistrationStatus): boolean {
  return from === to || ALLOWED[from].includes(to);
}

/** A command the aggregate cannot take in its state: a bug upstream, never a carrier's report. */
export class RegistrationInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationInvariantError';
  }
}

/**
 * Why a sole proprietor's brand waits although the carrier registered it: its OTP is not verified
 * (Telnyx: "campaigns cannot be created until OTP verification is complete").
 */
export const OTP_REQUIRED_REASON: RegistrationReason = {
  code: 'otp_required',
  carrierReason: 'Sole proprietor brand awaits SMS OTP verification',
  suggestedFix:
    "Request an OTP for the brand (POST /v1/trust/brands/{id}/otp), then submit the PIN the brand's mobile phone received (POST /v1/trust/brands/{id}/otp/verification).",
  field: 'mobilePhone',
};
