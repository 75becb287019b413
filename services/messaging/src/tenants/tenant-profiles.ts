import type {
  RestrictedContentPolicy,
  TenantComplianceProfile,
  TenantComplianceProfileSet,
  TenantCreated,
} from '@textplane/contracts';
import { queryRows, unitOfWorkOf } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { EntityManager } from 'typeorm';

/** The tenant facts compliance needs: brand for additions, zone and content policy for checks. */
export interface TenantProfile {
  tenantId: string;
  brandName: string;
  timeZone: string;
  restrictedContent: RestrictedContentPolicy;
}

/** Blocking is the safe default for SHAFT and high-risk financial content. */
const DEFAULT_RESTRICTED_CONTENT: RestrictedContentPolicy = 'block';

export class UnknownTenantError extends Error {
  constructor(readonly tenantId: string) {
    super(`Tenant ${tenantId} is not known to messaging yet`);
    this.name = 'UnknownTenantError';
  }
}

/** Built from gateway tenant events, beside TenantNumbers. */
export class TenantProfiles {
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'gateway.TenantCreated.v1':
        return this.created(event.data as TenantCreated, manager);
      case 'gateway.TenantComplianceProfileSet.v1':
        return this.complianceSet(event.data as TenantComplianceProfileSet, manager);
      default:
        return;
    }
  }

  private async created(data: TenantCreated, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO tenant_profiles (tenant_id, brand_name, time_zone, compliance, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tenant_id) DO UPDATE SET brand_name = EXCLUDED.brand_name,
         time_zone = EXCLUDED.time_zone, compliance = EXCLUDED.compliance,
         updated_at = EXCLUDED.updated_at`,
      [
        data.tenantId,
        data.brandName,
        data.timeZone,
        JSON.stringify(data.compliance ?? {}),
        data.createdAt,
      ],
    );
  }

  /**
   * The whole new profile replaces the old one. TenantCreated comes first on the tenant's
   * (ordered) stream; a tenant not known here fails so the event is retried and, if it never
   * becomes known, lands in the DLQ: dropping it would silently keep the old content policy.
   */
  private async complianceSet(
    data: TenantComplianceProfileSet,
    manager: EntityManager,
  ): Promise<void> {
    const updated = await queryRows<{ tenant_id: string }>(
      manager,
      `UPDATE tenant_profiles SET compliance = $2, updated_at = $3 WHERE tenant_id = $1
       RETURNING tenant_id`,
      [data.tenantId, JSON.stringify(data.compliance), data.setAt],
    );
    if (updated.length === 0) throw new UnknownTenantError(data.tenantId);
  }

  /** The tenant's profile; a tenant messaging has not heard of yet fails so the event is retried. */
  require(manager: EntityManager, tenantId: string): Promise<TenantProfile> {
    // Read once per unit of work: a batch of one tenant's events costs one read.
    const unit = unitOfWorkOf(manager);
    return unit
      ? unit.memo(`tenant-profile:${tenantId}`, () => this.read(manager, tenantId))
      : this.read(manager, tenantId);
  }

  private async read(manager: EntityManager, tenantId: string): Promise<TenantProfile> {
    const rows = await manager.query<
      Array<{ brand_name: string; time_zone: string; compliance: TenantComplianceProfile }>
    >(`SELECT brand_name, time_zone, compliance FROM tenant_profiles WHERE tenant_id = $1`, [
      tenantId,
    ]);
    const row = rows[0];
    if (!row) throw new UnknownTenantError(tenantId);
    return {
      tenantId,
      brandName: row.brand_name,
      timeZone: row.time_zone,
      restrictedContent: row.compliance.restrictedContent ?? DEFAULT_RESTRICTED_CONTENT,
    };
  }
}
