import { describe, expect, it } from 'vitest';
import { validateRequest } from '../http/request-validator.js';
import { ApiError } from '../problems/api-error.js';
import {
  decideTenant,
  evolveTenant,
  initialTenantState,
  type TenantState,
} from '../tenants/tenant.decider.js';
import { mergeSettingsPatch, type SettingsPatch, settingsResourceOf } from './tenant-settings.js';

function refusedFields(body: unknown): string[] {
  try {
    validateRequest('UpdateSettingsRequest', body);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    expect(error.kind).toBe('invalid_request');
    return error.violations.map((v) => v.field);
  }
  return [];
}

describe('PATCH /v1/settings validation', () => {
  const accepted: Array<[string, unknown]> = [
    ['an empty patch (changes nothing)', {}],
    ['the reminder every day', { optOutReminder: { everyDays: 1 } }],
    ['the reminder every 365 days', { optOutReminder: { everyDays: 365 } }],
    ['the reminder reset to its default (off)', { optOutReminder: null }],
    ['use-case mismatches blocked', { campaignUseCaseMismatch: 'block' }],
    ['the use-case policy reset', { campaignUseCaseMismatch: null }],
    [
      'number validation on, skipping landlines and VoIP, for 7 days',
      { numberValidation: { enabled: true, skipLineTypes: ['landline', 'voip'], cacheDays: 7 } },
    ],
    ['number validation on, the rest kept', { numberValidation: { enabled: true } }],
    ['number validation skipping nothing', { numberValidation: { skipLineTypes: [] } }],
    ['one number validation key reset', { numberValidation: { cacheDays: null } }],
    ['number validation reset', { numberValidation: null }],
  ];
  for (const [name, body] of accepted) {
    it(`accepts ${name}`, () => {
      expect(refusedFields(body)).toEqual([]);
    });
  }

  const refused: Array<[string, unknown, string]> = [
    ['an unknown key', { quietHours: true }, 'quietHours'],
    ['everyDays 0', { optOutReminder: { everyDays: 0 } }, 'optOutReminder.everyDays'],
    ['everyDays 366', { optOutReminder: { everyDays: 366 } }, 'optOutReminder.everyDays'],
    ['everyDays -5', { optOutReminder: { everyDays: -5 } }, 'optOutReminder.everyDays'],
    ['everyDays 1.5', { optOutReminder: { everyDays: 1.5 } }, 'optOutReminder.everyDays'],
    ['everyDays as a string', { optOutReminder: { everyDays: '7' } }, 'optOutReminder.everyDays'],
    ['everyDays null', { optOutReminder: { everyDays: null } }, 'optOutReminder.everyDays'],
    ['the reminder without everyDays', { optOutReminder: {} }, 'optOutReminder.everyDays'],
    ['the reminder as a number', { optOutReminder: 7 }, 'optOutReminder'],
    ['the reminder as true', { optOutReminder: true }, 'optOutReminder'],
    [
      'an unknown key in the reminder',
      { optOutReminder: { everyDays: 7, marketing: true } },
      'optOutReminder.marketing',
    ],
    ['an unknown use-case policy', { campaignUseCaseMismatch: 'warn' }, 'campaignUseCaseMismatch'],
    ['number validation as true', { numberValidation: true }, 'numberValidation'],
    [
      'an unknown line type',
      { numberValidation: { skipLineTypes: ['fax'] } },
      'numberValidation.skipLineTypes.0',
    ],
    [
      'a line type twice',
      { numberValidation: { skipLineTypes: ['landline', 'landline'] } },
      'numberValidation.skipLineTypes',
    ],
    ['cacheDays 0', { numberValidation: { cacheDays: 0 } }, 'numberValidation.cacheDays'],
    ['cacheDays 366', { numberValidation: { cacheDays: 366 } }, 'numberValidation.cacheDays'],
    ['enabled as "yes"', { numberValidation: { enabled: 'yes' } }, 'numberValidation.enabled'],
    [
      'an unknown number validation key',
      { numberValidation: { lookupProvider: 'x' } },
      'numberValidation.lookupProvider',
    ],
    ['a body that is an array', [], '(body)'],
    ['a body that is a string', 'optOutReminder', '(body)'],
    ['no body', null, '(body)'],
  ];
  for (const [name, body, field] of refused) {
    it(`refuses ${name} with 400 naming ${field}`, () => {
      expect(refusedFields(body)).toContain(field);
    });
  }
});

