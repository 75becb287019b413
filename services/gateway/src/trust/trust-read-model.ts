import type {
  RegistrationFieldError,
  RegistrationReason,
  RegistrationStatus,
} from '@textplane/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { PagePosition } from '../http/page-cursor.js';
import {
  TRUST_BRAND_COLUMNS,
  TRUST_CAMPAIGN_COLUMNS,
  TRUST_CAMPAIGN_NUMBER_COLUMNS,
  TRUST_TOLL_FREE_COLUMNS,
  tollFreeRowOf,
  trustBrandRowOf,
  trustCampaignNumberRowOf,
  trustCampaignRowOf,
} from './trust.projection.js';
import {
  type BrandOtpState,
  type BrandVettingState,
  holdsNumber,
  type NumberRemovalState,
  type StatusChange,
  type TrustBrandRow,
  type TrustCampaignNumberRow,
  type TrustCampaignRow,
} from './trust-record.js';
import type { TollFreeVerificationRow } from './toll-free-verification-record.js';

/** What every Trust Center resource shows of its standing. */
interface Standing {
  status: RegistrationStatus;
  /** The carrier's raw status (Telnyx's), beside textplane's; null until the carrier has it. */
  carrierStatus: string | null;
  /** The carrier's reasons of the last change, each with textplane's suggested fix. */
  reasons: RegistrationReason[];
  /** The fields a request was refused for before reaching the carrier. */
  errors: RegistrationFieldError[];
  history: StatusChange[];
}

/** A brand: Telnyx's fields as registered, then its standing. */
export type TrustBrandResource = Record<string, unknown> &
  Standing & {
    id: string;
    entityType: string;
    displayName: string;
    vettingScore: number | null;
    vettingProvider: string | null;
    vettedAt: string | null;
    /** The latest external vetting request and its outcome (POST .../vetting); null before. */
    vetting: BrandVettingState | null;
    /** The sole proprietor's latest OTP request and its outcome (POST .../otp); null before. */
    otp: BrandOtpState | null;
    /** The carrier's ids of the brand (Telnyx's brandId, The Campaign Registry's), raw. */
    carrierBrandId: string | null;
    tcrBrandId: string | null;
    createdAt: string;
    updatedAt: string;
  };

export interface TrustCampaignNumberResource extends Standing {
  phoneNumber: string;
  /** The latest request to remove the number from the campaign (its latest assignment's). */
  removal: NumberRemovalState | null;
  requestedAt: string;
  updatedAt: string;
}

export type TrustCampaignResource = Record<string, unknown> &
  Standing & {
    id: string;
    brandId: string;
    usecase: string;
    /** The carriers accepted the campaign (it is approved once a number is provisioned too). */
    carrierAccepted: boolean;
    carrierCampaignId: string | null;
    tcrCampaignId: string | null;
    numbers: TrustCampaignNumberResource[];
    createdAt: string;
    updatedAt: string;
  };

function standingOf(row: {
  status: RegistrationStatus;
  carrier_status: string | null;
  reasons: RegistrationReason[];
  errors: RegistrationFieldError[];
  history: StatusChange[];
}): Standing {
  return {
    status: row.status,
    carrierStatus: row.carrier_status,
    reasons: row.reasons,
    errors: row.errors,
    history: row.history,
  };
}

