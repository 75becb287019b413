import type { TenantComplianceProfile } from '@textplane/contracts';
import type { FastifyReply } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { TenantRequest } from '../http/request-context.js';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { ApiError } from '../problems/api-error.js';
import { AdminController } from './admin.controller.js';
import { checkComplianceTexts, MAX_REPLY_LENGTH } from './compliance-texts.js';
import type { TenantAdmin } from './tenant-admin.js';

const tenant = { brandName: 'Acme Dental', defaultSender: '+15555550100' };

function fieldsRefused(compliance: TenantComplianceProfile): string[] {
  return checkComplianceTexts({ ...tenant, compliance }).map((v) => v.field);
}

describe('checkComplianceTexts', () => {
  it('accepts sober custom texts with known placeholders', () => {
    expect(
      fieldsRefused({
        supportContact: 'help@acme.example or 800-555-0100',
        messageFrequency: 'Up to 4 msgs/month',
        helpText: '{brand}: for help, {supportContact}. {frequency}. Msg & data rates may apply.',
        optOutConfirmationText: '{brand}: you are unsubscribed. Reply START to rejoin.',
        optInConfirmationText: 'Welcome back to {brand}! {frequency}. Reply HELP for help.',
      }),
    ).toEqual([]);
    expect(fieldsRefused({})).toEqual([]);
  });

  it.each([
    ['helpText', 'Help: bit.ly/acme-help or call 800-555-0100'],
    ['helpText', 'Help at https://tinyurl.com/abc'],
    ['supportContact', 'https://t.co/xyz'],
    ['optOutConfirmationText', '{brand}: unsubscribed. Come back via cutt.ly/back'],
  ] as const)('refuses a link through a public URL shortener in %s (%s)', (field, text) => {
    const violations = checkComplianceTexts({ ...tenant, compliance: { [field]: text } });
    const messages = violations.filter((v) => v.field === `compliance.${field}`);
    expect(messages.map((v) => v.message).join('\n')).toMatch(/URL shortener .*full URL/);
  });

  it.each([
    ['helpText', 'Call 800-555-0100 for help. Ask about our payday loans!'],
    ['optInConfirmationText', 'Welcome back! Try our new CBD gummies.'],
    ['messageFrequency', 'Daily vape deals'],
  ] as const)('refuses restricted (SHAFT) content in %s', (field, text) => {
    expect(fieldsRefused({ [field]: text })).toContain(`compliance.${field}`);
  });

  it.each([
    ['optOutConfirmationText', '{brand}: unsubscribed. See acme.example/deals'],
    ['optOutConfirmationText', '{brand}: unsubscribed. https://acme.example'],
    ['optInConfirmationText', 'Welcome back to {brand}! Shop www.acme.example now'],
  ] as const)('refuses any link in a confirmation (%s: %s)', (field, text) => {
    expect(fieldsRefused({ [field]: text })).toEqual([`compliance.${field}`]);
  });

  it('refuses a confirmation whose placeholder would put a link in it', () => {
    expect(
      fieldsRefused({
        supportContact: 'acme.example/help',
        optInConfirmationText: '{brand}: resubscribed. Help: {supportContact}',
      }),
    ).toEqual(['compliance.optInConfirmationText']);
  });

  it('lets the HELP answer link to a help page on a full URL', () => {
    expect(fieldsRefused({ helpText: '{brand} help: https://acme.example/help' })).toEqual([]);
  });

  it('refuses a text that would be sent longer than the limit once filled in', () => {
    const long = 'x'.repeat(MAX_REPLY_LENGTH - 10);
    expect(fieldsRefused({ optOutConfirmationText: `{brand}: ${long}` })).toEqual([
      'compliance.optOutConfirmationText',
    ]);
    // The brand added in front counts too.
    expect(fieldsRefused({ optOutConfirmationText: long })).toEqual([
      'compliance.optOutConfirmationText',
    ]);
    expect(fieldsRefused({ optOutConfirmationText: 'x'.repeat(100) })).toEqual([]);
  });

  it('refuses a HELP answer that gives no way to get help', () => {
    expect(fieldsRefused({ helpText: '{brand}: we are here for you. {frequency}.' })).toEqual([
      'compliance.helpText',
    ]);
    for (const helpText of [
      '{brand}: help at {supportContact}.',
      '{brand}: call (800) 555-0100.',
      '{brand}: call +18005550100.',
      '{brand}: write to care@acme.example.',
      '{brand}: see https://acme.example/help',
    ]) {
      expect(fieldsRefused({ helpText }), helpText).toEqual([]);
    }
    expect(
      fieldsRefused({
        supportContact: 'the front desk',
        helpText: '{brand}: ask the front desk.',
      }),
    ).toEqual([]);
  });

  it('refuses unknown placeholders', () => {
    const violations = checkComplianceTexts({
      ...tenant,
      compliance: { optOutConfirmationText: '{brand}: bye {firstName}. {Brand}' },
    });
    expect(violations.map((v) => v.field)).toEqual(['compliance.optOutConfirmationText']);
    expect(violations[0]?.message).toContain('{firstName}, {Brand}');
  });
});

