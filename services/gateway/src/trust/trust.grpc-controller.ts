import type * as grpc from '@grpc/grpc-js';
import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { Ctx, GrpcMethod, Payload } from '@nestjs/microservices';
import type {
  RegistrationFieldError,
  RegistrationReason,
  RegistrationStatus,
} from '@textplane/contracts';
import type { LintFinding } from '@textplane/trust-rules';
import { resolveIdempotencyKey } from '../grpc/call-metadata.js';
import { GrpcTenant } from '../grpc/grpc-api-key.guard.js';
import type { GrpcContext } from '../grpc/grpc-edge.js';
import { pageSizeOf } from '../grpc/page-size.js';
import { toTimestampProto } from '../grpc/timestamps.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import { TRUST_PAGE_SIZE, type TrustCenter } from './trust-center.application.js';
import type {
  TrustBrandResource,
  TrustCampaignNumberResource,
  TrustCampaignResource,
} from './trust-read-model.js';
import type { StatusChange } from './trust-record.js';
import {
  type AssignNumberResponseProto,
  type BrandFieldsProto,
  type BrandProto,
  type CampaignFieldsProto,
  type CampaignNumberProto,
  type CampaignProto,
  type CreateBrandResponseProto,
  type CreateCampaignResponseProto,
  type DecodedAssignNumberRequestProto,
  type DecodedBrandFieldsProto,
  type DecodedCampaignFieldsProto,
  type DecodedCreateBrandRequestProto,
  type DecodedCreateCampaignRequestProto,
  type DecodedGetBrandRequestProto,
  type DecodedGetCampaignRequestProto,
  type DecodedLintCampaignRequestProto,
  type DecodedListBrandsRequestProto,
  type DecodedListCampaignsRequestProto,
  type GetBrandResponseProto,
  type GetCampaignResponseProto,
  type LintCampaignResponseProto,
  type LintFindingProto,
  type ListBrandsResponseProto,
  type ListCampaignsResponseProto,
  loadTrustPackage,
  type RegistrationReasonProto,
  type RegistrationStatusProto,
  type StatusChangeProto,
  TRUST_SERVICE_NAME,
} from './trust-proto.js';

export const TRUST_GRPC_API = Symbol('TRUST_GRPC_API');

/** The Trust Center use cases the gRPC service calls (the REST routes' own). */
export type TrustApi = Pick<
  TrustCenter,
  | 'registerBrand'
  | 'getBrand'
  | 'listBrands'
  | 'submitCampaign'
  | 'getCampaign'
  | 'listCampaigns'
  | 'assignNumber'
  | 'lint'
>;

const STATUS_PREFIX = 'REGISTRATION_STATUS_';

/** The REST body fields of a brand, each as the proto names it. */
const BRAND_FIELDS = {
  entityType: 'entity_type',
  displayName: 'display_name',
  companyName: 'company_name',
  ein: 'ein',
  phone: 'phone',
  street: 'street',
  city: 'city',
  state: 'state',
  postalCode: 'postal_code',
  country: 'country',
  email: 'email',
  website: 'website',
  vertical: 'vertical',
  stockSymbol: 'stock_symbol',
  stockExchange: 'stock_exchange',
  businessContactEmail: 'business_contact_email',
  firstName: 'first_name',
  lastName: 'last_name',
  mobilePhone: 'mobile_phone',
} as const satisfies Record<string, keyof DecodedBrandFieldsProto>;

const CAMPAIGN_TEXTS = {
  brandId: 'brand_id',
  usecase: 'usecase',
  description: 'description',
  messageFlow: 'message_flow',
  helpMessage: 'help_message',
  optinMessage: 'optin_message',
  optoutMessage: 'optout_message',
} as const satisfies Record<string, keyof DecodedCampaignFieldsProto>;

