import { rebuildNumberLookups } from '../number-lookups/number-lookup.projection.js';
import { classifyReply } from '@textplane/compliance';
import { ConsumerGroups, type EventDataByType, Topics } from '@textplane/contracts';
import { Inbox } from '@textplane/event-store';
import type { ConsumedEvent } from '@textplane/kafka';
import {
  chunksOf,
  type EventHandlers,
  onceThroughInbox,
  type RebuildPlan,
} from '@textplane/service-runtime';
import type { DataSource } from 'typeorm';
import { BulkSendRunProjection } from '../bulk-sends/bulk-send-run.projection.js';
import {
  BULK_SEND_STREAM_TYPE,
  type BulkSendEvent,
  isBulkSendEventType,
} from '../bulk-sends/bulk-send.events.js';
import {
  CustomValueProjection,
  TemplateVersionProjection,
} from '../bulk-sends/template-lookup.projection.js';
import { ConsentView } from '../consents/consent-view.js';
import { ContactLookupProjection } from '../contacts/contact-lookup.projection.js';
import {
  CONTACT_STREAM_TYPE,
  type ContactEvent,
  isContactEventType,
} from '../contacts/contact.events.js';
import {
  isMessageEventType,
  MESSAGE_STREAM_TYPE,
  type MessageEvent,
} from '../messages/message.events.js';
import {
  CUSTOM_VALUE_STREAM_TYPE,
  type CustomValueEvent,
  isCustomValueEventType,
} from '../custom-values/custom-value.events.js';
import { ConversationProjection } from '../messages/projections/conversation.projection.js';
import {
  isTemplateEventType,
  TEMPLATE_STREAM_TYPE,
  type TemplateEvent,
} from '../templates/template.events.js';
import { OptOutLineProjection } from '../messages/opt-out-reminder/opt-out-line.projection.js';
import { DispatchQueue } from '../messages/dispatch/dispatch-queue.js';
import {
  MESSAGING_REGISTRATIONS_GROUP,
  SenderRegistrationProjection,
} from '../sender-registrations/sender-registration.projection.js';
import { TenantNumbers } from '../tenants/tenant-numbers.js';
import { TenantProfiles } from '../tenants/tenant-profiles.js';

/** The topics a messaging rebuild reads (the ones its replicas follow). */
export const messagingRebuildTopics = [
  Topics.gatewayTenants,
  Topics.consentConsents,
  Topics.registrationRegistrations,
] as const;

/** The tenant events messaging's tenants consumer acts on (it passes over the others). */
const TENANT_EVENT_TYPES: ReadonlySet<string> = new Set([
  'gateway.TenantCreated.v1',
  'gateway.SenderNumberAdded.v1',
  'gateway.SenderNumberRemoved.v1',
  'gateway.TenantComplianceProfileSet.v1',
  'gateway.TenantSettingsSet.v1',
]);

const BATCH = 500;

/**
 * Rebuilds messaging's read models into `target` (migrated, empty) through the projections
 * messaging runs: `conversations` and `opt_out_lines` from the stored message events
 * (ConversationProjection, OptOutLineProjection);
 * `tenant_numbers` and `tenant_profiles` from the tenants topic; `consent_standings` (the gate
 * replica) from the stored inbound opt-outs first (each was recorded before the ledger could
 * confirm it), then consent's topic (README, "Read models"); `contacts` from the stored contact
 * events (ContactLookupProjection); `bulk_send_runs` and `bulk_send_recipients` from the stored
 * bulk-send events (BulkSendRunProjection); `template_versions` and `custom_values` from the
 * stored template and custom-value events; `tenant_default_senders` with `tenant_numbers`;
 * `sender_registration_numbers`, `_campaigns` and `_brands` from registration's topic
 * (SenderRegistrationProjection, through the inbox as its consumer applies them).
 */
