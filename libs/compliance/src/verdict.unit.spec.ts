import { describe, expect, it } from 'vitest';
import { type ConsentStanding, noConsent } from './consent/index.js';
import { type ComplianceCheck, evaluateCompliance } from './verdict.js';

/** 14:00 on a Thursday in New York. */
const afternoon = new Date('2026-11-26T19:00:00.000Z');
const withMarketing: ConsentStanding = {
  ...noConsent,
  grants: { marketing: { sms: true, mms: true }, transactional: { sms: false, mms: false } },
};

function check(overrides: Partial<ComplianceCheck>): ComplianceCheck {
  return {
    body: 'Sale this weekend. Reply STOP to opt out.',
    purpose: 'marketing',
    channel: 'sms',
    to: '+12125550123',
    at: afternoon,
    standing: withMarketing,
    tenant: { timeZone: 'America/Chicago', restrictedContent: 'block' },
    ...overrides,
  };
}

describe('evaluateCompliance', () => {
  it('sends marketing with consent inside the window', () => {
    expect(evaluateCompliance(check({})).verdict).toBe('send');
  });

  it('blocks an opted-out recipient for any purpose, listing every reason', () => {
    const optedOut = { ...noConsent, optedOut: { sms: true, mms: true } };
    const verdict = evaluateCompliance(
      check({ standing: optedOut, body: 'See https://bit.ly/abc' }),
    );
    expect(verdict.verdict).toBe('block');
    expect(verdict.reasons).toEqual([
      'recipient_opted_out',
      'no_marketing_consent',
      'content_rejected',
    ]);
    expect(
      evaluateCompliance(check({ standing: optedOut, purpose: 'transactional' })).reasons,
    ).toEqual(['recipient_opted_out']);
  });

  it('needs marketing consent only for marketing, and DND blocks every purpose on its channel', () => {
    expect(evaluateCompliance(check({ standing: noConsent })).reasons).toEqual([
      'no_marketing_consent',
    ]);
    expect(
      evaluateCompliance(check({ standing: noConsent, purpose: 'conversational' })).verdict,
    ).toBe('send');
    const dnd = { ...withMarketing, dnd: { sms: true, mms: false } };
    expect(evaluateCompliance(check({ standing: dnd, purpose: 'transactional' })).reasons).toEqual([
      'dnd_active',
    ]);
    expect(evaluateCompliance(check({ standing: dnd, channel: 'mms' })).verdict).toBe('send');
  });

  it('flags or blocks restricted content by tenant policy', () => {
    const body = 'Happy hour: $2 beer all night. Reply STOP to opt out.';
    const blocked = evaluateCompliance(check({ body }));
    expect(blocked).toMatchObject({ verdict: 'block', reasons: ['content_rejected'] });
    const flagged = evaluateCompliance(
      check({ body, tenant: { timeZone: 'America/Chicago', restrictedContent: 'flag' } }),
    );
    expect(flagged).toMatchObject({ verdict: 'send', flags: ['restricted_content:alcohol'] });
  });

  it('holds marketing outside the recipient window, not transactional texts', () => {
    // 20:30 in Miami: Florida ends marketing at 20:00; held to 08:00 EST next day.
    const late = new Date('2026-11-27T01:30:00.000Z');
    const held = evaluateCompliance(check({ to: '+13055550123', at: late }));
    expect(held).toMatchObject({ verdict: 'hold', reasons: ['quiet_hours_held'] });
    expect(held.verdict === 'hold' && held.sendAt.toISOString()).toBe('2026-11-27T13:00:00.000Z');
    expect(
      evaluateCompliance(check({ to: '+13055550123', at: late, purpose: 'transactional' })).verdict,
    ).toBe('send');
  });

  it('a blocked message is never reported as held', () => {
    const late = new Date('2026-11-27T03:30:00.000Z');
    expect(evaluateCompliance(check({ standing: noConsent, at: late }))).toMatchObject({
      verdict: 'block',
      reasons: ['no_marketing_consent'],
    });
  });

  it('lets an automatic STOP/HELP reply through whatever the standing', () => {
    const optedOut = { ...noConsent, optedOut: { sms: true, mms: true } };
    expect(
      evaluateCompliance(check({ standing: optedOut, purpose: 'transactional', autoReply: true }))
        .verdict,
    ).toBe('send');
  });

  it('without a recipient judges content and the tenant-zone window, not consent', () => {
    // 22:30 in Chicago: outside the federal window in the tenant's zone.
    const night = new Date('2026-11-27T04:30:00.000Z');
    const verdict = evaluateCompliance(check({ to: null, standing: null, at: night }));
    expect(verdict).toMatchObject({ verdict: 'hold', reasons: ['quiet_hours_held'] });
    expect(verdict.verdict === 'hold' && verdict.sendAt.toISOString()).toBe(
      '2026-11-27T14:00:00.000Z',
    );
    expect(evaluateCompliance(check({ to: null, standing: null })).verdict).toBe('send');
    expect(
      evaluateCompliance(check({ to: null, standing: null, body: 'See bit.ly/x' })).reasons,
    ).toEqual(['content_rejected']);
  });
});
