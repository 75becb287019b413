import { ConsumerGroups, Topics } from '@textplane/contracts';
import { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import type { DataSource } from 'typeorm';
import { ConsentProjection } from '../consents/consent.projection.js';
import { ContactProjection } from '../contacts/contact.projection.js';
import { BulkSendProjection } from '../bulk-sends/bulk-send.projection.js';
import { BULK_SEND_STREAM_TYPE, isBulkSendEventType } from '../bulk-sends/bulk-send-record.js';
import { ContactImportProjection } from '../contact-imports/contact-import.projection.js';
import {
  CONTACT_IMPORT_STREAM_TYPE,
  isContactImportEventType,
} from '../contact-imports/contact-import-job.js';
import { rebuildConversations } from '../conversations/conversation.rebuild.js';
import { CustomValueProjection } from '../custom-values/custom-value.projection.js';
import { MessageReadModel } from '../messages/message-read-model.js';
import { MessageProjection } from '../messages/message.projection.js';
import { TemplateProjection } from '../templates/template.projection.js';
import type { TenantEvent } from '../tenants/tenant.events.js';
import { isTenantEventType, TENANT_STREAM_TYPE } from '../tenants/tenant.events.js';
import { projectTenantEvents } from '../tenants/tenant.projection.js';
import { chunksOf, type RebuildPlan } from '@textplane/service-runtime';
import { NumberLookupProjection } from '../number-lookups/number-lookup.projection.js';
import { TrustProjection } from '../trust/trust.projection.js';
import {
  isTrustEventType,
  TRUST_BRAND_STREAM_TYPE,
  TRUST_CAMPAIGN_STREAM_TYPE,
} from '../trust/trust-record.js';
import {
  isTollFreeEventType,
  TRUST_TOLL_FREE_STREAM_TYPE,
} from '../trust/toll-free-verification-record.js';

/** The topics a gateway rebuild reads (the ones its read-model consumers follow). */
export const gatewayRebuildTopics = [
  Topics.messagingMessages,
  Topics.consentConsents,
  Topics.messagingContacts,
  Topics.messagingTemplates,
  Topics.messagingCustomValues,
  Topics.messagingContactImports,
  Topics.messagingBulkSends,
  Topics.registrationRegistrations,
  Topics.messagingNumberLookups,
] as const;

/** Events per transaction: about what a consumer fetches at once. */
const BATCH = 500;

/**
 * Rebuilds every gateway read model into `target` (migrated, empty) through the projections the
 * gateway runs, in the order the README gives: the tenant streams of the store (tenants,
 * sender_numbers, api_keys); the stored SendRequested, then messaging's topic (messages: a
 * request creates the row, the queued event brings the body as sent); consent's topic, then the
 * stored review resolution requests (consent_ledger, consent_standings, revocation_reviews);
 * messaging's contacts topic (contacts, contact_request_outcomes); its templates topic (templates,
 * template_versions, template_request_outcomes) and custom-values topic (custom_values, and their
 * outcomes in template_request_outcomes).
 */
export async function rebuildGatewayReadModels(
  target: DataSource,
  plan: Pick<RebuildPlan, 'store' | 'topics'>,
): Promise<void> {
  const tenantEvents = plan.store
    .filter((event) => event.streamType === TENANT_STREAM_TYPE && isTenantEventType(event.type))
    .map((event) => ({ type: event.type, data: event.data }) as TenantEvent);
  await target.transaction((manager) => projectTenantEvents(manager, tenantEvents));

  const inbox = new Inbox(target);
  const messages = new MessageProjection(
    inbox,
    ConsumerGroups.gatewayReadModels,
    new MessageReadModel(target),
  );
  await replay(
    plan.store.filter((event) => event.type === 'gateway.SendRequested.v1'),
    (batch) => messages.handleBatch(batch),
  );
  await replay(plan.topics[Topics.messagingMessages] ?? [], (batch) => messages.handleBatch(batch));

  const consents = new ConsentProjection(inbox, ConsumerGroups.gatewayConsentReadModels);
  await replay(plan.topics[Topics.consentConsents] ?? [], (batch) => consents.handleBatch(batch));
  await replay(
    plan.store.filter((event) => event.type === 'gateway.RevocationReviewResolutionRequested.v1'),
    (batch) => consents.handleBatch(batch),
  );

  const contacts = new ContactProjection(inbox, ConsumerGroups.gatewayContactReadModels);
  await replay(plan.topics[Topics.messagingContacts] ?? [], (batch) => contacts.handleBatch(batch));

  await rebuildConversations(inbox, target, plan);

  const templates = new TemplateProjection(inbox, ConsumerGroups.gatewayTemplateReadModels);
  await replay(plan.topics[Topics.messagingTemplates] ?? [], (batch) =>
    templates.handleBatch(batch),
  );
  const customValues = new CustomValueProjection(
    inbox,
    ConsumerGroups.gatewayCustomValueReadModels,
  );
  await replay(plan.topics[Topics.messagingCustomValues] ?? [], (batch) =>
    customValues.handleBatch(batch),
  );

  // Import jobs: the gateway's own import events from the store, then messaging's chunk answers.
  const imports = new ContactImportProjection(inbox, ConsumerGroups.gatewayContactImportReadModels);
  await replay(
    plan.store.filter(
      (event) =>
        event.streamType === CONTACT_IMPORT_STREAM_TYPE && isContactImportEventType(event.type),
    ),
    (batch) => imports.handleBatch(batch),
  );
  await replay(plan.topics[Topics.messagingContactImports] ?? [], (batch) =>
    imports.handleBatch(batch),
  );

  // Bulk sends: the gateway's requests (bulk_sends, bulk_send_recipients) from the store, then
  // messaging's run; the client's requests not yet answered settle as messaging's answers come.
  const bulkSends = new BulkSendProjection(inbox, ConsumerGroups.gatewayBulkSendReadModels);
  await replay(
    plan.store.filter(
      (event) => event.streamType === BULK_SEND_STREAM_TYPE && isBulkSendEventType(event.type),
    ),
    (batch) => bulkSends.handleBatch(batch),
  );
  await replay(plan.topics[Topics.messagingBulkSends] ?? [], (batch) =>
    bulkSends.handleBatch(batch),
  );

  // Trust Center: the gateway's registration requests (trust_brands, trust_campaigns,
  // trust_campaign_numbers, trust_toll_free_verifications) from the store, then registration's
  // facts (registration.registrations, one of gatewayRebuildTopics).
  const trust = new TrustProjection(inbox, ConsumerGroups.gatewayTrustReadModels);
  await replay(
    plan.store.filter(
      (event) =>
        ((event.streamType === TRUST_BRAND_STREAM_TYPE ||
          event.streamType === TRUST_CAMPAIGN_STREAM_TYPE) &&
          isTrustEventType(event.type)) ||
        (event.streamType === TRUST_TOLL_FREE_STREAM_TYPE && isTollFreeEventType(event.type)),
    ),
    (batch) => trust.handleBatch(batch),
  );
  await replay(plan.topics[Topics.registrationRegistrations] ?? [], (batch) =>
    trust.handleBatch(batch),
  );

  // Number lookups (number_lookups) from messaging's topic (one of gatewayRebuildTopics).
  const numberLookups = new NumberLookupProjection(
    inbox,
    ConsumerGroups.gatewayNumberLookupReadModels,
  );
  await replay(plan.topics[Topics.messagingNumberLookups] ?? [], (batch) =>
    numberLookups.handleBatch(batch),
  );
}

async function replay(
  events: readonly ConsumedEvent[],
  handleBatch: (batch: ConsumedEvent[]) => Promise<void>,
): Promise<void> {
  for (const batch of chunksOf(events, BATCH)) await handleBatch(batch);
}
