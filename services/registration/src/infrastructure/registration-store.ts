import {
  AggregateStore,
  type Decision,
  type EventMetadata,
  type EventStore,
} from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import type { EntityManager } from 'typeorm';
import * as brandDecider from '../brands/brand.decider.js';
import {
  BRAND_STREAM_TYPE,
  type BrandEvent,
  brandStreamId,
  isBrandEventType,
} from '../brands/brand.events.js';
import * as campaignDecider from '../campaigns/campaign.decider.js';
import {
  CAMPAIGN_STREAM_TYPE,
  type CampaignEvent,
  campaignStreamId,
  isCampaignEventType,
} from '../campaigns/campaign.events.js';
import * as assignmentDecider from '../number-assignments/number-assignment.decider.js';
import * as tollFreeDecider from '../toll-free-verifications/toll-free-verification.decider.js';
import {
  isTollFreeVerificationEventType,
  TOLL_FREE_VERIFICATION_STREAM_TYPE,
  type TollFreeVerificationEvent,
  tollFreeVerificationStreamId,
} from '../toll-free-verifications/toll-free-verification.events.js';
import {
  isNumberAssignmentEventType,
  NUMBER_ASSIGNMENT_STREAM_TYPE,
  type NumberAssignmentEvent,
  numberAssignmentStreamId,
} from '../number-assignments/number-assignment.events.js';

/** Where a command came from, carried into the metadata of the events it causes. */
export interface CommandContext {
  correlationId: string;
  causationId?: string;
}

export type RegistrationEvent =
  BrandEvent | CampaignEvent | NumberAssignmentEvent | TollFreeVerificationEvent;

/** What a carrier id in `carrier_references` names. */
export type CarrierResourceKind = 'brand' | 'campaign' | 'phone_number' | 'toll_free_verification';

/** One row change of the lookup tables a registration fact makes (see `referenceChangesOf`). */
export type ReferenceChange =
  | {
      table: 'carrier_references';
      kind: CarrierResourceKind;
      carrierId: string;
      streamId: string;
      tenantId: string;
      settled: boolean;
      at: string;
    }
  | {
      table: 'carrier_references_settled';
      kind: CarrierResourceKind;
      streamId: string;
      settled: boolean;
      at: string;
    }
  | { table: 'brand_campaigns'; brandId: string; campaignId: string }
  | {
      /** A verification's numbers, and whether it still holds them (pending or approved). */
      table: 'toll_free_verification_numbers';
      verificationId: string;
      tenantId: string;
      phoneNumbers: readonly string[];
      active: boolean;
    };

const SETTLED = new Set(['approved', 'rejected', 'expired']);

/**
 * The lookup rows a fact writes, pure: carrier ids to streams (for webhooks and polls, with
 * whether the resource still waits on the carrier), and a brand's campaigns.
 */