export async function rebuildMessagingReadModels(
  target: DataSource,
  plan: Pick<RebuildPlan, 'store' | 'topics'>,
): Promise<void> {
  const messageEvents = plan.store
    .filter((event) => event.streamType === MESSAGE_STREAM_TYPE && isMessageEventType(event.type))
    .map((event) => ({ type: event.type, data: event.data }) as MessageEvent);
  const conversations = new ConversationProjection();
  const optOutLines = new OptOutLineProjection();
  await target.transaction(async (manager) => {
    for (const event of messageEvents) {
      if (conversations.follows(event)) await conversations.apply(manager, event);
      if (optOutLines.follows(event)) await optOutLines.apply(manager, event);
    }
  });

  const inbox = new Inbox(target);
  const numbers = new TenantNumbers();
  const profiles = new TenantProfiles();
  const tenants = onceThroughInbox(inbox, ConsumerGroups.messagingTenants, async (e, m) => {
    await numbers.apply(e, m);
    await profiles.apply(e, m);
  });
  // One at a time, in order, as the tenants consumer handles them.
  for (const event of plan.topics[Topics.gatewayTenants] ?? []) {
    if (TENANT_EVENT_TYPES.has(event.type)) await tenants.handle(event);
  }

  const view = new ConsentView();
  await target.transaction(async (manager) => {
    for (const event of messageEvents) {
      if (event.type !== 'messaging.InboundMessageReceived.v1') continue;
      const data: EventDataByType['messaging.InboundMessageReceived.v1'] = event.data;
      // The carrier-report handler's own test of an inbound text.
      const intent = classifyReply(data.body);
      if (intent.kind !== 'opt_out' && intent.kind !== 'revocation') continue;
      await view.recordInboundOptOut(manager, data.tenantId, data.from, {
        messageId: data.messageId,
        receivedAt: data.receivedAt,
      });
    }
  });
  const consents: EventHandlers = onceThroughInbox(
    inbox,
    ConsumerGroups.messagingConsents,
    (e, m) => view.apply(e, m),
  );
  await replay(plan.topics[Topics.consentConsents] ?? [], (batch) => consents.handleBatch(batch));

  // Registration's topic (in messagingRebuildTopics, so a plan must bring it) rebuilds the
  // sender_registration_* tables. Its wakes find an empty dispatch queue here: the rebuild
  // releases nothing.
  const queue = new DispatchQueue(target);
  const senderRegistrations = new SenderRegistrationProjection({
    wake: (manager, event, key) => queue.wake(manager, event, key, new Date()),
  });
  const registrations = onceThroughInbox(inbox, MESSAGING_REGISTRATIONS_GROUP, (e, m) =>
    senderRegistrations.apply(e, m),
  );
  await replay(plan.topics[Topics.registrationRegistrations] ?? [], (batch) =>
    registrations.handleBatch(batch),
  );

  const contactEvents = plan.store
    .filter((event) => event.streamType === CONTACT_STREAM_TYPE && isContactEventType(event.type))
    .map((event) => ({ type: event.type, data: event.data }) as ContactEvent);
  const contacts = new ContactLookupProjection();
  await target.transaction(async (manager) => {
    for (const event of contactEvents) await contacts.apply(manager, event);
  });

  const runs = new BulkSendRunProjection();
  const versions = new TemplateVersionProjection();
  const values = new CustomValueProjection();
  await target.transaction(async (manager) => {
    for (const stored of plan.store) {
      const event = { type: stored.type, data: stored.data };
      if (stored.streamType === BULK_SEND_STREAM_TYPE && isBulkSendEventType(stored.type)) {
        await runs.apply(manager, event as BulkSendEvent);
      } else if (stored.streamType === TEMPLATE_STREAM_TYPE && isTemplateEventType(stored.type)) {
        await versions.apply(manager, event as TemplateEvent);
      } else if (
        stored.streamType === CUSTOM_VALUE_STREAM_TYPE &&
        isCustomValueEventType(stored.type)
      ) {
        await values.apply(manager, event as CustomValueEvent);
      }
    }
  });
  // number_lookups from the numbers' stored lookup facts.
  await target.transaction((manager) => rebuildNumberLookups(manager, plan.store));
}

async function replay(
  events: readonly ConsumedEvent[],
  handleBatch: (batch: ConsumedEvent[]) => Promise<void>,
): Promise<void> {
  for (const batch of chunksOf(events, BATCH)) await handleBatch(batch);
}
