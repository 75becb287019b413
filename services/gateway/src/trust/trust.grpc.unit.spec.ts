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
import type { Accepted, CampaignLintResult, Page } from './trust-center.application.js';
import type { TrustBrandResource, TrustCampaignResource } from './trust-read-model.js';
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

  async lint(_tenant: AuthenticatedTenant, rawInput: unknown): Promise<CampaignLintResult> {
    const input = validateRequest<CampaignLintInput>('LintCampaignRequest', rawInput);
    const brand = input.brandId === undefined ? null : await this.getBrand(tenant, input.brandId);
    return { findings: lintCampaign(input, brand ? { displayName: brand.displayName } : null) };
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
  lint: (...args) => trust.lint(...args),
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
): Promise<T> {
  const definition = method(name);
  const metadata = new grpc.Metadata();
  if (apiKey !== null) metadata.set('authorization', `Bearer ${apiKey}`);
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
