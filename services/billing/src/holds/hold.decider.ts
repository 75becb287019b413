import type {
  WireEventOf,
  FundsHoldRequested,
  InboundMessageReceived,
  MessageSubmitted,
  PriceDetail,
  WalletSnapshot,
} from '@textplane/contracts';
import {
  cardInForce,
  decideHold,
  money,
  priceOf,
  settleHold,
  worstCaseHold,
  type Money,
  type NumberType,
  type PriceRequest,
  type Quote,
  type RateCard,
} from '@textplane/pricing';
import type { HoldEvent } from '../billing.events.js';
import { ledgerEntriesOf, walletAfter } from '../wallet/wallet-ledger.js';

/** A rule of the hold's life broken by its input (a caller's bug, never a tenant's). */
export class HoldInvariantError extends Error {
  override readonly name = 'HoldInvariantError';
}

/** What every decision that moves funds is given: the cards published and the wallet now. */
interface FundsContext {
  /** Every published card, DEFAULT_RATE_CARD among them. */
  cards: readonly RateCard[];
  /** The tenant's wallet from the ledger, read under the tenant's lock. */
  wallet: WalletSnapshot;
  now: Date;
}

export type HoldCommand =
  | ({ type: 'RequestHold'; request: FundsHoldRequested } & FundsContext)
  /** The carrier accepted the message: capture its real cost, release the rest. */
  | ({ type: 'Capture'; submitted: MessageSubmitted } & FundsContext)
  /** Blocked, canceled or failed before acceptance: give the hold back whole. */
  | ({ type: 'Release'; reason: 'blocked' | 'canceled' | 'failed' } & FundsContext)
  /** An inbound text, charged on receipt by the card in force (never refused). */
  | ({
      type: 'ChargeInbound';
      received: InboundMessageReceived;
      /** The tenant's number's type (the number texted). */
      toNumberType: NumberType;
    } & FundsContext);

export type HoldState =
  | { phase: 'none' }
  /** Refused (funds, or a destination no card prices): a later request is decided again. */
  | { phase: 'rejected' }
  | {
      phase: 'placed';
      request: FundsHoldRequested;
      amount: Money;
      price: PriceDetail;
    }
  | { phase: 'captured' }
  | { phase: 'released' }
  | { phase: 'charged_inbound' };

export const initialState: HoldState = { phase: 'none' };

export function decide(command: HoldCommand, state: HoldState): HoldEvent[] {
  switch (command.type) {
    case 'RequestHold':
      if (state.phase !== 'none' && state.phase !== 'rejected') return [];
      return requestHold(command);
    case 'Capture':
      if (state.phase !== 'placed') return [];
      return capture(command, state);
    case 'Release':
      if (state.phase !== 'placed') return [];
      return [
        withWallet(command.wallet, {
          type: 'billing.HoldReleased.v1',
          data: {
            tenantId: state.request.tenantId,
            messageId: state.request.messageId,
            amount: { ...state.amount },
            reason: command.reason,
            ...bulkSendOf(state.request),
            wallet: command.wallet,
            releasedAt: command.now.toISOString(),
          },
        }),
      ];
    case 'ChargeInbound':
      if (state.phase !== 'none') return [];
      return chargeInbound(command);
  }
}

export function evolve(state: HoldState, event: HoldEvent): HoldState {
  switch (event.type) {
    case 'billing.HoldPlaced.v1':
      return {
        phase: 'placed',
        request: requestOf(event),
        amount: money(event.data.amount.micros, event.data.amount.currency),
        price: event.data.price,
      };
    case 'billing.HoldRejected.v1':
      return { phase: 'rejected' };
    case 'billing.ChargeCaptured.v1':
      return event.data.price.direction === 'inbound'
        ? { phase: 'charged_inbound' }
        : { phase: 'captured' };
    case 'billing.HoldReleased.v1':
      return { phase: 'released' };
  }
}

/**
 * HoldPlaced carries the request it answered (`request`, a field the contract is to declare as
 * optional; its schema admits added fields): the capture prices the carrier's parts with the
 * request's number, sender type and registration, so a stream read back folds to what it needs.
 */
export type HoldPlacedData = WireEventOf<'billing.HoldPlaced.v1'>['data'] & {
  request: FundsHoldRequested;
};

function requestOf(event: WireEventOf<'billing.HoldPlaced.v1'>): FundsHoldRequested {
  const carried = (event.data as Partial<HoldPlacedData>).request;
  if (carried) return carried;
  throw new HoldInvariantError(`HoldPlaced for ${event.data.messageId} without its request`);
}

function bulkSendOf(request: FundsHoldRequested): { bulkSendId?: string } {
  return request.bulkSendId ? { bulkSendId: request.bulkSendId } : {};
}

function priceRequestOf(
  request: FundsHoldRequested,
  overrides: { segments?: number; recipientCarrier?: string | null } = {},
): PriceRequest {
  const outbound = {
    direction: 'outbound' as const,
    to: request.to,
    fromNumberType: request.fromNumberType,
    recipientCarrier:
      overrides.recipientCarrier !== undefined
        ? overrides.recipientCarrier
        : (request.recipientCarrier ?? null),
    registered: request.registered,
  };
  return request.channel === 'mms'
    ? { ...outbound, channel: 'mms' }
    : { ...outbound, channel: 'sms', segments: overrides.segments ?? request.segments };
}

