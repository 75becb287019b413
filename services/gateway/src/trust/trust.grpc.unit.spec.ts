import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {
  type CampaignLintInput,
  lintCampaign,
  parseBrand,
  parseCampaign,
} from '@textplane/trust-rules';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GrpcEdge } from '../grpc/grpc-edge.js';
import { STATUS_DETAILS_KEY } from '../grpc/grpc-status.js';
import { PROTO_LOADER_OPTIONS } from '../grpc/proto-contracts.js';
import { validateRequest } from '../http/request-validator.js';
import type * as pb from '../generated/textplane/trust/v1/trust.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import {
  type Accepted,
  type CampaignLintResult,
  checkTollFreeVerification,
  type Page,
} from './trust-center.application.js';
import type {
  TollFreeVerificationResource,
  TrustBrandResource,
  TrustCampaignResource,
} from './trust-read-model.js';
import { type TrustApi, trustGrpc } from './trust.grpc-controller.js';
import { loadTrustPackage, TRUST_SERVICE_NAME } from './trust-proto.js';

/** textplane.trust.v1.TrustService on a real gRPC edge, over an in-memory Trust Center. */

const PROTO_DIR = fileURLToPath(new URL('../../../../proto', import.meta.url));
const API_KEY = 'tp_test_trust_key_00000000000000000';
const tenant: AuthenticatedTenant = {
  tenantId: '0193a1b2-0000-7000-8000-0000000000d1',
  keyId: 'k',
};
const SENDER = '+13125550199';
const TOLL_FREE_SENDERS = new Set(['+18005550100', '+18885550142']);
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The REST use cases' refusal of an id that is no id (the field `id`, the path's). */
function requireId(id: string): void {
  if (!CANONICAL_UUID.test(id)) {
    throw ApiError.invalid('The id is not valid', [{ field: 'id', message: 'must be a UUID' }]);
  }
}

/** A page of `items` from the offset a cursor names, the REST use cases' shape. */
function pageOf<T>(items: readonly T[], query: { cursor?: string; limit: number }): Page<T> {
  const from = query.cursor === undefined ? 0 : Number(query.cursor);
  const data = items.slice(from, from + query.limit);
  const more = from + query.limit < items.length;
  return { data, nextCursor: more ? String(from + query.limit) : null };
}

const pendingStanding = (at: string) => ({
  status: 'pending' as const,
  carrierStatus: null,
  reasons: [],
  errors: [],
  history: [{ at, status: 'pending' as const, carrierStatus: null, reasons: [], errors: [] }],
});

/**
 * The REST use cases' rules (the request schemas, @textplane/trust-rules' field rules and lint)
 * over arrays instead of the event store; ids are sequential lower-case UUIDs.
 */
class InMemoryTrust implements TrustApi {
  brands: TrustBrandResource[] = [];
  campaigns: TrustCampaignResource[] = [];
  verifications: TollFreeVerificationResource[] = [];
  /** The idempotency keys the vetting, OTP and toll-free calls were handed, in order. */
  keys: (string | undefined)[] = [];
  private sequence = 0;

  authenticate(apiKey: string): Promise<AuthenticatedTenant | null> {
    return Promise.resolve(apiKey === API_KEY ? tenant : null);
  }

  private nextId(): string {
    this.sequence += 1;
    return `0193a1b2-0000-7000-8000-${String(this.sequence).padStart(12, '0')}`;
  }

  private at(): string {
    return new Date(Date.UTC(2026, 11, 3, 12, 0, this.sequence)).toISOString();
  }

  registerBrand(
    _tenant: AuthenticatedTenant,
    rawInput: unknown,
    _idempotencyKey?: string,
  ): Promise<Accepted<TrustBrandResource>> {
    const input = validateRequest<Record<string, unknown>>('CreateBrandRequest', rawInput);
    const parsed = parseBrand(input);
    if (!parsed.ok) {
      throw new ApiError('unprocessable', 'invalid_brand', 'The brand is not valid', parsed.errors);
    }
    const id = this.nextId();
    const at = this.at();
    const brand: TrustBrandResource = {
      id,
      ...parsed.brand,
      ...pendingStanding(at),
      vettingScore: null,
      vettingProvider: null,
      vettedAt: null,
      vetting: null,
      otp: null,
      carrierBrandId: null,
      tcrBrandId: null,
      createdAt: at,
      updatedAt: at,
    };
    this.brands.unshift(brand);
    return Promise.resolve({ resource: brand, replayed: false });
  }

  getBrand(_tenant: AuthenticatedTenant, id: string): Promise<TrustBrandResource> {
    const found = this.brands.find((brand) => brand.id === id);
    if (!found) throw ApiError.notFound(`Brand ${id} not found`);
    return Promise.resolve(found);
  }

  listBrands(
    _tenant: AuthenticatedTenant,
    query: { status?: string; cursor?: string; limit: number },
  ): Promise<Page<TrustBrandResource>> {
    const from = query.cursor === undefined ? 0 : Number(query.cursor);
    const matching = this.brands.filter((b) => !query.status || b.status === query.status);
    const data = matching.slice(from, from + query.limit);
    const more = from + query.limit < matching.length;
    return Promise.resolve({ data, nextCursor: more ? String(from + query.limit) : null });
  }

