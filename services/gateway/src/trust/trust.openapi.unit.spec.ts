import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { requestSchemas } from '../http/request-schemas.js';
import { openApiDocument } from '../openapi/openapi-document.js';
import { trustBrandResourceOf, trustCampaignResourceOf } from './trust-read-model.js';
import type { TrustBrandRow, TrustCampaignNumberRow, TrustCampaignRow } from './trust-record.js';
import {
  AssignCampaignNumberRequestSchema,
  CreateBrandRequestSchema,
  CreateCampaignRequestSchema,
  LintCampaignRequestSchema,
} from './trust.request-schemas.js';

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;
const document = openApiDocument('http://127.0.0.1:8080') as {
  paths: Record<string, Record<string, { requestBody?: unknown }>>;
  components: { schemas: Record<string, object> };
};

const at = '2026-12-03T10:00:00.000Z';
const TENANT = '0190c5a0-0000-7000-8000-0000000000aa';
const BRAND = '0190c5a0-0000-7000-8000-000000000001';
const CAMPAIGN = '0190c5a0-0000-7000-8000-000000000002';
const REQUEST = '0190c5a0-0000-7000-8000-000000000003';
const reasons = [{ code: 'ein_mismatch', carrierReason: 'no match', suggestedFix: 'Fix the name' }];
const history = [{ at, status: 'rejected' as const, carrierStatus: 'FAILED', reasons, errors: [] }];

const brandRow: TrustBrandRow = {
  brand_id: BRAND,
  stream_version: 1,
  otp: null,
  vetting: null,
  tenant_id: TENANT,
  request_id: REQUEST,
  details: {
    entityType: 'PRIVATE_PROFIT',
    displayName: 'Harbor Books',
    phone: '+13125550100',
    street: '1 Wacker Dr',
    city: 'Chicago',
    state: 'IL',
    postalCode: '60601',
    country: 'US',
    email: 'support@harborbooks.com',
    vertical: 'RETAIL',
  },
  status: 'rejected',
  carrier_status: 'FAILED',
  carrier_brand_id: 'carrier-1',
  tcr_brand_id: null,
  vetting_score: 40,
  vetting_provider: 'AEGIS',
  vetted_at: at,
  reasons,
  errors: [],
  history,
  created_at: at,
  updated_at: at,
};

const campaignRow: TrustCampaignRow = {
  campaign_id: CAMPAIGN,
  tenant_id: TENANT,
  brand_id: BRAND,
  request_id: REQUEST,
  details: {
    brandId: BRAND,
    usecase: 'MIXED',
    description: 'd',
    messageFlow: 'f',
    sampleMessages: ['s'],
    helpMessage: 'h',
    optoutMessage: 'o',
    helpKeywords: ['HELP'],
    optinKeywords: [],
    optoutKeywords: ['STOP'],
    embeddedLink: false,
    embeddedPhone: false,
    numberPool: false,
    ageGated: false,
    directLending: false,
  },
  status: 'rejected',
  carrier_status: null,
  carrier_campaign_id: null,
  tcr_campaign_id: null,
  carrier_accepted: false,
  stream_version: 2,
  reasons: [],
  errors: [{ field: 'sampleMessages.0', message: 'missing_brand_name' }],
  history,
  created_at: at,
  updated_at: at,
};

const numberRow: TrustCampaignNumberRow = {
  request_id: REQUEST,
  campaign_id: CAMPAIGN,
  phone_number: '+13125550123',
  tenant_id: TENANT,
  status: 'pending',
  carrier_status: null,
  reasons: [],
  errors: [],
  history: [{ at, status: 'pending', carrierStatus: null, reasons: [], errors: [] }],
  requested_at: at,
  started_at: null,
  removal: null,
  updated_at: at,
};

function compile(name: string) {
  const ajv = new Ajv2020({ strict: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(
    JSON.parse(
      JSON.stringify(document.components.schemas[name]).replaceAll(
        '#/components/schemas/',
        '#/$defs/',
      ),
    ) as object,
  );
}

describe('the Trust Center in the OpenAPI document', () => {
  it('lists every route, the request bodies being the schemas requests are validated against', () => {
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/trust/brands',
        '/v1/trust/brands/{id}',
        '/v1/trust/campaigns',
        '/v1/trust/campaigns/lint',
        '/v1/trust/campaigns/{id}',
        '/v1/trust/campaigns/{id}/numbers',
        '/v1/trust/campaigns/{id}/numbers/{phone}',
      ]),
    );
    expect(requestSchemas.CreateBrandRequest).toBe(CreateBrandRequestSchema);
    expect(requestSchemas.CreateCampaignRequest).toBe(CreateCampaignRequestSchema);
    expect(requestSchemas.LintCampaignRequest).toBe(LintCampaignRequestSchema);
    expect(requestSchemas.AssignCampaignNumberRequest).toBe(AssignCampaignNumberRequestSchema);
    expect(document.components.schemas['CreateBrandRequest']).toBe(CreateBrandRequestSchema);
    expect(document.paths['/v1/trust/campaigns/{id}/numbers']?.['post']?.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/AssignCampaignNumberRequest' },
        },
      },
    });
  });

  it('describes the resources as the read model answers them', () => {
    const brand = compile('TrustBrand');
    expect(brand(trustBrandResourceOf(brandRow)), JSON.stringify(brand.errors)).toBe(true);
    const campaign = compile('TrustCampaign');
    const resource = trustCampaignResourceOf(campaignRow, [numberRow]);
    expect(campaign(resource), JSON.stringify(campaign.errors)).toBe(true);
    expect(campaign({ ...resource, status: 'done' })).toBe(false);
  });
});
