import type { RateCardPublishRequested } from '@textplane/contracts';
import { parseRateCard, type RateCard } from '@textplane/pricing';
import type { RateCardEvent } from '../billing.events.js';

export type RateCardCommand = {
  type: 'PublishRateCard';
  request: RateCardPublishRequested;
  /** Every card published so far, DEFAULT_RATE_CARD among them. */
  published: readonly RateCard[];
  now: Date;
};

export type RateCardState = { phase: 'none' } | { phase: 'published'; card: RateCard };

export const initialState: RateCardState = { phase: 'none' };

/**
 * A card is checked again by `parseRateCard` against every card published (the gateway's check
 * saw its own read model, which may lag): published once, the same content again publishes
 * nothing, anything refused is BillingRequestRejected naming each field.
 */
export function decide(command: RateCardCommand, state: RateCardState): RateCardEvent[] {
  const { request, now } = command;
  const published =
    state.phase === 'published' && !command.published.some((c) => c.version === state.card.version)
      ? [...command.published, state.card]
      : command.published;
  const parsed = parseRateCard(request.card, { version: request.version, now, published });
  if (!parsed.ok) {
    return [
      {
        type: 'billing.BillingRequestRejected.v1',
        data: {
          requestId: request.requestId,
          resource: 'rate_card',
          resourceId: request.version,
          code: 'invalid',
          errors: parsed.errors.map((e) => ({
            field: e.field,
            message: e.message,
          })),
          rejectedAt: now.toISOString(),
        },
      },
    ];
  }
  if (parsed.alreadyPublished) return [];
  return [
    {
      type: 'billing.RateCardPublished.v1',
      data: {
        requestId: request.requestId,
        version: parsed.card.version,
        card: cardJson(parsed.card),
        publishedAt: now.toISOString(),
      },
    },
  ];
}

export function evolve(state: RateCardState, event: RateCardEvent): RateCardState {
  switch (event.type) {
    case 'billing.RateCardPublished.v1':
      return { phase: 'published', card: cardFromJson(event.data.card) };
    case 'billing.BillingRequestRejected.v1':
      return state;
  }
}

/** The card as published: the parsed card's own fields, nothing else. */
export function cardJson(card: RateCard): Record<string, unknown> {
  return {
    version: card.version,
    effectiveAt: card.effectiveAt,
    currency: card.currency,
    rates: card.rates.map((r) => ({ ...r })),
    carrierFees: card.carrierFees.map((f) => ({ ...f })),
    lookupPrice: card.lookupPrice,
  };
}

/** A card billing published (it was parsed then), read back. */
export function cardFromJson(json: Record<string, unknown>): RateCard {
  return json as unknown as RateCard;
}
