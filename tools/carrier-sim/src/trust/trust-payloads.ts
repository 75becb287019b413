import { randomUUID } from 'node:crypto';

/**
 * The 10DLC resources as Telnyx answers them (the telnyx SDK 7.24.0's `TelnyxBrand`,
 * `TelnyxCampaignCsp`, `PhoneNumberCampaign`, `ExternalVetting`), as far as textplane reads them,
 * and the status webhooks Telnyx posts about them.
 */

export type BrandStatus = 'REGISTRATION_PENDING' | 'OK' | 'REGISTRATION_FAILED';
export type IdentityStatus = 'UNVERIFIED' | 'VERIFIED' | 'SELF_DECLARED' | 'VETTED_VERIFIED';
export type CampaignStatus =
  | 'TCR_PENDING'
  | 'TCR_ACCEPTED'
  | 'MNO_PROVISIONED'
  | 'MNO_REJECTED'
  | 'TCR_FAILED'
  | 'TCR_SUSPENDED'
  | 'TCR_EXPIRED';
export type AssignmentStatus =
  | 'PENDING_ASSIGNMENT'
  | 'ASSIGNED'
  | 'FAILED_ASSIGNMENT'
  | 'PENDING_UNASSIGNMENT'
  | 'FAILED_UNASSIGNMENT';

export interface SimBrand {
  brandId: string;
  tcrBrandId: string;
  cspId: string;
  brandRelationship: 'BASIC_ACCOUNT';
  mock: false;
  status: BrandStatus;
  identityStatus: IdentityStatus;
  failureReasons?: string;
  createdAt: string;
  updatedAt: string;
  /** Every field the client sent (entityType, displayName, ein, ...), as sent. */
  [field: string]: unknown;
}

export interface SimVetting {
  evpId: string;
  vettingId: string;
  vettingClass: string;
  /** Absent while an ordered vetting is under way. */
  vettingScore?: number;
  vettedDate?: string;
  createDate: string;
}

export interface SimCampaign {
  campaignId: string;
  tcrCampaignId: string;
  brandId: string;
  cspId: string;
  usecase: string;
  subUsecases: string[];
  description: string;
  mock: false;
  termsAndConditions: boolean;
  campaignStatus: CampaignStatus;
  submissionStatus: 'CREATED';
  failureReasons?: string;
  createDate: string;
  [field: string]: unknown;
}

export interface SimAssignment {
  phoneNumber: string;
  campaignId: string;
  telnyxCampaignId: string;
  tcrCampaignId: string;
  brandId: string;
  tcrBrandId: string;
  assignmentStatus: AssignmentStatus;
  failureReasons?: string;
  createdAt: string;
  updatedAt: string;
}

export type TrustWebhookType =
  | '10dlc.brand.update'
  | '10dlc.campaign.update'
  | '10dlc.phone_number.update'
  | 'messaging_tollfree.verification.update';

/** Telnyx's toll-free `TfVerificationStatus`. */
export type TollFreeVerificationStatus =
  | 'Waiting For Telnyx'
  | 'Waiting For Vendor'
  | 'Waiting For Customer'
  | 'In Progress'
  | 'Verified'
  | 'Rejected';

/** A toll-free verification request as Telnyx answers it (`VerificationRequestStatus`). */
export interface SimTollFreeVerification {
  id: string;
  verificationRequestId: string;
  phoneNumbers: Array<{ phoneNumber: string }>;
  verificationStatus: TollFreeVerificationStatus;
  reason?: string;
  createdAt: string;
  updatedAt: string;
  /** Every field the client sent (businessName, optInWorkflow, ...), as sent. */
  [field: string]: unknown;
}

/** A sole proprietor's SMS OTP (`BrandSMSOtpStatus`), with the PIN the simulator chose. */
export interface SimBrandOtp {
  brandId: string;
  referenceId: string;
  mobilePhone: string;
  /** The text as it reached the handset, the PIN in place of `@OTP_PIN@`. */
  pinSms: string;
  successSms: string;
  otpPin: string;
  /** How many OTPs were triggered for the brand, this one included. */
  attempt: number;
  deliveryStatus: 'DELIVERED_HANDSET';
  requestDate: string;
  deliveryStatusDate: string;
  verifyDate?: string;
}

export interface TrustWebhookEvent {
  readonly record_type: 'event';
  readonly id: string;
  readonly event_type: TrustWebhookType;
  readonly occurred_at: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

export function trustWebhookEvent(
  eventType: TrustWebhookType,
  payload: Record<string, unknown>,
  occurredAt: Date,
): TrustWebhookEvent {
  return {
    record_type: 'event',
    id: randomUUID(),
    event_type: eventType,
    occurred_at: occurredAt.toISOString(),
    payload,
  };
}