describe('the settings resource and merge patch', () => {
  const defaults = {
    optOutReminder: null,
    campaignUseCaseMismatch: 'flag',
    numberValidation: { enabled: false, skipLineTypes: ['landline'], cacheDays: 30 },
  };

  it('answers every key with its default filled in', () => {
    expect(settingsResourceOf(undefined)).toEqual(defaults);
    expect(settingsResourceOf({})).toEqual(defaults);
    expect(settingsResourceOf({ optOutReminder: { everyDays: 30 } })).toEqual({
      ...defaults,
      optOutReminder: { everyDays: 30 },
    });
  });

  it('merges number validation key by key, and stores nothing for the defaults', () => {
    const on = mergeSettingsPatch({}, { numberValidation: { enabled: true } });
    expect(on).toEqual({
      numberValidation: { enabled: true, skipLineTypes: ['landline'], cacheDays: 30 },
    });
    const weekly = mergeSettingsPatch(on, { numberValidation: { cacheDays: 7 } });
    expect(weekly.numberValidation).toEqual({
      enabled: true,
      skipLineTypes: ['landline'],
      cacheDays: 7,
    });
    expect(mergeSettingsPatch(weekly, { numberValidation: { cacheDays: null } })).toEqual(on);
    // Back to every default: nothing stored (the defaults answer for it).
    expect(mergeSettingsPatch(on, { numberValidation: { enabled: false } })).toEqual({});
    expect(mergeSettingsPatch(weekly, { numberValidation: null })).toEqual({});
  });

  it('stores block as the use-case policy and nothing for flag, its default', () => {
    const blocking = mergeSettingsPatch({}, { campaignUseCaseMismatch: 'block' });
    expect(blocking).toEqual({ campaignUseCaseMismatch: 'block' });
    expect(settingsResourceOf(blocking).campaignUseCaseMismatch).toBe('block');
    expect(mergeSettingsPatch(blocking, { campaignUseCaseMismatch: 'flag' })).toEqual({});
    expect(mergeSettingsPatch(blocking, { campaignUseCaseMismatch: null })).toEqual({});
  });

  it('keeps a key left out, replaces one given, and drops one set to null', () => {
    const on = { optOutReminder: { everyDays: 30 } };
    expect(mergeSettingsPatch(on, {})).toEqual(on);
    expect(mergeSettingsPatch(on, { optOutReminder: { everyDays: 7 } })).toEqual({
      optOutReminder: { everyDays: 7 },
    });
    expect(mergeSettingsPatch(on, { optOutReminder: null })).toEqual({});
    expect(mergeSettingsPatch({}, { optOutReminder: null })).toEqual({});
  });
});

describe('the tenant decider: PatchSettings', () => {
  const now = new Date('2026-11-26T12:00:00.000Z');
  const tenantId = '0193a1b2-0000-7000-8000-0000000000a1';
  const created = evolveTenant(initialTenantState, {
    type: 'gateway.TenantCreated.v1',
    data: {
      tenantId,
      name: 'Acme',
      brandName: 'Acme',
      timeZone: 'America/New_York',
      defaultSender: '+15555550100',
      senderNumbers: ['+15555550100'],
      createdAt: '2026-11-01T00:00:00.000Z',
    },
  });
  const patch = (state: TenantState, p: SettingsPatch) =>
    decideTenant({ type: 'PatchSettings', patch: p, now }, state);

  it('given a tenant with the defaults, when the reminder is turned on, then the whole settings are recorded', () => {
    expect(patch(created, { optOutReminder: { everyDays: 30 } })).toEqual([
      {
        type: 'gateway.TenantSettingsSet.v1',
        data: {
          tenantId,
          settings: { optOutReminder: { everyDays: 30 } },
          setAt: now.toISOString(),
        },
      },
    ]);
  });

  it('given the reminder on, the same patch again or an empty one records nothing; null turns it off', () => {
    const [event] = patch(created, { optOutReminder: { everyDays: 30 } });
    if (!event) throw new Error('no event');
    const on = evolveTenant(created, event);
    expect(on.status === 'active' && on.profile.settings).toEqual({
      optOutReminder: { everyDays: 30 },
    });
    expect(patch(on, { optOutReminder: { everyDays: 30 } })).toEqual([]);
    expect(patch(on, {})).toEqual([]);
    const [off] = patch(on, { optOutReminder: null });
    expect(off?.data).toMatchObject({ settings: {} });
    if (!off) throw new Error('no event');
    const reset = evolveTenant(on, off);
    expect(reset.status === 'active' && reset.profile.settings).toBeUndefined();
    // Resetting what is already the default records nothing.
    expect(patch(created, { optOutReminder: null })).toEqual([]);
  });

  it('refuses a tenant that does not exist', () => {
    expect(() => patch(initialTenantState, { optOutReminder: null })).toThrow(/not found/i);
  });
});
