/** A service whose read models the rebuild test compares (it has a `dist/rebuild/main.js`). */
export type RebuildService = 'gateway' | 'messaging' | 'consent';

/**
 * A service whose events the rebuilt ones read: each rebuilt service, and registration, whose
 * store bounds registration's topic in the cut but whose own read models are not rebuilt here.
 */
export type Publisher = RebuildService | 'registration';

export interface ReadModelTable {
  readonly table: string;
  /** Its primary key: rows are compared in this order. */
  readonly orderBy: string;
  /**
   * Columns not derived from events, left out of the comparison (with why, in a comment). Only
   * messaging's `consent_standings.updated_at` is: the gate replica writes `now()` there (the
   * time of the write, which a rebuild necessarily changes); nothing reads it.
   */
  readonly notFromEvents?: readonly string[];
}

/**
 * Every read model of every rebuilt service (README, "Read models"; replicas in libs/replicas).
 */
export const readModelTables: Readonly<Record<RebuildService, readonly ReadModelTable[]>> = {
  gateway: [
    { table: 'messages', orderBy: 'id' },
    { table: 'revocation_reviews', orderBy: 'review_id' },
    { table: 'consent_ledger', orderBy: 'tenant_id, phone, sequence' },
    { table: 'consent_standings', orderBy: 'tenant_id, phone' },
    { table: 'tenants', orderBy: 'id' },
    { table: 'sender_numbers', orderBy: 'phone_number' },
    { table: 'api_keys', orderBy: 'key_hash' },
    { table: 'contacts', orderBy: 'tenant_id, contact_id' },
    { table: 'contact_request_outcomes', orderBy: 'request_id' },
    { table: 'templates', orderBy: 'tenant_id, template_id' },
    { table: 'template_versions', orderBy: 'tenant_id, template_id, version' },
    { table: 'template_request_outcomes', orderBy: 'request_id' },
    { table: 'custom_values', orderBy: 'tenant_id, key' },
    { table: 'conversations', orderBy: 'tenant_id, phone' },
    { table: 'trust_brands', orderBy: 'brand_id' },
    { table: 'trust_campaigns', orderBy: 'campaign_id' },
    { table: 'trust_campaign_numbers', orderBy: 'request_id' },
    { table: 'number_lookups', orderBy: 'phone_number' },
  ],
  consent: [
    { table: 'consent_standings', orderBy: 'tenant_id, phone' },
    { table: 'tenant_profiles', orderBy: 'tenant_id' },
  ],
  messaging: [
    { table: 'conversations', orderBy: 'tenant_id, contact_phone' },
    { table: 'opt_out_lines', orderBy: 'tenant_id, contact_phone' },
    { table: 'consent_standings', orderBy: 'tenant_id, phone', notFromEvents: ['updated_at'] },
    { table: 'tenant_numbers', orderBy: 'phone_number' },
    { table: 'tenant_profiles', orderBy: 'tenant_id' },
    { table: 'contacts', orderBy: 'tenant_id, contact_id' },
    { table: 'sender_registration_numbers', orderBy: 'tenant_id, phone_number' },
    { table: 'sender_registration_campaigns', orderBy: 'campaign_id' },
    { table: 'sender_registration_brands', orderBy: 'brand_id' },
    { table: 'number_lookups', orderBy: 'phone_number' },
  ],
};

/** The topics each service's rebuild reads (what its read-model consumers follow). */
export const rebuildTopics: Readonly<Record<RebuildService, readonly string[]>> = {
  gateway: [
    'messaging.messages.events.v1',
    'consent.consents.events.v1',
    'messaging.contacts.events.v1',
    'messaging.templates.events.v1',
    'messaging.custom-values.events.v1',
    'messaging.contact-imports.events.v1',
    'messaging.bulk-sends.events.v1',
    'registration.registrations.events.v1',
    'messaging.number-lookups.events.v1',
  ],
  messaging: [
    'gateway.tenants.events.v1',
    'consent.consents.events.v1',
    'registration.registrations.events.v1',
  ],
  consent: ['gateway.tenants.events.v1'],
};

/** Which service publishes a topic (`<service>.<aggregate>.events.v<n>`). */
export function publisherOf(topic: string): Publisher {
  const service = topic.split('.')[0];
  if (
    service === 'gateway' ||
    service === 'messaging' ||
    service === 'consent' ||
    service === 'registration'
  ) {
    return service;
  }
  throw new Error(`no service publishes ${topic}`);
}
