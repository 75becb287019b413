export {
  consentStandingsTable,
  ConsentStandingReplica,
  type ConsentStandingReplicaOptions,
  type ConsentStandingsKept,
} from './consent-standings/consent-standing-replica.js';
export {
  type ConsentStandingFact,
  type ConsentStandingRecord,
  effectiveStanding,
  evolveConsentStandingRecord,
  type InboundOptOutRead,
  noConsentStandingRecord,
  type PendingOptOut,
} from './consent-standings/consent-standing-record.js';
export {
  evolveTenantProfile,
  isTenantFact,
  type TenantFact,
  type TenantProfileRecord,
  TenantProfileReplica,
  type TenantProfileReplicaOptions,
  type TenantProfilesKept,
  tenantProfilesTable,
  UnknownTenantError,
} from './tenant-profiles/tenant-profile-replica.js';
