import { TenantProfileReplica } from '@textplane/replicas';
import type { EntityManager } from 'typeorm';

/** NANP toll-free area codes (FCC): 800, 833, 844, 855, 866, 877, 888. */
const TOLL_FREE = /^\+18(00|33|44|55|66|77|88)\d{7}$/u;

export function isTollFree(phoneNumber: string): boolean {
  return TOLL_FREE.test(phoneNumber);
}

/** Registration keeps which sender numbers each tenant owns (from gateway.tenants.events.v1). */
export class TenantNumbers {
  private readonly replica = new TenantProfileReplica({ keeps: 'senders' });

  /** The effect of one tenant event, inside the caller's transaction (see onceThroughInbox). */
  apply(event: { type: string; data: unknown }, manager: EntityManager): Promise<void> {
    return this.replica.apply(event, manager);
  }

  /**
   * Whether the tenant owns the number. A tenant whose TenantCreated has not been consumed yet
   * fails with UnknownTenantError, so the request is retried: the gateway accepted it for a
   * tenant it knows, and the two topics are not ordered with each other.
   */
  async owns(manager: EntityManager, tenantId: string, phoneNumber: string): Promise<boolean> {
    const profile = await this.replica.require(manager, tenantId);
    return profile.senders?.senderNumbers.includes(phoneNumber) ?? false;
  }
}
