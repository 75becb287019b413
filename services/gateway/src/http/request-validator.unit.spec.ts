import { describe, expect, it } from 'vitest';
import { ApiError, type FieldViolation } from '../problems/api-error.js';
import type { RequestSchemaName } from './request-schemas.js';
import { MAX_BODY_DEPTH, nestedDeeperThan, validateRequest } from './request-validator.js';

const SENDER = '+18885550100';
const tenantBody = {
  name: 'Harbor Books LLC',
  brandName: 'Harbor Books',
  timeZone: 'America/Chicago',
  senderNumbers: [SENDER],
  defaultSender: SENDER,
};
const evidence = {
  source: 'web_form',
  text: 'I agree to receive texts',
  capturedAt: '2026-11-01T12:00:00Z',
};

function violationsOf(name: RequestSchemaName, body: unknown): readonly FieldViolation[] {
  try {
    validateRequest(name, body);
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'invalid_request') return error.violations;
    throw error;
  }
  return [];
}

const UNSTORABLE = 'must not contain U+0000 or unpaired surrogates';

describe('strings Postgres cannot store', () => {
  const cases: Array<[string, RequestSchemaName, unknown, string]> = [
    ['a message body with NUL', 'SendMessageRequest', { to: SENDER, body: 'hi\u0000' }, 'body'],
    [
      'a message body with a lone high surrogate',
      'SendMessageRequest',
      { to: SENDER, body: 'hi\ud83d' },
      'body',
    ],
    [
      'a preview body with a lone low surrogate',
      'PreviewMessageRequest',
      { body: '\ude00x' },
      'body',
    ],
    ['a preview body with NUL', 'PreviewMessageRequest', { body: 'STOP\u0000' }, 'body'],
    [
      'consent evidence text',
      'GrantConsentRequest',
      { phone: SENDER, purpose: 'marketing', evidence: { ...evidence, text: 'yes\u0000' } },
      'evidence.text',
    ],
    ['a revocation note', 'RevokeConsentRequest', { note: 'by phone \ud800' }, 'note'],
    [
      'a review note',
      'ResolveRevocationReviewRequest',
      { decision: 'dismiss', note: '\u0000' },
      'note',
    ],
    ['a tenant name', 'CreateTenantRequest', { ...tenantBody, name: 'Harbor\u0000' }, 'name'],
    ['a brand name', 'CreateTenantRequest', { ...tenantBody, brandName: '\udfff' }, 'brandName'],
    [
      'a compliance text',
      'CreateTenantRequest',
      { ...tenantBody, compliance: { supportContact: 'help@\u0000example.com' } },
      'compliance.supportContact',
    ],
    ['a compliance PUT', 'TenantComplianceProfile', { helpText: 'Help\ud83d' }, 'helpText'],
    ['an API key label', 'IssueApiKeyRequest', { label: 'ci\u0000' }, 'label'],
    [
      'an array item',
      'SendMessageRequest',
      { to: SENDER, mediaUrls: ['https://a.example/\u0000'] },
      'mediaUrls.0',
    ],
  ];

  it.each(cases)('refuses %s with 400 naming the field', (_, schema, body, field) => {
    expect(violationsOf(schema, body)).toContainEqual({ field, message: UNSTORABLE });
  });

  it('names the field once, even when the schema also refuses it', () => {
    const violations = violationsOf('SendMessageRequest', { to: '+1555\u0000' });
    expect(violations).toEqual([{ field: 'to', message: UNSTORABLE }]);
  });

  it('refuses an unstorable property name', () => {
    expect(violationsOf('RevokeConsentRequest', { 'no\u0000te': 'x' })).toContainEqual({
      field: 'no\u0000te',
      message: `name ${UNSTORABLE}`,
    });
  });

  it('takes surrogate pairs (emoji) and other control characters', () => {
    expect(violationsOf('SendMessageRequest', { to: SENDER, body: 'hi 😀👍🏽 \u0001\t' })).toEqual(
      [],
    );
  });
});

