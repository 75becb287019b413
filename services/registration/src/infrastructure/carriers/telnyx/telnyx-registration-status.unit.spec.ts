import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  assignmentReadingOf,
  brandReadingOf,
  campaignReadingOf,
  REASON_RULES,
  reasonsOf,
  tollFreeReadingOf,
  tollFreeReasonsOf,
} from './telnyx-registration-status.js';
import { OTP_REQUIRED_REASON } from '../../../registration-status.js';
import { parseTelnyxRegistrationWebhook } from './telnyx-registration-webhook.js';

function testdata(name: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`./testdata/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
}

describe('the raw status catalogue', () => {
  it.each([
    [
      { status: 'REGISTRATION_PENDING', identityStatus: 'UNVERIFIED' },
      'pending',
      'REGISTRATION_PENDING',
    ],
    [{ status: 'OK', identityStatus: 'VERIFIED' }, 'approved', 'VERIFIED'],
    [{ status: 'OK', identityStatus: 'VETTED_VERIFIED' }, 'approved', 'VETTED_VERIFIED'],
    [{ status: 'OK', identityStatus: 'SELF_DECLARED' }, 'approved', 'SELF_DECLARED'],
    [{ status: 'OK', identityStatus: 'UNVERIFIED' }, 'rejected', 'UNVERIFIED'],
    [{ status: 'OK' }, 'pending', 'OK'],
    [{ status: 'REGISTRATION_FAILED' }, 'rejected', 'REGISTRATION_FAILED'],
    [{}, 'pending', 'REGISTRATION_PENDING'],
    [{ status: 'SOMETHING_NEW' }, 'pending', 'SOMETHING_NEW'],
  ])('brand %j is %s (%s)', (brand, status, carrierStatus) => {
    const reading = brandReadingOf(brand);
    expect([reading.status, reading.carrierStatus]).toEqual([status, carrierStatus]);
    // A rejection always says why.
    if (status === 'rejected') expect(reading.reasons.length).toBeGreaterThan(0);
  });

  it.each([
    ['TCR_PENDING', 'pending', false],
    ['TCR_ACCEPTED', 'pending', false],
    ['TELNYX_ACCEPTED', 'pending', false],
    ['MNO_PENDING', 'pending', false],
    ['MNO_ACCEPTED', 'pending', true],
    ['MNO_PROVISIONED', 'pending', true],
    ['TCR_FAILED', 'rejected', false],
    ['TELNYX_FAILED', 'rejected', false],
    ['MNO_REJECTED', 'rejected', false],
    ['MNO_PROVISIONING_FAILED', 'rejected', false],
    ['TCR_SUSPENDED', 'suspended', false],
    ['TCR_EXPIRED', 'expired', false],
  ])('campaign %s is %s, carriers accepted: %s', (campaignStatus, status, accepted) => {
    const reading = campaignReadingOf({ campaignStatus });
    expect(reading).toMatchObject({
      status,
      carrierAccepted: accepted,
      carrierStatus: campaignStatus,
    });
    if (status === 'rejected') expect(reading.reasons.map((r) => r.code)).toEqual(['unspecified']);
  });

  it.each([
    ['ASSIGNED', 'approved'],
    ['PENDING_ASSIGNMENT', 'pending'],
    ['FAILED_ASSIGNMENT', 'rejected'],
    ['PENDING_UNASSIGNMENT', 'pending'],
  ])('assignment %s is %s', (assignmentStatus, status) => {
    expect(assignmentReadingOf({ assignmentStatus })).toMatchObject({
      status,
      carrierStatus: assignmentStatus,
    });
  });

  it('reads the fixtures as documented', () => {
    expect(brandReadingOf(testdata('brand-failed'))).toEqual({
      status: 'rejected',
      carrierStatus: 'REGISTRATION_FAILED',
      reasons: [
        {
          code: 'ein_mismatch',
          carrierReason: 'EIN does not match the company name on IRS records',
          suggestedFix: REASON_RULES[0]?.suggestedFix,
          field: 'ein',
        },
      ],
    });
    expect(
      campaignReadingOf(testdata('campaign-rejected')).reasons.map((r) => [r.code, r.field]),
    ).toEqual([
      ['missing_opt_out_language', 'sampleMessages'],
      ['opt_in_flow_unclear', 'messageFlow'],
    ]);
  });
});

describe('carrier reasons and their suggested fixes', () => {
  it.each([
    ['EIN does not match IRS records', 'ein_mismatch'],
    ['Sample messages contain a public URL shortener (bit.ly)', 'public_url_shortener'],
    ['embedded link flag does not match the samples', 'embedded_link_mismatch'],
    ['Embedded phone flag is wrong', 'embedded_phone_mismatch'],
    ['Brand name missing from samples', 'missing_brand_name'],
    ['No opt-out language in the samples', 'missing_opt_out_language'],
    ['Help message lacks contact details', 'help_without_contact'],
    ['Call to action / message flow is unclear', 'opt_in_flow_unclear'],
    ['Content does not match the use case', 'use_case_content_mismatch'],
    ['Prohibited content (SHAFT)', 'restricted_content'],
    ['Website is not reachable', 'website_unverifiable'],
    ['Something nobody foresaw', 'unspecified'],
    // Spelled with its code, a reason is that code whatever its words.
    ['restricted_content: the EIN is fine but the samples are not', 'restricted_content'],
  ])('%s -> %s', (text, code) => {
    const [reason] = reasonsOf(text);
    expect(reason?.code).toBe(code);
    expect(reason?.carrierReason).toBe(text);
    expect(reason?.suggestedFix.length).toBeGreaterThan(20);
  });

  it('splits several reasons, and reads none from nothing', () => {
    expect(reasonsOf('a; b\nc').map((r) => r.carrierReason)).toEqual(['a', 'b', 'c']);
    expect(reasonsOf(undefined)).toEqual([]);
    expect(reasonsOf(' ; ')).toEqual([]);
  });
});

describe('10DLC status webhooks', () => {
  const webhook = (name: string) => {
    const data = testdata(name)['data'] as { event_type: string; payload: Record<string, unknown> };
    return parseTelnyxRegistrationWebhook(data.event_type, data.payload);
  };

  it('names the resource each update is about', () => {
    expect(webhook('webhook-brand-update')).toEqual({
      kind: 'brand',
      carrierBrandId: '4b20017f-8da9-a992-a6c0-683072fb7729',
      description: 'Brand BBRAND1 is verified',
    });
    expect(webhook('webhook-campaign-update')).toEqual({
      kind: 'campaign',
      carrierCampaignId: '4b300178-131c-d902-d54e-72d90ba1620j',
      description: 'Campaign has been accepted by the carriers',
    });
    expect(webhook('webhook-phone-number-update')).toEqual({
      kind: 'phone_number',
      phoneNumber: '+15125550142',
      carrierCampaignId: '4b300178-131c-d902-d54e-72d90ba1620j',
      description: 'Phone number assigned to the campaign',
    });
  });

  it.each([
    ['10dlc.brand.update', {}, '10dlc.brand.update without payload.brandId'],
    [
      '10dlc.campaign.update',
      { campaignId: '' },
      '10dlc.campaign.update without payload.campaignId',
    ],
    [
      '10dlc.phone_number.update',
      { phoneNumber: '5125550142' },
      '10dlc.phone_number.update without an E.164 payload.phoneNumber',
    ],
    [
      'message.finalized',
      { id: 'x' },
      'event type message.finalized is not a 10DLC or toll-free status update',
    ],
  ])('ignores %s %j, saying why', (eventType, payload, reason) => {
    expect(parseTelnyxRegistrationWebhook(eventType, payload)).toEqual({ kind: 'ignored', reason });
  });
});

describe('toll-free verification statuses', () => {
  it.each([
    ['Waiting For Telnyx', 'pending'],
    ['Waiting For Vendor', 'pending'],
    ['In Progress', 'pending'],
    ['Verified', 'approved'],
    ['Some Future Status', 'pending'],
  ] as const)('%s is %s, the raw value kept', (verificationStatus, status) => {
    expect(tollFreeReadingOf({ verificationStatus })).toEqual({
      status,
      carrierStatus: verificationStatus,
      reasons: [],
    });
  });

  it('a rejection carries its reasons with fixes, or an unspecified one', () => {
    expect(
      tollFreeReadingOf({ verificationStatus: 'Rejected', reason: 'Opt-in image is missing' }),
    ).toEqual({
      status: 'rejected',
      carrierStatus: 'Rejected',
      reasons: [
        expect.objectContaining({ code: 'opt_in_image_missing', field: 'optInWorkflowImageURLs' }),
      ],
    });
    expect(tollFreeReadingOf({ verificationStatus: 'Rejected' }).reasons).toEqual([
      expect.objectContaining({ code: 'unspecified' }),
    ]);
  });

  it('Waiting For Customer stays pending and says what is asked', () => {
    expect(
      tollFreeReadingOf({
        verificationStatus: 'Waiting For Customer',
        reason: 'Monthly volume looks too high for the use case',
      }),
    ).toEqual({
      status: 'pending',
      carrierStatus: 'Waiting For Customer',
      reasons: [
        expect.objectContaining({ code: 'message_volume_unlikely', field: 'messageVolume' }),
      ],
    });
  });

  it('reads a reason spelled with its code as that code, and the 10DLC rules after its own', () => {
    expect(
      tollFreeReasonsOf('public_url_shortener: bit.ly in the message').map((r) => r.code),
    ).toEqual(['public_url_shortener']);
    expect(tollFreeReasonsOf('Cannabis content is prohibited').map((r) => r.code)).toEqual([
      'restricted_content',
    ]);
    expect(tollFreeReasonsOf('Something else entirely').map((r) => r.code)).toEqual([
      'unspecified',
    ]);
  });

  it('a toll-free status webhook names the request', () => {
    const data = testdata('webhook-toll-free-verification-update')['data'] as {
      event_type: string;
      payload: Record<string, unknown>;
    };
    expect(parseTelnyxRegistrationWebhook(data.event_type, data.payload)).toEqual({
      kind: 'toll_free_verification',
      carrierVerificationId: '182bd5e5-6e1a-4fe4-a799-aa6d9a6ab26e',
      status: 'Verified',
    });
    expect(parseTelnyxRegistrationWebhook('messaging_tollfree.verification.update', {})).toEqual({
      kind: 'ignored',
      reason: 'messaging_tollfree.verification.update without payload.id',
    });
  });
});

describe('sole proprietor brands', () => {
  it('wait for their OTP while registered, and are approved once VERIFIED', () => {
    expect(
      brandReadingOf({
        status: 'OK',
        identityStatus: 'SELF_DECLARED',
        entityType: 'SOLE_PROPRIETOR',
      }),
    ).toEqual({
      status: 'pending',
      carrierStatus: 'SELF_DECLARED',
      reasons: [OTP_REQUIRED_REASON],
    });
    expect(
      brandReadingOf({ status: 'OK', identityStatus: 'UNVERIFIED', entityType: 'SOLE_PROPRIETOR' })
        .status,
    ).toBe('pending');
    expect(
      brandReadingOf({ status: 'OK', identityStatus: 'VERIFIED', entityType: 'SOLE_PROPRIETOR' }),
    ).toEqual({ status: 'approved', carrierStatus: 'VERIFIED', reasons: [] });
  });
});
