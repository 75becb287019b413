/**
 * The one registry of Kafka names. Topics are created from this list by the setup step
 * (never by broker auto-create); a name here is a public contract and is never edited,
 * only superseded by a new major version.
 */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const Topics = {
  gatewayTenants: 'gateway.tenants.events.v1',
  gatewaySendRequests: 'gateway.send-requests.events.v1',
  gatewayCarrierWebhooks: 'gateway.carrier-webhooks.events.v1',
  gatewayConsentRequests: 'gateway.consent-requests.events.v1',
  gatewayContactRequests: 'gateway.contact-requests.events.v1',
  messagingMessages: 'messaging.messages.events.v1',
  consentConsents: 'consent.consents.events.v1',
  messagingContacts: 'messaging.contacts.events.v1',
  gatewayTemplateRequests: 'gateway.template-requests.events.v1',
  gatewayCustomValueRequests: 'gateway.custom-value-requests.events.v1',
  messagingTemplates: 'messaging.templates.events.v1',
  messagingCustomValues: 'messaging.custom-values.events.v1',
  gatewayContactImports: 'gateway.contact-imports.events.v1',
  messagingContactImports: 'messaging.contact-imports.events.v1',
  gatewayConversations: 'gateway.conversations.events.v1',
  gatewayBulkSendRequests: 'gateway.bulk-send-requests.events.v1',
  messagingBulkSends: 'messaging.bulk-sends.events.v1',
  gatewayRegistrationRequests: 'gateway.registration-requests.events.v1',
  registrationRegistrations: 'registration.registrations.events.v1',
  messagingNumberLookups: 'messaging.number-lookups.events.v1',
  gatewayBillingRequests: 'gateway.billing-requests.events.v1',
  billingWallets: 'billing.wallets.events.v1',
  billingRateCards: 'billing.rate-cards.events.v1',
} as const;
export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Consumer groups are named `<service>.<purpose>`. */
export const ConsumerGroups = {
  messagingTenants: 'messaging.tenants',
  messagingSendRequests: 'messaging.send-requests',
  messagingCarrierWebhooks: 'messaging.carrier-webhooks',
  messagingCarrierSubmission: 'messaging.carrier-submission',
  messagingConsents: 'messaging.consents',
  gatewayReadModels: 'gateway.read-models',
  gatewayConsentReadModels: 'gateway.consent-read-models',
  gatewayContactReadModels: 'gateway.contact-read-models',
  messagingContactRequests: 'messaging.contact-requests',
  gatewayTemplateReadModels: 'gateway.template-read-models',
  gatewayCustomValueReadModels: 'gateway.custom-value-read-models',
  messagingTemplateRequests: 'messaging.template-requests',
  messagingCustomValueRequests: 'messaging.custom-value-requests',
  messagingContactImports: 'messaging.contact-imports',
  gatewayContactImportReadModels: 'gateway.contact-import-read-models',
  consentTenants: 'consent.tenants',
  consentRequests: 'consent.requests',
  consentInboundReplies: 'consent.inbound-replies',
  gatewayConversationReadModels: 'gateway.conversation-read-models',
  gatewayConversationReads: 'gateway.conversation-reads',
  messagingBulkSendRequests: 'messaging.bulk-send-requests',
  gatewayBulkSendReadModels: 'gateway.bulk-send-read-models',
  registrationRequests: 'registration.requests',
  registrationCarrierWebhooks: 'registration.carrier-webhooks',
  registrationTenants: 'registration.tenants',
  registrationCarrierSubmission: 'registration.carrier-submission',
  gatewayTrustReadModels: 'gateway.trust-read-models',
  gatewayNumberLookupReadModels: 'gateway.number-lookup-read-models',
  messagingRegistrations: 'messaging.registrations',
  billingRequests: 'billing.requests',
  billingMessages: 'billing.messages',
  messagingFunds: 'messaging.funds',
  gatewayBillingReadModels: 'gateway.billing-read-models',
  // The gateway's rate-card read model: its own group, a consumer follows one topic.
  gatewayBillingRateCardReadModels: 'gateway.billing-rate-card-read-models',
} as const;
export type ConsumerGroupName = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];