export function referenceChangesOf(event: RegistrationEvent): ReferenceChange[] {
  switch (event.type) {
    case 'registration.BrandRegistered.v1': {
      const e = event.data;
      return [
        {
          table: 'carrier_references',
          kind: 'brand',
          carrierId: e.carrierBrandId,
          streamId: brandStreamId(e.brandId),
          tenantId: e.tenantId,
          settled: SETTLED.has(e.status),
          at: e.registeredAt,
        },
      ];
    }
    case 'registration.BrandStatusChanged.v1':
      return [
        {
          table: 'carrier_references_settled',
          kind: 'brand',
          streamId: brandStreamId(event.data.brandId),
          settled: SETTLED.has(event.data.status),
          at: event.data.changedAt,
        },
      ];
    case 'registration.CampaignSubmissionStarted.v1':
      return [
        {
          table: 'brand_campaigns',
          brandId: event.data.campaign.brandId,
          campaignId: event.data.campaignId,
        },
      ];
    case 'registration.CampaignSubmitted.v1': {
      const e = event.data;
      return [
        {
          table: 'carrier_references',
          kind: 'campaign',
          carrierId: e.carrierCampaignId,
          streamId: campaignStreamId(e.campaignId),
          tenantId: e.tenantId,
          settled: false,
          at: e.submittedAt,
        },
      ];
    }
    case 'registration.CampaignStatusChanged.v1':
      return [
        {
          table: 'carrier_references_settled',
          kind: 'campaign',
          streamId: campaignStreamId(event.data.campaignId),
          // A campaign is watched until the carriers have accepted or refused it for good.
          settled:
            event.data.status === 'expired' ||
            event.data.status === 'rejected' ||
            event.data.carrierAccepted === true,
          at: event.data.changedAt,
        },
      ];
    case 'registration.NumberAssignmentStarted.v1': {
      const e = event.data;
      return [
        {
          table: 'carrier_references',
          kind: 'phone_number',
          carrierId: e.phoneNumber,
          streamId: numberAssignmentStreamId(e.tenantId, e.phoneNumber),
          tenantId: e.tenantId,
          settled: false,
          at: e.startedAt,
        },
      ];
    }
    // A removal waits on the carrier again (a webhook or the poller reads the number), until
    // it is done or failed.
    case 'registration.NumberUnassignmentStarted.v1':
      return [
        numberSettled(event.data.tenantId, event.data.phoneNumber, false, event.data.startedAt),
      ];
    case 'registration.NumberUnassigned.v1':
      return [
        numberSettled(event.data.tenantId, event.data.phoneNumber, true, event.data.unassignedAt),
      ];
    case 'registration.NumberUnassignmentFailed.v1':
      return [
        numberSettled(event.data.tenantId, event.data.phoneNumber, true, event.data.failedAt),
      ];
    case 'registration.NumberAssigned.v1':
    case 'registration.NumberAssignmentFailed.v1':
      return [
        {
          table: 'carrier_references_settled',
          kind: 'phone_number',
          streamId: numberAssignmentStreamId(event.data.tenantId, event.data.phoneNumber),
          settled: true,
          at:
            event.type === 'registration.NumberAssigned.v1'
              ? event.data.assignedAt
              : event.data.failedAt,
        },
      ];
    // The brand waits on the carrier again (a score to come, a status to read), so it is polled;
    // its next vetting score settles it again.
    case 'registration.BrandVettingOrdered.v1':
      return [brandSettled(event.data.brandId, false, event.data.orderedAt)];
    case 'registration.BrandOtpVerified.v1':
      return [brandSettled(event.data.brandId, false, event.data.verifiedAt)];
    case 'registration.BrandVetted.v1':
      return [brandSettled(event.data.brandId, true, event.data.vettedAt)];
    case 'registration.TollFreeVerificationStarted.v1':
      return [
        {
          table: 'toll_free_verification_numbers',
          verificationId: event.data.verificationId,
          tenantId: event.data.tenantId,
          phoneNumbers: event.data.verification.phoneNumbers,
          active: true,
        },
      ];
    case 'registration.TollFreeVerificationSubmitted.v1': {
      const e = event.data;
      return [
        {
          table: 'carrier_references',
          kind: 'toll_free_verification',
          carrierId: e.carrierVerificationId,
          streamId: tollFreeVerificationStreamId(e.verificationId),
          tenantId: e.tenantId,
          settled: false,
          at: e.submittedAt,
        },
      ];
    }
    case 'registration.TollFreeVerificationStatusChanged.v1': {
      const e = event.data;
      return [
        {
          table: 'carrier_references_settled',
          kind: 'toll_free_verification',
          streamId: tollFreeVerificationStreamId(e.verificationId),
          settled: SETTLED.has(e.status),
          at: e.changedAt,
        },
        {
          table: 'toll_free_verification_numbers',
          verificationId: e.verificationId,
          tenantId: e.tenantId,
          phoneNumbers: e.phoneNumbers,
          active: e.status !== 'rejected' && e.status !== 'expired',
        },
      ];
    }
    case 'registration.BrandRegistrationStarted.v1':
    case 'registration.BrandOtpSendStarted.v1':
    case 'registration.BrandOtpSent.v1':
    case 'registration.BrandOtpVerificationStarted.v1':
    case 'registration.BrandOtpFailed.v1':
    case 'registration.BrandVettingStarted.v1':
    case 'registration.BrandVettingFailed.v1':
    case 'registration.TollFreeNumberVerified.v1':
    case 'registration.CampaignNumberProvisioned.v1':
    case 'registration.CampaignApproved.v1':
    case 'registration.NumberAssignmentSubmitted.v1':
    case 'registration.NumberUnassignmentSubmitted.v1':
    case 'registration.RegistrationRequestRejected.v1':
      return [];
  }
}

function numberSettled(
  tenantId: string,
  phoneNumber: string,
  settled: boolean,
  at: string,
): ReferenceChange {
  return {
    table: 'carrier_references_settled',
    kind: 'phone_number',
    streamId: numberAssignmentStreamId(tenantId, phoneNumber),
    settled,
    at,
  };
}

