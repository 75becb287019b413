import type { TenantComplianceProfile } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import {
  decideTenant,
  evolveTenant,
  initialTenantState,
  type TenantCommand,
  TenantRuleViolation,
  type TenantState,
} from './tenant.decider.js';
import type { TenantEvent } from './tenant.events.js';

const TENANT_ID = '0190a8f4-3c2b-7d4e-8f00-0000000000a1';
const NOW = new Date('2026-11-26T12:00:00.000Z');

const created: TenantEvent = {
  type: 'gateway.TenantCreated.v1',
  data: {
    tenantId: TENANT_ID,
    name: 'Harbor Books LLC',
    brandName: 'Harbor Books',
    timeZone: 'America/Chicago',
    defaultSender: '+18885550100',
    senderNumbers: ['+18885550100'],
    compliance: { supportContact: 'help@harbor.example', restrictedContent: 'block' },
    createdAt: '2026-11-01T00:00:00.000Z',
  },
};

const given = (events: TenantEvent[]): TenantState =>
  events.reduce(evolveTenant, initialTenantState);

const setProfile = (compliance: TenantComplianceProfile): TenantCommand => ({
  type: 'SetComplianceProfile',
  compliance,
  now: NOW,
});

describe('setting a tenant compliance profile', () => {
  it('records the whole new profile', () => {
    const compliance: TenantComplianceProfile = {
      helpText: '{brand}: Questions? Call 800-555-0100.',
      restrictedContent: 'flag',
    };
    expect(decideTenant(setProfile(compliance), given([created]))).toEqual([
      {
        type: 'gateway.TenantComplianceProfileSet.v1',
        data: { tenantId: TENANT_ID, compliance, setAt: NOW.toISOString() },
      },
    ]);
  });

  it('replaces the profile: a field left out goes back to its default', () => {
    const state = given([
      created,
      {
        type: 'gateway.TenantComplianceProfileSet.v1',
        data: {
          tenantId: TENANT_ID,
          compliance: { restrictedContent: 'flag' },
          setAt: NOW.toISOString(),
        },
      },
    ]);
    expect(state.status === 'active' && state.profile.compliance).toEqual({
      restrictedContent: 'flag',
    });
    const reset = given([
      created,
      {
        type: 'gateway.TenantComplianceProfileSet.v1',
        data: { tenantId: TENANT_ID, compliance: {}, setAt: NOW.toISOString() },
      },
    ]);
    expect(reset.status === 'active' && 'compliance' in reset.profile).toBe(false);
  });

  it('records nothing when the profile is the one the tenant has (a retried PUT)', () => {
    expect(
      decideTenant(
        setProfile({ restrictedContent: 'block', supportContact: 'help@harbor.example' }),
        given([created]),
      ),
    ).toEqual([]);
  });

  it('refuses a tenant that does not exist', () => {
    expect(() => decideTenant(setProfile({ restrictedContent: 'flag' }), given([]))).toThrow(
      TenantRuleViolation,
    );
  });
});

describe('removing a sender number', () => {
  const SECOND = '+18885550101';
  const added: TenantEvent = {
    type: 'gateway.SenderNumberAdded.v1',
    data: { tenantId: TENANT_ID, phoneNumber: SECOND, addedAt: '2026-11-02T00:00:00.000Z' },
  };
  const remove = (phoneNumber: string): TenantCommand => ({
    type: 'RemoveSenderNumber',
    phoneNumber,
    now: NOW,
  });
  const violation = (run: () => unknown): string | undefined => {
    try {
      run();
    } catch (error) {
      if (error instanceof TenantRuleViolation) return error.code;
      throw error;
    }
    return undefined;
  };

  it('records the release of a number the tenant has', () => {
    expect(decideTenant(remove(SECOND), given([created, added]))).toEqual([
      {
        type: 'gateway.SenderNumberRemoved.v1',
        data: { tenantId: TENANT_ID, phoneNumber: SECOND, removedAt: NOW.toISOString() },
      },
    ]);
  });

  it('leaves the tenant without the number, which can be added again', () => {
    const [removed] = decideTenant(remove(SECOND), given([created, added]));
    if (!removed) throw new Error('nothing removed');
    const state = given([created, added, removed]);
    expect(state.status === 'active' && state.profile.senderNumbers).toEqual(['+18885550100']);
    expect(
      decideTenant({ type: 'AddSenderNumber', phoneNumber: SECOND, now: NOW }, state),
    ).toHaveLength(1);
  });

  it('refuses a number the tenant does not have', () => {
    expect(violation(() => decideTenant(remove(SECOND), given([created])))).toBe(
      'sender_number_not_found',
    );
  });

  it('refuses the default sender', () => {
    expect(violation(() => decideTenant(remove('+18885550100'), given([created, added])))).toBe(
      'default_sender_not_removable',
    );
  });

  it('refuses a tenant that does not exist', () => {
    expect(violation(() => decideTenant(remove(SECOND), given([])))).toBe('tenant_not_found');
  });
});