const CAMPAIGN_LISTS = {
  sampleMessages: 'sample_messages',
  helpKeywords: 'help_keywords',
  optinKeywords: 'optin_keywords',
  optoutKeywords: 'optout_keywords',
} as const satisfies Record<string, keyof DecodedCampaignFieldsProto>;

const CAMPAIGN_FLAGS = {
  embeddedLink: 'embedded_link',
  embeddedPhone: 'embedded_phone',
  numberPool: 'number_pool',
  ageGated: 'age_gated',
  directLending: 'direct_lending',
} as const satisfies Record<string, keyof DecodedCampaignFieldsProto>;

/**
 * A use case's error with its fields as the request names them: a body field under the
 * request's message field (`displayName` → `brand.displayName`, which the edge spells
 * `brand.display_name`), the REST path and query names as the proto's.
 */
function inRequest(error: unknown, body: string | null, names: Record<string, string>): unknown {
  if (!(error instanceof ApiError) || error.violations.length === 0) return error;
  return new ApiError(
    error.kind,
    error.code,
    error.detail,
    error.violations.map((violation) => {
      const named = names[violation.field];
      if (named !== undefined) return { ...violation, field: named };
      if (body === null) return violation;
      return { ...violation, field: violation.field === '' ? body : `${body}.${violation.field}` };
    }),
  );
}

async function withFields<T>(
  body: string | null,
  names: Record<string, string>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw inRequest(error, body, names);
  }
}

const PAGE_NAMES = { cursor: 'page_token', limit: 'page_size' };

/** The REST body a brand's fields stand for: an unset field is left out. */
function brandBody(fields: DecodedBrandFieldsProto | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (fields === null) return body;
  for (const [rest, proto] of Object.entries(BRAND_FIELDS)) {
    const value = fields[proto];
    if (value !== undefined) body[rest] = value;
  }
  return body;
}

/** The REST body a campaign's fields stand for: an unset field or an empty list is left out. */
function campaignBody(fields: DecodedCampaignFieldsProto | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (fields === null) return body;
  for (const [rest, proto] of Object.entries(CAMPAIGN_TEXTS)) {
    const value = fields[proto];
    if (value !== undefined) body[rest] = value;
  }
  for (const [rest, proto] of Object.entries(CAMPAIGN_LISTS)) {
    if (fields[proto].length > 0) body[rest] = fields[proto];
  }
  for (const [rest, proto] of Object.entries(CAMPAIGN_FLAGS)) {
    const value = fields[proto];
    if (value !== undefined) body[rest] = value;
  }
  return body;
}

/**
 * A status filter as the REST query spells it (`REGISTRATION_STATUS_PENDING` → `pending`);
 * unspecified is no filter, and an unknown value is passed on for the REST rule to refuse.
 */
function statusFilter(status: string | number): string | undefined {
  if (status === 'REGISTRATION_STATUS_UNSPECIFIED' || status === 0) return undefined;
  return typeof status === 'string' && status.startsWith(STATUS_PREFIX)
    ? status.slice(STATUS_PREFIX.length).toLowerCase()
    : String(status);
}

function statusProto(status: RegistrationStatus): RegistrationStatusProto {
  switch (status) {
    case 'pending':
      return 'REGISTRATION_STATUS_PENDING';
    case 'approved':
      return 'REGISTRATION_STATUS_APPROVED';
    case 'rejected':
      return 'REGISTRATION_STATUS_REJECTED';
    case 'suspended':
      return 'REGISTRATION_STATUS_SUSPENDED';
    case 'expired':
      return 'REGISTRATION_STATUS_EXPIRED';
  }
}

function reasonProto(reason: RegistrationReason): RegistrationReasonProto {
  return {
    code: reason.code,
    carrier_reason: reason.carrierReason,
    suggested_fix: reason.suggestedFix,
    field: reason.field ?? null,
  };
}

const fieldErrorProto = (error: RegistrationFieldError) => ({
  field: error.field,
  message: error.message,
});