function brandSettled(brandId: string, settled: boolean, at: string): ReferenceChange {
  return {
    table: 'carrier_references_settled',
    kind: 'brand',
    streamId: brandStreamId(brandId),
    settled,
    at,
  };
}

async function applyReferenceChanges(
  manager: EntityManager,
  events: readonly RegistrationEvent[],
): Promise<void> {
  for (const change of events.flatMap(referenceChangesOf)) {
    switch (change.table) {
      case 'carrier_references':
        await manager.query(
          `INSERT INTO carrier_references (kind, carrier_id, stream_id, tenant_id, settled, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (kind, carrier_id) DO UPDATE
             SET stream_id = EXCLUDED.stream_id, tenant_id = EXCLUDED.tenant_id,
                 settled = EXCLUDED.settled, updated_at = EXCLUDED.updated_at`,
          [
            change.kind,
            change.carrierId,
            change.streamId,
            change.tenantId,
            change.settled,
            change.at,
          ],
        );
        break;
      case 'carrier_references_settled':
        await manager.query(
          `UPDATE carrier_references SET settled = $3, updated_at = $4
           WHERE kind = $1 AND stream_id = $2`,
          [change.kind, change.streamId, change.settled, change.at],
        );
        break;
      case 'brand_campaigns':
        await manager.query(
          `INSERT INTO brand_campaigns (brand_id, campaign_id) VALUES ($1, $2)
           ON CONFLICT DO NOTHING`,
          [change.brandId, change.campaignId],
        );
        break;
      case 'toll_free_verification_numbers':
        await manager.query(
          `INSERT INTO toll_free_verification_numbers (verification_id, tenant_id, phone_number, active)
           SELECT $1, $2, n, $4 FROM unnest($3::text[]) AS n
           ON CONFLICT (verification_id, phone_number) DO UPDATE SET active = EXCLUDED.active`,
          [change.verificationId, change.tenantId, change.phoneNumbers, change.active],
        );
        break;
    }
  }
}

const projectsReferences = (event: RegistrationEvent) => referenceChangesOf(event).length > 0;

/** The brand, campaign and number assignment streams, with their lookup rows written inline. */
export class RegistrationStore {
  readonly brands: AggregateStore<brandDecider.BrandCommand, BrandEvent, brandDecider.BrandState>;
  readonly campaigns: AggregateStore<
    campaignDecider.CampaignCommand,
    CampaignEvent,
    campaignDecider.CampaignState
  >;
  readonly assignments: AggregateStore<
    assignmentDecider.NumberAssignmentCommand,
    NumberAssignmentEvent,
    assignmentDecider.NumberAssignmentState
  >;
  readonly tollFreeVerifications: AggregateStore<
    tollFreeDecider.TollFreeVerificationCommand,
    TollFreeVerificationEvent,
    tollFreeDecider.TollFreeVerificationState
  >;

  constructor(store: EventStore) {
    const project = { project: applyReferenceChanges, projects: projectsReferences };
    this.brands = new AggregateStore(
      store,
      { ...brandDecider, isEvent: isBrandEventType },
      BRAND_STREAM_TYPE,
      project,
    );
    this.campaigns = new AggregateStore(
      store,
      { ...campaignDecider, isEvent: isCampaignEventType },
      CAMPAIGN_STREAM_TYPE,
      project,
    );
    this.assignments = new AggregateStore(
      store,
      { ...assignmentDecider, isEvent: isNumberAssignmentEventType },
      NUMBER_ASSIGNMENT_STREAM_TYPE,
      project,
    );
    this.tollFreeVerifications = new AggregateStore(
      store,
      { ...tollFreeDecider, isEvent: isTollFreeVerificationEventType },
      TOLL_FREE_VERIFICATION_STREAM_TYPE,
      project,
    );
  }

  handleTollFreeVerification(
    verificationId: string,
    tenantId: string,
    command: tollFreeDecider.TollFreeVerificationCommand,
    context: CommandContext,
    manager?: EntityManager,
  ): Promise<Decision<TollFreeVerificationEvent, tollFreeDecider.TollFreeVerificationState>> {
    return this.tollFreeVerifications.handle(
      tollFreeVerificationStreamId(verificationId),
      command,
      metadataOf(tenantId, context),
      manager,
    );
  }