describe('time zones: one IANA rule for every zone field', () => {
  it.each(['+1555', '-05:00', 'Mars/Olympus', ' ', ''])('refuses %j', (zone) => {
    expect(violationsOf('CreateTenantRequest', { ...tenantBody, timeZone: zone })).toContainEqual({
      field: 'timeZone',
      message: 'must be an IANA time zone such as America/New_York',
    });
    expect(
      violationsOf('SendMessageRequest', { to: SENDER, body: 'x', recipientTimeZone: zone }),
    ).toContainEqual({
      field: 'recipientTimeZone',
      message: 'must be an IANA time zone such as America/New_York',
    });
    expect(
      violationsOf('PreviewMessageRequest', { body: 'x', recipientTimeZone: zone }),
    ).toContainEqual({
      field: 'recipientTimeZone',
      message: 'must be an IANA time zone such as America/New_York',
    });
  });

  it.each(['America/New_York', 'UTC', 'Etc/GMT+5', 'Europe/Paris'])('takes %s', (zone) => {
    expect(violationsOf('CreateTenantRequest', { ...tenantBody, timeZone: zone })).toEqual([]);
  });
});

describe('required texts must not be blank', () => {
  const blanks = [' ', '\t\n', '\u00a0', '\u2003 '];
  const cases: Array<[RequestSchemaName, (blank: string) => unknown, string]> = [
    ['CreateTenantRequest', (b) => ({ ...tenantBody, name: b }), 'name'],
    ['CreateTenantRequest', (b) => ({ ...tenantBody, brandName: b }), 'brandName'],
    [
      'CreateTenantRequest',
      (b) => ({ ...tenantBody, compliance: { supportContact: b } }),
      'compliance.supportContact',
    ],
    ['TenantComplianceProfile', (b) => ({ messageFrequency: b }), 'messageFrequency'],
    ['TenantComplianceProfile', (b) => ({ helpText: b }), 'helpText'],
    ['TenantComplianceProfile', (b) => ({ optOutConfirmationText: b }), 'optOutConfirmationText'],
    ['TenantComplianceProfile', (b) => ({ optInConfirmationText: b }), 'optInConfirmationText'],
    [
      'GrantConsentRequest',
      (b) => ({ phone: SENDER, purpose: 'marketing', evidence: { ...evidence, text: b } }),
      'evidence.text',
    ],
    [
      'ResolveRevocationReviewRequest',
      (b) => ({ decision: 'dismiss', resolvedBy: b }),
      'resolvedBy',
    ],
    ['IssueApiKeyRequest', (b) => ({ label: b }), 'label'],
  ];
  it.each(cases)('%s refuses a blank %s', (schema, body, field) => {
    for (const blank of blanks) {
      expect(violationsOf(schema, body(blank)), JSON.stringify(blank)).toContainEqual({
        field,
        message: 'must not be blank',
      });
    }
  });
});

describe('consent evidence page URL', () => {
  const grant = (pageUrl: string) => ({
    phone: SENDER,
    purpose: 'marketing',
    evidence: { ...evidence, pageUrl },
  });
  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', 'ftp://a.example/'])(
    'refuses %s',
    (url) => {
      expect(violationsOf('GrantConsentRequest', grant(url))).toContainEqual({
        field: 'evidence.pageUrl',
        message: 'must be an http(s) URL',
      });
    },
  );
  it('takes an https page', () => {
    expect(violationsOf('GrantConsentRequest', grant('https://harbor.example/join'))).toEqual([]);
  });
});

describe('a body nested too deep', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { a: value };
    return value;
  };

  it('is found without recursion, however deep', () => {
    expect(nestedDeeperThan(nested(100_000), MAX_BODY_DEPTH)).toBe(true);
    expect(nestedDeeperThan(nested(MAX_BODY_DEPTH), MAX_BODY_DEPTH)).toBe(false);
    expect(nestedDeeperThan(nested(MAX_BODY_DEPTH + 1), MAX_BODY_DEPTH)).toBe(true);
    expect(nestedDeeperThan('text', MAX_BODY_DEPTH)).toBe(false);
  });

  it('is a 400 naming the body, not a stack overflow', () => {
    expect(() => validateRequest('SendMessageRequest', { to: nested(100_000) })).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ field: '(body)' })] }),
    );
  });
});