  submitCampaign(
    _tenant: AuthenticatedTenant,
    rawInput: unknown,
    _idempotencyKey?: string,
  ): Promise<Accepted<TrustCampaignResource>> {
    const input = validateRequest<Record<string, unknown>>('CreateCampaignRequest', rawInput);
    const parsed = parseCampaign(input);
    if (!parsed.ok) {
      throw new ApiError(
        'unprocessable',
        'invalid_campaign',
        'The campaign is not valid',
        parsed.errors,
      );
    }
    if (!this.brands.some((brand) => brand.id === parsed.campaign.brandId)) {
      throw new ApiError('unprocessable', 'brand_not_found', 'Not a brand of this tenant', [
        { field: 'brandId', message: 'is not a brand of this tenant' },
      ]);
    }
    const at = this.at();
    const campaign: TrustCampaignResource = {
      id: this.nextId(),
      ...parsed.campaign,
      ...pendingStanding(at),
      carrierAccepted: false,
      carrierCampaignId: null,
      tcrCampaignId: null,
      numbers: [],
      createdAt: at,
      updatedAt: at,
    };
    this.campaigns.unshift(campaign);
    return Promise.resolve({ resource: campaign, replayed: false });
  }

  getCampaign(_tenant: AuthenticatedTenant, id: string): Promise<TrustCampaignResource> {
    const found = this.campaigns.find((campaign) => campaign.id === id);
    if (!found) throw ApiError.notFound(`Campaign ${id} not found`);
    return Promise.resolve(found);
  }

  listCampaigns(): Promise<Page<TrustCampaignResource>> {
    return Promise.resolve({ data: this.campaigns, nextCursor: null });
  }

  async assignNumber(
    _tenant: AuthenticatedTenant,
    id: string,
    rawInput: unknown,
    _idempotencyKey?: string,
  ): Promise<Accepted<TrustCampaignResource>> {
    const { phoneNumber } = validateRequest<{ phoneNumber: string }>(
      'AssignCampaignNumberRequest',
      rawInput,
    );
    const campaign = await this.getCampaign(tenant, id);
    if (campaign.carrierCampaignId === null) {
      throw new ApiError('conflict', 'campaign_not_submitted', 'The carrier has not taken it');
    }
    if (phoneNumber !== SENDER) throw new Error('unexpected number');
    return { resource: campaign, replayed: false };
  }

  async unassignNumber(
    _tenant: AuthenticatedTenant,
    id: string,
    phone: string,
    idempotencyKey?: string,
  ): Promise<Accepted<TrustCampaignResource>> {
    this.keys.push(idempotencyKey);
    requireId(id);
    if (!/^\+[1-9][0-9]{1,14}$/.test(phone)) {
      throw ApiError.invalid('Not valid', [{ field: 'phone', message: 'must be E.164' }]);
    }
    const campaign = await this.getCampaign(tenant, id);
    const number = campaign.numbers.find((n) => n.phoneNumber === phone);
    if (number?.status !== 'approved') {
      throw new ApiError('conflict', 'number_not_assigned', 'Not assigned', [
        { field: 'phone', message: 'is not assigned to this campaign' },
      ]);
    }
    if (number.removal !== null) {
      throw new ApiError('conflict', 'number_removal_in_progress', 'Being removed', [
        { field: 'phone', message: 'is being removed from this campaign' },
      ]);
    }
    const at = this.at();
    number.removal = {
      requestId: this.nextId(),
      status: 'requested',
      carrierStatus: null,
      reasons: [],
      errors: [],
      requestedAt: at,
      updatedAt: at,
    };
    return { resource: campaign, replayed: false };
  }

  async lint(_tenant: AuthenticatedTenant, rawInput: unknown): Promise<CampaignLintResult> {
    const input = validateRequest<CampaignLintInput>('LintCampaignRequest', rawInput);
    const brand = input.brandId === undefined ? null : await this.getBrand(tenant, input.brandId);
    return { findings: lintCampaign(input, brand ? { displayName: brand.displayName } : null) };
  }

  /** The brand a request is about, as the REST use cases find it (bad id, unknown id). */
  private async registeredBrand(id: string): Promise<TrustBrandResource> {
    requireId(id);
    const brand = await this.getBrand(tenant, id);
    if (brand.carrierBrandId === null) {
      throw new ApiError('conflict', 'brand_not_registered', 'The carrier has not registered it');
    }
    return brand;
  }

  async requestVetting(
    _tenant: AuthenticatedTenant,
    id: string,
    rawInput: unknown,
    idempotencyKey?: string,
  ): Promise<Accepted<TrustBrandResource>> {
    this.keys.push(idempotencyKey);
    const input = validateRequest<{ evpId?: string; vettingClass?: string }>(
      'RequestBrandVettingRequest',
      rawInput,
    );
    const brand = await this.registeredBrand(id);
    if (brand.entityType === 'SOLE_PROPRIETOR') {
      throw new ApiError('conflict', 'sole_proprietor_not_vetted', 'Sole proprietors are not');
    }
    brand.vetting = {
      requestId: this.nextId(),
      status: 'requested',
      evpId: input.evpId ?? null,
      vettingClass: input.vettingClass ?? null,
      vettingId: null,
      reasons: [],
      errors: [],
      updatedAt: this.at(),
    };
    return { resource: brand, replayed: false };
  }

