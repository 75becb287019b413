import { describe, expect, it } from 'vitest';
import {
  evolveTenantProfile,
  type TenantFact,
  UnknownTenantError,
} from './tenant-profile-replica.js';

const tenantId = '2b1d8f3e-5c47-4a8e-9f0e-6b8a1c2d3e4f';
const created: TenantFact = {
  type: 'gateway.TenantCreated.v1',
  data: {
    tenantId,
    name: 'Acme',
    brandName: 'Acme Dental',
    timeZone: 'America/New_York',
    defaultSender: '+12125550100',
    senderNumbers: ['+12125550100'],
    createdAt: '2026-01-01T10:00:00.000Z',
  },
};
const added = (phoneNumber: string): TenantFact => ({
  type: 'gateway.SenderNumberAdded.v1',
  data: { tenantId, phoneNumber, addedAt: '2026-01-01T11:00:00.000Z' },
});
const removed = (phoneNumber: string): TenantFact => ({
  type: 'gateway.SenderNumberRemoved.v1',
  data: { tenantId, phoneNumber, removedAt: '2026-01-01T12:00:00.000Z' },
});
const profileSet = (restrictedContent?: 'flag' | 'block'): TenantFact => ({
  type: 'gateway.TenantComplianceProfileSet.v1',
  data: {
    tenantId,
    compliance: restrictedContent ? { restrictedContent } : {},
    setAt: '2026-01-01T13:00:00.000Z',
  },
});

const settingsSet = (everyDays?: number): TenantFact => ({
  type: 'gateway.TenantSettingsSet.v1',
  data: {
    tenantId,
    settings: everyDays === undefined ? {} : { optOutReminder: { everyDays } },
    setAt: '2026-01-01T14:00:00.000Z',
  },
});

describe('the tenant-profile replica projection', () => {
  it('fails for any fact but TenantCreated of a tenant not known yet, so it is retried', () => {
    for (const fact of [
      added('+12125550101'),
      removed('+12125550100'),
      profileSet('flag'),
      settingsSet(7),
    ]) {
      expect(() => evolveTenantProfile(null, fact)).toThrow(UnknownTenantError);
    }
  });

  it('adds and removes sender numbers, and a TenantCreated replayed keeps those added since', () => {
    const grown = [created, added('+12125550101'), added('+12125550101')].reduce(
      evolveTenantProfile,
      null,
    );
    expect(grown?.senders?.senderNumbers).toEqual(['+12125550100', '+12125550101']);
    const replayed = evolveTenantProfile(grown, created);
    expect(replayed.senders?.senderNumbers).toEqual(['+12125550100', '+12125550101']);
    expect(replayed.createdAt).toBe('2026-01-01T10:00:00.000Z');
    expect(evolveTenantProfile(replayed, removed('+12125550100')).senders?.senderNumbers).toEqual([
      '+12125550101',
    ]);
  });

  it('replaces the whole compliance profile; an empty one means every default again', () => {
    const flagged = evolveTenantProfile(evolveTenantProfile(null, created), profileSet('flag'));
    expect(flagged.compliance).toEqual({ restrictedContent: 'flag' });
    expect(flagged.updatedAt).toBe('2026-01-01T13:00:00.000Z');
    expect(evolveTenantProfile(flagged, profileSet()).compliance).toBeNull();
  });

  it('keeps the settings: none at creation, the whole object replaced, a replayed create keeps them', () => {
    const fresh = evolveTenantProfile(null, created);
    expect(fresh.settings).toEqual({});
    const reminded = evolveTenantProfile(fresh, settingsSet(30));
    expect(reminded.settings).toEqual({ optOutReminder: { everyDays: 30 } });
    expect(reminded.updatedAt).toBe('2026-01-01T14:00:00.000Z');
    expect(evolveTenantProfile(reminded, created).settings).toEqual({
      optOutReminder: { everyDays: 30 },
    });
    expect(evolveTenantProfile(reminded, settingsSet()).settings).toEqual({});
  });
});
