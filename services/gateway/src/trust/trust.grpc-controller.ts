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
  TollFreeVerificationResource,
  TrustBrandResource,
  TrustCampaignNumberResource,
  TrustCampaignResource,
} from './trust-read-model.js';
import type {
  BrandOtpState,
  BrandVettingState,
  NumberRemovalState,
  StatusChange,
} from './trust-record.js';
import {
  type AssignNumberResponseProto,
  type BrandFieldsProto,
  type BrandOtpProto,
  type BrandOtpStatusProto,
  type BrandProto,
  type BrandVettingProto,
  type BrandVettingStatusProto,
  type CampaignFieldsProto,
  type CampaignNumberProto,
  type CampaignProto,
  type CreateBrandResponseProto,
  type CreateCampaignResponseProto,
  type CreateTollFreeVerificationResponseProto,
  type DecodedAssignNumberRequestProto,
  type DecodedBrandFieldsProto,
  type DecodedCampaignFieldsProto,
  type DecodedCreateBrandRequestProto,
  type DecodedCreateCampaignRequestProto,
  type DecodedCreateTollFreeVerificationRequestProto,
  type DecodedGetBrandRequestProto,
  type DecodedGetCampaignRequestProto,
  type DecodedGetTollFreeVerificationRequestProto,
  type DecodedLintCampaignRequestProto,
  type DecodedListBrandsRequestProto,
  type DecodedListCampaignsRequestProto,
  type DecodedListTollFreeVerificationsRequestProto,
  type DecodedRequestBrandVettingRequestProto,
  type DecodedSendBrandOtpRequestProto,
  type DecodedTollFreeVerificationFieldsProto,
  type DecodedUnassignNumberRequestProto,
  type DecodedVerifyBrandOtpRequestProto,
  type GetBrandResponseProto,
  type GetCampaignResponseProto,
  type GetTollFreeVerificationResponseProto,
  type LintCampaignResponseProto,
  type LintFindingProto,
  type ListBrandsResponseProto,
  type ListCampaignsResponseProto,
  type ListTollFreeVerificationsResponseProto,
  loadTrustPackage,
  type NumberRemovalProto,
  type NumberRemovalStatusProto,
  type RegistrationReasonProto,
  type RegistrationStatusProto,
  type RequestBrandVettingResponseProto,
  type SendBrandOtpResponseProto,
  type StatusChangeProto,
  type TollFreeVerificationFieldsProto,
  type TollFreeVerificationProto,
  TRUST_SERVICE_NAME,
  type UnassignNumberResponseProto,
  type VerifyBrandOtpResponseProto,
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
  | 'unassignNumber'
  | 'lint'
  | 'requestVetting'
  | 'requestOtp'
  | 'verifyOtp'
  | 'requestTollFreeVerification'
  | 'getTollFreeVerification'
  | 'listTollFreeVerifications'
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

/**
 * The REST body fields of a toll-free verification, each as the proto names it (the edge's
 * snake_case of the REST name, so an error's field is the proto's too: `optInWorkflowImageURLs`
 * → `opt_in_workflow_image_urls`).
 */
const TOLL_FREE_TEXTS = {
  businessName: 'business_name',
  corporateWebsite: 'corporate_website',
  businessAddr1: 'business_addr1',
  businessAddr2: 'business_addr2',
  businessCity: 'business_city',
  businessState: 'business_state',
  businessZip: 'business_zip',
  businessContactFirstName: 'business_contact_first_name',
  businessContactLastName: 'business_contact_last_name',
  businessContactEmail: 'business_contact_email',
  businessContactPhone: 'business_contact_phone',
  messageVolume: 'message_volume',
  useCase: 'use_case',
  useCaseSummary: 'use_case_summary',
  productionMessageContent: 'production_message_content',
  optInWorkflow: 'opt_in_workflow',
  additionalInformation: 'additional_information',
  entityType: 'entity_type',
  doingBusinessAs: 'doing_business_as',
  businessRegistrationNumber: 'business_registration_number',
  businessRegistrationType: 'business_registration_type',
  businessRegistrationCountry: 'business_registration_country',
  helpMessageResponse: 'help_message_response',
  optInConfirmationResponse: 'opt_in_confirmation_response',
  optInKeywords: 'opt_in_keywords',
  privacyPolicyURL: 'privacy_policy_url',
  termsAndConditionURL: 'terms_and_condition_url',
} as const satisfies Record<string, keyof DecodedTollFreeVerificationFieldsProto>;

const TOLL_FREE_LISTS = {
  phoneNumbers: 'phone_numbers',
  optInWorkflowImageURLs: 'opt_in_workflow_image_urls',
} as const satisfies Record<string, keyof DecodedTollFreeVerificationFieldsProto>;

const TOLL_FREE_FLAGS = {
  ageGatedContent: 'age_gated_content',
} as const satisfies Record<string, keyof DecodedTollFreeVerificationFieldsProto>;

/**
 * The REST body a toll-free verification's fields stand for: an unset field or an empty list is
 * left out (proto3 cannot tell an empty list from none, so the REST rule names it as required).
 */
function tollFreeBody(
  fields: DecodedTollFreeVerificationFieldsProto | null,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (fields === null) return body;
  for (const [rest, proto] of Object.entries(TOLL_FREE_TEXTS)) {
    const value = fields[proto];
    if (value !== undefined) body[rest] = value;
  }
  for (const [rest, proto] of Object.entries(TOLL_FREE_LISTS)) {
    if (fields[proto].length > 0) body[rest] = fields[proto];
  }
  for (const [rest, proto] of Object.entries(TOLL_FREE_FLAGS)) {
    const value = fields[proto];
    if (value !== undefined) body[rest] = value;
  }
  return body;
}

/** The REST body of an optional-field request: each set field under its REST name. */
function optionalTexts(entries: Record<string, string | undefined>): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [rest, value] of Object.entries(entries)) if (value !== undefined) body[rest] = value;
  return body;
}

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

