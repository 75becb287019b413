import {
  ConsumerGroups,
  type EventDataByType,
  type RegistrationStatus,
} from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';
import {
  type SenderAssignment,
  type SenderRegistration,
  SENDER_REGISTRATION_EVENT,
  senderRegistrationKey,
} from './sender-registration.js';

/** Messaging's consumer group for registration's facts. */
export const MESSAGING_REGISTRATIONS_GROUP = ConsumerGroups.messagingRegistrations;

/** The facts of registration.registrations.events.v1. */
const REGISTRATION_EVENT_TYPES = [
  'registration.BrandRegistrationStarted.v1',
  'registration.BrandRegistered.v1',
  'registration.BrandVetted.v1',
  'registration.BrandStatusChanged.v1',
  'registration.CampaignSubmissionStarted.v1',
  'registration.CampaignSubmitted.v1',
  'registration.CampaignStatusChanged.v1',
  'registration.CampaignNumberProvisioned.v1',
  'registration.CampaignApproved.v1',
  'registration.NumberAssignmentStarted.v1',
  'registration.NumberAssignmentSubmitted.v1',
  'registration.NumberAssigned.v1',
  'registration.NumberAssignmentFailed.v1',
  'registration.NumberUnassignmentStarted.v1',
  'registration.NumberUnassignmentSubmitted.v1',
  'registration.NumberUnassigned.v1',
  'registration.NumberUnassignmentFailed.v1',
  'registration.RegistrationRequestRejected.v1',
  'registration.TollFreeVerificationStarted.v1',
  'registration.TollFreeVerificationSubmitted.v1',
  'registration.TollFreeVerificationStatusChanged.v1',
  'registration.TollFreeNumberVerified.v1',
  'registration.BrandOtpSendStarted.v1',
  'registration.BrandOtpSent.v1',
  'registration.BrandOtpVerificationStarted.v1',
  'registration.BrandOtpVerified.v1',
  'registration.BrandOtpFailed.v1',
  'registration.BrandVettingStarted.v1',
  'registration.BrandVettingOrdered.v1',
  'registration.BrandVettingFailed.v1',
] as const;
type RegistrationEventType = (typeof REGISTRATION_EVENT_TYPES)[number];
type RegistrationEvent = {
  [K in RegistrationEventType]: { type: K; data: EventDataByType[K] };
}[RegistrationEventType];

const registrationEventTypes: ReadonlySet<string> = new Set(REGISTRATION_EVENT_TYPES);

/** The facts that change the projection: the consumer passes over the others. */
export const SENDER_REGISTRATION_FACTS: readonly RegistrationEventType[] = [
  'registration.BrandRegistrationStarted.v1',
  'registration.BrandVetted.v1',
  'registration.CampaignSubmissionStarted.v1',
  'registration.CampaignSubmitted.v1',
  'registration.CampaignStatusChanged.v1',
  'registration.CampaignNumberProvisioned.v1',
  'registration.CampaignApproved.v1',
  'registration.NumberAssignmentStarted.v1',
  'registration.NumberAssignmentSubmitted.v1',
  'registration.NumberAssigned.v1',
  'registration.NumberAssignmentFailed.v1',
  'registration.NumberUnassignmentStarted.v1',
  'registration.NumberUnassignmentSubmitted.v1',
  'registration.NumberUnassigned.v1',
  'registration.NumberUnassignmentFailed.v1',
  'registration.TollFreeVerificationStarted.v1',
  'registration.TollFreeVerificationSubmitted.v1',
  'registration.TollFreeVerificationStatusChanged.v1',
  'registration.TollFreeNumberVerified.v1',
];

/** Wakes the messages waiting on an event (DispatchQueue.wake, its clock bound). */
export interface RegistrationWaker {
  wake(manager: EntityManager, event: string, key: string): Promise<string[]>;
}

/**
 * Messaging's projection of registration's facts (the sender-registration gate's input, and the
 * throughput gate's): per tenant number its campaign assignment, per campaign its status and use
 * case, per brand its entity type and vetting score, per toll-free number its latest
 * verification. Applied through the inbox (once per event, in the caller's transaction). A
 * campaign's facts come in order (one stream), but a number's come on two streams (its
 * assignment's, its campaign's), so a number's row only moves to a fact at least as recent as
 * the one it is at.
 *
 * Whenever a fact settles a sender (its campaign approved, rejected, suspended or expired; its
 * number provisioned or its assignment failed; its toll-free verification decided), the messages
 * waiting on that sender are woken in the same transaction: the dispatcher lets them through,
 * or blocks them, at its next release.
 */
export class SenderRegistrationProjection {
  constructor(private readonly waker: RegistrationWaker) {}