  /** Of the given numbers, those held by another verification of the tenant that is not refused. */
  async numbersVerifyingElsewhere(
    manager: EntityManager,
    tenantId: string,
    phoneNumbers: readonly string[],
    exceptVerificationId: string,
  ): Promise<string[]> {
    const rows = await manager.query<Array<{ phone_number: string }>>(
      `SELECT DISTINCT phone_number FROM toll_free_verification_numbers
       WHERE tenant_id = $1 AND phone_number = ANY($2::text[]) AND active
         AND verification_id <> $3`,
      [tenantId, phoneNumbers, exceptVerificationId],
    );
    return rows.map((r) => r.phone_number);
  }

  handleBrand(
    brandId: string,
    tenantId: string,
    command: brandDecider.BrandCommand,
    context: CommandContext,
    manager?: EntityManager,
  ): Promise<Decision<BrandEvent, brandDecider.BrandState>> {
    return this.brands.handle(
      brandStreamId(brandId),
      command,
      metadataOf(tenantId, context),
      manager,
    );
  }

  handleCampaign(
    campaignId: string,
    tenantId: string,
    command: campaignDecider.CampaignCommand,
    context: CommandContext,
    manager?: EntityManager,
  ): Promise<Decision<CampaignEvent, campaignDecider.CampaignState>> {
    return this.campaigns.handle(
      campaignStreamId(campaignId),
      command,
      metadataOf(tenantId, context),
      manager,
    );
  }

  handleAssignment(
    tenantId: string,
    phoneNumber: string,
    command: assignmentDecider.NumberAssignmentCommand,
    context: CommandContext,
    manager?: EntityManager,
  ): Promise<Decision<NumberAssignmentEvent, assignmentDecider.NumberAssignmentState>> {
    return this.assignments.handle(
      numberAssignmentStreamId(tenantId, phoneNumber),
      command,
      metadataOf(tenantId, context),
      manager,
    );
  }

  /** The stream a carrier id belongs to, from the lookup table. */
  async streamOf(
    manager: EntityManager,
    kind: CarrierResourceKind,
    carrierId: string,
  ): Promise<{ streamId: string; tenantId: string } | null> {
    const rows = await manager.query<Array<{ stream_id: string; tenant_id: string }>>(
      `SELECT stream_id, tenant_id FROM carrier_references WHERE kind = $1 AND carrier_id = $2`,
      [kind, carrierId],
    );
    const row = rows[0];
    return row ? { streamId: row.stream_id, tenantId: row.tenant_id } : null;
  }

  /** Resources still waiting on the carrier, oldest change first (the polling fallback). */
  async unsettled(
    manager: EntityManager,
    olderThan: Date,
    limit: number,
  ): Promise<Array<{ kind: CarrierResourceKind; carrierId: string }>> {
    const rows = await manager.query<Array<{ kind: CarrierResourceKind; carrier_id: string }>>(
      // Unchanged and unread the longest first, so a long wait starves no other resource.
      `SELECT r.kind, r.carrier_id FROM carrier_references r
       LEFT JOIN registration_polls p ON p.kind = r.kind AND p.carrier_id = r.carrier_id
       WHERE NOT r.settled AND greatest(r.updated_at, p.polled_at) < $1
       ORDER BY greatest(r.updated_at, p.polled_at) LIMIT $2`,
      [olderThan, limit],
    );
    return rows.map((r) => ({ kind: r.kind, carrierId: r.carrier_id }));
  }

  /** Notes that the poller read a resource, so the next poll reads the others first. */
  async markPolled(
    manager: EntityManager,
    kind: CarrierResourceKind,
    carrierId: string,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO registration_polls (kind, carrier_id, polled_at) VALUES ($1, $2, $3)
       ON CONFLICT (kind, carrier_id) DO UPDATE SET polled_at = EXCLUDED.polled_at`,
      [kind, carrierId, at],
    );
  }

  async campaignCountOf(
    manager: EntityManager,
    brandId: string,
    exceptCampaignId: string,
  ): Promise<number> {
    const rows = await manager.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM brand_campaigns WHERE brand_id = $1 AND campaign_id <> $2`,
      [brandId, exceptCampaignId],
    );
    return rows[0]?.n ?? 0;
  }
}

function metadataOf(tenantId: string, context: CommandContext): EventMetadata {
  const traceparent = currentTraceparent();
  return {
    tenantId,
    correlationId: context.correlationId,
    ...(context.causationId ? { causationId: context.causationId } : {}),
    ...(traceparent ? { traceparent } : {}),
  };
}
