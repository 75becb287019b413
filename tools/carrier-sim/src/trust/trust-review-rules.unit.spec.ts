import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VETTING_SCORE,
  otpPinFor,
  reviewBrand,
  reviewCampaign,
  tollFreeReview,
} from './trust-review-rules.js';

const brand = {
  entityType: 'PRIVATE_PROFIT',
  displayName: 'Acme Dental',
  companyName: 'Acme Dental LLC',
  ein: '12-3456789',
  email: 'support@acmedental.com',
  phone: '+15125550100',
  country: 'US',
  vertical: 'HEALTHCARE',
};

/** A campaign builder body as textplane's registration sends it. */
const campaign = {
  brandId: 'b',
  usecase: 'ACCOUNT_NOTIFICATION',
  description: 'Appointment reminders and confirmations for patients of Acme Dental.',
  messageFlow:
    'Patients check an SMS consent box on the booking form at https://acmedental.com/book to receive appointment reminders.',
  sample1: 'Acme Dental: your cleaning is booked for Tue 3 PM. Reply STOP to opt out.',
  sample2: 'Acme Dental: reminder, your appointment is tomorrow at 9 AM. Reply C to confirm.',
  helpMessage:
    'Acme Dental: for help email support@acmedental.com or call 512-555-0100. Reply STOP to opt out.',
  optinMessage:
    'Acme Dental: you will get appointment reminders. Msg & data rates may apply. Reply HELP for help, STOP to opt out.',
  optoutMessage: 'Acme Dental: you are unsubscribed and will receive no more messages.',
  helpKeywords: 'HELP',
  optinKeywords: 'START',
  optoutKeywords: 'STOP',
  embeddedLink: false,
  embeddedPhone: false,
  numberPool: false,
  ageGated: false,
  directLending: false,
};

describe('the brand review', () => {
  it.each(['00-0000000', '000000000'])('rejects the all-zero EIN %s', (ein) => {
    expect(reviewBrand({ ...brand, ein })).toEqual({
      outcome: 'rejected',
      reasons: [`EIN ${ein} is not a valid EIN (all zeros)`],
    });
  });

  it('verifies any other brand, with the default vetting score', () => {
    expect(reviewBrand(brand)).toEqual({
      outcome: 'approved',
      identityStatus: 'VERIFIED',
      vettingScore: DEFAULT_VETTING_SCORE,
    });
    expect(reviewBrand({ ...brand, ein: '10-0000000' }).outcome).toBe('approved');
  });

  it('a sole proprietor (no EIN) is self-declared', () => {
    const { ein: _ein, ...sole } = brand;
    expect(reviewBrand({ ...sole, entityType: 'SOLE_PROPRIETOR' })).toMatchObject({
      outcome: 'approved',
      identityStatus: 'SELF_DECLARED',
    });
  });
});

describe('the campaign review: the lint, as textplane runs it', () => {
  it('accepts a campaign the lint finds nothing in', () => {
    expect(reviewCampaign(campaign, brand)).toEqual({ outcome: 'approved' });
  });

  it.each([
    [
      'a sample without opt-out language anywhere',
      {
        sample1: 'Acme Dental: your cleaning is booked for Tue 3 PM.',
        sample2: 'Acme Dental: see you tomorrow at 9 AM.',
      },
      'missing_opt_out_language',
    ],
    [
      'a sample without the brand name',
      { sample2: 'Your appointment is tomorrow at 9 AM. Reply STOP to opt out.' },
      'missing_brand_name',
    ],
    [
      'a link while embeddedLink is false',
      { sample2: 'Acme Dental: book at https://acmedental.com/book. Reply STOP to opt out.' },
      'embedded_link_mismatch',
    ],
    [
      'a help message without contact',
      { helpMessage: 'Acme Dental: reply STOP to opt out.' },
      'help_without_contact',
    ],
  ])('rejects %s, with the finding as `code: message`', (_name, change, code) => {
    const review = reviewCampaign({ ...campaign, ...change }, brand);
    expect(review.outcome).toBe('rejected');
    if (review.outcome !== 'rejected') return;
    expect(review.reasons.map((r) => r.split(':')[0])).toContain(code);
    for (const reason of review.reasons) expect(reason).not.toContain(';');
  });
});

describe('toll-free review rules', () => {
  const request = {
    businessName: 'Acme Dental LLC',
    productionMessageContent: 'Acme Dental: your cleaning is Tue 3 PM. Reply STOP to opt out.',
    optInWorkflow: 'Patients tick an SMS consent box on the booking form at acmedental.com/book.',
    optInWorkflowImageURLs: [{ url: 'https://acmedental.com/img/sms-consent.png' }],
  };

  it('verifies a request that breaks no rule', () => {
    expect(tollFreeReview(request)).toEqual({ outcome: 'approved' });
  });

  it.each([
    ['no opt-in image', { optInWorkflowImageURLs: [] }, 'opt_in_image_missing'],
    ['opt-in images absent', { optInWorkflowImageURLs: undefined }, 'opt_in_image_missing'],
    ['a short opt-in workflow', { optInWorkflow: 'Web form.' }, 'opt_in_workflow_unclear'],
    [
      'a public shortener',
      {
        productionMessageContent: 'Acme Dental: book at https://bit.ly/x1. Reply STOP to opt out.',
      },
      'public_url_shortener',
    ],
  ])('rejects %s with its code', (_name, change, code) => {
    expect(tollFreeReview({ ...request, ...change })).toEqual({
      outcome: 'rejected',
      reasons: [expect.stringMatching(new RegExp(`^${code}: `, 'u'))],
    });
  });

  it('gives one reason per broken rule', () => {
    const review = tollFreeReview({ ...request, optInWorkflowImageURLs: [], optInWorkflow: '' });
    expect(review.outcome === 'rejected' && review.reasons.map((r) => r.split(':')[0])).toEqual([
      'opt_in_image_missing',
      'opt_in_workflow_unclear',
    ]);
  });
});

describe('the OTP PIN', () => {
  it('is six digits, the same for the same brand and attempt, another for the next attempt', () => {
    const pin = otpPinFor('4b20019b-043a-78f8-0657-b3be3f4b4002', 1);
    expect(pin).toMatch(/^\d{6}$/u);
    expect(otpPinFor('4b20019b-043a-78f8-0657-b3be3f4b4002', 1)).toBe(pin);
    expect(otpPinFor('4b20019b-043a-78f8-0657-b3be3f4b4002', 2)).not.toBe(pin);
    expect(otpPinFor('another-brand', 1)).not.toBe(pin);
  });
});