/** A group's dead-letter topic. */
export function dlqTopicFor(group: string): string {
  return `${group}.dlq`;
}

const PARTITIONS = 6;

export const topicRegistry: readonly TopicSpec[] = Object.freeze([
  { name: Topics.gatewayTenants, partitions: 1, retentionMs: -1 },
  { name: Topics.gatewaySendRequests, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  { name: Topics.gatewayCarrierWebhooks, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  { name: Topics.gatewayConsentRequests, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  { name: Topics.gatewayContactRequests, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  { name: Topics.messagingMessages, partitions: PARTITIONS, retentionMs: 30 * DAY_MS },
  // The ledger lives in the consent store; the topic keeps a year for late or rebuilt readers.
  { name: Topics.consentConsents, partitions: PARTITIONS, retentionMs: 365 * DAY_MS },
  // Contacts live in messaging's store; a year lets a late or rebuilt reader catch up.
  { name: Topics.messagingContacts, partitions: PARTITIONS, retentionMs: 365 * DAY_MS },
  { name: Topics.gatewayTemplateRequests, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  { name: Topics.gatewayCustomValueRequests, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  // Templates and custom values live in messaging's store; kept like contacts.
  { name: Topics.messagingTemplates, partitions: PARTITIONS, retentionMs: 365 * DAY_MS },
  { name: Topics.messagingCustomValues, partitions: PARTITIONS, retentionMs: 365 * DAY_MS },
  // An import's chunks are consumed within minutes; a week covers a consumer that was down.
  { name: Topics.gatewayContactImports, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  { name: Topics.messagingContactImports, partitions: PARTITIONS, retentionMs: 30 * DAY_MS },
  // Read marks live in the gateway's store; the topic feeds its own conversations projection.
  { name: Topics.gatewayConversations, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  // A bulk send's requests are consumed within seconds; a week covers a consumer that was down.
  { name: Topics.gatewayBulkSendRequests, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  // Bulk sends live in messaging's store; a month of progress for ops and late readers.
  { name: Topics.messagingBulkSends, partitions: PARTITIONS, retentionMs: 30 * DAY_MS },
  // Registration requests are consumed within seconds; a week covers a consumer that was down.
  { name: Topics.gatewayRegistrationRequests, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  // Brands, campaigns and assignments live for years; messaging's sender gate rebuilds from here.
  { name: Topics.registrationRegistrations, partitions: PARTITIONS, retentionMs: -1 },
  // A lookup is reused for at most 365 days (cacheDays); the gateway's read model rebuilds from here.
  { name: Topics.messagingNumberLookups, partitions: PARTITIONS, retentionMs: 365 * DAY_MS },
  // Credits and settings are consumed within seconds; a week covers a consumer that was down.
  { name: Topics.gatewayBillingRequests, partitions: PARTITIONS, retentionMs: 7 * DAY_MS },
  // The ledger lives in billing's store; a year of wallet facts for usage reports and rebuilds.
  { name: Topics.billingWallets, partitions: PARTITIONS, retentionMs: 365 * DAY_MS },
  // Every published card prices messages for as long as it may be in force: kept for good.
  { name: Topics.billingRateCards, partitions: 1, retentionMs: -1 },
  ...Object.values(ConsumerGroups).map((group) => ({
    name: dlqTopicFor(group),
    partitions: 1,
    retentionMs: 30 * DAY_MS,
  })),
]);

export function topicSpec(name: string): TopicSpec {
  const spec = topicRegistry.find((t) => t.name === name);
  if (!spec) throw new Error(`Topic ${name} is not in the topic registry`);
  return spec;
}