function changeProto(change: StatusChange): StatusChangeProto {
  return {
    at: toTimestampProto(change.at),
    status: statusProto(change.status),
    carrier_status: change.carrierStatus,
    reasons: change.reasons.map(reasonProto),
    errors: change.errors.map(fieldErrorProto),
  };
}

/** A recorded text field, or unset. */
const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function brandFieldsProto(brand: TrustBrandResource): BrandFieldsProto {
  const fields: Record<string, string | null> = {};
  for (const [rest, proto] of Object.entries(BRAND_FIELDS)) fields[proto] = textOf(brand[rest]);
  return fields as BrandFieldsProto;
}

export function brandProto(brand: TrustBrandResource): BrandProto {
  return {
    id: brand.id,
    fields: brandFieldsProto(brand),
    status: statusProto(brand.status),
    carrier_status: brand.carrierStatus,
    reasons: brand.reasons.map(reasonProto),
    errors: brand.errors.map(fieldErrorProto),
    history: brand.history.map(changeProto),
    vetting_score: brand.vettingScore,
    vetting_provider: brand.vettingProvider,
    vetted_at: brand.vettedAt === null ? null : toTimestampProto(brand.vettedAt),
    carrier_brand_id: brand.carrierBrandId,
    tcr_brand_id: brand.tcrBrandId,
    create_time: toTimestampProto(brand.createdAt),
    update_time: toTimestampProto(brand.updatedAt),
  };
}

function campaignFieldsProto(campaign: TrustCampaignResource): CampaignFieldsProto {
  const fields: Record<string, unknown> = {};
  for (const [rest, proto] of Object.entries(CAMPAIGN_TEXTS)) {
    fields[proto] = textOf(campaign[rest]);
  }
  for (const [rest, proto] of Object.entries(CAMPAIGN_LISTS)) {
    const value = campaign[rest];
    fields[proto] = Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
  }
  for (const [rest, proto] of Object.entries(CAMPAIGN_FLAGS)) {
    const value = campaign[rest];
    fields[proto] = typeof value === 'boolean' ? value : null;
  }
  return fields as CampaignFieldsProto;
}

function numberProto(number: TrustCampaignNumberResource): CampaignNumberProto {
  return {
    phone_number: number.phoneNumber,
    status: statusProto(number.status),
    carrier_status: number.carrierStatus,
    reasons: number.reasons.map(reasonProto),
    errors: number.errors.map(fieldErrorProto),
    history: number.history.map(changeProto),
    request_time: toTimestampProto(number.requestedAt),
    update_time: toTimestampProto(number.updatedAt),
  };
}

export function campaignProto(campaign: TrustCampaignResource): CampaignProto {
  return {
    id: campaign.id,
    fields: campaignFieldsProto(campaign),
    status: statusProto(campaign.status),
    carrier_status: campaign.carrierStatus,
    reasons: campaign.reasons.map(reasonProto),
    errors: campaign.errors.map(fieldErrorProto),
    history: campaign.history.map(changeProto),
    carrier_accepted: campaign.carrierAccepted,
    carrier_campaign_id: campaign.carrierCampaignId,
    tcr_campaign_id: campaign.tcrCampaignId,
    numbers: campaign.numbers.map(numberProto),
    create_time: toTimestampProto(campaign.createdAt),
    update_time: toTimestampProto(campaign.updatedAt),
  };
}

/** A lint finding, its field as the request names it (`campaign.sample_messages.0`). */
function findingProto(finding: LintFinding): LintFindingProto {
  return {
    code: finding.code,
    field: `campaign.${finding.field.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}`,
    message: finding.message,
    suggested_text: typeof finding.suggestion === 'string' ? finding.suggestion : null,
    suggested_flag: typeof finding.suggestion === 'boolean' ? finding.suggestion : null,
  };
}

