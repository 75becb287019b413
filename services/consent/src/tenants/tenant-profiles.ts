import type {
  SenderNumberAdded,
  SenderNumberRemoved,
  TenantComplianceProfile,
  TenantComplianceProfileSet,
  TenantCreated,
} from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import { queryRows } from '@textplane/event-store';
import type { EntityManager } from 'typeorm';
import type { TenantReplyProfile } from '../consents/auto-replies/reply-texts.js';

/** What the ledger needs to know of a tenant to answer STOP, START and HELP in its name. */
export interface TenantProfile extends TenantReplyProfile {
  tenantId: string;
  timeZone: string;
  senderNumbers: string[];
}

/** A reply for a tenant whose TenantCreated has not been consumed yet: retry, never drop. */
export class UnknownTenantError extends Error {
  constructor(readonly tenantId: string) {
    super(`Tenant ${tenantId} is not known yet; its replies cannot be written`);
    this.name = 'UnknownTenantError';
  }
}

interface TenantProfileRow {
  tenant_id: string;
  brand_name: string;
  time_zone: string;
  default_sender: string;
  sender_numbers: string[];
  compliance: TenantComplianceProfile | null;
}

/** Tenant brands, zones, reply settings and numbers, built from the gateway's tenant events. */
export class TenantProfiles {
  /** The effect of one tenant event, inside the caller's transaction (see onceThroughInbox). */
  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'gateway.TenantCreated.v1': {
        const t = event.data as TenantCreated;
        await manager.query(
          `INSERT INTO tenant_profiles
             (tenant_id, brand_name, time_zone, default_sender, sender_numbers, compliance, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (tenant_id) DO UPDATE SET
             brand_name = EXCLUDED.brand_name, time_zone = EXCLUDED.time_zone,
             default_sender = EXCLUDED.default_sender, compliance = EXCLUDED.compliance,
             sender_numbers = ARRAY(
               SELECT DISTINCT unnest(tenant_profiles.sender_numbers || EXCLUDED.sender_numbers))`,
          [
            t.tenantId,
            t.brandName,
            t.timeZone,
            t.defaultSender,
            t.senderNumbers,
            t.compliance === undefined ? null : JSON.stringify(t.compliance),
            t.createdAt,
          ],
        );
        return;
      }
      case 'gateway.SenderNumberAdded.v1': {
        const added = event.data as SenderNumberAdded;
        // The tenant's creation comes first on its (ordered) stream; without it, retry.
        return this.updateKnown(
          manager,
          added.tenantId,
          `sender_numbers = CASE WHEN $2::text = ANY (sender_numbers) THEN sender_numbers
                                 ELSE array_append(sender_numbers, $2::text) END`,
          added.phoneNumber,
        );
      }
      case 'gateway.SenderNumberRemoved.v1': {
        const removed = event.data as SenderNumberRemoved;
        // After its creation on the same ordered stream, like an added number.
        return this.updateKnown(
          manager,
          removed.tenantId,
          'sender_numbers = array_remove(sender_numbers, $2::text)',
          removed.phoneNumber,
        );
      }
      case 'gateway.TenantComplianceProfileSet.v1': {
        const set = event.data as TenantComplianceProfileSet;
        // As for a sender number: the tenant's creation comes first on its stream; without it,
        // retry (and at last the DLQ) rather than answer with texts the tenant replaced.
        // The whole profile is replaced; an empty one means every default again.
        return this.updateKnown(
          manager,
          set.tenantId,
          'compliance = $2',
          Object.keys(set.compliance).length > 0 ? JSON.stringify(set.compliance) : null,
        );
      }
      default:
        return;
    }
  }

  async profileOf(manager: EntityManager, tenantId: string): Promise<TenantProfile | null> {
    const rows = await manager.query<TenantProfileRow[]>(
      `SELECT tenant_id, brand_name, time_zone, default_sender, sender_numbers, compliance
         FROM tenant_profiles WHERE tenant_id = $1`,
      [tenantId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      tenantId: row.tenant_id,
      brandName: row.brand_name,
      timeZone: row.time_zone,
      defaultSender: row.default_sender,
      senderNumbers: row.sender_numbers,
      ...(row.compliance ? { compliance: row.compliance } : {}),
    };
  }

  /** Updates a known tenant's row in one statement; an unknown tenant fails so it is retried. */
  private async updateKnown(
    manager: EntityManager,
    tenantId: string,
    assignment: string,
    value: string | null,
  ): Promise<void> {
    const updated = await queryRows(
      manager,
      `UPDATE tenant_profiles SET ${assignment} WHERE tenant_id = $1 RETURNING tenant_id`,
      [tenantId, value],
    );
    if (updated.length === 0) throw new UnknownTenantError(tenantId);
  }

  async requireProfile(manager: EntityManager, tenantId: string): Promise<TenantProfile> {
    const profile = await this.profileOf(manager, tenantId);
    if (!profile) throw new UnknownTenantError(tenantId);
    return profile;
  }
}
