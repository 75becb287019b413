import {
  type TenantProfileRecord,
  TenantProfileReplica,
  UnknownTenantError,
} from '@textplane/replicas';
import type { EntityManager } from 'typeorm';
import type { TenantReplyProfile } from '../consents/auto-replies/reply-texts.js';

export { UnknownTenantError } from '@textplane/replicas';

/** What the ledger needs to know of a tenant to answer STOP, START and HELP in its name. */
export interface TenantProfile extends TenantReplyProfile {
  tenantId: string;
  timeZone: string;
  senderNumbers: string[];
}

/** Consent keeps the tenants' brands, zones, reply settings and sender numbers. */
export class TenantProfiles {
  private readonly replica = new TenantProfileReplica({ keeps: 'senders' });

  /** The effect of one tenant event, inside the caller's transaction (see onceThroughInbox). */
  apply(event: { type: string; data: unknown }, manager: EntityManager): Promise<void> {
    return this.replica.apply(event, manager);
  }

  async profileOf(manager: EntityManager, tenantId: string): Promise<TenantProfile | null> {
    const record = await this.replica.profileOf(manager, tenantId);
    return record && replyProfileOf(record);
  }

  /** A reply for a tenant whose TenantCreated has not been consumed yet: retry, never drop. */
  async requireProfile(manager: EntityManager, tenantId: string): Promise<TenantProfile> {
    const profile = await this.profileOf(manager, tenantId);
    if (!profile) throw new UnknownTenantError(tenantId);
    return profile;
  }
}

function replyProfileOf(record: TenantProfileRecord): TenantProfile {
  return {
    tenantId: record.tenantId,
    brandName: record.brandName,
    timeZone: record.timeZone,
    defaultSender: record.senders?.defaultSender ?? '',
    senderNumbers: [...(record.senders?.senderNumbers ?? [])],
    ...(record.compliance ? { compliance: record.compliance } : {}),
  };
}