const VETTING_STATUS = {
  requested: 'BRAND_VETTING_STATUS_REQUESTED',
  ordered: 'BRAND_VETTING_STATUS_ORDERED',
  failed: 'BRAND_VETTING_STATUS_FAILED',
  rejected: 'BRAND_VETTING_STATUS_REJECTED',
} as const satisfies Record<BrandVettingState['status'], BrandVettingStatusProto>;

const OTP_STATUS = {
  requested: 'BRAND_OTP_STATUS_REQUESTED',
  sent: 'BRAND_OTP_STATUS_SENT',
  verifying: 'BRAND_OTP_STATUS_VERIFYING',
  verified: 'BRAND_OTP_STATUS_VERIFIED',
  failed: 'BRAND_OTP_STATUS_FAILED',
  rejected: 'BRAND_OTP_STATUS_REJECTED',
} as const satisfies Record<BrandOtpState['status'], BrandOtpStatusProto>;

function vettingProto(vetting: BrandVettingState | null): BrandVettingProto | null {
  if (vetting === null) return null;
  return {
    request_id: vetting.requestId,
    status: VETTING_STATUS[vetting.status],
    evp_id: vetting.evpId,
    vetting_class: vetting.vettingClass,
    vetting_id: vetting.vettingId,
    reasons: vetting.reasons.map(reasonProto),
    errors: vetting.errors.map(fieldErrorProto),
    update_time: toTimestampProto(vetting.updatedAt),
  };
}