  async requestOtp(
    _tenant: AuthenticatedTenant,
    id: string,
    rawInput: unknown,
    idempotencyKey?: string,
  ): Promise<Accepted<TrustBrandResource>> {
    this.keys.push(idempotencyKey);
    const input = validateRequest<{ pinSms?: string }>('RequestBrandOtpRequest', rawInput);
    if (input.pinSms !== undefined && !input.pinSms.includes('@OTP_PIN@')) {
      throw new ApiError('unprocessable', 'invalid_otp_request', 'Not valid', [
        { field: 'pinSms', message: 'must contain @OTP_PIN@' },
      ]);
    }
    const brand = await this.registeredBrand(id);
    if (brand.entityType !== 'SOLE_PROPRIETOR') {
      throw new ApiError('conflict', 'brand_not_sole_proprietor', 'Only sole proprietors');
    }
    brand.otp = {
      requestId: this.nextId(),
      status: 'requested',
      failedStep: null,
      reasons: [],
      errors: [],
      updatedAt: this.at(),
    };
    return { resource: brand, replayed: false };
  }

  async verifyOtp(
    _tenant: AuthenticatedTenant,
    id: string,
    rawInput: unknown,
    idempotencyKey?: string,
  ): Promise<Accepted<TrustBrandResource>> {
    this.keys.push(idempotencyKey);
    validateRequest<{ otpPin: string }>('VerifyBrandOtpRequest', rawInput);
    requireId(id);
    const brand = await this.getBrand(tenant, id);
    if (brand.otp?.status !== 'sent') {
      throw new ApiError('conflict', 'otp_not_sent', 'No OTP was sent to verify');
    }
    brand.otp = { ...brand.otp, status: 'verifying', updatedAt: this.at() };
    return { resource: brand, replayed: false };
  }

  requestTollFreeVerification(
    _tenant: AuthenticatedTenant,
    rawInput: unknown,
    idempotencyKey?: string,
  ): Promise<Accepted<TollFreeVerificationResource>> {
    this.keys.push(idempotencyKey);
    const input = validateRequest<Record<string, unknown>>(
      'CreateTollFreeVerificationRequest',
      rawInput,
    );
    const checked = checkTollFreeVerification(input, TOLL_FREE_SENDERS);
    if (!checked.ok) {
      throw new ApiError('unprocessable', 'invalid_toll_free_verification', 'Not valid', [
        ...checked.errors,
      ]);
    }
    const taken = checked.verification.phoneNumbers.flatMap((phone, index) =>
      this.verifications.some((v) => v.phoneNumbers.includes(phone))
        ? [{ field: `phoneNumbers.${index}`, message: 'is under verification already' }]
        : [],
    );
    if (taken.length > 0) {
      throw new ApiError('conflict', 'number_verification_exists', 'Under verification', taken);
    }
    const at = this.at();
    const verification: TollFreeVerificationResource = {
      id: this.nextId(),
      ...checked.verification,
      ...pendingStanding(at),
      verifiedNumbers: [],
      carrierVerificationId: null,
      createdAt: at,
      updatedAt: at,
    };
    this.verifications.unshift(verification);
    return Promise.resolve({ resource: verification, replayed: false });
  }

  getTollFreeVerification(
    _tenant: AuthenticatedTenant,
    id: string,
  ): Promise<TollFreeVerificationResource> {
    requireId(id);
    const found = this.verifications.find((verification) => verification.id === id);
    if (!found) throw ApiError.notFound(`Toll-free verification ${id} not found`);
    return Promise.resolve(found);
  }

  listTollFreeVerifications(
    _tenant: AuthenticatedTenant,
    query: { status?: string; cursor?: string; limit: number },
  ): Promise<Page<TollFreeVerificationResource>> {
    const matching = this.verifications.filter((v) => !query.status || v.status === query.status);
    return Promise.resolve(pageOf(matching, query));
  }
}

const service = loadTrustPackage(PROTO_DIR)[TRUST_SERVICE_NAME] as protoLoader.ServiceDefinition;
const method = (name: string) => {
  const found = service[name];
  if (!found) throw new Error(`no method ${name}`);
  return found;
};

