import type {
  ApiKeyIssued,
  SenderNumberAdded,
  SenderNumberRemoved,
  TenantComplianceProfileSet,
  TenantCreated,
} from '@textplane/contracts';

export type TenantEvent =
  | { type: 'gateway.TenantCreated.v1'; data: TenantCreated }
  | { type: 'gateway.SenderNumberAdded.v1'; data: SenderNumberAdded }
  | { type: 'gateway.SenderNumberRemoved.v1'; data: SenderNumberRemoved }
  | { type: 'gateway.TenantComplianceProfileSet.v1'; data: TenantComplianceProfileSet }
  | { type: 'gateway.ApiKeyIssued.v1'; data: ApiKeyIssued };

export const TENANT_STREAM_TYPE = 'tenant';

export function tenantStreamId(tenantId: string): string {
  return `tenant-${tenantId}`;
}

export function isTenantEventType(type: string): type is TenantEvent['type'] {
  return (
    type === 'gateway.TenantCreated.v1' ||
    type === 'gateway.SenderNumberAdded.v1' ||
    type === 'gateway.SenderNumberRemoved.v1' ||
    type === 'gateway.TenantComplianceProfileSet.v1' ||
    type === 'gateway.ApiKeyIssued.v1'
  );
}
