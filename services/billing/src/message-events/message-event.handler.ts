import type {
  FundsHoldRequested,
  InboundMessageReceived,
  MessageSubmitted,
  WalletSnapshot,
} from '@textplane/contracts';
import type { EventMetadata, Inbox } from '@textplane/event-store';
import { type ConsumedEvent, inEventSpan } from '@textplane/kafka';
import type { Logger } from '@textplane/observability';
import { cardInForce, type NumberType, type RateCard } from '@textplane/pricing';
import { batchOnceThroughInbox, type Clock, type EventHandlers } from '@textplane/service-runtime';
import type { EntityManager } from 'typeorm';
import { holdStreamId } from '../billing.events.js';
import { DEFAULT_WALLET_CURRENCY } from '../billing-requests/billing-request.handler.js';
import type { HoldCommand } from '../holds/hold.decider.js';
import { type BillingStore, metadataOf } from '../infrastructure/billing-store.js';
import { BatchWallets, distinctWallets, type WalletOf } from '../wallet/batch-wallets.js';
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

/** Whose message an event is about. */
interface MessageOfTenant {
  tenantId: string;
  messageId: string;
}

/** A messaging event as billing acts on it: a command for its message's hold stream. */
interface FundsInput {
  event: ConsumedEvent;
  tenantId: string;
  messageId: string;
  command: FundsCommand;
}

function fundsInputOf(event: ConsumedEvent): FundsInput | null {
  const of = (data: MessageOfTenant, command: FundsCommand) => ({
    event,
    tenantId: data.tenantId,
    messageId: data.messageId,
    command,
  });
  switch (event.type) {
    case 'messaging.FundsHoldRequested.v1': {
      const request = event.data as FundsHoldRequested;
      return of(request, { type: 'RequestHold', request });
    }
    case 'messaging.MessageSubmitted.v1': {
      const submitted = event.data as MessageSubmitted;
      return of(submitted, { type: 'Capture', submitted });
    }
    case 'messaging.MessageBlocked.v1':
      return of(event.data as MessageOfTenant, { type: 'Release', reason: 'blocked' });
    case 'messaging.MessageCanceled.v1':
      return of(event.data as MessageOfTenant, { type: 'Release', reason: 'canceled' });
    case 'messaging.MessageFailed.v1':
      return of(event.data as MessageOfTenant, { type: 'Release', reason: 'failed' });
    case 'messaging.InboundMessageReceived.v1': {
      const received = event.data as InboundMessageReceived;
      return of(received, {
        type: 'ChargeInbound',
        received,
        toNumberType: numberTypeOf(received.to),
      });
    }
    default:
      return null;
  }
}

/** What every decision of a batch shares, read once for all of them under the locks. */
interface BatchContext {
  manager: EntityManager;
  /** One instant for the whole batch: its decisions commit together. */
  now: Date;
  cards: readonly RateCard[];
  /** The currency of the card in force: a wallet's, and that of any hold placed now. */
  walletCurrency: string;
  wallets: BatchWallets;
  /** The facts that lowered available funds: judged against the settings once all are decided. */
  lowered: Lowering[];
}

interface Lowering {
  tenantId: string;
  before: WalletSnapshot;
  after: WalletSnapshot;
  metadata: EventMetadata;
}

/**
 * The consumer's handlers: a fetched batch in one transaction with its inbox record (a copy
 * seen before left out), one event alone as a batch of one.
 */
export function messageEventHandlers(
  inbox: Inbox,
  consumerGroup: string,
  handler: MessageEventHandler,
): EventHandlers {
  const handleBatch = (events: ConsumedEvent[]) =>
    batchOnceThroughInbox(inbox, consumerGroup, events, (fresh, manager) =>
      handler.applyBatch(fresh, manager),
    );
  return { handle: (event) => handleBatch([event]), handleBatch };
}

/**
 * The funds gate from messaging's side (messaging.messages.events.v1): a hold requested, the
 * carrier's acceptance (capture), a message that will never be sent (release), an inbound text
 * (charged on receipt), decided a batch at a time in the inbox transaction.
 */
export class MessageEventHandler {
  constructor(
    private readonly billing: BillingStore,
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
  ) {}

