import { describe, expect, it } from 'vitest';
import { complianceAdditions, type ComplianceAdditionsInput } from './compliance-additions.js';

const input = (overrides: Partial<ComplianceAdditionsInput>): ComplianceAdditionsInput => ({
  body: 'Your table is ready.',
  brandName: 'Acme',
  purpose: 'conversational',
  firstMessageToContact: false,
  ...overrides,
});

describe('complianceAdditions', () => {
  it('adds nothing to a later conversational message', () => {
    expect(complianceAdditions(input({}))).toEqual({
      body: 'Your table is ready.',
      prefix: null,
      suffix: null,
      added: null,
    });
  });

  it('prefixes the brand on the first message when the body does not name it', () => {
    expect(complianceAdditions(input({ firstMessageToContact: true }))).toEqual({
      body: 'Acme: Your table is ready.',
      prefix: 'Acme: ',
      suffix: null,
      added: 'Acme:',
    });
  });

  it('does not prefix when the body already names the brand', () => {
    const result = complianceAdditions(
      input({ firstMessageToContact: true, body: 'Hi, ACME here. Your table is ready.' }),
    );
    expect(result.prefix).toBeNull();
  });

  it('appends opt-out language to marketing without it, on its own line', () => {
    expect(complianceAdditions(input({ purpose: 'marketing', body: '20% off today' }))).toEqual({
      body: '20% off today\nReply STOP to opt out.',
      prefix: null,
      suffix: '\nReply STOP to opt out.',
      added: 'Reply STOP to opt out.',
    });
  });

  it('does not add a separator after trailing whitespace', () => {
    expect(complianceAdditions(input({ purpose: 'marketing', body: 'Sale!\n' })).body).toBe(
      'Sale!\nReply STOP to opt out.',
    );
  });

  it('leaves marketing that already has opt-out language alone', () => {
    expect(
      complianceAdditions(input({ purpose: 'marketing', body: 'Sale! Txt STOP to quit' })).suffix,
    ).toBeNull();
  });

  it.each([
    'Our nonstop-end-of-year sale: 50% off!',
    'Never stop - end of season sale today',
    "Don't stop to end your day without our deals",
    'Weekend deals! Stop: cancel your plans and shop',
  ])('adds opt-out language to marketing whose copy only looks like it: %j', (body) => {
    expect(complianceAdditions(input({ purpose: 'marketing', body })).added).toBe(
      'Reply STOP to opt out.',
    );
  });

  it.each(['conversational', 'transactional'] as const)('adds no opt-out to %s', (purpose) => {
    expect(complianceAdditions(input({ purpose })).suffix).toBeNull();
  });

  it('adds both, shown in reading order', () => {
    const result = complianceAdditions(
      input({ purpose: 'marketing', firstMessageToContact: true, body: '20% off today' }),
    );
    expect(result).toEqual({
      body: 'Acme: 20% off today\nReply STOP to opt out.',
      prefix: 'Acme: ',
      suffix: '\nReply STOP to opt out.',
      added: 'Acme: … Reply STOP to opt out.',
    });
  });

  it('is idempotent', () => {
    for (const purpose of ['conversational', 'transactional', 'marketing'] as const) {
      for (const body of ['20% off today', '', 'Stop by our store!', 'Sale ends soon.']) {
        const once = complianceAdditions(input({ purpose, body, firstMessageToContact: true }));
        const twice = complianceAdditions(
          input({ purpose, body: once.body, firstMessageToContact: true }),
        );
        expect(twice).toEqual({ body: once.body, prefix: null, suffix: null, added: null });
      }
    }
  });

  it('never prefixes a blank brand name', () => {
    expect(
      complianceAdditions(input({ brandName: '  ', firstMessageToContact: true })).prefix,
    ).toBeNull();
  });
});