function otpProto(otp: BrandOtpState | null): BrandOtpProto | null {
  if (otp === null) return null;
  return {
    request_id: otp.requestId,
    status: OTP_STATUS[otp.status],
    failed_step:
      otp.failedStep === 'send'
        ? 'BRAND_OTP_STEP_SEND'
        : otp.failedStep === 'verification'
          ? 'BRAND_OTP_STEP_VERIFICATION'
          : 'BRAND_OTP_STEP_UNSPECIFIED',
    reasons: otp.reasons.map(reasonProto),
    errors: otp.errors.map(fieldErrorProto),
    update_time: toTimestampProto(otp.updatedAt),
  };
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
    vetting: vettingProto(brand.vetting),
    otp: otpProto(brand.otp),
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

const REMOVAL_STATUS = {
  requested: 'NUMBER_REMOVAL_STATUS_REQUESTED',
  pending: 'NUMBER_REMOVAL_STATUS_PENDING',
  removed: 'NUMBER_REMOVAL_STATUS_REMOVED',
  failed: 'NUMBER_REMOVAL_STATUS_FAILED',
  rejected: 'NUMBER_REMOVAL_STATUS_REJECTED',
} as const satisfies Record<NumberRemovalState['status'], NumberRemovalStatusProto>;

function removalProto(removal: NumberRemovalState | null): NumberRemovalProto | null {
  if (removal === null) return null;
  return {
    request_id: removal.requestId,
    status: REMOVAL_STATUS[removal.status],
    carrier_status: removal.carrierStatus,
    reasons: removal.reasons.map(reasonProto),
    errors: removal.errors.map(fieldErrorProto),
    request_time: toTimestampProto(removal.requestedAt),
    update_time: toTimestampProto(removal.updatedAt),
  };
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
    removal: removalProto(number.removal),
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

function tollFreeFieldsProto(
  verification: TollFreeVerificationResource,
): TollFreeVerificationFieldsProto {
  const fields: Record<string, unknown> = {};
  for (const [rest, proto] of Object.entries(TOLL_FREE_TEXTS)) {
    fields[proto] = textOf(verification[rest]);
  }
  for (const [rest, proto] of Object.entries(TOLL_FREE_LISTS)) {
    const value = verification[rest];
    fields[proto] = Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
  }
  for (const [rest, proto] of Object.entries(TOLL_FREE_FLAGS)) {
    const value = verification[rest];
    fields[proto] = typeof value === 'boolean' ? value : null;
  }
  return fields as TollFreeVerificationFieldsProto;
}

export function tollFreeVerificationProto(
  verification: TollFreeVerificationResource,
): TollFreeVerificationProto {
  return {
    id: verification.id,
    fields: tollFreeFieldsProto(verification),
    status: statusProto(verification.status),
    carrier_status: verification.carrierStatus,
    reasons: verification.reasons.map(reasonProto),
    errors: verification.errors.map(fieldErrorProto),
    history: verification.history.map(changeProto),
    verified_numbers: verification.verifiedNumbers,
    carrier_verification_id: verification.carrierVerificationId,
    create_time: toTimestampProto(verification.createdAt),
    update_time: toTimestampProto(verification.updatedAt),
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

  @GrpcMethod(TRUST_SERVICE_NAME, 'UnassignNumber')
  async unassignNumber(
    @Payload() request: DecodedUnassignNumberRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<UnassignNumberResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const outcome = await withFields(null, { id: 'campaign_id', phone: 'phone_number' }, () =>
      this.trust.unassignNumber(tenant, request.campaign_id, request.phone_number, key),
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

  @GrpcMethod(TRUST_SERVICE_NAME, 'RequestBrandVetting')
  async requestBrandVetting(
    @Payload() request: DecodedRequestBrandVettingRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<RequestBrandVettingResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const body = optionalTexts({ evpId: request.evp_id, vettingClass: request.vetting_class });
    const outcome = await withFields(null, { id: 'brand_id' }, () =>
      this.trust.requestVetting(tenant, request.brand_id, body, key),
    );
    return { brand: brandProto(outcome.resource), replayed: outcome.replayed };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'SendBrandOtp')
  async sendBrandOtp(
    @Payload() request: DecodedSendBrandOtpRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<SendBrandOtpResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const body = optionalTexts({ pinSms: request.pin_sms, successSms: request.success_sms });
    const outcome = await withFields(null, { id: 'brand_id' }, () =>
      this.trust.requestOtp(tenant, request.brand_id, body, key),
    );
    return { brand: brandProto(outcome.resource), replayed: outcome.replayed };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'VerifyBrandOtp')
  async verifyBrandOtp(
    @Payload() request: DecodedVerifyBrandOtpRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<VerifyBrandOtpResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const outcome = await withFields(null, { id: 'brand_id' }, () =>
      this.trust.verifyOtp(
        tenant,
        request.brand_id,
        request.otp_pin === '' ? {} : { otpPin: request.otp_pin },
        key,
      ),
    );
    return { brand: brandProto(outcome.resource), replayed: outcome.replayed };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'CreateTollFreeVerification')
  async createTollFreeVerification(
    @Payload() request: DecodedCreateTollFreeVerificationRequestProto,
    @Ctx() metadata: grpc.Metadata,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<CreateTollFreeVerificationResponseProto> {
    const key = resolveIdempotencyKey(metadata, request.idempotency_key);
    const outcome = await withFields('verification', {}, () =>
      this.trust.requestTollFreeVerification(tenant, tollFreeBody(request.verification), key),
    );
    return {
      verification: tollFreeVerificationProto(outcome.resource),
      replayed: outcome.replayed,
    };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'GetTollFreeVerification')
  async getTollFreeVerification(
    @Payload() request: DecodedGetTollFreeVerificationRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<GetTollFreeVerificationResponseProto> {
    const verification = await withFields(null, { id: 'verification_id' }, () =>
      this.trust.getTollFreeVerification(tenant, request.verification_id),
    );
    return { verification: tollFreeVerificationProto(verification) };
  }

  @GrpcMethod(TRUST_SERVICE_NAME, 'ListTollFreeVerifications')
  async listTollFreeVerifications(
    @Payload() request: DecodedListTollFreeVerificationsRequestProto,
    @GrpcTenant() tenant: AuthenticatedTenant,
  ): Promise<ListTollFreeVerificationsResponseProto> {
    const status = statusFilter(request.status);
    const page = await withFields(null, PAGE_NAMES, () =>
      this.trust.listTollFreeVerifications(tenant, {
        limit: pageSizeOf(request.page_size, TRUST_PAGE_SIZE),
        ...(status !== undefined ? { status } : {}),
        ...(request.page_token !== '' ? { cursor: request.page_token } : {}),
      }),
    );
    return {
      verifications: page.data.map(tollFreeVerificationProto),
      next_page_token: page.nextCursor ?? '',
    };
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