function detailOf(
  quote: Quote,
  channel: 'sms' | 'mms',
  direction: 'outbound' | 'inbound',
): PriceDetail {
  return {
    cardVersion: quote.cardVersion,
    country: quote.country,
    channel,
    direction,
    units: quote.units,
    unitPrice: quote.unitPrice.micros,
    carrier: quote.carrier,
    carrierFee: quote.carrierFee.micros,
  };
}

function requestHold(command: Extract<HoldCommand, { type: 'RequestHold' }>): HoldEvent[] {
  const { request, wallet, now } = command;
  const card = cardInForce(command.cards, now);
  const quote = card === null ? null : worstCaseHold(priceRequestOf(request), card);
  const rejected = (extra: {
    required?: Money;
    country?: string | null;
    reason: 'insufficient_funds' | 'destination_not_priced';
  }): HoldEvent[] => [
    {
      type: 'billing.HoldRejected.v1',
      data: {
        tenantId: request.tenantId,
        messageId: request.messageId,
        reason: extra.reason,
        ...(extra.required ? { required: { ...extra.required } } : {}),
        ...(extra.country !== undefined ? { country: extra.country } : {}),
        ...bulkSendOf(request),
        wallet,
        rejectedAt: now.toISOString(),
      },
    },
  ];
  if (quote === null || !quote.ok) {
    return rejected({ reason: 'destination_not_priced', country: quote?.country ?? null });
  }
  // A compliance auto-reply is never kept waiting: a zero hold, the cost charged on capture.
  const amount = request.autoReply === true ? money(0, quote.total.currency) : quote.total;
  if (amount.micros > 0) {
    const available = money(wallet.available, amount.currency);
    const decision = decideHold(available, amount);
    if (!decision.placed) return rejected({ reason: 'insufficient_funds', required: amount });
  }
  return [
    withWallet(wallet, {
      type: 'billing.HoldPlaced.v1',
      data: {
        tenantId: request.tenantId,
        messageId: request.messageId,
        amount: { ...amount },
        price: detailOf(quote, request.channel, 'outbound'),
        ...bulkSendOf(request),
        wallet,
        placedAt: now.toISOString(),
        request,
      } satisfies HoldPlacedData,
    }),
  ];
}

function capture(
  command: Extract<HoldCommand, { type: 'Capture' }>,
  state: Extract<HoldState, { phase: 'placed' }>,
): HoldEvent[] {
  const { submitted, wallet, now } = command;
  const { request, price } = state;
  // Priced by the card the hold was priced by, whatever card is in force now.
  const card = command.cards.find((c) => c.version === price.cardVersion);
  if (!card) throw new HoldInvariantError(`rate card ${price.cardVersion} of the hold is unknown`);
  const cost = priceOf(
    priceRequestOf(request, {
      segments: submitted.parts ?? price.units,
      recipientCarrier: submitted.recipientCarrier ?? request.recipientCarrier ?? null,
    }),
    card,
  );
  if (!cost.ok) throw new HoldInvariantError(`card ${card.version} no longer prices the hold`);
  const settlement = settleHold(state.amount, cost.total);
  return [
    withWallet(wallet, {
      type: 'billing.ChargeCaptured.v1',
      data: {
        tenantId: request.tenantId,
        messageId: request.messageId,
        amount: { ...cost.total },
        price: detailOf(cost, request.channel, 'outbound'),
        captured: settlement.captured.micros,
        overrun: settlement.overrun.micros,
        released: settlement.released.micros,
        from: request.from,
        to: request.to,
        ...bulkSendOf(request),
        ...(request.campaignId ? { campaignId: request.campaignId } : {}),
        wallet,
        capturedAt: now.toISOString(),
      },
    }),
  ];
}

function chargeInbound(command: Extract<HoldCommand, { type: 'ChargeInbound' }>): HoldEvent[] {
  const { received, wallet, now } = command;
  const card = cardInForce(command.cards, now);
  if (card === null) return [];
  const base = {
    direction: 'inbound' as const,
    from: received.from,
    toNumberType: command.toNumberType,
  };
  const channel = received.mediaUrls.length > 0 ? 'mms' : 'sms';
  const quote = priceOf(
    channel === 'mms'
      ? { ...base, channel: 'mms' }
      : { ...base, channel: 'sms', segments: Math.max(1, received.segments) },
    card,
  );
  // A sender's country the card does not price for inbound is charged nothing (the caller logs it).
  if (!quote.ok) return [];
  return [
    withWallet(wallet, {
      type: 'billing.ChargeCaptured.v1',
      data: {
        tenantId: received.tenantId,
        messageId: received.messageId,
        amount: { ...quote.total },
        price: detailOf(quote, channel, 'inbound'),
        // Inbound has no hold: the whole charge comes from the available funds, as an overrun does.
        captured: 0,
        overrun: quote.total.micros,
        released: 0,
        from: received.from,
        to: received.to,
        wallet,
        capturedAt: now.toISOString(),
      },
    }),
  ];
}

/** The fact with the wallet after its own ledger entries. */
function withWallet<E extends HoldEvent>(before: WalletSnapshot, event: E): E {
  const wallet = walletAfter(before, event.data.tenantId, ledgerEntriesOf(event));
  return { ...event, data: { ...event.data, wallet } };
}
