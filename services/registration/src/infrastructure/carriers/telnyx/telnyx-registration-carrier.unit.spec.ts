import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '@textplane/observability';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  brandBody,
  brandId,
  campaignBody,
  campaignId,
  tenantNumber,
  tollFreeBody,
  verificationId,
} from '../../../../test/fixtures.js';
import { TelnyxRegistrationCarrier } from './telnyx-registration-carrier.js';

/**
 * The exact HTTP requests the adapter makes through the SDK, against a local HTTP server (the
 * carrier faked at its boundary, not the SDK spied on), answered with the payloads of
 * testdata/; and the SDK's log, at its most talkative, never showing the API key.
 */

const API_KEY = 'KEY0192A3B4C5D6E7F8_r12-never-logged';
const CARRIER_BRAND_ID = '4b20017f-8da9-a992-a6c0-683072fb7729';
const CARRIER_CAMPAIGN_ID = '4b300178-131c-d902-d54e-72d90ba1620j';
const WEBHOOK_URL = 'http://127.0.0.1:8080/webhooks/telnyx';

function testdata(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./testdata/${name}.json`, import.meta.url), 'utf8'));
}

interface SeenRequest {
  method: string | undefined;
  path: string | undefined;
  headers: Record<string, string>;
  body: unknown;
}

/** Transport and SDK telemetry headers vary with the machine and SDK release: left out. */
const INCIDENTAL = new Set([
  'host',
  'connection',
  'content-length',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
  'user-agent',
]);

function meaningful(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      INCIDENTAL.has(name) || name.startsWith('x-stainless-') || typeof value !== 'string'
        ? []
        : [[name, value]],
    ),
  );
}

let server: Server;
let baseUrl: string;
const seen: SeenRequest[] = [];
let answers: Array<{ status: number; body: unknown }> = [];
const logged: string[] = [];

const capturingLogger = createLogger(
  'registration',
  'debug',
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  }),
);

function carrier() {
  return new TelnyxRegistrationCarrier({
    apiKey: API_KEY,
    baseUrl,
    timeoutMs: 2_000,
    maxRetries: 0,
    webhookUrl: WEBHOOK_URL,
    logger: capturingLogger,
    logLevel: 'debug',
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method,
        path: req.url,
        headers: meaningful(req.headers),
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      });
      const answer = answers.shift() ?? { status: 500, body: {} };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
  answers = [];
});

const readHeaders = { accept: 'application/json', authorization: `Bearer ${API_KEY}` };
const writeHeaders = (key: string) => ({
  ...readHeaders,
  'content-type': 'application/json',
  'idempotency-key': key,
});

describe('the HTTP requests, exactly', () => {
  it.each([
    {
      name: 'brand create: POST /v2/10dlc/brand, Telnyx field names, the webhook URL, keyed by brand id',
      run: () => carrier().createBrand(brandId, brandBody),
      answers: [{ status: 200, body: testdata('brand-created') }],
      requests: [
        {
          method: 'POST',
          path: '/v2/10dlc/brand',
          headers: writeHeaders(brandId),
          body: {
            entityType: 'PRIVATE_PROFIT',
            displayName: 'Acme Dental',
            companyName: 'Acme Dental LLC',
            ein: '12-3456789',
            phone: '+15125550100',
            street: '100 Congress Ave',
            city: 'Austin',
            state: 'TX',
            postalCode: '78701',
            country: 'US',
            email: 'support@acmedental.com',
            website: 'https://acmedental.com',
            vertical: 'HEALTHCARE',
            webhookURL: WEBHOOK_URL,
          },
        },
      ],
      result: {
        outcome: 'done',
        value: {
          carrierBrandId: CARRIER_BRAND_ID,
          tcrBrandId: 'BBRAND1',
          reading: { status: 'pending', carrierStatus: 'REGISTRATION_PENDING', reasons: [] },
        },
      },
    },
    {
      name: 'brand status: GET the brand, then its external vettings (the latest score)',
      run: () => carrier().brandStatus(CARRIER_BRAND_ID),
      answers: [
        { status: 200, body: testdata('brand-verified') },
        { status: 200, body: testdata('external-vetting-list') },
      ],
      requests: [
        {
          method: 'GET',
          path: `/v2/10dlc/brand/${CARRIER_BRAND_ID}`,
          headers: readHeaders,
          body: undefined,
        },
        {
          method: 'GET',
          path: `/v2/10dlc/brand/${CARRIER_BRAND_ID}/externalVetting`,
          headers: readHeaders,
          body: undefined,
        },
      ],
      result: {
        outcome: 'done',
        value: {
          reading: { status: 'approved', carrierStatus: 'VERIFIED', reasons: [] },
          vetting: { score: 82, provider: 'AEGIS' },
        },
      },
    },
    {
      name: 'campaign submit: POST /v2/10dlc/campaignBuilder, samples 1..n, keywords comma-joined, referenceId',
      run: () => carrier().submitCampaign(campaignId, CARRIER_BRAND_ID, campaignBody),
      answers: [{ status: 200, body: testdata('campaign-submitted') }],
      requests: [
        {
          method: 'POST',
          path: '/v2/10dlc/campaignBuilder',
          headers: writeHeaders(campaignId),
          body: {
            brandId: CARRIER_BRAND_ID,
            usecase: 'ACCOUNT_NOTIFICATION',
            description: campaignBody.description,
            messageFlow: campaignBody.messageFlow,
            sample1: campaignBody.sampleMessages[0],
            sample2: campaignBody.sampleMessages[1],
            helpMessage: campaignBody.helpMessage,
            optinMessage: campaignBody.optinMessage,
            optoutMessage: campaignBody.optoutMessage,
            helpKeywords: 'HELP',
            optinKeywords: 'START',
            optoutKeywords: 'STOP',
            subscriberHelp: true,
            subscriberOptin: true,
            subscriberOptout: true,
            embeddedLink: false,
            embeddedPhone: false,
            numberPool: false,
            ageGated: false,
            directLending: false,
            referenceId: campaignId,
            webhookURL: WEBHOOK_URL,
          },
        },
      ],
      result: {
        outcome: 'done',
        value: {
          carrierCampaignId: CARRIER_CAMPAIGN_ID,
          tcrCampaignId: 'CX4ABCD',
          reading: {
            status: 'pending',
            carrierAccepted: false,
            carrierStatus: 'TCR_PENDING',
            reasons: [],
          },
        },
      },
    },
    {
      name: 'campaign status: GET /v2/10dlc/campaign/{id}, accepted by the carriers',
      run: () => carrier().campaignStatus(CARRIER_CAMPAIGN_ID),
      answers: [{ status: 200, body: testdata('campaign-provisioned') }],
      requests: [
        {
          method: 'GET',
          path: `/v2/10dlc/campaign/${CARRIER_CAMPAIGN_ID}`,
          headers: readHeaders,
          body: undefined,
        },
      ],
      result: {
        outcome: 'done',
        value: {
          status: 'pending',
          carrierAccepted: true,
          carrierStatus: 'MNO_PROVISIONED',
          reasons: [],
        },
      },
    },
    {
      name: 'number assignment: POST /v2/10dlc/phone_number_campaigns, keyed by the assignment',
      run: () => carrier().assignNumber('assignment-key-1', tenantNumber, CARRIER_CAMPAIGN_ID),
      answers: [{ status: 200, body: testdata('phone-number-campaign-pending') }],
      requests: [
        {
          method: 'POST',
          path: '/v2/10dlc/phone_number_campaigns',
          headers: writeHeaders('assignment-key-1'),
          body: { phoneNumber: tenantNumber, campaignId: CARRIER_CAMPAIGN_ID },
        },
      ],
      result: {
        outcome: 'done',
        value: { status: 'pending', carrierStatus: 'PENDING_ASSIGNMENT', reasons: [] },
      },
    },
    {
      name: 'assignment status: GET /v2/10dlc/phone_number_campaigns/{phone}',
      run: () => carrier().assignmentStatus(tenantNumber),
      answers: [{ status: 200, body: testdata('phone-number-campaign-assigned') }],
      requests: [
        {
          method: 'GET',
          // The SDK sends the "+" as it is (a literal in a path).
          path: `/v2/10dlc/phone_number_campaigns/${tenantNumber}`,
          headers: readHeaders,
          body: undefined,
        },
      ],
      result: {
        outcome: 'done',
        value: { status: 'approved', carrierStatus: 'ASSIGNED', reasons: [] },
      },
    },
    {
      name: 'assignment status of a number on no campaign: 404 is none, not a refusal',
      run: () => carrier().assignmentStatus(tenantNumber),
      answers: [
        { status: 404, body: { errors: [{ code: '10005', title: 'Resource not found' }] } },
      ],
      requests: [
        {
          method: 'GET',
          path: `/v2/10dlc/phone_number_campaigns/${tenantNumber}`,
          headers: readHeaders,
          body: undefined,
        },
      ],
      result: { outcome: 'done', value: null },
    },
    {
      name: 'number removal: DELETE /v2/10dlc/phone_number_campaigns/{phone}, keyed by the removal',
      run: () => carrier().unassignNumber('removal-key-1', tenantNumber),
      answers: [{ status: 200, body: testdata('phone-number-campaign-pending-unassignment') }],
      requests: [
        {
          method: 'DELETE',
          path: `/v2/10dlc/phone_number_campaigns/${tenantNumber}`,
          headers: { ...readHeaders, 'idempotency-key': 'removal-key-1' },
          body: undefined,
        },
      ],
      result: {
        outcome: 'done',
        value: { status: 'pending', carrierStatus: 'PENDING_UNASSIGNMENT', reasons: [] },
      },
    },
    {
      name: 'number removal of a number on no campaign (removed already): none',
      run: () => carrier().unassignNumber('removal-key-1', tenantNumber),
      answers: [
        { status: 404, body: { errors: [{ code: '10005', title: 'Resource not found' }] } },
      ],
      requests: [
        {
          method: 'DELETE',
          path: `/v2/10dlc/phone_number_campaigns/${tenantNumber}`,
          headers: { ...readHeaders, 'idempotency-key': 'removal-key-1' },
          body: undefined,
        },
      ],
      result: { outcome: 'done', value: null },
    },
    {
      name: 'a failed removal reads as rejected with its reasons',
      run: () => carrier().assignmentStatus(tenantNumber),
      answers: [{ status: 200, body: testdata('phone-number-campaign-failed-unassignment') }],
      requests: [
        {
          method: 'GET',
          path: `/v2/10dlc/phone_number_campaigns/${tenantNumber}`,
          headers: readHeaders,
          body: undefined,
        },
      ],
      result: {
        outcome: 'done',
        value: {
          status: 'rejected',
          carrierStatus: 'FAILED_UNASSIGNMENT',
          reasons: [
            expect.objectContaining({
              carrierReason: 'Number is locked by a port-out request',
            }) as unknown,
          ],
        },
      },
    },
  ])('$name', async ({ run, answers: given, requests, result }) => {
    answers = given;
    expect(await run()).toEqual(result);
    expect(seen).toEqual(requests);
  });
});

const CARRIER_VERIFICATION_ID = '182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e';
const REQUEST_KEY = '01936f4e-7c2a-7cc1-9a57-0000000a0001';

describe('toll-free verification, OTP and vetting requests, exactly', () => {
  it.each([
    {
      name: 'toll-free create: POST /v2/messaging_tollfree/verification/requests, numbers and images as objects, keyed by verification id',
      run: () =>
        carrier().submitTollFreeVerification(verificationId, {
          ...tollFreeBody,
          privacyPolicyURL: 'https://acmedental.com/privacy',
        }),
      answers: [{ status: 200, body: testdata('toll-free-verification-created') }],
      requests: [
        {
          method: 'POST',
          path: '/v2/messaging_tollfree/verification/requests',
          headers: writeHeaders(verificationId),
          body: {
            businessName: 'Acme Dental LLC',
            corporateWebsite: 'https://acmedental.com',
            businessAddr1: '100 Congress Ave',
            businessCity: 'Austin',
            businessState: 'Texas',
            businessZip: '78701',
            businessContactFirstName: 'Ana',
            businessContactLastName: 'Diaz',
            businessContactEmail: 'ana@acmedental.com',
            businessContactPhone: '+15125550100',
            messageVolume: '1,000',
            phoneNumbers: [{ phoneNumber: '+18885550100' }],
            useCase: 'Appointments',
            useCaseSummary: tollFreeBody.useCaseSummary,
            productionMessageContent: tollFreeBody.productionMessageContent,
            optInWorkflow: tollFreeBody.optInWorkflow,
            optInWorkflowImageURLs: [{ url: 'https://acmedental.com/img/sms-consent.png' }],
            additionalInformation: '',
            privacyPolicyURL: 'https://acmedental.com/privacy',
            webhookUrl: WEBHOOK_URL,
          },
        },
      ],
      result: {
        outcome: 'done',
        value: {
          carrierVerificationId: CARRIER_VERIFICATION_ID,
          reading: { status: 'pending', carrierStatus: 'Waiting For Telnyx', reasons: [] },
        },
      },
    },
    {
      name: 'toll-free status: GET the request, a rejection read with its reasons and fixes',
      run: () => carrier().tollFreeVerificationStatus(CARRIER_VERIFICATION_ID),
      answers: [{ status: 200, body: testdata('toll-free-verification-rejected') }],
      requests: [
        {
          method: 'GET',
          path: `/v2/messaging_tollfree/verification/requests/${CARRIER_VERIFICATION_ID}`,
          headers: readHeaders,
          body: undefined,
        },
      ],
      result: {
        outcome: 'done',
        value: {
          status: 'rejected',
          carrierStatus: 'Rejected',
          reasons: [
            expect.objectContaining({
              code: 'opt_in_image_missing',
              field: 'optInWorkflowImageURLs',
              carrierReason: 'Opt-in workflow screenshots are missing',
            }),
            expect.objectContaining({
              code: 'opt_in_workflow_unclear',
              field: 'optInWorkflow',
            }),
          ],
        },
      },
    },
    {
      name: 'OTP trigger: POST /v2/10dlc/brand/{id}/smsOtp with both texts, keyed by the request',
      run: () =>
        carrier().sendBrandOtp(REQUEST_KEY, CARRIER_BRAND_ID, {
          pinSms: 'Ana Diaz Tutoring: your code is @OTP_PIN@',
          successSms: 'Ana Diaz Tutoring: verified.',
        }),
      answers: [{ status: 200, body: testdata('brand-sms-otp-triggered') }],
      requests: [
        {
          method: 'POST',
          path: `/v2/10dlc/brand/${CARRIER_BRAND_ID}/smsOtp`,
          headers: writeHeaders(REQUEST_KEY),
          body: {
            pinSms: 'Ana Diaz Tutoring: your code is @OTP_PIN@',
            successSms: 'Ana Diaz Tutoring: verified.',
          },
        },
      ],
      result: { outcome: 'done', value: { referenceId: 'OTP4B2001' } },
    },
    {
      name: 'OTP verify: PUT /v2/10dlc/brand/{id}/smsOtp with the PIN (204)',
      run: () => carrier().verifyBrandOtp(REQUEST_KEY, CARRIER_BRAND_ID, '482913'),
      answers: [{ status: 204, body: {} }],
      requests: [
        {
          method: 'PUT',
          path: `/v2/10dlc/brand/${CARRIER_BRAND_ID}/smsOtp`,
          headers: { ...writeHeaders(REQUEST_KEY), accept: '*/*' },
          body: { otpPin: '482913' },
        },
      ],
      result: { outcome: 'done', value: { verified: true } },
    },
    {
      name: 'OTP verify refused: a wrong PIN is refused with a fix',
      run: () => carrier().verifyBrandOtp(REQUEST_KEY, CARRIER_BRAND_ID, '000000'),
      answers: [
        {
          status: 400,
          body: { errors: [{ code: '10015', title: 'Bad Request', detail: 'Invalid OTP pin.' }] },
        },
      ],
      requests: [
        {
          method: 'PUT',
          path: `/v2/10dlc/brand/${CARRIER_BRAND_ID}/smsOtp`,
          headers: { ...writeHeaders(REQUEST_KEY), accept: '*/*' },
          body: { otpPin: '000000' },
        },
      ],
      result: {
        outcome: 'refused',
        carrierStatus: 'OTP_FAILED',
        reasons: [
          expect.objectContaining({
            code: 'otp_invalid',
            field: 'otpPin',
            carrierReason: 'Invalid OTP pin.',
          }),
        ],
      },
    },
    {
      name: 'vetting order: POST /v2/10dlc/brand/{id}/externalVetting, keyed by the request',
      run: () =>
        carrier().orderBrandVetting(REQUEST_KEY, CARRIER_BRAND_ID, {
          evpId: 'AEGIS',
          vettingClass: 'STANDARD',
        }),
      answers: [{ status: 200, body: testdata('external-vetting-ordered') }],
      requests: [
        {
          method: 'POST',
          path: `/v2/10dlc/brand/${CARRIER_BRAND_ID}/externalVetting`,
          headers: writeHeaders(REQUEST_KEY),
          body: { evpId: 'AEGIS', vettingClass: 'STANDARD' },
        },
      ],
      result: { outcome: 'done', value: { vettingId: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b' } },
    },
    {
      name: 'a sole proprietor awaiting its OTP reads as pending, with what to do',
      run: () => carrier().brandStatus(CARRIER_BRAND_ID),
      answers: [
        { status: 200, body: testdata('brand-sole-proprietor-awaiting-otp') },
        { status: 200, body: [] },
      ],
      requests: [
        {
          method: 'GET',
          path: `/v2/10dlc/brand/${CARRIER_BRAND_ID}`,
          headers: readHeaders,
          body: undefined,
        },
        {
          method: 'GET',
          path: `/v2/10dlc/brand/${CARRIER_BRAND_ID}/externalVetting`,
          headers: readHeaders,
          body: undefined,
        },
      ],
      result: {
        outcome: 'done',
        value: {
          reading: {
            status: 'pending',
            carrierStatus: 'SELF_DECLARED',
            reasons: [expect.objectContaining({ code: 'otp_required', field: 'mobilePhone' })],
          },
        },
      },
    },
  ])('$name', async ({ run, answers: given, requests, result }) => {
    answers = given;
    expect(await run()).toEqual(result);
    expect(seen).toEqual(requests);
  });
});

describe("the carrier's refusals and outages", () => {
  it('a coded 4xx is refused, its detail read as a reason with a fix', async () => {
    answers = [{ status: 422, body: testdata('error-invalid-ein') }];
    expect(await carrier().createBrand(brandId, brandBody)).toEqual({
      outcome: 'refused',
      carrierStatus: 'REGISTRATION_FAILED',
      reasons: [
        {
          code: 'ein_mismatch',
          carrierReason: 'EIN 00-0000000 is not a valid EIN',
          suggestedFix:
            'Give the EIN and the legal company name exactly as the IRS letter (CP 575 or 147C) shows them.',
          field: 'ein',
        },
      ],
    });
  });

  it.each([429, 500, 503])('HTTP %i is unavailable (tried again later)', async (status) => {
    answers = [{ status, body: { errors: [{ code: '10007', detail: 'Try later' }] } }];
    expect(await carrier().campaignStatus(CARRIER_CAMPAIGN_ID)).toEqual({
      outcome: 'unavailable',
      errorDetail: 'Try later',
    });
  });

  it('a refused connection is unavailable', async () => {
    const closed = new TelnyxRegistrationCarrier({
      apiKey: API_KEY,
      baseUrl: 'http://127.0.0.1:1/v2',
      timeoutMs: 500,
      maxRetries: 0,
    });
    const result = await closed.assignmentStatus(tenantNumber);
    expect(result.outcome).toBe('unavailable');
  });

  it('a created brand without an id is unavailable, not taken', async () => {
    answers = [
      { status: 200, body: { ...(testdata('brand-created') as object), brandId: undefined } },
    ];
    expect(await carrier().createBrand(brandId, brandBody)).toEqual({
      outcome: 'unavailable',
      errorDetail: 'carrier answered without brandId',
    });
  });

  it('the SDK log, at debug, never shows the API key', async () => {
    logged.length = 0;
    answers = [{ status: 200, body: testdata('brand-created') }];
    await carrier().createBrand(brandId, brandBody);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toContain(API_KEY);
  });
});