describe('POST /admin/v1/tenants with compliance texts', () => {
  function controller() {
    const calls: string[] = [];
    const admin = {
      createTenant: () => {
        calls.push('createTenant');
        return Promise.reject(new Error('must not be reached'));
      },
    } as unknown as TenantAdmin;
    const idempotency = {
      run: () => {
        calls.push('idempotency.run');
        return Promise.reject(new Error('must not be reached'));
      },
    } as unknown as IdempotencyStore;
    return { calls, controller: new AdminController(admin, idempotency) };
  }

  it('refuses bad texts with a 400 naming each field, and records nothing', async () => {
    const { calls, controller: admin } = controller();
    const body = {
      name: 'Acme',
      brandName: 'Acme Dental',
      timeZone: 'America/New_York',
      senderNumbers: ['+15555550100'],
      defaultSender: '+15555550100',
      compliance: {
        helpText: 'Deals at bit.ly/acme',
        optOutConfirmationText: '{brand}: bye. Shop acme.example/sale',
      },
    };
    const request = { headers: { 'idempotency-key': 'k-1' } } as unknown as TenantRequest;
    const error = await admin.create(request, body, {} as FastifyReply).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: 'invalid_request' });
    expect((error as ApiError).violations.map((v) => v.field)).toEqual([
      'compliance.helpText',
      'compliance.helpText',
      'compliance.optOutConfirmationText',
    ]);
    expect(calls).toEqual([]);
  });
});

describe('PUT /admin/v1/tenants/{id}/compliance', () => {
  const TENANT_ID = '0190a8f4-3c2b-7d4e-8f00-0000000000b1';

  function controller() {
    const calls: string[] = [];
    const admin = {
      require: (id: string) => {
        calls.push(`require ${id}`);
        return Promise.resolve({ id, ...tenant, name: 'Acme', compliance: {} });
      },
      setComplianceProfile: () => {
        calls.push('setComplianceProfile');
        return Promise.reject(new Error('must not be reached'));
      },
    } as unknown as TenantAdmin;
    const idempotency = {
      run: () => {
        calls.push('idempotency.run');
        return Promise.reject(new Error('must not be reached'));
      },
    } as unknown as IdempotencyStore;
    return { calls, controller: new AdminController(admin, idempotency) };
  }

  const request = { headers: {} } as unknown as TenantRequest;
  const refusal = (body: unknown) => {
    const { calls, controller: admin } = controller();
    return admin.setCompliance(request, TENANT_ID, body, {} as FastifyReply).then(
      () => ({ calls, error: undefined }),
      (error: unknown) => ({ calls, error }),
    );
  };

  it('checks the texts exactly as the create body does, and records nothing', async () => {
    const { calls, error } = await refusal({
      helpText: 'Deals at bit.ly/acme',
      optOutConfirmationText: '{brand}: bye. Shop acme.example/sale',
    });
    expect(error).toMatchObject({ kind: 'invalid_request' });
    expect((error as ApiError).violations.map((v) => v.field)).toEqual([
      'compliance.helpText',
      'compliance.helpText',
      'compliance.optOutConfirmationText',
    ]);
    expect(calls).toEqual([`require ${TENANT_ID}`]);
  });

  it('refuses a body the profile schema refuses before looking the tenant up', async () => {
    for (const body of [
      { restrictedContent: 'allow' },
      { helpText: '' },
      { signature: 'Acme' },
      null,
      ['flag'],
    ]) {
      const { calls, error } = await refusal(body);
      expect(error, JSON.stringify(body)).toMatchObject({ kind: 'invalid_request' });
      expect(calls).toEqual([]);
    }
  });

  it('answers 404 for a tenant id that is no UUID', async () => {
    const { calls, controller: admin } = controller();
    const error = await admin.setCompliance(request, 'acme', {}, {} as FastifyReply).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'not_found' });
    expect(calls).toEqual([]);
  });
});
