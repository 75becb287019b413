import type {
  RateCardPublishRequested,
  WalletCreditRequested,
  WalletSettingsChangeRequested,
} from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import { cardInForce } from '@textplane/pricing';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { creditStreamId, rateCardStreamId, walletSettingsStreamId } from '../billing.events.js';
import type { BillingStore, CommandContext } from '../infrastructure/billing-store.js';
import { metadataOf } from '../infrastructure/billing-store.js';

/** The wallet's currency: the currency of the card in force (USD on the default card). */
export const DEFAULT_WALLET_CURRENCY = 'USD';

/**
 * What the gateway was asked (gateway.billing-requests.events.v1): a credit to post, wallet
 * settings to set, a rate card to publish. Each is decided on its own stream, inside the
 * caller's inbox transaction.
 */
export class BillingRequestHandler {
  constructor(
    private readonly billing: BillingStore,
    private readonly clock: Clock,
  ) {}

  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    const context: CommandContext = { correlationId: event.correlationId, causationId: event.id };
    const now = this.clock.now();
    switch (event.type) {
      case 'gateway.WalletCreditRequested.v1': {
        const request = event.data as WalletCreditRequested;
        await this.billing.lockTenant(manager, request.tenantId);
        const cards = await this.billing.publishedCards(manager);
        const walletCurrency = cardInForce(cards, now)?.currency ?? DEFAULT_WALLET_CURRENCY;
        const wallet = await this.billing.walletOf(manager, request.tenantId, walletCurrency);
        await this.billing.credits.handle(
          creditStreamId(request.tenantId, request.reference),
          { type: 'PostCredit', request, walletCurrency, wallet, now },
          metadataOf(request.tenantId, context),
          manager,
        );
        return;
      }
      case 'gateway.WalletSettingsChangeRequested.v1': {
        const request = event.data as WalletSettingsChangeRequested;
        // Under the tenant's lock: a crossing is judged against the settings in force.
        await this.billing.lockTenant(manager, request.tenantId);
        await this.billing.settings.handle(
          walletSettingsStreamId(request.tenantId),
          { type: 'SetSettings', request, now },
          metadataOf(request.tenantId, context),
          manager,
        );
        return;
      }
      case 'gateway.RateCardPublishRequested.v1': {
        const request = event.data as RateCardPublishRequested;
        // One publication at a time, so two versions never take effect at the same instant.
        await this.billing.lockRateCards(manager);
        const published = await this.billing.publishedCards(manager);
        await this.billing.rateCards.handle(
          rateCardStreamId(request.version),
          { type: 'PublishRateCard', request, published, now },
          metadataOf(undefined, context),
          manager,
        );
        return;
      }
      default:
        // Subscribed by type: anything else is a registry change not yet handled here.
        return;
    }
  }
}
