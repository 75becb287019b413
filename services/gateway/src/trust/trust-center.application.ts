import type { RegistrationStatus, TollFreeVerificationDetails } from '@textplane/contracts';
import type { EventStore, NewEvent } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import type { Clock } from '@textplane/service-runtime';
import {
  type CampaignLintInput,
  isEntityType,
  type LintFinding,
  lintCampaign,
  parseBrand,
  parseCampaign,
} from '@textplane/trust-rules';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { v7 as uuidv7 } from 'uuid';
import type { EntityManager } from 'typeorm';
import { encodePageCursor, pagePositionAfter } from '../http/page-cursor.js';
import { validateRequest } from '../http/request-validator.js';
import {
  type IdempotencyStore,
  type IdempotentRoute,
  requestHash,
  tenantScope,
} from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError, echoed, type FieldViolation } from '../problems/api-error.js';
import type { TenantDirectory } from '../tenants/tenant-directory.js';
import {
  campaignCountOfBrand,
  holdingAssignmentOf,
  standingVerificationOf,
  type TollFreeVerificationResource,
  type TrustBrandResource,
  type TrustCampaignResource,
  type TrustQueries,
} from './trust-read-model.js';
import {
  lockTrustBrandRow,
  lockTrustCampaignRow,
  type TrustProjection,
} from './trust.projection.js';
import { OTP_PIN_PLACEHOLDER, TOLL_FREE_REQUIRED_FIELDS } from './trust.request-schemas.js';
import {
  type TollFreeEvent,
  TRUST_TOLL_FREE_STREAM_TYPE,
  trustTollFreeStreamId,
} from './toll-free-verification-record.js';
import {
  type GatewayTrustEvent,
  isClosedCampaign,
  isRemovalUnderWay,
  type TrustBrandRow,
  TRUST_BRAND_STREAM_TYPE,
  TRUST_CAMPAIGN_STREAM_TYPE,
  trustBrandStreamId,
  trustCampaignStreamId,
} from './trust-record.js';

export const TRUST_PAGE_SIZE = { default: 20, max: 100 } as const;

const STATUSES: readonly RegistrationStatus[] = [
  'pending',
  'approved',
  'rejected',
  'suspended',
  'expired',
];

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const brandLocation = (id: string) => `/v1/trust/brands/${id}`;
export const campaignLocation = (id: string) => `/v1/trust/campaigns/${id}`;
export const tollFreeVerificationLocation = (id: string) =>
  `/v1/trust/toll-free-verifications/${id}`;

export interface Accepted<T> {
  resource: T;
  replayed: boolean;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface CampaignLintResult {
  findings: LintFinding[];
}

/** The body of the number route, as its schema validated it. */
interface AssignNumberInput {
  phoneNumber: string;
}

function requireId(id: string, what: 'brand' | 'campaign' | 'verification'): string {
  if (!CANONICAL_UUID.test(id)) {
    throw ApiError.invalid(`The ${what} id is not valid`, [
      { field: 'id', message: `must be a ${what} id as this API returns it (a lower-case UUID)` },
    ]);
  }
  return id;
}

function requireLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > TRUST_PAGE_SIZE.max) {
    throw ApiError.invalid('The page size is not valid', [
      { field: 'limit', message: `must be an integer from 1 to ${TRUST_PAGE_SIZE.max}` },
    ]);
  }
  return limit;
}

function requireStatus(status: string | undefined): RegistrationStatus | null {
  if (status === undefined) return null;
  if (!(STATUSES as readonly string[]).includes(status)) {
    throw ApiError.invalid('The status filter is not valid', [
      { field: 'status', message: `must be one of ${STATUSES.join(', ')}` },
    ]);
  }
  return status as RegistrationStatus;
}

function brandNotFound(brandId: string): ApiError {
  return new ApiError(
    'unprocessable',
    'brand_not_found',
    `${echoed(brandId)} is not a brand of this tenant`,
    [{ field: 'brandId', message: 'is not a brand of this tenant' }],
  );
}

/** A brand id a body names, when it could be one at all (anything else is no brand). */
function namedBrandId(value: unknown): string | null {
  return typeof value === 'string' && CANONICAL_UUID.test(value) ? value : null;
}

function requireRegistered(brand: TrustBrandRow): void {
  if (brand.carrier_brand_id === null) {
    throw new ApiError(
      'conflict',
      'brand_not_registered',
      'The carrier has not registered the brand yet (its carrierBrandId is not set)',
    );
  }
}

