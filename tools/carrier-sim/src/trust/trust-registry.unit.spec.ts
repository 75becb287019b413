import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type HttpAnswer } from '../carrier.js';
import { type TrustWebhookEvent } from './trust-payloads.js';
import { TrustRegistry, parseTrustDecision, parseTrustHold } from './trust-registry.js';
import { DEFAULT_VETTING_SCORE, ORDERED_VETTING_SCORE, otpPinFor } from './trust-review-rules.js';

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
    [{}, 'name exactly one of brandId, campaignId, phoneNumber, verificationId'],
    [
      { brandId: 'b', campaignId: 'c', outcome: 'approved' },
      'name exactly one of brandId, campaignId, phoneNumber, verificationId',
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

const TOLL_FREE = '+18885550100';
const tollFreeBody = {
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
  phoneNumbers: [{ phoneNumber: TOLL_FREE }],
  useCase: 'Appointments',
  useCaseSummary: 'Appointment reminders for patients of Acme Dental.',
  productionMessageContent: 'Acme Dental: your cleaning is Tue 3 PM. Reply STOP to opt out.',
  optInWorkflow: 'Patients tick an SMS consent box on the booking form at acmedental.com/book.',
  optInWorkflowImageURLs: [{ url: 'https://acmedental.com/img/sms-consent.png' }],
  additionalInformation: '',
};

function tollFreeRegistry(): TrustRegistry {
  return new TrustRegistry(
    {
      reviewDelayMs: REVIEW_DELAY_MS,
      webhookUrl: 'http://127.0.0.1:8080/webhooks/telnyx',
      numbers: new Set([NUMBER, TOLL_FREE]),
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
}

describe('toll-free verification requests', () => {
  it('waits for Telnyx, verifies after the review delay, and says so in a signed webhook', () => {
    const tf = tollFreeRegistry();
    const created = body(
      tf.createTollFreeVerification({ ...tollFreeBody, webhookUrl: 'http://hook/tf' }, 'k'),
    );
    expect(created).toMatchObject({ verificationStatus: 'Waiting For Telnyx' });
    const id = String(created['id']);
    expect(body(tf.createTollFreeVerification(tollFreeBody, 'k'))['id']).toBe(id);
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(body(tf.tollFreeVerification(id))).toMatchObject({ verificationStatus: 'Verified' });
    expect(posted.map((p) => [p.event.event_type, p.event.payload, p.urls])).toEqual([
      [
        'messaging_tollfree.verification.update',
        {
          id,
          verificationRequestId: id,
          verificationStatus: 'Verified',
          phoneNumbers: [{ phoneNumber: TOLL_FREE }],
        },
        ['http://hook/tf'],
      ],
    ]);
    tf.reset();
  });

  it('rejects an opt-in workflow without images, with the reason on the request', () => {
    const tf = tollFreeRegistry();
    const id = String(
      body(
        tf.createTollFreeVerification({ ...tollFreeBody, optInWorkflowImageURLs: [] }, undefined),
      )['id'],
    );
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    const rejected = body(tf.tollFreeVerification(id));
    expect(rejected['verificationStatus']).toBe('Rejected');
    expect(rejected['reason']).toMatch(/^opt_in_image_missing: /u);
    // A rejected request frees its numbers for a new one.
    expect(tf.createTollFreeVerification(tollFreeBody, undefined).status).toBe(200);
    tf.reset();
  });

  it.each([
    ['a long code', { phoneNumbers: [{ phoneNumber: NUMBER }] }, /not a toll-free number/u],
    [
      'a number not of the account',
      { phoneNumbers: [{ phoneNumber: '+18005550199' }] },
      /not a number of this account/u,
    ],
    ['no numbers', { phoneNumbers: [] }, /phoneNumbers is required/u],
    ['no opt-in workflow', { optInWorkflow: '' }, /optInWorkflow is required/u],
  ])('refuses %s (400)', (_name, change, detail) => {
    const tf = tollFreeRegistry();
    const answer = tf.createTollFreeVerification({ ...tollFreeBody, ...change }, undefined);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(detail);
    tf.reset();
  });

  it('refuses a number that is in a live request already; forced decisions settle or hold it', () => {
    const tf = tollFreeRegistry();
    const id = String(body(tf.createTollFreeVerification(tollFreeBody, undefined))['id']);
    expect(tf.createTollFreeVerification(tollFreeBody, undefined).status).toBe(400);
    tf.force({
      kind: 'toll_free_verification',
      verificationId: id,
      outcome: 'waiting_for_customer',
      reasons: ['Add a privacy policy URL'],
    });
    expect(body(tf.tollFreeVerification(id))).toMatchObject({
      verificationStatus: 'Waiting For Customer',
      reason: 'Add a privacy policy URL',
    });
    tf.force({
      kind: 'toll_free_verification',
      verificationId: id,
      outcome: 'rejected',
      reasons: ['Business could not be verified'],
    });
    expect(body(tf.tollFreeVerification(id))).toMatchObject({ verificationStatus: 'Rejected' });
    // The review the decision replaced never runs.
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(body(tf.tollFreeVerification(id))).toMatchObject({ verificationStatus: 'Rejected' });
    expect(tf.tollFreeVerification('nope').status).toBe(404);
    tf.reset();
  });
});

describe('sole proprietor OTP', () => {
  const soleProprietor = {
    entityType: 'SOLE_PROPRIETOR',
    displayName: 'Ana Diaz Tutoring',
    firstName: 'Ana',
    lastName: 'Diaz',
    email: 'ana@example.com',
    phone: '+15125550100',
    mobilePhone: '+15125550177',
    country: 'US',
    vertical: 'EDUCATION',
  };
  const texts = { pinSms: 'Your PIN is @OTP_PIN@', successSms: 'Verified!' };

  it('takes no campaign until the PIN is verified, then the brand is VERIFIED', () => {
    const brandId = String(body(registry.createBrand(soleProprietor, undefined))['brandId']);
    expect(registry.triggerBrandOtp(brandId, texts, undefined).status).toBe(400); // not reviewed yet
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(body(registry.brand(brandId))).toMatchObject({
      status: 'OK',
      identityStatus: 'SELF_DECLARED',
    });
    expect(registry.submitCampaign({ ...campaignBody, brandId }, undefined).status).toBe(400);

    const sent = body(registry.triggerBrandOtp(brandId, texts, 'otp-1'));
    expect(sent['brandId']).toBe(brandId);
    expect(sent['referenceId']).toMatch(/^OTP/u);
    expect(body(registry.triggerBrandOtp(brandId, texts, 'otp-1'))).toEqual(sent);
    const otp = body(registry.simOtp(brandId));
    expect(otp).toMatchObject({
      otpPin: otpPinFor(brandId, 1),
      pinSms: `Your PIN is ${otpPinFor(brandId, 1)}`,
      mobilePhone: '+15125550177',
    });
    expect(body(registry.brandOtpStatus(brandId))).not.toHaveProperty('otpPin');

    const wrong = registry.verifyBrandOtp(
      brandId,
      { otpPin: '000000' === otp['otpPin'] ? '111111' : '000000' },
      'v0',
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatch(/Invalid OTP pin/u);
    expect(registry.verifyBrandOtp(brandId, { otpPin: otp['otpPin'] }, 'v1')).toEqual({
      status: 204,
      body: '',
    });
    expect(registry.verifyBrandOtp(brandId, { otpPin: otp['otpPin'] }, 'v1').status).toBe(204);
    expect(registry.verifyBrandOtp(brandId, { otpPin: otp['otpPin'] }, 'v2').status).toBe(400);
    expect(body(registry.brand(brandId))).toMatchObject({ identityStatus: 'VERIFIED' });
    expect(posted.at(-1)?.event.payload).toMatchObject({
      brandId,
      eventType: 'BRAND_OTP_VERIFIED',
    });
    expect(registry.submitCampaign({ ...campaignBody, brandId }, undefined).status).toBe(200);
  });

  it('a new OTP has a new PIN; the old one no longer verifies', () => {
    const brandId = String(body(registry.createBrand(soleProprietor, undefined))['brandId']);
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    registry.triggerBrandOtp(brandId, texts, undefined);
    registry.triggerBrandOtp(brandId, texts, undefined);
    expect(body(registry.simOtp(brandId))['otpPin']).toBe(otpPinFor(brandId, 2));
    if (otpPinFor(brandId, 1) !== otpPinFor(brandId, 2)) {
      expect(
        registry.verifyBrandOtp(brandId, { otpPin: otpPinFor(brandId, 1) }, undefined).status,
      ).toBe(400);
    }
    expect(
      registry.verifyBrandOtp(brandId, { otpPin: otpPinFor(brandId, 2) }, undefined).status,
    ).toBe(204);
  });

  it.each([
    ['a brand that is no sole proprietor', 'business', texts, /only for sole proprietor/u],
    ['a PIN text without the placeholder', 'sole', { ...texts, pinSms: 'Your PIN' }, /@OTP_PIN@/u],
    ['no success text', 'sole', { pinSms: texts.pinSms }, /successSms is required/u],
  ])('refuses %s', (_name, kind, request, detail) => {
    const brandId = String(
      body(registry.createBrand(kind === 'sole' ? soleProprietor : brandBody, undefined))[
        'brandId'
      ],
    );
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    const answer = registry.triggerBrandOtp(brandId, request, undefined);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatch(detail);
  });

  it('refuses a PIN before any OTP, and an unknown brand', () => {
    const brandId = String(body(registry.createBrand(soleProprietor, undefined))['brandId']);
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(registry.verifyBrandOtp(brandId, { otpPin: '123456' }, undefined).status).toBe(400);
    expect(registry.triggerBrandOtp('nope', texts, undefined).status).toBe(404);
    expect(registry.simOtp(brandId).status).toBe(404);
  });
});

describe('external vetting orders', () => {
  it('scores an ordered vetting after the review delay, announced by a brand webhook', () => {
    const brandId = approvedBrand();
    const order = body(
      registry.orderVetting(brandId, { evpId: 'AEGIS', vettingClass: 'STANDARD' }, 'o1'),
    );
    expect(order).not.toHaveProperty('vettingScore');
    expect(
      body(registry.orderVetting(brandId, { evpId: 'AEGIS', vettingClass: 'STANDARD' }, 'o1'))[
        'vettingId'
      ],
    ).toBe(order['vettingId']);
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    const vettings = JSON.parse(registry.externalVettings(brandId).body) as Array<
      Record<string, unknown>
    >;
    expect(vettings.map((v) => v['vettingScore'])).toEqual([
      DEFAULT_VETTING_SCORE,
      ORDERED_VETTING_SCORE,
    ]);
    expect(posted.at(-1)?.event.payload).toMatchObject({
      brandId,
      eventType: 'EVP_VETTING_COMPLETED',
    });
  });

  it('a forced score replaces the review; a bad order is refused', () => {
    const brandId = approvedBrand();
    registry.orderVetting(brandId, { evpId: 'AEGIS', vettingClass: 'STANDARD' }, undefined);
    registry.force({ kind: 'vetting', brandId, vettingScore: 40 });
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    const vettings = JSON.parse(registry.externalVettings(brandId).body) as Array<
      Record<string, unknown>
    >;
    expect(vettings.at(-1)?.['vettingScore']).toBe(40);
    expect(
      registry.orderVetting(brandId, { evpId: 'NOPE', vettingClass: 'STANDARD' }, undefined).status,
    ).toBe(400);
    expect(registry.orderVetting(brandId, { evpId: 'AEGIS' }, undefined).status).toBe(400);
    expect(
      registry.orderVetting('nope', { evpId: 'AEGIS', vettingClass: 'STANDARD' }, undefined).status,
    ).toBe(404);
  });
});

describe('forced decisions for toll-free and vetting', () => {
  it('reads a toll-free decision and a vetting score, and refuses bad ones', () => {
    expect(
      parseTrustDecision({ verificationId: 'v', outcome: 'waiting_for_customer', reasons: ['x'] }),
    ).toEqual({
      ok: true,
      decision: {
        kind: 'toll_free_verification',
        verificationId: 'v',
        outcome: 'waiting_for_customer',
        reasons: ['x'],
      },
    });
    expect(parseTrustDecision({ brandId: 'b', vettingScore: 60 })).toEqual({
      ok: true,
      decision: { kind: 'vetting', brandId: 'b', vettingScore: 60 },
    });
    expect(parseTrustDecision({ verificationId: 'v', outcome: 'suspended' }).ok).toBe(false);
    expect(parseTrustDecision({ brandId: 'b', vettingScore: 101 }).ok).toBe(false);
    expect(parseTrustDecision({ brandId: 'b', verificationId: 'v', outcome: 'approved' }).ok).toBe(
      false,
    );
  });
});

describe('held assignment reviews (POST /sim/trust/holds)', () => {
  function provisionedCampaign(): string {
    const brandId = approvedBrand();
    const campaignId = String(
      body(registry.submitCampaign({ ...campaignBody, brandId }, undefined))['campaignId'],
    );
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(body(registry.campaign(campaignId))['campaignStatus']).toBe('MNO_PROVISIONED');
    return campaignId;
  }
  const assignmentWebhooks = () =>
    posted.filter((p) => p.event.event_type === '10dlc.phone_number.update');
  const status = () => body(registry.assignment(NUMBER))['assignmentStatus'];

  it('keeps a held number PENDING_ASSIGNMENT until its decision, which ends the hold', () => {
    const campaignId = provisionedCampaign();
    const held = registry.hold(NUMBER);
    expect(held.status).toBe(201);
    expect(body(held)).toEqual({ data: [{ phoneNumber: NUMBER, assignmentStatus: null }] });
    registry.assignNumber({ phoneNumber: NUMBER, campaignId }, undefined);
    vi.advanceTimersByTime(REVIEW_DELAY_MS * 10);
    expect(status()).toBe('PENDING_ASSIGNMENT');
    expect(assignmentWebhooks()).toEqual([]);
    expect(body(registry.listHolds())).toEqual({
      data: [{ phoneNumber: NUMBER, assignmentStatus: 'PENDING_ASSIGNMENT' }],
    });

    const forced = registry.force({
      kind: 'phone_number',
      phoneNumber: NUMBER,
      outcome: 'approved',
      reasons: [],
    });
    expect(body(forced)['assignmentStatus']).toBe('ASSIGNED');
    expect(assignmentWebhooks().map((p) => p.event.payload['status'])).toEqual(['success']);
    expect(body(registry.listHolds())).toEqual({ data: [] });
    vi.advanceTimersByTime(REVIEW_DELAY_MS * 10);
    expect(assignmentWebhooks()).toHaveLength(1);
  });

  it('holds a review already under way, even past its campaign being provisioned; rejected on demand', () => {
    const brandId = approvedBrand();
    const campaignId = String(
      body(registry.submitCampaign({ ...campaignBody, brandId }, undefined))['campaignId'],
    );
    registry.assignNumber({ phoneNumber: NUMBER, campaignId }, undefined);
    vi.advanceTimersByTime(REVIEW_DELAY_MS - 1);
    registry.hold(NUMBER);
    vi.advanceTimersByTime(REVIEW_DELAY_MS * 10);
    expect(body(registry.campaign(campaignId))['campaignStatus']).toBe('MNO_PROVISIONED');
    expect(status()).toBe('PENDING_ASSIGNMENT');
    expect(assignmentWebhooks()).toEqual([]);

    registry.force({
      kind: 'phone_number',
      phoneNumber: NUMBER,
      outcome: 'rejected',
      reasons: ['Number not eligible'],
    });
    expect(body(registry.assignment(NUMBER))).toMatchObject({
      assignmentStatus: 'FAILED_ASSIGNMENT',
      failureReasons: 'Number not eligible',
    });
    expect(assignmentWebhooks().map((p) => p.event.payload['status'])).toEqual(['failed']);
  });

  it('clearing the holds reviews a held assignment after the review delay', () => {
    const campaignId = provisionedCampaign();
    registry.hold(NUMBER);
    registry.assignNumber({ phoneNumber: NUMBER, campaignId }, undefined);
    vi.advanceTimersByTime(REVIEW_DELAY_MS * 3);
    expect(registry.clearHolds().status).toBe(204);
    expect(body(registry.listHolds())).toEqual({ data: [] });
    vi.advanceTimersByTime(REVIEW_DELAY_MS - 1);
    expect(status()).toBe('PENDING_ASSIGNMENT');
    vi.advanceTimersByTime(1);
    expect(status()).toBe('ASSIGNED');
  });

  it('leaves a decided assignment as it is; a decision for an unassigned number keeps the hold', () => {
    const campaignId = provisionedCampaign();
    expect(
      registry.force({
        kind: 'phone_number',
        phoneNumber: NUMBER,
        outcome: 'approved',
        reasons: [],
      }).status,
    ).toBe(404);
    registry.hold(NUMBER);
    expect(body(registry.listHolds())).toEqual({
      data: [{ phoneNumber: NUMBER, assignmentStatus: null }],
    });
    registry.clearHolds();
    registry.assignNumber({ phoneNumber: NUMBER, campaignId }, undefined);
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(status()).toBe('ASSIGNED');
    registry.hold(NUMBER);
    vi.advanceTimersByTime(REVIEW_DELAY_MS);
    expect(status()).toBe('ASSIGNED');
    expect(body(registry.listHolds())).toEqual({
      data: [{ phoneNumber: NUMBER, assignmentStatus: 'ASSIGNED' }],
    });
  });

  it('reset forgets the holds', () => {
    registry.hold(NUMBER);
    registry.reset();
    expect(body(registry.listHolds())).toEqual({ data: [] });
  });

  it('refuses a number outside the account or not E.164, holding nothing', () => {
    expect(body(registry.hold('+15555550999'))).toEqual({
      error: '+15555550999 is not a number of this account',
    });
    expect(registry.hold('5555550100').status).toBe(400);
    expect(body(registry.listHolds())).toEqual({ data: [] });
  });

  it.each([
    [[], 'the body must be a JSON object'],
    [{}, 'phoneNumber must be an E.164 number'],
    [{ phoneNumber: '555-0100' }, 'phoneNumber must be an E.164 number'],
    [{ phoneNumber: 15555550100 }, 'phoneNumber must be an E.164 number'],
    [
      { phoneNumber: NUMBER, brandDisplayName: 'Acme' },
      'a hold takes only phoneNumber, not brandDisplayName',
    ],
  ])('refuses the hold body %j', (value, reason) => {
    expect(parseTrustHold(value)).toEqual({ ok: false, reason });
  });

  it('reads a hold body', () => {
    expect(parseTrustHold({ phoneNumber: NUMBER })).toEqual({ ok: true, phoneNumber: NUMBER });
  });
});