  /** The effect of one registration fact, in the caller's transaction (see onceThroughInbox). */
  async apply(consumed: ConsumedEvent, manager: EntityManager): Promise<void> {
    if (!registrationEventTypes.has(consumed.type)) return;
    // The consumer has validated the data against the event's schema.
    const event = { type: consumed.type, data: consumed.data } as RegistrationEvent;
    switch (event.type) {
      case 'registration.BrandRegistrationStarted.v1': {
        const d = event.data;
        await manager.query(
          `INSERT INTO sender_registration_brands (brand_id, tenant_id, entity_type)
           VALUES ($1, $2, $3)
           ON CONFLICT (brand_id) DO UPDATE SET entity_type = EXCLUDED.entity_type`,
          [d.brandId, d.tenantId, d.brand.entityType],
        );
        return;
      }
      case 'registration.BrandVetted.v1': {
        const d = event.data;
        await manager.query(
          `INSERT INTO sender_registration_brands (brand_id, tenant_id, vetting_score, vetted_at)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (brand_id) DO UPDATE
             SET vetting_score = EXCLUDED.vetting_score, vetted_at = EXCLUDED.vetted_at
             WHERE sender_registration_brands.vetted_at IS NULL
                OR sender_registration_brands.vetted_at <= EXCLUDED.vetted_at`,
          [d.brandId, d.tenantId, d.vettingScore, d.vettedAt],
        );
        return;
      }
      case 'registration.CampaignSubmissionStarted.v1': {
        const d = event.data;
        await this.saveCampaign(manager, {
          campaignId: d.campaignId,
          tenantId: d.tenantId,
          brandId: d.campaign.brandId,
          usecase: d.campaign.usecase,
          status: 'pending',
          at: d.startedAt,
        });
        return;
      }
      case 'registration.CampaignSubmitted.v1': {
        const d = event.data;
        await this.campaignStatus(manager, d.campaignId, d.status, d.submittedAt);
        return;
      }
      case 'registration.CampaignStatusChanged.v1': {
        const d = event.data;
        const changed = await this.campaignStatus(manager, d.campaignId, d.status, d.changedAt);
        // An approval wakes with its CampaignApproved (which lists the numbers); a refusal here.
        if (changed && isRefused(d.status)) {
          await this.wakeCampaign(manager, d.tenantId, d.campaignId, []);
        }
        return;
      }
      case 'registration.CampaignApproved.v1': {
        const d = event.data;
        await this.saveCampaign(manager, {
          campaignId: d.campaignId,
          tenantId: d.tenantId,
          brandId: d.brandId,
          usecase: d.usecase,
          status: 'approved',
          at: d.approvedAt,
        });
        // Its numbers' rows come from their CampaignNumberProvisioned, each earlier on this
        // stream: the approval moves none, so a number's row does not depend on which of its
        // streams is read first. It wakes them all.
        await this.wakeCampaign(manager, d.tenantId, d.campaignId, d.phoneNumbers);
        return;
      }
      case 'registration.CampaignNumberProvisioned.v1': {
        const d = event.data;
        await this.numberFact(manager, d, 'provisioned', d.provisionedAt);
        return;
      }
      case 'registration.NumberAssignmentStarted.v1': {
        const d = event.data;
        await this.numberFact(manager, d, 'pending', d.startedAt);
        return;
      }
      case 'registration.NumberAssignmentSubmitted.v1': {
        const d = event.data;
        await this.numberFact(manager, d, 'pending', d.submittedAt);
        return;
      }
      case 'registration.NumberAssigned.v1': {
        const d = event.data;
        await this.numberFact(manager, d, 'provisioned', d.assignedAt);
        return;
      }
      case 'registration.NumberAssignmentFailed.v1': {
        const d = event.data;
        await this.numberFact(manager, d, 'failed', d.failedAt);
        return;
      }
      // A removal under way holds the number's texts (`pending`: queued, waiting for
      // registration) rather than send them: the carriers may drop the assignment at any moment
      // before messaging hears of it, and a text sent then goes out unregistered (filtered, and
      // counted against the brand). Holding, not blocking, because a removal may fail: then the
      // number is provisioned again and its held texts go out; once it is removed they are
      // blocked sender_not_registered. Either way the fact that settles it wakes them.
      case 'registration.NumberUnassignmentStarted.v1': {
        const d = event.data;
        await this.numberFact(manager, d, 'pending', d.startedAt);
        return;
      }
      case 'registration.NumberUnassignmentSubmitted.v1': {
        const d = event.data;
        await this.numberFact(manager, d, 'pending', d.submittedAt);
        return;
      }
      case 'registration.NumberUnassignmentFailed.v1': {
        const d = event.data;
        await this.numberFact(manager, d, 'provisioned', d.failedAt);
        return;
      }
      // Removed: on no campaign (the row stays, at the removal's time, so an older fact of the
      // campaign's stream arriving later cannot provision it again).
      case 'registration.NumberUnassigned.v1': {
        const d = event.data;
        await this.numberFact(manager, d, 'removed', d.unassignedAt);
        return;
      }
      case 'registration.TollFreeVerificationStarted.v1': {
        const d = event.data;
        const numbers = d.verification.phoneNumbers;
        await this.verificationFact(manager, d, numbers, 'pending', d.startedAt);
        return;
      }
      case 'registration.TollFreeVerificationSubmitted.v1': {
        const d = event.data;
        await this.verificationFact(manager, d, d.phoneNumbers, d.status, d.submittedAt);
        return;
      }
      case 'registration.TollFreeVerificationStatusChanged.v1': {
        const d = event.data;
        await this.verificationFact(manager, d, d.phoneNumbers, d.status, d.changedAt);
        return;
      }
      case 'registration.TollFreeNumberVerified.v1': {
        const d = event.data;
        await this.verificationFact(manager, d, [d.phoneNumber], 'approved', d.verifiedAt);
        return;
      }
      // Facts no gate looks at: listed, so a new registration fact is a decision here. A
      // brand's status reaches senders through its campaigns' (the carriers suspend those); its
      // vetting score comes with BrandVetted, a sole proprietor's OTP ends in its status.
      case 'registration.BrandRegistered.v1':
      case 'registration.BrandStatusChanged.v1':
      case 'registration.RegistrationRequestRejected.v1':
      case 'registration.BrandOtpSendStarted.v1':
      case 'registration.BrandOtpSent.v1':
      case 'registration.BrandOtpVerificationStarted.v1':
      case 'registration.BrandOtpVerified.v1':
      case 'registration.BrandOtpFailed.v1':
      case 'registration.BrandVettingStarted.v1':
      case 'registration.BrandVettingOrdered.v1':
      case 'registration.BrandVettingFailed.v1':
        return;
    }
  }