function requireSoleProprietor(brand: TrustBrandRow): void {
  if (brand.details.entityType !== 'SOLE_PROPRIETOR') {
    throw new ApiError(
      'conflict',
      'brand_not_sole_proprietor',
      `Only a SOLE_PROPRIETOR brand verifies by OTP (this one is ${brand.details.entityType})`,
    );
  }
}

const E164 = /^(?:\+1[2-9][0-9]{9}|\+[2-9][0-9]{1,14})$/u;
const HTTP_URL = /^https?:\/\/[^\s/]+\.[^\s]+$/iu;

type CheckedTollFree =
  { ok: true; verification: TollFreeVerificationDetails } | { ok: false; errors: FieldViolation[] };

/**
 * What the gateway can check of a toll-free verification request before anything is recorded
 * (its shape is the request schema's): every required field, and each number the tenant's own
 * toll-free sender. Texts come back trimmed; registration applies its full field rules again.
 */
export function checkTollFreeVerification(
  input: Record<string, unknown>,
  senderNumbers: ReadonlySet<string>,
): CheckedTollFree {
  const errors: FieldViolation[] = [];
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input)) {
    if (typeof value === 'string') {
      if (value.trim() === '') {
        errors.push({ field, message: 'must not be blank' });
        continue;
      }
      out[field] = value.trim();
    } else if (value !== undefined && value !== null) {
      out[field] = value;
    }
  }
  for (const field of TOLL_FREE_REQUIRED_FIELDS) {
    if (input[field] === undefined || input[field] === null) {
      errors.push({ field, message: 'is required' });
    }
  }
  if (typeof out['businessContactPhone'] === 'string' && !E164.test(out['businessContactPhone'])) {
    errors.push({
      field: 'businessContactPhone',
      message: 'must be an E.164 number such as +15125550100',
    });
  }
  const phones = Array.isArray(input['phoneNumbers']) ? (input['phoneNumbers'] as string[]) : null;
  if (phones !== null) {
    if (phones.length === 0)
      errors.push({ field: 'phoneNumbers', message: 'must list at least one number' });
    phones.forEach((phone, index) => {
      const field = `phoneNumbers.${index}`;
      if (!E164.test(phone)) errors.push({ field, message: 'must be an E.164 number' });
      else if (!isTollFreeNumber(phone))
        errors.push({ field, message: 'is not a toll-free number' });
      else if (!senderNumbers.has(phone)) {
        errors.push({ field, message: 'is not a sender number of this tenant' });
      } else if (phones.indexOf(phone) !== index)
        errors.push({ field, message: `repeats ${phone}` });
    });
  }
  const images = Array.isArray(input['optInWorkflowImageURLs'])
    ? (input['optInWorkflowImageURLs'] as string[])
    : null;
  if (images !== null) {
    if (images.length === 0) {
      errors.push({ field: 'optInWorkflowImageURLs', message: 'must list at least one image URL' });
    }
    images.forEach((url, index) => {
      if (!HTTP_URL.test(url.trim())) {
        errors.push({
          field: `optInWorkflowImageURLs.${index}`,
          message: 'must be an http(s) URL',
        });
      }
    });
    out['optInWorkflowImageURLs'] = images.map((url) => url.trim());
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, verification: out as unknown as TollFreeVerificationDetails };
}

/** Toll-free numbers are verified, not assigned to a 10DLC campaign. */
export function isTollFreeNumber(phoneNumber: string): boolean {
  return parsePhoneNumberFromString(phoneNumber)?.getType() === 'TOLL_FREE';
}

/**
 * The Trust Center's REST (issue 12 §1 "REST", §5 "Bad input"): brands, campaigns and number
 * assignments checked at the edge (the JSON's shape, then @textplane/trust-rules' field rules,
 * then what this gateway knows: the tenant's brands, campaigns and sender numbers), and only
 * then recorded as a request on gateway.registration-requests with its read model and its
 * Idempotency-Key in one transaction. Registration decides them and reports back through its
 * facts, which the trust projection adds to the same read models. The lint is pure.
 */
export class TrustCenter {
  constructor(
    private readonly store: Pick<EventStore, 'append'>,
    private readonly projection: Pick<TrustProjection, 'applyAll' | 'applyTollFree'>,
    private readonly queries: TrustQueries,
    private readonly tenants: Pick<TenantDirectory, 'find'>,
    private readonly idempotency: Pick<IdempotencyStore, 'run'>,
    private readonly clock: Clock,
  ) {}