  /**
   * The batch's events in order, in the caller's transaction. Its tenants are locked first,
   * once each, in sorted order; then the rate cards, the hold streams and the wallets are read
   * once for the whole batch. Each decision is given its stream as the unit of work holds it
   * and its wallet as the decision before it left it (BatchWallets), so two holds of one batch
   * never take the same funds; the facts and their ledger rows are written when it commits.
   */
  async applyBatch(events: readonly ConsumedEvent[], manager: EntityManager): Promise<void> {
    const inputs = events.flatMap((event) => fundsInputOf(event) ?? []);
    if (inputs.length === 0) return;
    await this.billing.lockTenants(
      manager,
      inputs.map((input) => input.tenantId),
    );
    const cards = await this.billing.publishedCards(manager);
    // Read under the locks, so no other decision moves them now; from here the unit of work
    // holds them, so a later event of the batch sees what an earlier one decided.
    const streams = await this.billing.holds.loadAll(
      inputs.map((input) => holdStreamId(input.messageId)),
      manager,
    );
    const now = this.clock.now();
    const walletCurrency = cardInForce(cards, now)?.currency ?? DEFAULT_WALLET_CURRENCY;
    const wanted = distinctWallets(
      inputs.flatMap(({ tenantId, messageId }): WalletOf[] => {
        const state = streams.get(holdStreamId(messageId))?.state;
        // A hold placed before is settled in its own currency (placed in this batch: the wallet's).
        const held =
          state?.phase === 'placed' ? [{ tenantId, currency: state.amount.currency }] : [];
        return [{ tenantId, currency: walletCurrency }, ...held];
      }),
    );
    const wallets = new BatchWallets(await this.billing.walletsOf(manager, wanted));
    const batch: BatchContext = { manager, now, cards, walletCurrency, wallets, lowered: [] };
    for (const input of inputs) {
      // In a span continuing the event's own trace, which its facts' metadata carry on.
      await inEventSpan(input.event, () => this.decide(batch, input));
    }
    await this.alertOnCrossings(batch);
  }

  private async decide(batch: BatchContext, input: FundsInput): Promise<void> {
    const { manager, now, cards, wallets } = batch;
    const { event, tenantId, messageId, command } = input;
    const streamId = holdStreamId(messageId);
    const { state } = await this.billing.holds.load(streamId, manager);
    const currency = state.phase === 'placed' ? state.amount.currency : batch.walletCurrency;
    const before = wallets.get({ tenantId, currency });
    const metadata = metadataOf(tenantId, {
      correlationId: event.correlationId,
      causationId: event.id,
    });
    // A settled stream (a copy of an event under another id, a late release) decides nothing.
    const { events } = await this.billing.holds.handle(
      streamId,
      { ...command, cards, wallet: before, now },
      metadata,
      manager,
    );
    const last = events.at(-1);
    if (last && 'wallet' in last.data) {
      const after = last.data.wallet;
      wallets.moved(tenantId, after);
      if (after.available < before.available) {
        batch.lowered.push({ tenantId, before, after, metadata });
      }
    }
    if (command.type === 'ChargeInbound' && state.phase === 'none' && events.length === 0) {
      this.logger.warn(
        { messageId, tenantId, from: command.received.from },
        'inbound text from a number no card in force prices: charged nothing',
      );
    }
  }

  /**
   * The alerts the batch's facts crossed, against the settings in force (changed only under
   * the tenant's lock); no read at all when no fact lowered available funds.
   */
  private async alertOnCrossings(batch: BatchContext): Promise<void> {
    const byTenant = Map.groupBy(batch.lowered, (fact) => fact.tenantId);
    if (byTenant.size === 0) return;
    const settings = await this.billing.settingsOf(batch.manager, [...byTenant.keys()]);
    for (const [tenantId, facts] of byTenant) {
      const alerts = facts.flatMap(({ before, after, metadata }) =>
        alertsOnCrossing({
          tenantId,
          before,
          after,
          settings: settings.get(tenantId) ?? null,
          now: batch.now,
        }).map((alert) => ({ alert, metadata })),
      );
      await this.billing.appendAlerts(batch.manager, tenantId, alerts);
    }
  }
}
