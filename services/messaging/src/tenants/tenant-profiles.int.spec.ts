import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consumed,
  createMessagingHarness,
  type MessagingHarness,
  seedTenant,
} from '../../test/messaging-harness.js';
import { TenantProfiles, UnknownTenantError } from './tenant-profiles.js';

let harness: MessagingHarness;
const profiles = new TenantProfiles();

beforeAll(async () => {
  harness = await createMessagingHarness();
});

afterAll(async () => {
  await harness.database.drop();
});

const profileSet = (tenantId: string, compliance: { restrictedContent?: 'flag' | 'block' }) =>
  consumed('gateway.TenantComplianceProfileSet.v1', `tenant-${tenantId}`, {
    tenantId,
    compliance,
    setAt: new Date().toISOString(),
  });

const policyOf = async (tenantId: string) =>
  (await profiles.require(harness.database.dataSource.manager, tenantId)).restrictedContent;

describe('a tenant compliance profile set after creation', () => {
  it('replaces the content policy the compliance checks read', async () => {
    const tenantId = randomUUID();
    await seedTenant(harness, { tenantId, number: '+12125550111' });
    expect(await policyOf(tenantId)).toBe('block');

    await harness.tenants.handle(profileSet(tenantId, { restrictedContent: 'flag' }));
    expect(await policyOf(tenantId)).toBe('flag');

    // The whole profile is replaced: left out, the policy is the default again.
    await harness.tenants.handle(profileSet(tenantId, {}));
    expect(await policyOf(tenantId)).toBe('block');
  });

  it('fails for a tenant not known yet, so the event is retried, and applies once it is', async () => {
    const tenantId = randomUUID();
    const early = profileSet(tenantId, { restrictedContent: 'flag' });
    await expect(harness.tenants.handle(early)).rejects.toBeInstanceOf(UnknownTenantError);
    await expect(policyOf(tenantId)).rejects.toBeInstanceOf(UnknownTenantError);

    await seedTenant(harness, { tenantId, number: '+12125550112' });
    // The redelivery of the same event (same id): the failed attempt left no inbox record.
    await harness.tenants.handle(early);
    expect(await policyOf(tenantId)).toBe('flag');
  });
});