  async registerBrand(
    tenant: AuthenticatedTenant,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<Accepted<TrustBrandResource>> {
    const input = validateRequest<Record<string, unknown>>('CreateBrandRequest', rawInput);
    const parsed = parseBrand(input);
    if (!parsed.ok) {
      throw new ApiError('unprocessable', 'invalid_brand', 'The brand is not valid', parsed.errors);
    }
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, 'POST /v1/trust/brands'),
      idempotencyKey,
      requestHash(input),
      async (manager) => {
        const brandId = uuidv7();
        await this.record(
          manager,
          tenant,
          trustBrandStreamId(brandId),
          TRUST_BRAND_STREAM_TYPE,
          0,
          {
            type: 'gateway.BrandRegistrationRequested.v1',
            data: {
              requestId: uuidv7(),
              tenantId: tenant.tenantId,
              brandId,
              brand: parsed.brand,
              requestedAt: this.clock.now().toISOString(),
            },
          },
        );
        return { statusCode: 202, body: { brandId } };
      },
    );
    const { brandId } = result.body as { brandId: string };
    const resource = await this.queries.brand(tenant.tenantId, brandId);
    if (!resource) throw new Error(`Brand ${brandId} was recorded but is not in the read model`);
    return { resource, replayed: result.replayed };
  }

  async getBrand(tenant: AuthenticatedTenant, id: string): Promise<TrustBrandResource> {
    const found = await this.queries.brand(tenant.tenantId, requireId(id, 'brand'));
    if (!found) throw ApiError.notFound(`Brand ${id} not found`);
    return found;
  }

  async listBrands(
    tenant: AuthenticatedTenant,
    query: { status?: string; cursor?: string; limit: number },
  ): Promise<Page<TrustBrandResource>> {
    const limit = requireLimit(query.limit);
    const status = requireStatus(query.status);
    const page = await this.queries.brands(
      tenant.tenantId,
      status,
      pagePositionAfter(query.cursor),
      limit,
    );
    const last = page.items.at(-1);
    return {
      data: page.items,
      nextCursor: page.more && last ? encodePageCursor(new Date(last.createdAt), last.id) : null,
    };
  }

  /**
   * 202 with the campaign pending. Refused, nothing recorded: a field rule broken (422
   * invalid_campaign, every field named; the brand's entity type decides the use case), a brand
   * this tenant does not have (422 brand_not_found), a brand not approved (409
   * brand_not_approved: registration submits only for approved brands), a second campaign of a
   * SOLE_PROPRIETOR brand (409 sole_proprietor_campaign_exists).
   */
  async submitCampaign(
    tenant: AuthenticatedTenant,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<Accepted<TrustCampaignResource>> {
    const input = validateRequest<Record<string, unknown>>('CreateCampaignRequest', rawInput);
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, 'POST /v1/trust/campaigns'),
      idempotencyKey,
      requestHash(input),
      async (manager) => {
        const brandId = namedBrandId(input['brandId']);
        // Locked: two campaigns of one sole proprietor cannot both pass the count below.
        const locked = brandId === null ? null : await lockTrustBrandRow(manager, brandId);
        const brand = locked?.tenant_id === tenant.tenantId ? locked : null;
        const parsed = parseCampaign(
          input,
          brand && isEntityType(brand.details.entityType)
            ? { brandEntityType: brand.details.entityType }
            : {},
        );
        if (!parsed.ok) {
          const unknownBrand =
            typeof input['brandId'] === 'string' && input['brandId'].trim() !== '' && !brand
              ? [{ field: 'brandId', message: 'is not a brand of this tenant' }]
              : [];
          throw new ApiError('unprocessable', 'invalid_campaign', 'The campaign is not valid', [
            ...parsed.errors.filter((e) => e.field !== 'brandId' || unknownBrand.length === 0),
            ...unknownBrand,
          ]);
        }
        if (!brand) throw brandNotFound(parsed.campaign.brandId);
        if (brand.status !== 'approved') {
          throw new ApiError(
            'conflict',
            'brand_not_approved',
            `The brand is ${brand.status}: a campaign is submitted for an approved brand`,
            [{ field: 'brandId', message: `is ${brand.status}, not approved` }],
          );
        }
        if (
          brand.details.entityType === 'SOLE_PROPRIETOR' &&
          (await campaignCountOfBrand(manager, brand.brand_id)) > 0
        ) {
          throw new ApiError(
            'conflict',
            'sole_proprietor_campaign_exists',
            'A SOLE_PROPRIETOR brand may have only one campaign, and this one has one',
            [{ field: 'brandId', message: 'already has its one campaign' }],
          );
        }
        const campaignId = uuidv7();
        await this.record(
          manager,
          tenant,
          trustCampaignStreamId(campaignId),
          TRUST_CAMPAIGN_STREAM_TYPE,
          0,
          {
            type: 'gateway.CampaignSubmissionRequested.v1',
            data: {
              requestId: uuidv7(),
              tenantId: tenant.tenantId,
              campaignId,
              campaign: parsed.campaign,
              requestedAt: this.clock.now().toISOString(),
            },
          },
        );
        return { statusCode: 202, body: { campaignId } };
      },
    );
    const { campaignId } = result.body as { campaignId: string };
    return { resource: await this.recordedCampaign(tenant, campaignId), replayed: result.replayed };
  }

  async getCampaign(tenant: AuthenticatedTenant, id: string): Promise<TrustCampaignResource> {
    const found = await this.queries.campaign(tenant.tenantId, requireId(id, 'campaign'));
    if (!found) throw ApiError.notFound(`Campaign ${id} not found`);
    return found;
  }

  async listCampaigns(
    tenant: AuthenticatedTenant,
    query: { status?: string; brandId?: string; cursor?: string; limit: number },
  ): Promise<Page<TrustCampaignResource>> {
    const limit = requireLimit(query.limit);
    const status = requireStatus(query.status);
    if (query.brandId !== undefined && !CANONICAL_UUID.test(query.brandId)) {
      throw ApiError.invalid('The brand filter is not valid', [
        { field: 'brandId', message: 'must be a brand id as this API returns it' },
      ]);
    }
    const page = await this.queries.campaigns(
      tenant.tenantId,
      { status, brandId: query.brandId ?? null },
      pagePositionAfter(query.cursor),
      limit,
    );
    const last = page.items.at(-1);
    return {
      data: page.items,
      nextCursor: page.more && last ? encodePageCursor(new Date(last.createdAt), last.id) : null,
    };
  }

  /**
   * 202 with the campaign, the number pending among its numbers. Refused, nothing recorded: a
   * toll-free number (422 toll_free_number), a number that is not one of the tenant's senders (422
   * number_not_owned), an unknown campaign (404), a rejected or expired one (409
   * campaign_closed), one the carrier has not taken yet (409 campaign_not_submitted), a number
   * already assigned or being assigned (409 number_already_assigned).
   */
  async assignNumber(
    tenant: AuthenticatedTenant,
    id: string,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<Accepted<TrustCampaignResource>> {
    requireId(id, 'campaign');
    const { phoneNumber } = validateRequest<AssignNumberInput>(
      'AssignCampaignNumberRequest',
      rawInput,
    );
    if (isTollFreeNumber(phoneNumber)) {
      throw new ApiError(
        'unprocessable',
        'toll_free_number',
        `${phoneNumber} is toll-free: toll-free numbers are verified, not assigned to a 10DLC campaign`,
        [{ field: 'phoneNumber', message: 'is a toll-free number' }],
      );
    }
    const profile = await this.tenants.find(tenant.tenantId);
    if (!profile) throw ApiError.unauthenticated('The tenant of this API key no longer exists');
    if (!profile.senderNumbers.includes(phoneNumber)) {
      throw new ApiError(
        'unprocessable',
        'number_not_owned',
        `${phoneNumber} is not one of your sender numbers`,
        [{ field: 'phoneNumber', message: 'is not a sender number of this tenant' }],
      );
    }
    const route: IdempotentRoute = 'POST /v1/trust/campaigns/{id}/numbers';
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, route),
      idempotencyKey,
      requestHash({ id, phoneNumber }),
      async (manager) => {
        const campaign = await lockTrustCampaignRow(manager, id);
        if (!campaign || campaign.tenant_id !== tenant.tenantId) {
          throw ApiError.notFound(`Campaign ${id} not found`);
        }
        if (isClosedCampaign(campaign.status)) {
          throw new ApiError(
            'conflict',
            'campaign_closed',
            `The campaign is ${campaign.status}: it takes no numbers`,
          );
        }
        if (campaign.carrier_campaign_id === null) {
          throw new ApiError(
            'conflict',
            'campaign_not_submitted',
            'The carrier has not taken the campaign yet: assign numbers once it has (its carrierCampaignId is set)',
          );
        }
        // One request for a number at a time, whichever campaign it is for (the campaign row's
        // lock covers only its own campaign).
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `trust-number:${tenant.tenantId}:${phoneNumber}`,
        ]);
        const holding = await holdingAssignmentOf(manager, tenant.tenantId, phoneNumber);
        if (holding) {
          throw new ApiError(
            'conflict',
            'number_already_assigned',
            `${phoneNumber} is ${holding.status === 'approved' ? 'assigned' : 'being assigned'} to campaign ${holding.campaign_id}`,
            [{ field: 'phoneNumber', message: 'is assigned to a campaign already' }],
          );
        }
        await this.record(
          manager,
          tenant,
          trustCampaignStreamId(id),
          TRUST_CAMPAIGN_STREAM_TYPE,
          campaign.stream_version,
          {
            type: 'gateway.NumberAssignmentRequested.v1',
            data: {
              requestId: uuidv7(),
              tenantId: tenant.tenantId,
              campaignId: id,
              phoneNumber,
              requestedAt: this.clock.now().toISOString(),
            },
          },
        );
        return { statusCode: 202, body: { campaignId: id } };
      },
    );
    return { resource: await this.recordedCampaign(tenant, id), replayed: result.replayed };
  }

  /**
   * 202 with the campaign, the number's `removal` requested: the number stays `approved` (and
   * sends) until the carrier has removed it, then it is `expired`. Refused, nothing recorded: a
   * phone that is not E.164 (400 naming `phone`), an unknown campaign (404), a number that is not
   * assigned to this campaign or is still being assigned to it (409 number_not_assigned), one
   * whose removal is under way (409 number_removal_in_progress).
   */
  async unassignNumber(
    tenant: AuthenticatedTenant,
    id: string,
    phone: string,
    idempotencyKey: string | undefined,
  ): Promise<Accepted<TrustCampaignResource>> {
    requireId(id, 'campaign');
    if (!E164.test(phone)) {
      throw ApiError.invalid('The phone number is not valid', [
        { field: 'phone', message: 'must be an E.164 phone number such as +15555550123' },
      ]);
    }
    const route: IdempotentRoute = 'DELETE /v1/trust/campaigns/{id}/numbers/{phone}';
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, route),
      idempotencyKey,
      requestHash({ id, phone }),
      async (manager) => {
        const campaign = await lockTrustCampaignRow(manager, id);
        if (!campaign || campaign.tenant_id !== tenant.tenantId) {
          throw ApiError.notFound(`Campaign ${id} not found`);
        }
        // The same lock as an assignment's: a number is assigned or removed by one request at a
        // time.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `trust-number:${tenant.tenantId}:${phone}`,
        ]);
        const holding = await holdingAssignmentOf(manager, tenant.tenantId, phone);
        if (!holding || holding.campaign_id !== id || holding.status !== 'approved') {
          throw new ApiError(
            'conflict',
            'number_not_assigned',
            holding?.campaign_id === id
              ? `${phone} is being assigned to this campaign: remove it once it is assigned`
              : `${phone} is not assigned to this campaign`,
            [{ field: 'phone', message: 'is not assigned to this campaign' }],
          );
        }
        if (isRemovalUnderWay(holding.removal)) {
          throw new ApiError(
            'conflict',
            'number_removal_in_progress',
            `${phone} is being removed from this campaign already`,
            [{ field: 'phone', message: 'is being removed from this campaign' }],
          );
        }
        await this.record(
          manager,
          tenant,
          trustCampaignStreamId(id),
          TRUST_CAMPAIGN_STREAM_TYPE,
          campaign.stream_version,
          {
            type: 'gateway.NumberUnassignmentRequested.v1',
            data: {
              requestId: uuidv7(),
              tenantId: tenant.tenantId,
              campaignId: id,
              phoneNumber: phone,
              requestedAt: this.clock.now().toISOString(),
            },
          },
        );
        return { statusCode: 202, body: { campaignId: id } };
      },
    );
    return { resource: await this.recordedCampaign(tenant, id), replayed: result.replayed };
  }

  /**
   * 202 with the brand, its vetting `requested`. Refused, nothing recorded: an unknown brand
   * (404), a SOLE_PROPRIETOR one (409 sole_proprietor_not_vetted: TCR vets no sole proprietor),
   * one the carrier has not registered yet (409 brand_not_registered), a vetting already
   * requested and not yet ordered (409 vetting_in_progress).
   */
  async requestVetting(
    tenant: AuthenticatedTenant,
    id: string,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<Accepted<TrustBrandResource>> {
    requireId(id, 'brand');
    const input = validateRequest<{ evpId?: string; vettingClass?: string }>(
      'RequestBrandVettingRequest',
      rawInput ?? {},
    );
    return this.brandRequest(
      tenant,
      id,
      'POST /v1/trust/brands/{id}/vetting',
      idempotencyKey,
      input,
      (brand, now) => {
        if (brand.details.entityType === 'SOLE_PROPRIETOR') {
          throw new ApiError(
            'conflict',
            'sole_proprietor_not_vetted',
            'A SOLE_PROPRIETOR brand is not vetted: it verifies by OTP',
          );
        }
        requireRegistered(brand);
        if (brand.vetting?.status === 'requested') {
          throw new ApiError(
            'conflict',
            'vetting_in_progress',
            'A vetting of this brand is requested and not yet ordered',
          );
        }
        return {
          type: 'gateway.BrandVettingRequested.v1',
          data: {
            requestId: uuidv7(),
            tenantId: tenant.tenantId,
            brandId: id,
            ...(input.evpId !== undefined ? { evpId: input.evpId } : {}),
            ...(input.vettingClass !== undefined ? { vettingClass: input.vettingClass } : {}),
            requestedAt: now,
          },
        };
      },
    );
  }

  /**
   * 202 with the brand, its OTP `requested`. Refused, nothing recorded: a pinSms without the
   * PIN's placeholder (422 invalid_otp_request), an unknown brand (404), one that is not a
   * SOLE_PROPRIETOR (409 brand_not_sole_proprietor), one the carrier has not registered yet (409
   * brand_not_registered), one whose OTP is verified already (409 otp_already_verified).
   */
  async requestOtp(
    tenant: AuthenticatedTenant,
    id: string,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<Accepted<TrustBrandResource>> {
    requireId(id, 'brand');
    const input = validateRequest<{ pinSms?: string; successSms?: string }>(
      'RequestBrandOtpRequest',
      rawInput ?? {},
    );
    const blank = (['pinSms', 'successSms'] as const).filter((f) => input[f]?.trim() === '');
    const violations = [
      ...blank.map((field) => ({ field, message: 'must not be blank (leave it out instead)' })),
      ...(input.pinSms !== undefined &&
      input.pinSms.trim() !== '' &&
      !input.pinSms.includes(OTP_PIN_PLACEHOLDER)
        ? [{ field: 'pinSms', message: `must contain ${OTP_PIN_PLACEHOLDER} (where the PIN goes)` }]
        : []),
    ];
    if (violations.length > 0) {
      throw new ApiError(
        'unprocessable',
        'invalid_otp_request',
        'The OTP request is not valid',
        violations,
      );
    }
    return this.brandRequest(
      tenant,
      id,
      'POST /v1/trust/brands/{id}/otp',
      idempotencyKey,
      input,
      (brand, now) => {
        requireSoleProprietor(brand);
        requireRegistered(brand);
        if (brand.otp?.status === 'verified') {
          throw new ApiError(
            'conflict',
            'otp_already_verified',
            "The brand's OTP is verified already",
          );
        }
        return {
          type: 'gateway.BrandOtpRequested.v1',
          data: {
            requestId: uuidv7(),
            tenantId: tenant.tenantId,
            brandId: id,
            ...(input.pinSms !== undefined ? { pinSms: input.pinSms } : {}),
            ...(input.successSms !== undefined ? { successSms: input.successSms } : {}),
            requestedAt: now,
          },
        };
      },
    );
  }

  /**
   * 202 with the brand, its OTP `verifying`. Refused, nothing recorded: an unknown brand (404),
   * one that is not a SOLE_PROPRIETOR (409 brand_not_sole_proprietor), no OTP sent to verify (409
   * otp_not_sent), one verified already (409 otp_already_verified).
   */
  async verifyOtp(
    tenant: AuthenticatedTenant,
    id: string,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<Accepted<TrustBrandResource>> {
    requireId(id, 'brand');
    const { otpPin } = validateRequest<{ otpPin: string }>('VerifyBrandOtpRequest', rawInput);
    return this.brandRequest(
      tenant,
      id,
      'POST /v1/trust/brands/{id}/otp/verification',
      idempotencyKey,
      { otpPin },
      (brand, now) => {
        requireSoleProprietor(brand);
        const otp = brand.otp;
        if (otp?.status === 'verified') {
          throw new ApiError(
            'conflict',
            'otp_already_verified',
            "The brand's OTP is verified already",
          );
        }
        const sent =
          otp !== null &&
          (otp.status === 'sent' ||
            otp.status === 'verifying' ||
            (otp.status === 'failed' && otp.failedStep === 'verification'));
        if (!sent) {
          throw new ApiError(
            'conflict',
            'otp_not_sent',
            'No OTP was sent to verify: request one with POST /v1/trust/brands/{id}/otp and wait for it to be sent',
          );
        }
        return {
          type: 'gateway.BrandOtpVerificationRequested.v1',
          data: {
            requestId: uuidv7(),
            tenantId: tenant.tenantId,
            brandId: id,
            otpPin,
            requestedAt: now,
          },
        };
      },
    );
  }

  /**
   * 202 with the verification pending. Refused, nothing recorded: a required field missing or
   * blank, no number, a number that is not E.164, not toll-free or not one of the tenant's
   * senders, a repeated number, an opt-in image that is not an http(s) URL (422
   * invalid_toll_free_verification, every field named); a number under a verification that still
   * stands, pending or approved (409 number_verification_exists). Registration applies its full
   * field rules again; a refusal shows on the resource as rejected with its field errors.
   */
  async requestTollFreeVerification(
    tenant: AuthenticatedTenant,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<Accepted<TollFreeVerificationResource>> {
    const input = validateRequest<Record<string, unknown>>(
      'CreateTollFreeVerificationRequest',
      rawInput,
    );
    const profile = await this.tenants.find(tenant.tenantId);
    if (!profile) throw ApiError.unauthenticated('The tenant of this API key no longer exists');
    const checked = checkTollFreeVerification(input, new Set(profile.senderNumbers));
    if (!checked.ok) {
      throw new ApiError(
        'unprocessable',
        'invalid_toll_free_verification',
        'The toll-free verification request is not valid',
        checked.errors,
      );
    }
    const { verification } = checked;
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, 'POST /v1/trust/toll-free-verifications'),
      idempotencyKey,
      requestHash(input),
      async (manager) => {
        // One verification request of the tenant's at a time: two cannot both take a number.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `trust-toll-free:${tenant.tenantId}`,
        ]);
        const taken: FieldViolation[] = [];
        for (const [index, phoneNumber] of verification.phoneNumbers.entries()) {
          const standing = await standingVerificationOf(manager, tenant.tenantId, phoneNumber);
          if (standing !== null) {
            taken.push({
              field: `phoneNumbers.${index}`,
              message: `is under verification ${standing} already`,
            });
          }
        }
        if (taken.length > 0) {
          throw new ApiError(
            'conflict',
            'number_verification_exists',
            'A number is under a verification that is pending or approved',
            taken,
          );
        }
        const verificationId = uuidv7();
        const event: TollFreeEvent = {
          type: 'gateway.TollFreeVerificationRequested.v1',
          data: {
            requestId: uuidv7(),
            tenantId: tenant.tenantId,
            verificationId,
            verification,
            requestedAt: this.clock.now().toISOString(),
          },
        };
        const traceparent = currentTraceparent();
        await this.store.append(
          trustTollFreeStreamId(verificationId),
          TRUST_TOLL_FREE_STREAM_TYPE,
          0,
          [
            {
              type: event.type,
              data: event.data,
              metadata: {
                tenantId: tenant.tenantId,
                correlationId: event.data.requestId,
                ...(traceparent ? { traceparent } : {}),
              },
            },
          ],
          manager,
        );
        await this.projection.applyTollFree(manager, [event]);
        return { statusCode: 202, body: { verificationId } };
      },
    );
    const { verificationId } = result.body as { verificationId: string };
    const resource = await this.queries.tollFreeVerification(tenant.tenantId, verificationId);
    if (!resource) {
      throw new Error(`Verification ${verificationId} was recorded but is not in the read model`);
    }
    return { resource, replayed: result.replayed };
  }

  async getTollFreeVerification(
    tenant: AuthenticatedTenant,
    id: string,
  ): Promise<TollFreeVerificationResource> {
    const found = await this.queries.tollFreeVerification(
      tenant.tenantId,
      requireId(id, 'verification'),
    );
    if (!found) throw ApiError.notFound(`Toll-free verification ${id} not found`);
    return found;
  }

  async listTollFreeVerifications(
    tenant: AuthenticatedTenant,
    query: { status?: string; cursor?: string; limit: number },
  ): Promise<Page<TollFreeVerificationResource>> {
    const limit = requireLimit(query.limit);
    const status = requireStatus(query.status);
    const page = await this.queries.tollFreeVerifications(
      tenant.tenantId,
      status,
      pagePositionAfter(query.cursor),
      limit,
    );
    const last = page.items.at(-1);
    return {
      data: page.items,
      nextCursor: page.more && last ? encodePageCursor(new Date(last.createdAt), last.id) : null,
    };
  }

  /** A request about a brand: checked against its locked row, appended on its stream. */
  private async brandRequest(
    tenant: AuthenticatedTenant,
    id: string,
    route: IdempotentRoute,
    idempotencyKey: string | undefined,
    input: object,
    decide: (brand: TrustBrandRow, now: string) => GatewayTrustEvent,
  ): Promise<Accepted<TrustBrandResource>> {
    const result = await this.idempotency.run(
      tenantScope(tenant.tenantId, route),
      idempotencyKey,
      requestHash({ id, ...input }),
      async (manager) => {
        const brand = await lockTrustBrandRow(manager, id);
        if (!brand || brand.tenant_id !== tenant.tenantId) {
          throw ApiError.notFound(`Brand ${id} not found`);
        }
        const event = decide(brand, this.clock.now().toISOString());
        await this.record(
          manager,
          tenant,
          trustBrandStreamId(id),
          TRUST_BRAND_STREAM_TYPE,
          brand.stream_version,
          event,
        );
        return { statusCode: 202, body: { brandId: id } };
      },
    );
    return { resource: await this.getBrand(tenant, id), replayed: result.replayed };
  }

  /**
   * The lint of a campaign body (200, nothing recorded): each finding with its code, field and
   * a suggested rewrite where one is mechanical. With a brandId, the brand's names and contact
   * come from this tenant's brands (422 brand_not_found for another); without, the brand-name
   * check is skipped.
   */
  async lint(tenant: AuthenticatedTenant, rawInput: unknown): Promise<CampaignLintResult> {
    const input = validateRequest<CampaignLintInput>('LintCampaignRequest', rawInput);
    let brand: TrustBrandResource | null = null;
    if (input.brandId !== undefined) {
      const brandId = namedBrandId(input.brandId);
      brand = brandId === null ? null : await this.queries.brand(tenant.tenantId, brandId);
      if (!brand) throw brandNotFound(input.brandId);
    }
    const details = brand as (TrustBrandResource & Record<string, string | undefined>) | null;
    return {
      findings: lintCampaign(
        input,
        details
          ? {
              displayName: details.displayName,
              ...(details['companyName'] ? { companyName: details['companyName'] } : {}),
              ...(details['email'] ? { email: details['email'] } : {}),
              ...(details['phone'] ? { phone: details['phone'] } : {}),
            }
          : null,
      ),
    };
  }

  /** Appends one request and projects it, in the caller's transaction. */
  private async record(
    manager: EntityManager,
    tenant: AuthenticatedTenant,
    streamId: string,
    streamType: string,
    expectedVersion: number,
    event: GatewayTrustEvent,
  ): Promise<void> {
    const traceparent = currentTraceparent();
    const newEvent: NewEvent = {
      type: event.type,
      data: event.data,
      metadata: {
        tenantId: tenant.tenantId,
        correlationId: event.data.requestId,
        ...(traceparent ? { traceparent } : {}),
      },
    };
    await this.store.append(streamId, streamType, expectedVersion, [newEvent], manager);
    await this.projection.applyAll(manager, [event]);
  }

  private async recordedCampaign(
    tenant: AuthenticatedTenant,
    campaignId: string,
  ): Promise<TrustCampaignResource> {
    const found = await this.queries.campaign(tenant.tenantId, campaignId);
    if (!found) throw new Error(`Campaign ${campaignId} was recorded but is not in the read model`);
    return found;
  }
}