let edge: GrpcEdge;
let client: grpc.Client;
let trust = new InMemoryTrust();
const api: TrustApi = {
  registerBrand: (...args) => trust.registerBrand(...args),
  getBrand: (...args) => trust.getBrand(...args),
  listBrands: (...args) => trust.listBrands(...args),
  submitCampaign: (...args) => trust.submitCampaign(...args),
  getCampaign: (...args) => trust.getCampaign(...args),
  listCampaigns: () => trust.listCampaigns(),
  assignNumber: (...args) => trust.assignNumber(...args),
  unassignNumber: (...args) => trust.unassignNumber(...args),
  lint: (...args) => trust.lint(...args),
  requestVetting: (...args) => trust.requestVetting(...args),
  requestOtp: (...args) => trust.requestOtp(...args),
  verifyOtp: (...args) => trust.verifyOtp(...args),
  requestTollFreeVerification: (...args) => trust.requestTollFreeVerification(...args),
  getTollFreeVerification: (...args) => trust.getTollFreeVerification(...args),
  listTollFreeVerifications: (...args) => trust.listTollFreeVerifications(...args),
};

beforeAll(async () => {
  edge = await GrpcEdge.start({
    contexts: [trustGrpc(PROTO_DIR, api)],
    authenticator: { authenticate: (key: string) => trust.authenticate(key) },
    port: 0,
    host: '127.0.0.1',
    shutdownTimeoutMs: 3000,
  });
  client = new grpc.Client(`127.0.0.1:${edge.port}`, grpc.credentials.createInsecure());
});

beforeEach(() => {
  trust = new InMemoryTrust();
});

afterAll(async () => {
  client.close();
  await edge.stop();
});

function call<T = unknown>(
  name: string,
  request: object,
  apiKey: string | null = API_KEY,
  idempotencyKey?: string,
): Promise<T> {
  const definition = method(name);
  const metadata = new grpc.Metadata();
  if (apiKey !== null) metadata.set('authorization', `Bearer ${apiKey}`);
  if (idempotencyKey !== undefined) metadata.set('idempotency-key', idempotencyKey);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      request,
      metadata,
      (error, response) => (error ? reject(error) : resolve(response as T)),
    );
  });
}

async function failure(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error('the call succeeded');
}

const statusDecoder = protoLoader.loadSync('google/rpc/status_subset.proto', {
  ...PROTO_LOADER_OPTIONS,
  includeDirs: [fileURLToPath(new URL('../grpc/testdata', import.meta.url))],
})['google.rpc.StatusDecoder'] as protoLoader.ServiceDefinition;

const decoderOf = (name: string) => {
  const found = statusDecoder[name];
  if (!found) throw new Error(`no method ${name}`);
  return found;
};

interface DecodedStatus {
  details: { type_url: string; value: Buffer }[];
}

/** The fields the google.rpc.BadRequest of a failed call names. */
function violatedFields(error: grpc.ServiceError): string[] {
  const [details] = error.metadata.get(STATUS_DETAILS_KEY);
  if (!Buffer.isBuffer(details)) throw new Error('no status details');
  const status = decoderOf('DecodeStatus').requestDeserialize(details) as DecodedStatus;
  const badRequest = status.details.find(
    (detail) => detail.type_url === 'type.googleapis.com/google.rpc.BadRequest',
  );
  if (!badRequest) return [];
  const decoded = decoderOf('DecodeBadRequest').requestDeserialize(badRequest.value) as {
    field_violations: { field: string }[];
  };
  return decoded.field_violations.map((violation) => violation.field);
}

const brandFields = {
  entity_type: 'PRIVATE_PROFIT',
  display_name: 'Harbor Books',
  company_name: 'Harbor Books LLC',
  ein: '123456789',
  phone: '+13125550100',
  street: '1 Wacker Dr',
  city: 'Chicago',
  state: 'IL',
  postal_code: '60601',
  country: 'US',
  email: 'support@harborbooks.com',
  website: 'https://harborbooks.com',
  vertical: 'RETAIL',
};

const campaignFields = (brandId: string) => ({
  brand_id: brandId,
  usecase: 'ACCOUNT_NOTIFICATION',
  description: 'Order updates and pickup notices for customers of Harbor Books.',
  message_flow:
    'Customers check an SMS consent box on the checkout form at https://harborbooks.com/checkout to receive order updates.',
  sample_messages: [
    'Harbor Books: your order 1042 is ready for pickup. Reply STOP to opt out.',
    'Harbor Books: your order 1043 has shipped. Reply STOP to opt out.',
  ],
  help_message: 'Harbor Books: for help email support@harborbooks.com. Reply STOP to opt out.',
  optout_message: 'Harbor Books: you are unsubscribed and will receive no more messages.',
});

/** A brand created over the service. */
async function createBrand(fields: object = brandFields): Promise<pb.Brand> {
  const answer = await call<pb.CreateBrandResponse>('CreateBrand', { brand: fields });
  if (!answer.brand) throw new Error('no brand answered');
  expect(answer.replayed).toBe(false);
  return answer.brand;
}

/** A campaign submitted over the service. */
async function createCampaign(brandId: string): Promise<pb.Campaign> {
  const answer = await call<pb.CreateCampaignResponse>('CreateCampaign', {
    campaign: campaignFields(brandId),
  });
  if (!answer.campaign) throw new Error('no campaign answered');
  return answer.campaign;
}

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);

