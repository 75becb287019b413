import {
  type CampaignUseCaseMismatchPolicy,
  NUMBER_VALIDATION_DEFAULTS,
  type NumberValidationSetting,
  type RestrictedContentPolicy,
  type ThroughputLimitOverrides,
} from '@textplane/contracts';
import { TenantProfileReplica } from '@textplane/replicas';
import type { EntityManager } from 'typeorm';

export { UnknownTenantError } from '@textplane/replicas';

/** The tenant facts compliance needs: brand for additions, zone and content policy for checks. */
export interface TenantProfile {
  tenantId: string;
  brandName: string;
  timeZone: string;
  restrictedContent: RestrictedContentPolicy;
  /** The tenant's `optOutReminder.everyDays` setting; null when the reminder is off (default). */
  optOutReminderEveryDays: number | null;
  /** What a message whose purpose does not fit its sender campaign's use case gets (default flag). */
  campaignUseCaseMismatch: CampaignUseCaseMismatchPolicy;
  /** The tenant's number validation setting (default off). */
  numberValidation: Readonly<NumberValidationSetting>;
  /** The operator's overrides of the carriers' throughput limits ({}: none). */
  throughputLimits: Readonly<ThroughputLimitOverrides>;
}

/** Blocking is the safe default for SHAFT and high-risk financial content. */
const DEFAULT_RESTRICTED_CONTENT: RestrictedContentPolicy = 'block';

/** Messaging keeps the tenants' compliance profiles (its sender numbers: TenantNumbers). */
export class TenantProfiles {
  private readonly replica = new TenantProfileReplica({ keeps: 'compliance' });

  /** The effect of one tenant event, inside the caller's transaction (see onceThroughInbox). */
  apply(event: { type: string; data: unknown }, manager: EntityManager): Promise<void> {
    return this.replica.apply(event, manager);
  }

  /** The tenant's profile; a tenant messaging has not heard of yet fails so the event is retried. */
  async require(manager: EntityManager, tenantId: string): Promise<TenantProfile> {
    const record = await this.replica.require(manager, tenantId);
    return {
      tenantId,
      brandName: record.brandName,
      timeZone: record.timeZone,
      restrictedContent: record.compliance?.restrictedContent ?? DEFAULT_RESTRICTED_CONTENT,
      optOutReminderEveryDays: record.settings?.optOutReminder?.everyDays ?? null,
      campaignUseCaseMismatch: record.settings?.campaignUseCaseMismatch ?? 'flag',
      numberValidation: record.settings?.numberValidation ?? NUMBER_VALIDATION_DEFAULTS,
      throughputLimits: record.settings?.throughputLimits ?? {},
    };
  }
}
