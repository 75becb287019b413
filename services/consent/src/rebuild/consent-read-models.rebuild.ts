import { ConsumerGroups, Topics } from '@textplane/contracts';
import { Inbox } from '@textplane/event-store';
import { ConsentStandingReplica } from '@textplane/replicas';
import { onceThroughInbox, type RebuildPlan } from '@textplane/service-runtime';
import type { DataSource } from 'typeorm';
import {
  CONSENT_STREAM_TYPE,
  type ConsentEvent,
  isConsentEventType,
} from '../consents/consent.events.js';
import { TenantProfiles } from '../tenants/tenant-profiles.js';

/** The topics a consent rebuild reads (the tenants replica's). */
export const consentRebuildTopics = [Topics.gatewayTenants] as const;

/** The tenant events consent's tenants consumer acts on (it passes over the others). */
const TENANT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'gateway.TenantCreated.v1',
  'gateway.SenderNumberAdded.v1',
  'gateway.SenderNumberRemoved.v1',
  'gateway.TenantComplianceProfileSet.v1',
]);

/**
 * Rebuilds consent's read models into `target` (migrated, empty) through the projections consent
 * runs: `consent_standings` from the stored ledger events (the replica ConsentStore applies where
 * they are appended, with the same options), `tenant_profiles` from the tenants topic.
 */
export async function rebuildConsentReadModels(
  target: DataSource,
  plan: Pick<RebuildPlan, 'store' | 'topics'>,
): Promise<void> {
  const ledger = plan.store
    .filter((event) => event.streamType === CONSENT_STREAM_TYPE && isConsentEventType(event.type))
    .map((event) => ({ type: event.type, data: event.data }) as ConsentEvent);
  const standings = new ConsentStandingReplica({ keeps: 'standing-and-opted-out' });
  await target.transaction((manager) =>
    standings.project(
      manager,
      ledger.filter((event) => standings.follows(event)),
    ),
  );

  const profiles = new TenantProfiles();
  const tenants = onceThroughInbox(new Inbox(target), ConsumerGroups.consentTenants, (e, m) =>
    profiles.apply(e, m),
  );
  // One at a time, in order, as the tenants consumer handles them.
  for (const event of plan.topics[Topics.gatewayTenants] ?? []) {
    if (TENANT_EVENT_TYPES.has(event.type)) await tenants.handle(event);
  }
}
