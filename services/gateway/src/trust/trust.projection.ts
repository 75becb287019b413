import type { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import { type EventHandlers, onceThroughInbox } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import {
  evolveBrand,
  evolveCampaign,
  evolveCampaignNumber,
  isTrustEventType,
  type NumberAssignmentTarget,
  numberAssignmentTargetOf,
  type TrustBrandRow,
  type TrustCampaignNumberRow,
  type TrustCampaignRow,
  type TrustEvent,
} from './trust-record.js';
import {
  evolveTollFreeVerification,
  isTollFreeEventType,
  type TollFreeEvent,
  type TollFreeVerificationRow,
  tollFreeVerificationIdOf,
} from './toll-free-verification-record.js';

export const TRUST_BRAND_COLUMNS = `brand_id, tenant_id, request_id, details, status, carrier_status,
  carrier_brand_id, tcr_brand_id, vetting_score, vetting_provider, vetted_at, reasons, errors,
  history, created_at, updated_at, stream_version, otp, vetting`;

export const TRUST_CAMPAIGN_COLUMNS = `campaign_id, tenant_id, brand_id, request_id, details, status,
  carrier_status, carrier_campaign_id, tcr_campaign_id, carrier_accepted, stream_version, reasons,
  errors, history, created_at, updated_at`;

export const TRUST_CAMPAIGN_NUMBER_COLUMNS = `request_id, campaign_id, phone_number, tenant_id, status,
  carrier_status, reasons, errors, history, requested_at, started_at, updated_at, removal`;

type Instant = Date | string;
function iso(value: Instant): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
function isoOrNull(value: Instant | null): string | null {
  return value === null ? null : iso(value);
}

type Selected<R, K extends keyof R> = Omit<R, K> & {
  [P in K]: R[P] extends string ? Instant : Instant | null;
};

export function trustBrandRowOf(
  row: Selected<TrustBrandRow, 'created_at' | 'updated_at' | 'vetted_at'>,
): TrustBrandRow {
  return {
    ...row,
    vetted_at: isoOrNull(row.vetted_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function trustCampaignRowOf(
  row: Selected<TrustCampaignRow, 'created_at' | 'updated_at'>,
): TrustCampaignRow {
  return { ...row, created_at: iso(row.created_at), updated_at: iso(row.updated_at) };
}

export function trustCampaignNumberRowOf(
  row: Selected<TrustCampaignNumberRow, 'requested_at' | 'started_at' | 'updated_at'>,
): TrustCampaignNumberRow {
  return {
    ...row,
    requested_at: iso(row.requested_at),
    started_at: isoOrNull(row.started_at),
    updated_at: iso(row.updated_at),
  };
}

export const TRUST_TOLL_FREE_COLUMNS = `verification_id, tenant_id, request_id, details,
  phone_numbers, verified_numbers, status, carrier_status, carrier_verification_id, reasons,
  errors, history, created_at, updated_at`;

export function tollFreeRowOf(
  row: Selected<TollFreeVerificationRow, 'created_at' | 'updated_at'>,
): TollFreeVerificationRow {
  return { ...row, created_at: iso(row.created_at), updated_at: iso(row.updated_at) };
}

async function lockTollFreeRow(
  manager: EntityManager,
  verificationId: string,
): Promise<TollFreeVerificationRow | null> {
  const rows = await manager.query<
    Array<Selected<TollFreeVerificationRow, 'created_at' | 'updated_at'>>
  >(
    `SELECT ${TRUST_TOLL_FREE_COLUMNS} FROM trust_toll_free_verifications
     WHERE verification_id = $1 FOR UPDATE`,
    [verificationId],
  );
  return rows[0] ? tollFreeRowOf(rows[0]) : null;
}

/** A brand's row, locked for the transaction (FOR UPDATE). */
export async function lockTrustBrandRow(
  manager: EntityManager,
  brandId: string,
): Promise<TrustBrandRow | null> {
  const rows = await manager.query<
    Array<Selected<TrustBrandRow, 'created_at' | 'updated_at' | 'vetted_at'>>
  >(`SELECT ${TRUST_BRAND_COLUMNS} FROM trust_brands WHERE brand_id = $1 FOR UPDATE`, [brandId]);
  return rows[0] ? trustBrandRowOf(rows[0]) : null;
}

/** A campaign's row, locked for the transaction (FOR UPDATE). */
export async function lockTrustCampaignRow(
  manager: EntityManager,
  campaignId: string,
): Promise<TrustCampaignRow | null> {
  const rows = await manager.query<Array<Selected<TrustCampaignRow, 'created_at' | 'updated_at'>>>(
    `SELECT ${TRUST_CAMPAIGN_COLUMNS} FROM trust_campaigns WHERE campaign_id = $1 FOR UPDATE`,
    [campaignId],
  );
  return rows[0] ? trustCampaignRowOf(rows[0]) : null;
}

async function lockNumberRow(
  manager: EntityManager,
  where: string,
  params: unknown[],
): Promise<TrustCampaignNumberRow | null> {
  const rows = await manager.query<
    Array<Selected<TrustCampaignNumberRow, 'requested_at' | 'started_at' | 'updated_at'>>
  >(
    `SELECT ${TRUST_CAMPAIGN_NUMBER_COLUMNS} FROM trust_campaign_numbers WHERE ${where} FOR UPDATE`,
    params,
  );
  return rows[0] ? trustCampaignNumberRowOf(rows[0]) : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Writes the trust read models, each by its one evolve (trust-record.ts): the gateway's own
 * requests inline, in the transaction that records them (the 202 reads them back), and
 * registration's facts from its topic, each with its inbox record.
 */
export class TrustProjection implements EventHandlers {
  private readonly handlers: EventHandlers;

  constructor(inbox: Inbox, consumerGroup: string) {
    this.handlers = onceThroughInbox(inbox, consumerGroup, (event, manager) =>
      this.apply(event, manager),
    );
  }

  handle(event: ConsumedEvent): Promise<void> {
    return this.handlers.handle(event);
  }

  handleBatch(events: ConsumedEvent[]): Promise<void> {
    return this.handlers.handleBatch(events);
  }

  async apply(consumed: ConsumedEvent, manager: EntityManager): Promise<void> {
    // A refusal (RegistrationRequestRejected) is one of both kinds: each looks at its resource.
    if (isTrustEventType(consumed.type)) {
      await this.applyAll(manager, [{ type: consumed.type, data: consumed.data } as TrustEvent]);
    }
    if (isTollFreeEventType(consumed.type)) {
      await this.applyTollFree(manager, [
        { type: consumed.type, data: consumed.data } as TollFreeEvent,
      ]);
    }
  }

  /** `trust_toll_free_verifications`, by evolveTollFreeVerification. */
  async applyTollFree(manager: EntityManager, events: readonly TollFreeEvent[]): Promise<void> {
    for (const event of events) {
      const id = tollFreeVerificationIdOf(event);
      if (id === null || !UUID.test(id)) continue;
      const before = await lockTollFreeRow(manager, id);
      const row = evolveTollFreeVerification(before, event);
      if (row === null || row === before) continue;
      await manager.query(
        `INSERT INTO trust_toll_free_verifications (${TRUST_TOLL_FREE_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (verification_id) DO UPDATE SET
           details = EXCLUDED.details, phone_numbers = EXCLUDED.phone_numbers,
           verified_numbers = EXCLUDED.verified_numbers, status = EXCLUDED.status,
           carrier_status = EXCLUDED.carrier_status,
           carrier_verification_id = EXCLUDED.carrier_verification_id,
           reasons = EXCLUDED.reasons, errors = EXCLUDED.errors, history = EXCLUDED.history,
           updated_at = EXCLUDED.updated_at`,
        [
          row.verification_id,
          row.tenant_id,
          row.request_id,
          JSON.stringify(row.details),
          JSON.stringify(row.phone_numbers),
          JSON.stringify(row.verified_numbers),
          row.status,
          row.carrier_status,
          row.carrier_verification_id,
          JSON.stringify(row.reasons),
          JSON.stringify(row.errors),
          JSON.stringify(row.history),
          row.created_at,
          row.updated_at,
        ],
      );
    }
  }

  async applyAll(manager: EntityManager, events: readonly TrustEvent[]): Promise<void> {
    for (const event of events) {
      await this.applyBrand(manager, event);
      await this.applyCampaign(manager, event);
      await this.applyNumber(manager, event);
    }
  }

  private async applyBrand(manager: EntityManager, event: TrustEvent): Promise<void> {
    const brandId = brandIdOf(event);
    if (brandId === null) return;
    const before = await lockTrustBrandRow(manager, brandId);
    const row = evolveBrand(before, event);
    if (row === null || row === before) return;
    await manager.query(
      `INSERT INTO trust_brands (${TRUST_BRAND_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
         $19)
       ON CONFLICT (brand_id) DO UPDATE SET
         stream_version = EXCLUDED.stream_version, otp = EXCLUDED.otp, vetting = EXCLUDED.vetting,
         details = EXCLUDED.details, status = EXCLUDED.status,
         carrier_status = EXCLUDED.carrier_status, carrier_brand_id = EXCLUDED.carrier_brand_id,
         tcr_brand_id = EXCLUDED.tcr_brand_id, vetting_score = EXCLUDED.vetting_score,
         vetting_provider = EXCLUDED.vetting_provider, vetted_at = EXCLUDED.vetted_at,
         reasons = EXCLUDED.reasons, errors = EXCLUDED.errors, history = EXCLUDED.history,
         updated_at = EXCLUDED.updated_at`,
      [
        row.brand_id,
        row.tenant_id,
        row.request_id,
        JSON.stringify(row.details),
        row.status,
        row.carrier_status,
        row.carrier_brand_id,
        row.tcr_brand_id,
        row.vetting_score,
        row.vetting_provider,
        row.vetted_at,
        JSON.stringify(row.reasons),
        JSON.stringify(row.errors),
        JSON.stringify(row.history),
        row.created_at,
        row.updated_at,
        row.stream_version,
        row.otp === null ? null : JSON.stringify(row.otp),
        row.vetting === null ? null : JSON.stringify(row.vetting),
      ],
    );
  }

  private async applyCampaign(manager: EntityManager, event: TrustEvent): Promise<void> {
    const campaignId = campaignIdOf(event);
    if (campaignId === null) return;
    const before = await lockTrustCampaignRow(manager, campaignId);
    const row = evolveCampaign(before, event);
    if (row === null || row === before) return;
    await manager.query(
      `INSERT INTO trust_campaigns (${TRUST_CAMPAIGN_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (campaign_id) DO UPDATE SET
         details = EXCLUDED.details, status = EXCLUDED.status,
         carrier_status = EXCLUDED.carrier_status,
         carrier_campaign_id = EXCLUDED.carrier_campaign_id,
         tcr_campaign_id = EXCLUDED.tcr_campaign_id, carrier_accepted = EXCLUDED.carrier_accepted,
         stream_version = EXCLUDED.stream_version, reasons = EXCLUDED.reasons,
         errors = EXCLUDED.errors, history = EXCLUDED.history, updated_at = EXCLUDED.updated_at`,
      [
        row.campaign_id,
        row.tenant_id,
        row.brand_id,
        row.request_id,
        JSON.stringify(row.details),
        row.status,
        row.carrier_status,
        row.carrier_campaign_id,
        row.tcr_campaign_id,
        row.carrier_accepted,
        row.stream_version,
        JSON.stringify(row.reasons),
        JSON.stringify(row.errors),
        JSON.stringify(row.history),
        row.created_at,
        row.updated_at,
      ],
    );
  }

  private async applyNumber(manager: EntityManager, event: TrustEvent): Promise<void> {
    const target = numberAssignmentTargetOf(event);
    if (target === null) return;
    const before = await lockNumberTarget(manager, target);
    const row = evolveCampaignNumber(before, event);
    if (row === null || row === before) return;
    await manager.query(
      `INSERT INTO trust_campaign_numbers (${TRUST_CAMPAIGN_NUMBER_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (request_id) DO UPDATE SET
         status = EXCLUDED.status, carrier_status = EXCLUDED.carrier_status,
         reasons = EXCLUDED.reasons, errors = EXCLUDED.errors, history = EXCLUDED.history,
         started_at = EXCLUDED.started_at, updated_at = EXCLUDED.updated_at,
         removal = EXCLUDED.removal`,
      [
        row.request_id,
        row.campaign_id,
        row.phone_number,
        row.tenant_id,
        row.status,
        row.carrier_status,
        JSON.stringify(row.reasons),
        JSON.stringify(row.errors),
        JSON.stringify(row.history),
        row.requested_at,
        row.started_at,
        row.updated_at,
        row.removal === null ? null : JSON.stringify(row.removal),
      ],
    );
  }
}

/** The `trust_campaign_numbers` row an event is about, locked (see NumberAssignmentTarget). */
async function lockNumberTarget(
  manager: EntityManager,
  target: NumberAssignmentTarget,
): Promise<TrustCampaignNumberRow | null> {
  switch (target.kind) {
    case 'request': {
      const row = await lockNumberRow(manager, 'request_id = $1', [target.requestId]);
      if (row || !target.removalOf) return row;
      return lockNumberRow(
        manager,
        `tenant_id = $1 AND phone_number = $2 AND removal->>'requestId' = $3 LIMIT 1`,
        [target.removalOf.tenantId, target.removalOf.phoneNumber, target.requestId],
      );
    }
    case 'latest':
      return lockNumberRow(
        manager,
        `tenant_id = $1 AND campaign_id = $2 AND phone_number = $3
           ORDER BY requested_at DESC, request_id DESC LIMIT 1`,
        [target.tenantId, target.campaignId, target.phoneNumber],
      );
    case 'started':
      return lockNumberRow(
        manager,
        `tenant_id = $1 AND campaign_id = $2 AND phone_number = $3
           AND started_at IS NOT NULL ORDER BY started_at DESC, requested_at DESC LIMIT 1`,
        [target.tenantId, target.campaignId, target.phoneNumber],
      );
  }
}

/** The brand an event is about (a refused request names it as its resource). */
function brandIdOf(event: TrustEvent): string | null {
  switch (event.type) {
    case 'gateway.BrandRegistrationRequested.v1':
    case 'registration.BrandRegistrationStarted.v1':
    case 'registration.BrandRegistered.v1':
    case 'registration.BrandVetted.v1':
    case 'registration.BrandStatusChanged.v1':
    case 'gateway.BrandOtpRequested.v1':
    case 'gateway.BrandOtpVerificationRequested.v1':
    case 'gateway.BrandVettingRequested.v1':
    case 'registration.BrandOtpSendStarted.v1':
    case 'registration.BrandOtpSent.v1':
    case 'registration.BrandOtpVerificationStarted.v1':
    case 'registration.BrandOtpVerified.v1':
    case 'registration.BrandOtpFailed.v1':
    case 'registration.BrandVettingStarted.v1':
    case 'registration.BrandVettingOrdered.v1':
    case 'registration.BrandVettingFailed.v1':
      return event.data.brandId;
    case 'registration.RegistrationRequestRejected.v1':
      // An OTP or vetting refusal names its brand too.
      return ['brand', 'brand_otp', 'brand_vetting'].includes(event.data.resource) &&
        UUID.test(event.data.resourceId)
        ? event.data.resourceId
        : null;
    case 'gateway.CampaignSubmissionRequested.v1':
    case 'gateway.NumberAssignmentRequested.v1':
    case 'registration.CampaignSubmissionStarted.v1':
    case 'registration.CampaignSubmitted.v1':
    case 'registration.CampaignStatusChanged.v1':
    case 'registration.CampaignNumberProvisioned.v1':
    case 'registration.CampaignApproved.v1':
    case 'registration.NumberAssignmentStarted.v1':
    case 'registration.NumberAssignmentSubmitted.v1':
    case 'registration.NumberAssigned.v1':
    case 'registration.NumberAssignmentFailed.v1':
    case 'gateway.NumberUnassignmentRequested.v1':
    case 'registration.NumberUnassignmentStarted.v1':
    case 'registration.NumberUnassignmentSubmitted.v1':
    case 'registration.NumberUnassigned.v1':
    case 'registration.NumberUnassignmentFailed.v1':
      return null;
  }
}

/** The campaign an event is about. */
function campaignIdOf(event: TrustEvent): string | null {
  switch (event.type) {
    case 'gateway.CampaignSubmissionRequested.v1':
    case 'gateway.NumberAssignmentRequested.v1':
    case 'gateway.NumberUnassignmentRequested.v1':
    case 'registration.CampaignSubmissionStarted.v1':
    case 'registration.CampaignSubmitted.v1':
    case 'registration.CampaignStatusChanged.v1':
      return event.data.campaignId;
    case 'registration.RegistrationRequestRejected.v1':
      return event.data.resource === 'campaign' && UUID.test(event.data.resourceId)
        ? event.data.resourceId
        : null;
    case 'gateway.BrandOtpRequested.v1':
    case 'gateway.BrandOtpVerificationRequested.v1':
    case 'gateway.BrandVettingRequested.v1':
    case 'registration.BrandOtpSendStarted.v1':
    case 'registration.BrandOtpSent.v1':
    case 'registration.BrandOtpVerificationStarted.v1':
    case 'registration.BrandOtpVerified.v1':
    case 'registration.BrandOtpFailed.v1':
    case 'registration.BrandVettingStarted.v1':
    case 'registration.BrandVettingOrdered.v1':
    case 'registration.BrandVettingFailed.v1':
    case 'gateway.BrandRegistrationRequested.v1':
    case 'registration.BrandRegistrationStarted.v1':
    case 'registration.BrandRegistered.v1':
    case 'registration.BrandVetted.v1':
    case 'registration.BrandStatusChanged.v1':
    case 'registration.NumberAssignmentStarted.v1':
    case 'registration.NumberAssignmentSubmitted.v1':
    case 'registration.NumberAssigned.v1':
    case 'registration.NumberAssignmentFailed.v1':
    case 'registration.NumberUnassignmentStarted.v1':
    case 'registration.NumberUnassignmentSubmitted.v1':
    case 'registration.NumberUnassigned.v1':
    case 'registration.NumberUnassignmentFailed.v1':
      // A number's facts (its removal's too) are trust_campaign_numbers', not its campaign's.
      return null;
    // The numbers of an approval are evolveCampaignNumber's (CampaignNumberProvisioned).
    case 'registration.CampaignNumberProvisioned.v1':
    case 'registration.CampaignApproved.v1':
      return null;
  }
}
