import type {
  FundsHoldRequested,
  InboundMessageReceived,
  MessageSubmitted,
  WalletSnapshot,
} from '@textplane/contracts';
import type { ConsumedEvent } from '@textplane/kafka';
import type { Logger } from '@textplane/observability';
import { cardInForce, type NumberType } from '@textplane/pricing';
import type { Clock } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { holdStreamId } from '../billing.events.js';
import { DEFAULT_WALLET_CURRENCY } from '../billing-requests/billing-request.handler.js';
import type { HoldCommand } from '../holds/hold.decider.js';
import {
  type BillingStore,
  type CommandContext,
  metadataOf,
} from '../infrastructure/billing-store.js';
import { alertsOnCrossing } from '../wallet/wallet-ledger.js';

/** The message events billing acts on; the consumer passes the rest over undecoded. */
export const BILLING_MESSAGE_EVENT_TYPES = [
  'messaging.FundsHoldRequested.v1',
  'messaging.MessageSubmitted.v1',
  'messaging.MessageBlocked.v1',
  'messaging.MessageCanceled.v1',
  'messaging.MessageFailed.v1',
  'messaging.InboundMessageReceived.v1',
] as const;

const NANP_TOLL_FREE = /^\+18(00|33|44|55|66|77|88)\d{7}$/;

/** The tenant's number's type as rate cards price it: toll-free by its NANP prefix, else a long code. */
export function numberTypeOf(phoneNumber: string): NumberType {
  return NANP_TOLL_FREE.test(phoneNumber) ? 'toll_free' : 'long_code';
}

type FundsCommand = HoldCommand extends infer C
  ? C extends { cards: unknown; wallet: unknown; now: unknown }
    ? Omit<C, 'cards' | 'wallet' | 'now'>
    : never
  : never;

/**
 * The funds gate from messaging's side (messaging.messages.events.v1): a hold requested, the
 * carrier's acceptance (capture), a message that will never be sent (release), an inbound text
 * (charged on receipt). Each decision takes the tenant's lock, reads the wallet from the ledger,
 * decides on the message's stream, writes its ledger entries and any alert it crossed, all in
 * the inbox transaction.
 */
export class MessageEventHandler {
  constructor(
    private readonly billing: BillingStore,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
  ) {}

  async apply(event: ConsumedEvent, manager: EntityManager): Promise<void> {
    const context: CommandContext = { correlationId: event.correlationId, causationId: event.id };
    switch (event.type) {
      case 'messaging.FundsHoldRequested.v1': {
        const request = event.data as FundsHoldRequested;
        await this.decide(manager, request.tenantId, request.messageId, context, {
          type: 'RequestHold',
          request,
        });
        return;
      }
      case 'messaging.MessageSubmitted.v1': {
        const submitted = event.data as MessageSubmitted;
        await this.decide(manager, submitted.tenantId, submitted.messageId, context, {
          type: 'Capture',
          submitted,
        });
        return;
      }
      case 'messaging.MessageBlocked.v1':
      case 'messaging.MessageCanceled.v1':
      case 'messaging.MessageFailed.v1': {
        const { tenantId, messageId } = event.data as { tenantId: string; messageId: string };
        const reason =
          event.type === 'messaging.MessageBlocked.v1'
            ? 'blocked'
            : event.type === 'messaging.MessageCanceled.v1'
              ? 'canceled'
              : 'failed';
        await this.decide(manager, tenantId, messageId, context, { type: 'Release', reason });
        return;
      }
      case 'messaging.InboundMessageReceived.v1': {
        const received = event.data as InboundMessageReceived;
        const events = await this.decide(manager, received.tenantId, received.messageId, context, {
          type: 'ChargeInbound',
          received,
          toNumberType: numberTypeOf(received.to),
        });
        if (events === 0) {
          this.logger.warn(
            { messageId: received.messageId, tenantId: received.tenantId, from: received.from },
            'inbound text from a number no card in force prices: charged nothing',
          );
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * Lock, read, decide, append with the ledger, alert on a crossing. Returns the facts' count,
   * or null when the stream was settled already (nothing decided).
   */
  private async decide(
    manager: EntityManager,
    tenantId: string,
    messageId: string,
    context: CommandContext,
    command: FundsCommand,
  ): Promise<number | null> {
    const now = this.clock.now();
    const streamId = holdStreamId(messageId);
    // A settled stream needs no lock and no wallet: a redelivery or a late event costs one read.
    const early = await this.billing.holdStateOutsideUnit(manager, streamId);
    const phase = early.phase;
    if (
      phase === 'captured' ||
      phase === 'released' ||
      phase === 'charged_inbound' ||
      (phase === 'placed' && command.type === 'RequestHold') ||
      ((phase === 'none' || phase === 'rejected') &&
        (command.type === 'Capture' || command.type === 'Release'))
    ) {
      return null;
    }
    await this.billing.lockTenant(manager, tenantId);
    const cards = await this.billing.publishedCards(manager);
    const currency =
      early.phase === 'placed'
        ? early.amount.currency
        : (cardInForce(cards, now)?.currency ?? DEFAULT_WALLET_CURRENCY);
    const before: WalletSnapshot = await this.billing.walletOf(manager, tenantId, currency);
    // Decided on the stream as read now, under the lock (the inbox's unit of work keeps it; its
    // append at the flush still refuses if another writer moved it on, and the event is retried).
    const { events } = await this.billing.holds.handle(
      streamId,
      { ...command, cards, wallet: before, now },
      metadataOf(tenantId, context),
      manager,
    );
    const last = events.at(-1);
    if (last && 'wallet' in last.data) {
      const settings = await this.billing.settingsOf(manager, tenantId);
      const alerts = alertsOnCrossing({ tenantId, before, after: last.data.wallet, settings, now });
      await this.billing.appendAlerts(manager, tenantId, alerts, context);
    }
    return events.length;
  }
}
