import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type HttpAnswer } from '../carrier.js';
import { type TrustWebhookEvent } from './trust-payloads.js';
import { TrustRegistry, parseTrustDecision } from './trust-registry.js';

/** The registry's review and webhooks, with a fake clock for the review delay. */

const REVIEW_DELAY_MS = 60_000;
const NUMBER = '+15555550100';
const brandBody = {
  entityType: 'PRIVATE_PROFIT',
  displayName: 'Acme Dental',
  companyName: 'Acme Dental LLC',
  ein: '12-3456789',
  email: 'support@acmedental.com',
  phone: '+15125550100',
  country: 'US',
  vertical: 'HEALTHCARE',
};
const campaignBody = {
  usecase: 'ACCOUNT_NOTIFICATION',
  description: 'Appointment reminders and confirmations for patients of Acme Dental.',
  messageFlow:
    'Patients check an SMS consent box on the booking form at https://acmedental.com/book to receive appointment reminders.',
  sample1: 'Acme Dental: your cleaning is booked for Tue 3 PM. Reply STOP to opt out.',
  helpMessage: 'Acme Dental: for help email support@acmedental.com. Reply STOP to opt out.',
  optoutMessage: 'Acme Dental: you are unsubscribed and will receive no more messages.',
  helpKeywords: 'HELP',
  optoutKeywords: 'STOP',
  embeddedLink: false,
  embeddedPhone: false,
};

let posted: Array<{ event: TrustWebhookEvent; urls: readonly string[] }>;
let registry: TrustRegistry;

function body(answer: HttpAnswer): Record<string, unknown> {
  return JSON.parse(answer.body) as Record<string, unknown>;
}

beforeEach(() => {
  vi.useFakeTimers();
  posted = [];
  registry = new TrustRegistry(
    {
      reviewDelayMs: REVIEW_DELAY_MS,
      webhookUrl: 'http://127.0.0.1:8080/webhooks/telnyx',
      numbers: new Set([NUMBER]),
      acceptAnyNumber: false,
    },
    {
      deliver: (event, urls) => {
        posted.push({ event: event as TrustWebhookEvent, urls });
        return Promise.resolve({ delivered: true, url: urls[0] ?? '', attempts: 1 });
      },
    },
    () => new Date('2026-12-02T14:00:00.000Z'),
  );
});

afterEach(() => {
  registry.reset();
  vi.useRealTimers();
});

function approvedBrand(): string {
  const id = String(body(registry.createBrand(brandBody, undefined))['brandId']);
  vi.advanceTimersByTime(REVIEW_DELAY_MS);
  return id;
}

describe('brands', () => {
  it('answers pending, decides after the review delay, and says so in a signed webhook', () => {
    const created = body(registry.createBrand({ ...brandBody, webhookURL: 'http://hook/a' }, 'k1'));
    expect(created).toMatchObject({ status: 'REGISTRATION_PENDING', identityStatus: 'UNVERIFIED' });
    vi.advanceTimersByTime(REVIEW_DELAY_MS - 1);
    expect(posted).toEqual([]);
    vi.advanceTimersByTime(1);
    const brandId = String(created['brandId']);
    expect(body(registry.brand(brandId))).toMatchObject({
      status: 'OK',
      identityStatus: 'VERIFIED',
    });
    expect(body(registry.externalVettings(brandId))).toMatchObject([{ vettingScore: 75 }]);
    expect(posted.map((p) => [p.event.event_type, p.event.payload['brandId'], p.urls])).toEqual([
      ['10dlc.brand.update', brandId, ['http://hook/a']],
    ]);
  });

  it('rejects an all-zero EIN with the reason', () => {
    const brandId = String(
      body(registry.createBrand({ ...brandBody, ein: '00-0000000' }, undefined))['brandId'],
    );
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(body(registry.brand(brandId))).toMatchObject({
      status: 'REGISTRATION_FAILED',
      failureReasons: 'EIN 00-0000000 is not a valid EIN (all zeros)',
    });
    expect(posted[0]?.urls).toEqual(['http://127.0.0.1:8080/webhooks/telnyx']);
  });

  it('answers the same brand for the same Idempotency-Key', () => {
    const first = body(registry.createBrand(brandBody, 'same'));
    const again = body(registry.createBrand(brandBody, 'same'));
    expect(again['brandId']).toBe(first['brandId']);
  });

  it('refuses a body without a required field, naming it', () => {
    const { email: _email, ...noEmail } = brandBody;
    const answer = registry.createBrand(noEmail, undefined);
    expect(answer.status).toBe(400);
    expect(body(answer)).toMatchObject({
      errors: [{ code: '10004', source: { pointer: '/email' } }],
    });
  });
});