  private async saveCampaign(
    manager: EntityManager,
    campaign: {
      campaignId: string;
      tenantId: string;
      brandId: string;
      usecase: string;
      status: RegistrationStatus;
      at: string;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO sender_registration_campaigns
         (campaign_id, tenant_id, brand_id, usecase, status, changed_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (campaign_id) DO UPDATE SET
         brand_id = EXCLUDED.brand_id, usecase = EXCLUDED.usecase,
         status = EXCLUDED.status, changed_at = EXCLUDED.changed_at
       WHERE sender_registration_campaigns.changed_at <= EXCLUDED.changed_at`,
      [
        campaign.campaignId,
        campaign.tenantId,
        campaign.brandId,
        campaign.usecase,
        campaign.status,
        campaign.at,
      ],
    );
  }

  /** A campaign's new status; whether it changed (a campaign not seen started changes nothing). */
  private async campaignStatus(
    manager: EntityManager,
    campaignId: string,
    status: RegistrationStatus,
    at: string,
  ): Promise<boolean> {
    const rows = await manager.query<Array<{ campaign_id: string }>>(
      `UPDATE sender_registration_campaigns SET status = $2, changed_at = $3
       WHERE campaign_id = $1 AND changed_at <= $3
       RETURNING campaign_id`,
      [campaignId, status, at],
    );
    return rows.length > 0;
  }

  private async numberFact(
    manager: EntityManager,
    fact: { tenantId: string; phoneNumber: string; campaignId: string },
    assignment: SenderAssignment,
    at: string,
  ): Promise<void> {
    const moved = await this.saveNumber(manager, { ...fact, assignment, at });
    // A pending assignment opens nothing; a provisioned or failed one settles the sender.
    if (moved && assignment !== 'pending') {
      await this.waker.wake(
        manager,
        SENDER_REGISTRATION_EVENT,
        senderRegistrationKey(fact.tenantId, fact.phoneNumber),
      );
    }
  }

  /** Whether the number's row is now at this fact. */
  private async saveNumber(
    manager: EntityManager,
    row: {
      tenantId: string;
      phoneNumber: string;
      campaignId: string;
      assignment: SenderAssignment;
      at: string;
    },
  ): Promise<boolean> {
    const rows = await manager.query<Array<{ phone_number: string }>>(
      `INSERT INTO sender_registration_numbers
         (tenant_id, phone_number, campaign_id, assignment, changed_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id, phone_number) DO UPDATE SET
         campaign_id = EXCLUDED.campaign_id, assignment = EXCLUDED.assignment,
         changed_at = EXCLUDED.changed_at
       WHERE sender_registration_numbers.changed_at <= EXCLUDED.changed_at
       RETURNING phone_number`,
      [row.tenantId, row.phoneNumber, row.campaignId, row.assignment, row.at],
    );
    return rows.length > 0;
  }

  /**
   * A toll-free verification's status for its numbers, each moved only to a fact at least as
   * recent as its row's; a settled one (not pending) wakes the number's waiting messages.
   */
  private async verificationFact(
    manager: EntityManager,
    verification: { tenantId: string; verificationId: string },
    numbers: readonly string[],
    status: RegistrationStatus,
    at: string,
  ): Promise<void> {
    for (const phone of [...new Set(numbers)].sort()) {
      const rows = await manager.query<Array<{ phone_number: string }>>(
        `INSERT INTO sender_toll_free_verifications
           (tenant_id, phone_number, verification_id, status, changed_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, phone_number) DO UPDATE SET
           verification_id = EXCLUDED.verification_id, status = EXCLUDED.status,
           changed_at = EXCLUDED.changed_at
         WHERE sender_toll_free_verifications.changed_at <= EXCLUDED.changed_at
         RETURNING phone_number`,
        [verification.tenantId, phone, verification.verificationId, status, at],
      );
      if (rows.length > 0 && status !== 'pending') {
        await this.waker.wake(
          manager,
          SENDER_REGISTRATION_EVENT,
          senderRegistrationKey(verification.tenantId, phone),
        );
      }
    }
  }

  /** Wakes the messages waiting on each number of the campaign (and on `also`). */
  private async wakeCampaign(
    manager: EntityManager,
    tenantId: string,
    campaignId: string,
    also: readonly string[],
  ): Promise<void> {
    const rows = await manager.query<Array<{ phone_number: string }>>(
      `SELECT phone_number FROM sender_registration_numbers
       WHERE tenant_id = $1 AND campaign_id = $2`,
      [tenantId, campaignId],
    );
    const numbers = new Set([...rows.map((r) => r.phone_number), ...also]);
    for (const phone of [...numbers].sort()) {
      await this.waker.wake(
        manager,
        SENDER_REGISTRATION_EVENT,
        senderRegistrationKey(tenantId, phone),
      );
    }
  }
}

function isRefused(status: RegistrationStatus): boolean {
  return status === 'rejected' || status === 'suspended' || status === 'expired';
}

/**
 * What messaging knows of the tenant's numbers' registrations, for a batch in one read: a
 * number with no entry is on no campaign, as far as registration's facts say.
 */
export async function senderRegistrationsOf(
  manager: EntityManager,
  tenantId: string,
  numbers: readonly string[],
): Promise<Map<string, SenderRegistration>> {
  if (numbers.length === 0) return new Map();
  const rows = await manager.query<
    Array<{
      phone_number: string;
      campaign_id: string;
      assignment: SenderAssignment;
      status: RegistrationStatus | null;
      usecase: string | null;
      brand_id: string | null;
      brand_known: boolean;
      entity_type: string | null;
      vetting_score: number | null;
    }>
  >(
    `SELECT n.phone_number, n.campaign_id, n.assignment, c.status, c.usecase, c.brand_id,
            b.brand_id IS NOT NULL AS brand_known, b.entity_type, b.vetting_score
     FROM sender_registration_numbers n
     LEFT JOIN sender_registration_campaigns c
       ON c.campaign_id = n.campaign_id AND c.tenant_id = n.tenant_id
     LEFT JOIN sender_registration_brands b
       ON b.brand_id = c.brand_id AND b.tenant_id = n.tenant_id
     WHERE n.tenant_id = $1 AND n.phone_number = ANY($2::text[])`,
    [tenantId, [...new Set(numbers)]],
  );
  const registrations = new Map<string, SenderRegistration>();
  for (const row of rows) {
    registrations.set(row.phone_number, {
      phoneNumber: row.phone_number,
      campaignId: row.campaign_id,
      assignment: row.assignment,
      campaign:
        row.status !== null && row.usecase !== null && row.brand_id !== null
          ? { status: row.status, usecase: row.usecase, brandId: row.brand_id }
          : null,
      brand: row.brand_known
        ? { entityType: row.entity_type, vettingScore: row.vetting_score }
        : null,
    });
  }
  return registrations;
}

/**
 * The status of each of the tenant's toll-free numbers' latest verification, for a batch in one
 * read: a number with no entry has none.
 */
export async function tollFreeVerificationsOf(
  manager: EntityManager,
  tenantId: string,
  numbers: readonly string[],
): Promise<Map<string, RegistrationStatus>> {
  if (numbers.length === 0) return new Map();
  const rows = await manager.query<Array<{ phone_number: string; status: RegistrationStatus }>>(
    `SELECT phone_number, status FROM sender_toll_free_verifications
     WHERE tenant_id = $1 AND phone_number = ANY($2::text[])`,
    [tenantId, [...new Set(numbers)]],
  );
  return new Map(rows.map((row) => [row.phone_number, row.status]));
}