/** textplane.trust.v1.TrustService over the REST use cases (same rules, same errors). */
@Controller()
export class TrustGrpcController {
  constructor(@Inject(TRUST_GRPC_API) private readonly trust: TrustApi) {}

  @GrpcMethod(TRUST_SERVICE_NAME, 'CreateBrand')
  async createBrand(
    @Payload() request: DecodedCreateBrandRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<CreateBrandResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const outcome = await withFields('brand', {}, () =>
      this.trust.registerBrand(tenant, brandBody(request.brand), key),
    );
    return { brand: brandProto(outcome.resource), replayed: outcome.replayed };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'GetBrand')
  async getBrand(
    @Payload() request: DecodedGetBrandRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetBrandResponseProto> {
    const brand = await withFields(null, { id: 'brand_id' }, () =>
      this.trust.getBrand(tenant, request.brand_id),
    );
    return { brand: brandProto(brand) };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'ListBrands')
  async listBrands(
    @Payload() request: DecodedListBrandsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListBrandsResponseProto> {
    const status = statusFilter(request.status);
    const page = await withFields(null, PAGE_NAMES, () =>
      this.trust.listBrands(tenant, {
        limit: pageSizeOf(request.page_size, TRUST_PAGE_SIZE),
        ...(status !== undefined ? { status } : {}),
        ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
      }),
    );
    return { brands: page.data.map(brandProto), next_page_token: page.nextCursor ?? '' };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'CreateCampaign')
  async createCampaign(
    @Payload() request: DecodedCreateCampaignRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<CreateCampaignResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const outcome = await withFields('campaign', {}, () =>
      this.trust.submitCampaign(tenant, campaignBody(request.campaign), key),
    );
    return { campaign: campaignProto(outcome.resource), replayed: outcome.replayed };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'GetCampaign')
  async getCampaign(
    @Payload() request: DecodedGetCampaignRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetCampaignResponseProto> {
    const campaign = await withFields(null, { id: 'campaign_id' }, () =>
      this.trust.getCampaign(tenant, request.campaign_id),
    );
    return { campaign: campaignProto(campaign) };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'ListCampaigns')
  async listCampaigns(
    @Payload() request: DecodedListCampaignsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListCampaignsResponseProto> {
    const status = statusFilter(request.status);
    const page = await withFields(null, PAGE_NAMES, () =>
      this.trust.listCampaigns(tenant, {
        limit: pageSizeOf(request.page_size, TRUST_PAGE_SIZE),
        ...(status !== undefined ? { status } : {}),
        ...(request.brand_id !== '' ? { brandId: request.brand_id } : {}),
        ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
      }),
    );
    return { campaigns: page.data.map(campaignProto), next_page_token: page.nextCursor ?? '' };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'AssignNumber')
  async assignNumber(
    @Payload() request: DecodedAssignNumberRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<AssignNumberResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const outcome = await withFields(null, { id: 'campaign_id' }, () =>
      this.trust.assignNumber(
        tenant,
        request.campaign_id,
        request.phone_number === '' ? {} : { phoneNumber: request.phone_number },
        key,
      ),
    );
    return { campaign: campaignProto(outcome.resource), replayed: outcome.replayed };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'LintCampaign')
  async lintCampaign(
    @Payload() request: DecodedLintCampaignRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<LintCampaignResponseProto> {
    const result = await withFields('campaign', {}, () =>
      this.trust.lint(tenant, campaignBody(request.campaign)),
    );
    return { findings: result.findings.map(findingProto) };
  }
}

@Module({})
class TrustGrpcModule {}

/** The Trust Center context on the gRPC edge. */
export function trustGrpc(protoDir: string, trust: TrustApi): GrpcContext {
  const module: DynamicModule = {
    module: TrustGrpcModule,
    controllers: [TrustGrpcController],
    providers: [{ provide: TRUST_GRPC_API, useValue: trust }],
  };
  return { contract: loadTrustPackage(protoDir), module };
}