export function trustBrandResourceOf(row: TrustBrandRow): TrustBrandResource {
  return {
    id: row.brand_id,
    ...row.details,
    ...standingOf(row),
    vettingScore: row.vetting_score,
    vettingProvider: row.vetting_provider,
    vettedAt: row.vetted_at,
    vetting: row.vetting,
    otp: row.otp,
    carrierBrandId: row.carrier_brand_id,
    tcrBrandId: row.tcr_brand_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * A number of a campaign from its assignment requests, oldest first: the latest one's standing,
 * and every request's changes in its history.
 */
export function trustCampaignNumberResourceOf(
  requests: readonly TrustCampaignNumberRow[],
): TrustCampaignNumberResource {
  const latest = requests.at(-1);
  if (!latest) throw new Error('a campaign number has at least one request');
  return {
    phoneNumber: latest.phone_number,
    ...standingOf(latest),
    history: requests.flatMap((r) => r.history),
    removal: latest.removal,
    requestedAt: latest.requested_at,
    updatedAt: latest.updated_at,
  };
}

/** The rows of a campaign's numbers (requested_at order) as its numbers, first requested first. */
export function campaignNumbersOf(
  rows: readonly TrustCampaignNumberRow[],
): TrustCampaignNumberResource[] {
  const byPhone = new Map<string, TrustCampaignNumberRow[]>();
  for (const row of rows) {
    const requests = byPhone.get(row.phone_number) ?? [];
    requests.push(row);
    byPhone.set(row.phone_number, requests);
  }
  return [...byPhone.values()].map(trustCampaignNumberResourceOf);
}

export function trustCampaignResourceOf(
  row: TrustCampaignRow,
  numbers: readonly TrustCampaignNumberRow[],
): TrustCampaignResource {
  return {
    id: row.campaign_id,
    ...row.details,
    brandId: row.brand_id,
    ...standingOf(row),
    carrierAccepted: row.carrier_accepted,
    carrierCampaignId: row.carrier_campaign_id,
    tcrCampaignId: row.tcr_campaign_id,
    numbers: campaignNumbersOf(numbers),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A toll-free verification: Telnyx's fields as requested, then its standing. */
export type TollFreeVerificationResource = Record<string, unknown> &
  Standing & {
    id: string;
    phoneNumbers: string[];
    /** The numbers that may carry traffic now. */
    verifiedNumbers: string[];
    /** The carrier's id of the request, raw. */
    carrierVerificationId: string | null;
    createdAt: string;
    updatedAt: string;
  };

export function tollFreeVerificationResourceOf(
  row: TollFreeVerificationRow,
): TollFreeVerificationResource {
  return {
    id: row.verification_id,
    ...row.details,
    phoneNumbers: row.phone_numbers,
    ...standingOf(row),
    verifiedNumbers: row.verified_numbers,
    carrierVerificationId: row.carrier_verification_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface TrustQueries {
  tollFreeVerification(
    tenantId: string,
    verificationId: string,
  ): Promise<TollFreeVerificationResource | null>;
  tollFreeVerifications(
    tenantId: string,
    status: RegistrationStatus | null,
    after: PagePosition | null,
    limit: number,
  ): Promise<{ items: TollFreeVerificationResource[]; more: boolean }>;
  brand(tenantId: string, brandId: string): Promise<TrustBrandResource | null>;
  brands(
    tenantId: string,
    status: RegistrationStatus | null,
    after: PagePosition | null,
    limit: number,
  ): Promise<{ items: TrustBrandResource[]; more: boolean }>;
  campaign(tenantId: string, campaignId: string): Promise<TrustCampaignResource | null>;
  campaigns(
    tenantId: string,
    filter: { status: RegistrationStatus | null; brandId: string | null },
    after: PagePosition | null,
    limit: number,
  ): Promise<{ items: TrustCampaignResource[]; more: boolean }>;
}

type BrandSelected = Parameters<typeof trustBrandRowOf>[0];
type CampaignSelected = Parameters<typeof trustCampaignRowOf>[0];
type NumberSelected = Parameters<typeof trustCampaignNumberRowOf>[0];
type TollFreeSelected = Parameters<typeof tollFreeRowOf>[0];

/** The campaigns a brand holds, for the sole proprietor's one (refused requests not counted). */
export async function campaignCountOfBrand(
  manager: EntityManager,
  brandId: string,
): Promise<number> {
  const rows = await manager.query<Array<{ n: number }>>(
    `SELECT count(*)::int AS n FROM trust_campaigns
     WHERE brand_id = $1 AND errors = '[]'::jsonb`,
    [brandId],
  );
  return rows[0]?.n ?? 0;
}

/** The tenant's assignment of a number that still holds it (pending or approved), if any. */
export async function holdingAssignmentOf(
  manager: EntityManager,
  tenantId: string,
  phoneNumber: string,
): Promise<TrustCampaignNumberRow | null> {
  const rows = await manager.query<NumberSelected[]>(
    `SELECT ${TRUST_CAMPAIGN_NUMBER_COLUMNS} FROM trust_campaign_numbers
     WHERE tenant_id = $1 AND phone_number = $2 ORDER BY requested_at DESC, request_id DESC`,
    [tenantId, phoneNumber],
  );
  return rows.map(trustCampaignNumberRowOf).find((row) => holdsNumber(row.status)) ?? null;
}

/** The tenant's verification that covers a number and still stands (pending or approved). */
export async function standingVerificationOf(
  manager: EntityManager,
  tenantId: string,
  phoneNumber: string,
): Promise<string | null> {
  const rows = await manager.query<Array<{ verification_id: string }>>(
    `SELECT verification_id FROM trust_toll_free_verifications
     WHERE tenant_id = $1 AND phone_numbers ? $2 AND status IN ('pending', 'approved')
     LIMIT 1`,
    [tenantId, phoneNumber],
  );
  return rows[0]?.verification_id ?? null;
}

/** Reads of `trust_brands`, `trust_campaigns` and `trust_campaign_numbers`, one tenant's only. */
export class TrustReadModel implements TrustQueries {
  constructor(private readonly dataSource: DataSource) {}

  async tollFreeVerification(
    tenantId: string,
    verificationId: string,
  ): Promise<TollFreeVerificationResource | null> {
    const rows = await this.dataSource.query<TollFreeSelected[]>(
      `SELECT ${TRUST_TOLL_FREE_COLUMNS} FROM trust_toll_free_verifications
       WHERE tenant_id = $1 AND verification_id = $2`,
      [tenantId, verificationId],
    );
    return rows[0] ? tollFreeVerificationResourceOf(tollFreeRowOf(rows[0])) : null;
  }

  /** Newest first, by (created_at, verification_id). */
  async tollFreeVerifications(
    tenantId: string,
    status: RegistrationStatus | null,
    after: PagePosition | null,
    limit: number,
  ): Promise<{ items: TollFreeVerificationResource[]; more: boolean }> {
    const rows = await this.dataSource.query<TollFreeSelected[]>(
      `SELECT ${TRUST_TOLL_FREE_COLUMNS} FROM trust_toll_free_verifications
       WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (created_at, verification_id) < ($3, $4::uuid))
       ORDER BY created_at DESC, verification_id DESC LIMIT $5`,
      [tenantId, status, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return {
      items: rows.slice(0, limit).map((r) => tollFreeVerificationResourceOf(tollFreeRowOf(r))),
      more: rows.length > limit,
    };
  }

  async brand(tenantId: string, brandId: string): Promise<TrustBrandResource | null> {
    const rows = await this.dataSource.query<BrandSelected[]>(
      `SELECT ${TRUST_BRAND_COLUMNS} FROM trust_brands WHERE tenant_id = $1 AND brand_id = $2`,
      [tenantId, brandId],
    );
    return rows[0] ? trustBrandResourceOf(trustBrandRowOf(rows[0])) : null;
  }

  /** Newest first, by (created_at, brand_id). */
  async brands(
    tenantId: string,
    status: RegistrationStatus | null,
    after: PagePosition | null,
    limit: number,
  ): Promise<{ items: TrustBrandResource[]; more: boolean }> {
    const rows = await this.dataSource.query<BrandSelected[]>(
      `SELECT ${TRUST_BRAND_COLUMNS} FROM trust_brands
       WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::timestamptz IS NULL OR (created_at, brand_id) < ($3, $4::uuid))
       ORDER BY created_at DESC, brand_id DESC LIMIT $5`,
      [tenantId, status, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return {
      items: rows.slice(0, limit).map((row) => trustBrandResourceOf(trustBrandRowOf(row))),
      more: rows.length > limit,
    };
  }

  async campaign(tenantId: string, campaignId: string): Promise<TrustCampaignResource | null> {
    const rows = await this.dataSource.query<CampaignSelected[]>(
      `SELECT ${TRUST_CAMPAIGN_COLUMNS} FROM trust_campaigns
       WHERE tenant_id = $1 AND campaign_id = $2`,
      [tenantId, campaignId],
    );
    if (!rows[0]) return null;
    const [resource] = await this.withNumbers([trustCampaignRowOf(rows[0])]);
    return resource ?? null;
  }

  /** Newest first, by (created_at, campaign_id). */
  async campaigns(
    tenantId: string,
    filter: { status: RegistrationStatus | null; brandId: string | null },
    after: PagePosition | null,
    limit: number,
  ): Promise<{ items: TrustCampaignResource[]; more: boolean }> {
    const rows = await this.dataSource.query<CampaignSelected[]>(
      `SELECT ${TRUST_CAMPAIGN_COLUMNS} FROM trust_campaigns
       WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::uuid IS NULL OR brand_id = $3)
         AND ($4::timestamptz IS NULL OR (created_at, campaign_id) < ($4, $5::uuid))
       ORDER BY created_at DESC, campaign_id DESC LIMIT $6`,
      [tenantId, filter.status, filter.brandId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return {
      items: await this.withNumbers(rows.slice(0, limit).map(trustCampaignRowOf)),
      more: rows.length > limit,
    };
  }

  /** Each campaign with its numbers, in the order they were requested (one query for all). */
  private async withNumbers(campaigns: TrustCampaignRow[]): Promise<TrustCampaignResource[]> {
    if (campaigns.length === 0) return [];
    const rows = await this.dataSource.query<NumberSelected[]>(
      `SELECT ${TRUST_CAMPAIGN_NUMBER_COLUMNS} FROM trust_campaign_numbers
       WHERE campaign_id = ANY($1::uuid[]) ORDER BY requested_at, request_id`,
      [campaigns.map((c) => c.campaign_id)],
    );
    const byCampaign = new Map<string, TrustCampaignNumberRow[]>();
    for (const row of rows.map(trustCampaignNumberRowOf)) {
      const list = byCampaign.get(row.campaign_id) ?? [];
      list.push(row);
      byCampaign.set(row.campaign_id, list);
    }
    return campaigns.map((c) => trustCampaignResourceOf(c, byCampaign.get(c.campaign_id) ?? []));
  }
}
