import { ConsumerGroups, Topics } from '@textplane/contracts';
import type { EventStore, Inbox } from '@textplane/event-store';
import type { Clock, ConsumerSpec } from '@textplane/service-runtime';
import type { DataSource } from 'typeorm';
import type { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { TenantDirectory } from '../tenants/tenant-directory.js';
import { BILLING_RATE_CARD_EVENT_TYPES, BILLING_WALLET_EVENT_TYPES } from './billing-record.js';
import { BillingApplication } from './billing.application.js';
import { BillingProjection } from './billing.projection.js';

/**
 * The gateway's billing context, assembled: the use cases behind /v1/wallet, /v1/rates,
 * /v1/usage and the admin credit and rate-card routes, and the consumers that project billing's
 * facts into the billing read models: billing.wallets (group gateway.billing-read-models) and
 * billing.rate-cards (group gateway.billing-rate-card-read-models).
 */
export function billingContext(parts: {
  store: Pick<EventStore, 'append'>;
  inbox: Inbox;
  dataSource: DataSource;
  tenants: Pick<TenantDirectory, 'find'>;
  idempotency: Pick<IdempotencyStore, 'run'>;
  clock: Clock;
}): { billing: BillingApplication; consumers: ConsumerSpec[] } {
  const wallets = new BillingProjection(parts.inbox, ConsumerGroups.gatewayBillingReadModels);
  const rateCards = new BillingProjection(
    parts.inbox,
    ConsumerGroups.gatewayBillingRateCardReadModels,
  );
  return {
    billing: new BillingApplication(
      parts.store,
      wallets,
      parts.dataSource,
      parts.tenants,
      parts.idempotency,
      parts.clock,
    ),
    consumers: [
      {
        groupId: ConsumerGroups.gatewayBillingReadModels,
        topic: Topics.billingWallets,
        handle: (event) => wallets.handle(event),
        handleBatch: (events) => wallets.handleBatch(events),
        eventTypes: BILLING_WALLET_EVENT_TYPES,
      },
      {
        groupId: ConsumerGroups.gatewayBillingRateCardReadModels,
        topic: Topics.billingRateCards,
        handle: (event) => rateCards.handle(event),
        handleBatch: (events) => rateCards.handleBatch(events),
        eventTypes: BILLING_RATE_CARD_EVENT_TYPES,
      },
    ],
  };
}
