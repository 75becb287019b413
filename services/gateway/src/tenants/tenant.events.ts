import { eventTypeGuard, type WireEventOf } from '@textplane/contracts';

const tenantEventTypes = [
  'gateway.TenantCreated.v1',
  'gateway.SenderNumberAdded.v1',
  'gateway.SenderNumberRemoved.v1',
  'gateway.TenantComplianceProfileSet.v1',
  'gateway.TenantSettingsSet.v1',
  'gateway.ApiKeyIssued.v1',
] as const;

export type TenantEvent = WireEventOf<(typeof tenantEventTypes)[number]>;

export const TENANT_STREAM_TYPE = 'tenant';

export function tenantStreamId(tenantId: string): string {
  return `tenant-${tenantId}`;
}

export const isTenantEventType = eventTypeGuard(tenantEventTypes);
