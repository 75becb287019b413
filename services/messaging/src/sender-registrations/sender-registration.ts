import type { RegistrationStatus } from '@textplane/contracts';

/**
 * Where a tenant number's assignment to its campaign stands: `pending` while the carrier
 * provisions it (NumberAssignmentStarted / Submitted) or removes it (NumberUnassignmentStarted /
 * Submitted: held, see the projection), `provisioned` once it is (NumberAssigned,
 * CampaignNumberProvisioned, or listed by CampaignApproved) or its removal failed
 * (NumberUnassignmentFailed); on no campaign, `failed` when the carrier refused its assignment
 * (NumberAssignmentFailed), `removed` once the carrier removed it (NumberUnassigned).
 */
export type SenderAssignment = 'pending' | 'provisioned' | 'failed' | 'removed';

/**
 * What messaging knows of one tenant number's 10DLC registration, from registration's events
 * (its own projection, never a call): the sender-registration gate and the throughput gate
 * read it.
 */
export interface SenderRegistration {
  phoneNumber: string;
  /** The campaign the number is (being) assigned to. */
  campaignId: string;
  assignment: SenderAssignment;
  /**
   * The campaign's facts; null while messaging has not seen them yet (the campaign's stream and
   * the number's arrive on different partitions, so the number's may come first).
   */
  campaign: {
    status: RegistrationStatus;
    /** Telnyx's use case (`2FA`, `MARKETING`, `MIXED`, ...). */
    usecase: string;
    brandId: string;
  } | null;
  /** The campaign's brand; null while messaging has not seen its facts yet. */
  brand: {
    /** From BrandRegistrationStarted's brand details (`PRIVATE_PROFIT`, `SOLE_PROPRIETOR`, ...). */
    entityType: string | null;
    /** The last BrandVetted's score (0–100); null until vetted. */
    vettingScore: number | null;
  } | null;
}

/**
 * The dispatch-queue key a message waiting on its sender's registration waits under: its
 * tenant and its sender number (a number may move between tenants, so both).
 */
export function senderRegistrationKey(tenantId: string, phoneNumber: string): string {
  return `${tenantId}/${phoneNumber}`;
}

/**
 * The event (type name) a message waiting on its sender's registration waits for: the
 * campaign's approval for its number. A number provisioned later on an approved campaign
 * (CampaignNumberProvisioned) and a refusal (rejected, suspended, expired campaign; a failed
 * assignment) wake the same waits: a woken message goes through every gate again, so it is
 * sent, waits again or is blocked as the projection now says. A toll-free number's verification
 * settling wakes its waits the same way.
 */
export const SENDER_REGISTRATION_EVENT = 'registration.CampaignApproved.v1';