describe('campaigns and number assignments', () => {
  it('refuses a campaign for an unverified brand', () => {
    const brandId = String(body(registry.createBrand(brandBody, undefined))['brandId']);
    expect(registry.submitCampaign({ ...campaignBody, brandId }, undefined).status).toBe(400);
  });

  it('provisions a clean campaign, then assigns a number to it', () => {
    const brandId = approvedBrand();
    const campaign = body(
      registry.submitCampaign({ ...campaignBody, brandId, referenceId: 'r1' }, 'c1'),
    );
    expect(campaign['campaignStatus']).toBe('TCR_PENDING');
    const campaignId = String(campaign['campaignId']);
    // Assigned while the campaign is under review: it waits for the campaign.
    const assignment = registry.assignNumber({ phoneNumber: NUMBER, campaignId }, 'a1');
    expect(body(assignment)['assignmentStatus']).toBe('PENDING_ASSIGNMENT');
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(body(registry.campaign(campaignId))['campaignStatus']).toBe('MNO_PROVISIONED');
    expect(body(registry.assignment(NUMBER))['assignmentStatus']).toBe('ASSIGNED');
    expect(posted.map((p) => p.event.event_type)).toEqual([
      '10dlc.brand.update',
      '10dlc.campaign.update',
      '10dlc.phone_number.update',
    ]);
  });

  it("rejects a campaign with the lint's findings, and fails its number's assignment", () => {
    const brandId = approvedBrand();
    const campaignId = String(
      body(
        registry.submitCampaign(
          { ...campaignBody, brandId, sample1: 'Your cleaning is booked.' },
          undefined,
        ),
      )['campaignId'],
    );
    registry.assignNumber({ phoneNumber: NUMBER, campaignId }, undefined);
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    const campaign = body(registry.campaign(campaignId));
    expect(campaign['campaignStatus']).toBe('MNO_REJECTED');
    expect(String(campaign['failureReasons'])).toMatch(/missing_brand_name: /);
    expect(body(registry.assignment(NUMBER))['assignmentStatus']).toBe('FAILED_ASSIGNMENT');
  });

  it('refuses a number outside the account, and a reused referenceId', () => {
    const brandId = approvedBrand();
    const campaignId = String(
      body(registry.submitCampaign({ ...campaignBody, brandId, referenceId: 'r' }, undefined))[
        'campaignId'
      ],
    );
    expect(
      registry.assignNumber({ phoneNumber: '+15555550999', campaignId }, undefined).status,
    ).toBe(400);
    expect(
      registry.submitCampaign({ ...campaignBody, brandId, referenceId: 'r' }, undefined).status,
    ).toBe(400);
  });
});

describe('forced decisions (POST /sim/trust/decisions)', () => {
  it('decide at once, in place of the pending review', () => {
    const brandId = String(body(registry.createBrand(brandBody, undefined))['brandId']);
    const parsed = parseTrustDecision({ brandId, outcome: 'approved', vettingScore: 90 });
    if (!parsed.ok) throw new Error(parsed.reason);
    registry.force(parsed.decision);
    expect(body(registry.externalVettings(brandId))).toMatchObject([{ vettingScore: 90 }]);
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(posted).toHaveLength(1);
  });

  it('suspend an approved campaign with a webhook', () => {
    const brandId = approvedBrand();
    const campaignId = String(
      body(registry.submitCampaign({ ...campaignBody, brandId }, undefined))['campaignId'],
    );
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    const parsed = parseTrustDecision({ campaignId, outcome: 'suspended' });
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(body(registry.force(parsed.decision))['campaignStatus']).toBe('TCR_SUSPENDED');
    expect(posted.at(-1)?.event.event_type).toBe('10dlc.campaign.update');
  });

  it.each([
    [{}, 'name exactly one of brandId, campaignId, phoneNumber'],
    [
      { brandId: 'b', campaignId: 'c', outcome: 'approved' },
      'name exactly one of brandId, campaignId, phoneNumber',
    ],
    [{ brandId: 'b', outcome: 'suspended' }, 'a brand outcome is approved or rejected'],
    [
      { campaignId: 'c', outcome: 'maybe' },
      'a campaign outcome is approved, rejected, suspended or expired',
    ],
    [
      { phoneNumber: '+1', outcome: 'expired' },
      'a number assignment outcome is approved or rejected',
    ],
    [
      { brandId: 'b', outcome: 'approved', vettingScore: 101 },
      'vettingScore must be an integer 0..100',
    ],
    [{ brandId: 'b', outcome: 'rejected', reasons: [1] }, 'reasons must be an array of strings'],
  ])('refuses %j', (value, reason) => {
    expect(parseTrustDecision(value)).toEqual({ ok: false, reason });
  });

  it('answers 404 for a resource it does not know', () => {
    expect(
      registry.force({ kind: 'campaign', campaignId: 'nope', outcome: 'approved', reasons: [] })
        .status,
    ).toBe(404);
  });
});