describe('TrustService brands', () => {
  it('creates a brand pending and gets it back, its REST fields in snake_case', async () => {
    const brand = await createBrand();
    expect(brand).toMatchObject({
      fields: {
        entity_type: 'PRIVATE_PROFIT',
        display_name: 'Harbor Books',
        postal_code: '60601',
      },
      status: 'REGISTRATION_STATUS_PENDING',
      reasons: [],
      history: [{ status: 'REGISTRATION_STATUS_PENDING', reasons: [], errors: [] }],
    });
    expect(brand.carrier_status).toBeUndefined();
    expect(trust.brands).toHaveLength(1);
    const got = await call<pb.GetBrandResponse>('GetBrand', { brand_id: brand.id });
    expect(got.brand).toEqual(brand);
  });

  it('lists brands newest first, a page at a time, with the next page token', async () => {
    const first = await createBrand();
    const second = await createBrand({ ...brandFields, display_name: 'Harbor Cafe' });
    const page1 = await call<pb.ListBrandsResponse>('ListBrands', { page_size: 1 });
    expect(ids(page1.brands)).toEqual([second.id]);
    expect(page1.next_page_token).not.toBe('');
    const page2 = await call<pb.ListBrandsResponse>('ListBrands', {
      page_size: 1,
      page_token: page1.next_page_token,
    });
    expect(ids(page2.brands)).toEqual([first.id]);
    expect(page2.next_page_token).toBe('');
    const all = await call<pb.ListBrandsResponse>('ListBrands', {});
    expect(ids(all.brands)).toEqual([second.id, first.id]);
    const approved = await call<pb.ListBrandsResponse>('ListBrands', {
      status: 'REGISTRATION_STATUS_APPROVED',
    });
    expect(approved.brands).toEqual([]);
  });

  it('refuses a bad brand with INVALID_ARGUMENT naming the field, and records nothing', async () => {
    const { ein: _, ...withoutEin } = brandFields;
    const missing = await failure(call('CreateBrand', { brand: withoutEin }));
    expect(missing.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(missing)).toEqual(['brand.ein']);
    const badPostal = await failure(
      call('CreateBrand', { brand: { ...brandFields, postal_code: 'nope' } }),
    );
    expect(badPostal.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(badPostal)).toContain('brand.postal_code');
    const negative = await failure(call('ListBrands', { page_size: -1 }));
    expect(violatedFields(negative)).toEqual(['page_size']);
    expect(trust.brands).toEqual([]);
  });

  it('answers NOT_FOUND for an unknown brand or campaign', async () => {
    const id = '0193a1b2-0000-7000-8000-00000000ffff';
    expect((await failure(call('GetBrand', { brand_id: id }))).code).toBe(grpc.status.NOT_FOUND);
    expect((await failure(call('GetCampaign', { campaign_id: id }))).code).toBe(
      grpc.status.NOT_FOUND,
    );
  });

  it('refuses a call without an API key with UNAUTHENTICATED', async () => {
    const refused = await failure(call('CreateBrand', { brand: brandFields }, null));
    expect(refused.code).toBe(grpc.status.UNAUTHENTICATED);
    const wrong = await failure(call('ListBrands', {}, 'tp_test_not_a_key_000000000000000'));
    expect(wrong.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(trust.brands).toEqual([]);
  });
});

describe('TrustService campaigns', () => {
  it('submits a campaign for a brand and gets it back with its fields', async () => {
    const brand = await createBrand();
    const campaign = await createCampaign(brand.id);
    expect(campaign).toMatchObject({
      fields: {
        brand_id: brand.id,
        usecase: 'ACCOUNT_NOTIFICATION',
        help_keywords: ['HELP'],
        optout_keywords: ['STOP'],
        embedded_link: false,
      },
      status: 'REGISTRATION_STATUS_PENDING',
      carrier_accepted: false,
      numbers: [],
    });
    const got = await call<pb.GetCampaignResponse>('GetCampaign', { campaign_id: campaign.id });
    expect(got.campaign).toEqual(campaign);
    const listed = await call<pb.ListCampaignsResponse>('ListCampaigns', {});
    expect(ids(listed.campaigns)).toEqual([campaign.id]);
  });

  it('names a bad campaign field under campaign, in the proto spelling', async () => {
    const brand = await createBrand();
    const refused = await failure(
      call('CreateCampaign', { campaign: { ...campaignFields(brand.id), message_flow: 'short' } }),
    );
    expect(refused.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(refused)).toEqual(['campaign.message_flow']);
    expect(trust.campaigns).toEqual([]);
  });

  it('refuses to assign a number to a campaign the carrier has not taken (FAILED_PRECONDITION)', async () => {
    const brand = await createBrand();
    const campaign = await createCampaign(brand.id);
    const refused = await failure(
      call('AssignNumber', { campaign_id: campaign.id, phone_number: SENDER }),
    );
    expect(refused.code).toBe(grpc.status.FAILED_PRECONDITION);
    const missing = await failure(call('AssignNumber', { campaign_id: campaign.id }));
    expect(missing.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(missing)).toEqual(['phone_number']);
  });

  it('lints a campaign: findings name the field in the proto spelling', async () => {
    const brand = await createBrand();
    const linted = await call<pb.LintCampaignResponse>('LintCampaign', {
      campaign: {
        ...campaignFields(brand.id),
        sample_messages: ['Your order is ready for pickup. Reply STOP to opt out.'],
      },
    });
    expect(linted.findings).toEqual([
      expect.objectContaining({ code: 'missing_brand_name', field: 'campaign.sample_messages.0' }),
    ]);
    const clean = await call<pb.LintCampaignResponse>('LintCampaign', {
      campaign: campaignFields(brand.id),
    });
    expect(clean.findings).toEqual([]);
  });
});

const UNKNOWN_ID = '0193a1b2-0000-7000-8000-00000000ffff';

/** The carrier registering a brand (its carrierBrandId), as registration's fact would. */
function registered(brandId: string): TrustBrandResource {
  const brand = trust.brands.find((b) => b.id === brandId);
  if (!brand) throw new Error(`no brand ${brandId}`);
  brand.carrierBrandId = '4b20019b-b1d8-4e94-9f33-8e5a8a3c5e11';
  return brand;
}

const soleProprietor = {
  entity_type: 'SOLE_PROPRIETOR',
  display_name: 'Dana Reyes Tutoring',
  first_name: 'Dana',
  last_name: 'Reyes',
  mobile_phone: '+13125550142',
  phone: '+13125550142',
  street: '1 Wacker Dr',
  city: 'Chicago',
  state: 'IL',
  postal_code: '60601',
  country: 'US',
  email: 'dana@example.com',
  vertical: 'EDUCATION',
};

describe('TrustService brand vetting', () => {
  it('requests a vetting of a registered brand, the brand showing it requested', async () => {
    const brand = await createBrand();
    registered(brand.id);
    const answer = await call<pb.RequestBrandVettingResponse>(
      'RequestBrandVetting',
      { brand_id: brand.id, evp_id: 'AEGIS' },
      API_KEY,
      'vet-1',
    );
    expect(answer.replayed).toBe(false);
    expect(answer.brand?.vetting).toMatchObject({
      status: 'BRAND_VETTING_STATUS_REQUESTED',
      evp_id: 'AEGIS',
      reasons: [],
      errors: [],
    });
    expect(answer.brand?.vetting?.vetting_class).toBeUndefined();
    expect(answer.brand?.otp).toBeNull();
    expect(trust.keys).toEqual(['vet-1']);
    const got = await call<pb.GetBrandResponse>('GetBrand', { brand_id: brand.id });
    expect(got.brand?.vetting?.status).toBe('BRAND_VETTING_STATUS_REQUESTED');
  });

  it('refuses a bad id (INVALID_ARGUMENT brand_id), an unknown brand (NOT_FOUND), an unregistered one (FAILED_PRECONDITION), recording nothing', async () => {
    const brand = await createBrand();
    const bad = await failure(call('RequestBrandVetting', { brand_id: 'nope' }));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(bad)).toEqual(['brand_id']);
    const unknown = await failure(call('RequestBrandVetting', { brand_id: UNKNOWN_ID }));
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    const unregistered = await failure(call('RequestBrandVetting', { brand_id: brand.id }));
    expect(unregistered.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(trust.brands[0]?.vetting).toBeNull();
  });
});

describe('TrustService sole-proprietor OTP', () => {
  it('sends an OTP to a sole proprietor, then verifies the PIN once it is sent', async () => {
    const brand = await createBrand(soleProprietor);
    registered(brand.id);
    const sent = await call<pb.SendBrandOtpResponse>('SendBrandOtp', {
      brand_id: brand.id,
      pin_sms: 'Your Dana Reyes Tutoring code is @OTP_PIN@',
      idempotency_key: 'otp-1',
    });
    expect(sent.brand?.otp).toMatchObject({
      status: 'BRAND_OTP_STATUS_REQUESTED',
      failed_step: 'BRAND_OTP_STEP_UNSPECIFIED',
    });
    const stored = trust.brands[0];
    if (!stored?.otp) throw new Error('no OTP recorded');
    stored.otp = { ...stored.otp, status: 'sent' };
    const verified = await call<pb.VerifyBrandOtpResponse>(
      'VerifyBrandOtp',
      { brand_id: brand.id, otp_pin: '123456' },
      API_KEY,
      'verify-1',
    );
    expect(verified.replayed).toBe(false);
    expect(verified.brand?.otp?.status).toBe('BRAND_OTP_STATUS_VERIFYING');
    expect(trust.keys).toEqual(['otp-1', 'verify-1']);
  });

  it('refuses a bad OTP request naming the field (pin_sms, otp_pin), an unknown brand (NOT_FOUND), a company brand or no OTP sent (FAILED_PRECONDITION), recording nothing', async () => {
    const brand = await createBrand(soleProprietor);
    registered(brand.id);
    const noPin = await failure(
      call('SendBrandOtp', { brand_id: brand.id, pin_sms: 'Your code is here' }),
    );
    expect(noPin.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(noPin)).toEqual(['pin_sms']);
    const unknown = await failure(call('SendBrandOtp', { brand_id: UNKNOWN_ID }));
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    const company = await createBrand();
    registered(company.id);
    const notSole = await failure(call('SendBrandOtp', { brand_id: company.id }));
    expect(notSole.code).toBe(grpc.status.FAILED_PRECONDITION);
    const missingPin = await failure(call('VerifyBrandOtp', { brand_id: brand.id }));
    expect(missingPin.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(missingPin)).toEqual(['otp_pin']);
    const badPin = await failure(call('VerifyBrandOtp', { brand_id: brand.id, otp_pin: '12 34' }));
    expect(violatedFields(badPin)).toEqual(['otp_pin']);
    const unknownVerify = await failure(
      call('VerifyBrandOtp', { brand_id: UNKNOWN_ID, otp_pin: '123456' }),
    );
    expect(unknownVerify.code).toBe(grpc.status.NOT_FOUND);
    const notSent = await failure(
      call('VerifyBrandOtp', { brand_id: brand.id, otp_pin: '123456' }),
    );
    expect(notSent.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(trust.brands.map((b) => b.otp)).toEqual([null, null]);
  });
});

const tollFreeFields = {
  business_name: 'Harbor Books LLC',
  corporate_website: 'https://harborbooks.com',
  business_addr1: '1 Wacker Dr',
  business_city: 'Chicago',
  business_state: 'Illinois',
  business_zip: '60601',
  business_contact_first_name: 'Dana',
  business_contact_last_name: 'Reyes',
  business_contact_email: 'dana@harborbooks.com',
  business_contact_phone: '+13125550100',
  message_volume: '1,000',
  phone_numbers: ['+18005550100'],
  use_case: 'Account Notifications',
  use_case_summary: 'Order updates and pickup notices for customers of Harbor Books.',
  production_message_content: 'Harbor Books: your order 1042 is ready. Reply STOP to opt out.',
  opt_in_workflow: 'Customers tick an SMS consent box at checkout on harborbooks.com.',
  opt_in_workflow_image_urls: ['https://harborbooks.com/optin.png'],
};

async function createVerification(fields: object = tollFreeFields) {
  const answer = await call<pb.CreateTollFreeVerificationResponse>('CreateTollFreeVerification', {
    verification: fields,
  });
  if (!answer.verification) throw new Error('no verification answered');
  return answer.verification;
}

describe('TrustService toll-free verifications', () => {
  it('requests a verification pending and gets it back, its REST fields in snake_case', async () => {
    const answer = await call<pb.CreateTollFreeVerificationResponse>(
      'CreateTollFreeVerification',
      { verification: { ...tollFreeFields, age_gated_content: false } },
      API_KEY,
      'tfv-1',
    );
    const verification = answer.verification;
    expect(answer.replayed).toBe(false);
    expect(verification).toMatchObject({
      fields: {
        business_name: 'Harbor Books LLC',
        business_addr1: '1 Wacker Dr',
        phone_numbers: ['+18005550100'],
        opt_in_workflow_image_urls: ['https://harborbooks.com/optin.png'],
        age_gated_content: false,
      },
      status: 'REGISTRATION_STATUS_PENDING',
      reasons: [],
      errors: [],
      history: [{ status: 'REGISTRATION_STATUS_PENDING', reasons: [], errors: [] }],
      verified_numbers: [],
    });
    expect(verification?.fields?.business_addr2).toBeUndefined();
    expect(verification?.carrier_status).toBeUndefined();
    expect(verification?.carrier_verification_id).toBeUndefined();
    expect(trust.keys).toEqual(['tfv-1']);
    const got = await call<pb.GetTollFreeVerificationResponse>('GetTollFreeVerification', {
      verification_id: verification?.id,
    });
    expect(got.verification).toEqual(verification);
  });

  it('lists verifications newest first, a page at a time, filtered by status', async () => {
    const first = await createVerification();
    const second = await createVerification({ ...tollFreeFields, phone_numbers: ['+18885550142'] });
    const page1 = await call<pb.ListTollFreeVerificationsResponse>('ListTollFreeVerifications', {
      page_size: 1,
    });
    expect(ids(page1.verifications)).toEqual([second.id]);
    expect(page1.next_page_token).not.toBe('');
    const page2 = await call<pb.ListTollFreeVerificationsResponse>('ListTollFreeVerifications', {
      page_size: 1,
      page_token: page1.next_page_token,
    });
    expect(ids(page2.verifications)).toEqual([first.id]);
    expect(page2.next_page_token).toBe('');
    const pending = await call<pb.ListTollFreeVerificationsResponse>('ListTollFreeVerifications', {
      status: 'REGISTRATION_STATUS_PENDING',
    });
    expect(ids(pending.verifications)).toEqual([second.id, first.id]);
    const approved = await call<pb.ListTollFreeVerificationsResponse>('ListTollFreeVerifications', {
      status: 'REGISTRATION_STATUS_APPROVED',
    });
    expect(approved.verifications).toEqual([]);
    const negative = await failure(call('ListTollFreeVerifications', { page_size: -1 }));
    expect(violatedFields(negative)).toEqual(['page_size']);
  });

  it('refuses bad fields with INVALID_ARGUMENT naming each under verification, and records nothing', async () => {
    const { business_zip: _, ...withoutZip } = tollFreeFields;
    const missing = await failure(createVerification(withoutZip));
    expect(missing.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(missing)).toEqual(['verification.business_zip']);
    const notOwned = await failure(
      createVerification({ ...tollFreeFields, phone_numbers: ['+18445550123'] }),
    );
    expect(violatedFields(notOwned)).toEqual(['verification.phone_numbers.0']);
    const badImage = await failure(
      createVerification({ ...tollFreeFields, opt_in_workflow_image_urls: ['not a url'] }),
    );
    expect(violatedFields(badImage)).toEqual(['verification.opt_in_workflow_image_urls.0']);
    const noNumbers = await failure(createVerification({ ...tollFreeFields, phone_numbers: [] }));
    expect(violatedFields(noNumbers)).toEqual(['verification.phone_numbers']);
    expect(trust.verifications).toEqual([]);
  });

  it('refuses a number under a standing verification (FAILED_PRECONDITION) and an unknown or bad id', async () => {
    await createVerification();
    const taken = await failure(createVerification());
    expect(taken.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(violatedFields(taken)).toEqual(['verification.phone_numbers.0']);
    expect(trust.verifications).toHaveLength(1);
    const unknown = await failure(call('GetTollFreeVerification', { verification_id: UNKNOWN_ID }));
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    const bad = await failure(call('GetTollFreeVerification', { verification_id: 'nope' }));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(bad)).toEqual(['verification_id']);
  });
});

/** The carrier having provisioned SENDER on a campaign, as registration's facts would show it. */
function provisioned(campaignId: string): void {
  const campaign = trust.campaigns.find((c) => c.id === campaignId);
  if (!campaign) throw new Error(`no campaign ${campaignId}`);
  const at = '2026-12-03T12:30:00.000Z';
  campaign.numbers.push({
    phoneNumber: SENDER,
    status: 'approved',
    carrierStatus: 'ASSIGNED',
    reasons: [],
    errors: [],
    history: [{ at, status: 'approved', carrierStatus: 'ASSIGNED', reasons: [], errors: [] }],
    removal: null,
    requestedAt: at,
    updatedAt: at,
  });
}

describe('TrustService number removal', () => {
  it('requests the removal of an assigned number: it stays approved, its removal requested', async () => {
    const brand = await createBrand();
    const campaign = await createCampaign(brand.id);
    provisioned(campaign.id);
    const answer = await call<pb.UnassignNumberResponse>(
      'UnassignNumber',
      { campaign_id: campaign.id, phone_number: SENDER },
      API_KEY,
      'remove-1',
    );
    expect(answer.replayed).toBe(false);
    expect(answer.campaign?.numbers).toEqual([
      expect.objectContaining({
        phone_number: SENDER,
        status: 'REGISTRATION_STATUS_APPROVED',
        removal: expect.objectContaining({
          status: 'NUMBER_REMOVAL_STATUS_REQUESTED',
          reasons: [],
          errors: [],
        }) as unknown,
      }),
    ]);
    expect(answer.campaign?.numbers[0]?.removal?.carrier_status).toBeUndefined();
    expect(trust.keys).toEqual(['remove-1']);
    const got = await call<pb.GetCampaignResponse>('GetCampaign', { campaign_id: campaign.id });
    expect(got.campaign).toEqual(answer.campaign);
  });

  it('refuses a bad phone or id naming the field, an unknown campaign (NOT_FOUND), a number not assigned or being removed (FAILED_PRECONDITION), recording nothing', async () => {
    const brand = await createBrand();
    const campaign = await createCampaign(brand.id);
    const badPhone = await failure(
      call('UnassignNumber', { campaign_id: campaign.id, phone_number: 'nope' }),
    );
    expect(badPhone.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(violatedFields(badPhone)).toEqual(['phone_number']);
    const noPhone = await failure(call('UnassignNumber', { campaign_id: campaign.id }));
    expect(violatedFields(noPhone)).toEqual(['phone_number']);
    const badId = await failure(
      call('UnassignNumber', { campaign_id: 'nope', phone_number: SENDER }),
    );
    expect(violatedFields(badId)).toEqual(['campaign_id']);
    const unknown = await failure(
      call('UnassignNumber', { campaign_id: UNKNOWN_ID, phone_number: SENDER }),
    );
    expect(unknown.code).toBe(grpc.status.NOT_FOUND);
    const notAssigned = await failure(
      call('UnassignNumber', { campaign_id: campaign.id, phone_number: SENDER }),
    );
    expect(notAssigned.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(violatedFields(notAssigned)).toEqual(['phone_number']);
    provisioned(campaign.id);
    await call('UnassignNumber', { campaign_id: campaign.id, phone_number: SENDER });
    const requested = trust.campaigns[0]?.numbers[0]?.removal;
    const again = await failure(
      call('UnassignNumber', { campaign_id: campaign.id, phone_number: SENDER }),
    );
    expect(again.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(trust.campaigns[0]?.numbers[0]?.removal).toBe(requested);
  });
});
