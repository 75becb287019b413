import { Topics, type WalletSettings, type WireEventOf } from '@textplane/contracts';
import type { EventStore } from '@textplane/event-store';
import { currentTraceparent } from '@textplane/observability';
import {
  cardInForce,
  countryOfNumber,
  DEFAULT_RATE_CARD,
  type NumberType,
  parseAmount,
  parseRateCard,
  type RateCard,
  worstCaseHold,
} from '@textplane/pricing';
import type { Clock } from '@textplane/service-runtime';
import type { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { encodePageCursor, pagePositionAfter } from '../http/page-cursor.js';
import { validateRequest } from '../http/request-validator.js';
import { E164_PATTERN } from '../http/schema-parts.js';
import {
  adminScope,
  type IdempotencyStore,
  requestHash,
} from '../idempotency/idempotency-store.js';
import type { AuthenticatedTenant } from '../messages/message.resource.js';
import { ApiError } from '../problems/api-error.js';
import type { TenantDirectory } from '../tenants/tenant-directory.js';
import {
  type CreditResource,
  creditResourceOf,
  type CreditRequestedEvent,
  DEFAULT_WALLET_CURRENCY,
  evolveCredit,
  type TransactionKind,
  type TransactionResource,
  transactionResourceOf,
  type WalletResource,
  walletResourceOf,
  type WalletSettingsResource,
} from './billing-record.js';
import { type BillingProjection, selectCredit, selectWallet } from './billing.projection.js';
import { type UsageGroupBy, type UsageReport, usageGroupByOf } from './usage-report.js';

type GatewayBillingRequest = WireEventOf<
  | 'gateway.WalletCreditRequested.v1'
  | 'gateway.WalletSettingsChangeRequested.v1'
  | 'gateway.RateCardPublishRequested.v1'
>;

/** The gateway's billing requests of one tenant share a stream: billing reads them in order. */
export const BILLING_REQUEST_STREAM_TYPE = 'gateway-billing-requests';
export const billingRequestStreamId = (tenantId: string) => `billing-requests-${tenantId}`;
export const RATE_CARD_REQUEST_STREAM_TYPE = 'gateway-rate-card-requests';
export const rateCardRequestStreamId = (version: string) => `rate-card-requests-${version}`;

export const TRANSACTION_PAGE_SIZE = { default: 50, max: 200 } as const;
/** The longest range a usage report or a transaction filter covers. */
const MAX_RANGE_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What a route answers: its status and body (200 a repeat, 202 accepted). */
export interface BillingAnswer<T> {
  status: 200 | 202;
  body: T;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** The number type a sender number is, as messaging reads it: NANP toll-free by area code. */
export function numberTypeOf(sender: string): NumberType {
  if (/^\+18(00|33|44|55|66|77|88)\d{7}$/.test(sender)) return 'toll_free';
  if (/^\d{5,6}$/.test(sender)) return 'short_code';
  return 'long_code';
}

/** The instant of a query parameter, or 400 naming it. */
function instantParameter(value: string | undefined, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const at = new Date(value);
  if (
    !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(value) ||
    Number.isNaN(at.getTime())
  ) {
    throw ApiError.invalid(`${field} is not a valid instant`, [
      { field, message: 'must be an ISO 8601 instant such as 2026-12-01T00:00:00Z, or a date' },
    ]);
  }
  return at;
}

/** A `from`/`to` range: `to` default now, `from` default 30 days before `to`, at most a year. */
export function rangeOf(
  query: { from?: string; to?: string },
  now: Date,
  defaultDays = 30,
): { from: Date; to: Date } {
  const to = instantParameter(query.to, 'to') ?? now;
  const from =
    instantParameter(query.from, 'from') ?? new Date(to.getTime() - defaultDays * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    throw ApiError.invalid('The range is empty', [{ field: 'from', message: 'must be before to' }]);
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw ApiError.invalid('The range is too long', [
      { field: 'from', message: `must be at most ${MAX_RANGE_DAYS} days before to` },
    ]);
  }
  return { from, to };
}

const E164 = new RegExp(E164_PATTERN);

function requirePhoneParameter(value: string | undefined, field: string): string {
  if (value === undefined || value === '') {
    throw ApiError.invalid(`${field} is required`, [{ field, message: 'is required' }]);
  }
  if (!E164.test(value)) {
    throw ApiError.invalid(`${field} is not a phone number`, [
      { field, message: 'must be an E.164 phone number such as +15555550123' },
    ]);
  }
  return value;
}

/** `GET /v1/rates`: what a message would cost now, by the card in force. */
export interface RatesResource {
  to: string;
  from: string;
  fromNumberType: NumberType;
  priced: boolean;
  /** Why not priced: no rate for the destination in the card in force. */
  reason?: 'destination_not_priced';
  country: string | null;
  cardVersion: string | null;
  currency: string | null;
  sms?: ChannelRates;
  mms?: ChannelRates;
}

export interface ChannelRates {
  /** Per SMS segment, or per MMS message. */
  price: number;
  /** The recipient carriers' pass-through fees per unit, registered and unregistered traffic. */
  carrierFees: Array<{ carrier: string; registered: number; unregistered: number }>;
  /** What one unit may cost at most: the price and the highest fee (the carrier unknown). */
  worstCase: number;
}

/** The wallet's available funds cannot cover a send now: 402 `insufficient_funds`. */
export function insufficientFunds(required: number, available: number, currency: string): ApiError {
  return new ApiError(
    'payment_required',
    'insufficient_funds',
    `The message may cost up to ${required} micro-units of ${currency}; the wallet has ${available} available. Credit the wallet, or schedule the message to wait for funds.`,
  );
}

/**
 * The gateway's billing use cases (issue 13 §1–2), shared by REST and gRPC. Commands are recorded
 * as requests on gateway.billing-requests for billing to decide; reads come from the billing read
 * models. Nothing is recorded on a bad input.
 */
export class BillingApplication {
  constructor(
    private readonly store: Pick<EventStore, 'append'>,
    private readonly projection: Pick<BillingProjection, 'applyCredit'>,
    private readonly dataSource: DataSource,
    private readonly tenants: Pick<TenantDirectory, 'find'>,
    private readonly idempotency: Pick<IdempotencyStore, 'run'>,
    private readonly clock: Clock,
  ) {}

  /**
   * `POST /admin/v1/tenants/{id}/wallet/credits`: 404 for an unknown tenant; 400 naming the field
   * for a bad amount or currency (parseAmount); a known reference with the same amount answers
   * that credit (200), with another 409 `reference_reused`; else WalletCreditRequested, 202.
   */
  async creditWallet(
    tenantId: string,
    rawInput: unknown,
    idempotencyKey: string | undefined,
  ): Promise<BillingAnswer<CreditResource>> {
    const input = validateRequest<{ amount: number; currency: string; reference: string }>(
      'CreditWalletRequest',
      rawInput,
    );
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenantId)) {
      throw ApiError.notFound(`Tenant ${tenantId} not found`);
    }
    const tenant = await this.tenants.find(tenantId.toLowerCase());
    if (!tenant) throw ApiError.notFound(`Tenant ${tenantId} not found`);
    const wallet = await selectWallet(this.dataSource, tenant.id, false);
    const parsed = parseAmount(input, {
      walletCurrency: wallet?.currency ?? DEFAULT_WALLET_CURRENCY,
    });
    if (!parsed.ok) throw ApiError.invalid('The credit is not valid', parsed.errors);
    const amount = parsed.money;
    const result = await this.idempotency.run(
      adminScope('POST /admin/v1/tenants/{id}/wallet/credits'),
      idempotencyKey,
      requestHash({ tenantId: tenant.id, ...input }),
      async (manager) => {
        // One credit per reference: concurrent requests with it take turns.
        await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
          `billing-credit:${tenant.id}:${input.reference}`,
        ]);
        const known = await selectCredit(manager, tenant.id, input.reference);
        if (known) {
          if (known.amount !== amount.micros || known.currency !== amount.currency) {
            throw new ApiError(
              'conflict',
              'reference_reused',
              `Reference ${input.reference} was credited with ${known.amount} ${known.currency}`,
              [{ field: 'reference', message: 'is already used by a credit of another amount' }],
            );
          }
          return { statusCode: 200, body: creditResourceOf(known) };
        }
        const event: CreditRequestedEvent = {
          type: 'gateway.WalletCreditRequested.v1',
          data: {
            requestId: uuidv7(),
            tenantId: tenant.id,
            amount: { micros: amount.micros, currency: amount.currency },
            reference: input.reference,
            requestedAt: this.clock.now().toISOString(),
          },
        };
        await this.record(
          manager,
          tenant.id,
          billingRequestStreamId(tenant.id),
          BILLING_REQUEST_STREAM_TYPE,
          event,
        );
        await this.projection.applyCredit(manager, event);
        // The row the projection just wrote, by the same evolve.
        const pending = evolveCredit(null, event);
        if (!pending) throw new Error(`Credit ${input.reference} made no credit row`);
        return { statusCode: 202, body: creditResourceOf(pending) };
      },
    );
    return { status: result.statusCode === 200 ? 200 : 202, body: result.body as CreditResource };
  }

  /** The cards billing published, and the default card every card list starts from. */
  async publishedCards(
    manager: Pick<EntityManager, 'query'> = this.dataSource,
  ): Promise<RateCard[]> {
    const rows = await manager.query<Array<{ card: RateCard }>>(
      `SELECT card FROM billing_rate_cards ORDER BY effective_at, version`,
    );
    const published = rows.map((row) => row.card);
    return published.some((card) => card.version === DEFAULT_RATE_CARD.version)
      ? published
      : [DEFAULT_RATE_CARD, ...published];
  }

  /**
   * `PUT /admin/v1/rate-cards/{version}`: 400 naming each field parseRateCard refuses; the same
   * card again is a repeat (200 `alreadyPublished`); else RateCardPublishRequested, 202.
   */
  async publishRateCard(
    version: string,
    rawInput: unknown,
  ): Promise<
    BillingAnswer<{
      version: string;
      status: 'pending' | 'published';
      alreadyPublished: boolean;
      card: RateCard;
    }>
  > {
    const now = this.clock.now();
    const parsed = parseRateCard(rawInput, {
      version,
      now,
      published: await this.publishedCards(),
    });
    if (!parsed.ok) {
      throw ApiError.invalid(
        'The rate card is not valid',
        parsed.errors.map((error) => ({ field: error.field || '(body)', message: error.message })),
      );
    }
    if (parsed.alreadyPublished) {
      return {
        status: 200,
        body: { version, status: 'published', alreadyPublished: true, card: parsed.card },
      };
    }
    const event = {
      type: 'gateway.RateCardPublishRequested.v1',
      data: {
        requestId: uuidv7(),
        version,
        card: parsed.card as unknown as Record<string, unknown>,
        requestedAt: now.toISOString(),
      },
    } as const;
    await this.dataSource.transaction((manager) =>
      this.record(
        manager,
        null,
        rateCardRequestStreamId(version),
        RATE_CARD_REQUEST_STREAM_TYPE,
        event,
      ),
    );
    return {
      status: 202,
      body: { version, status: 'pending', alreadyPublished: false, card: parsed.card },
    };
  }

  /** `GET /v1/wallet`: the wallet as billing last reported it, settings with their defaults. */
  async wallet(tenant: AuthenticatedTenant): Promise<WalletResource> {
    return walletResourceOf(await selectWallet(this.dataSource, tenant.tenantId, false));
  }

  /** `PUT /v1/wallet/settings`: WalletSettingsChangeRequested, 202 with the settings asked. */
  async changeSettings(
    tenant: AuthenticatedTenant,
    rawInput: unknown,
  ): Promise<WalletSettingsResource> {
    const input = validateRequest<WalletSettingsResource>('UpdateWalletSettingsRequest', rawInput);
    const settings: WalletSettings = {
      autoRecharge: input.autoRecharge,
      lowBalanceThreshold: input.lowBalanceThreshold,
      fundsWaitLimitSeconds: input.fundsWaitLimit,
    };
    await this.dataSource.transaction((manager) =>
      this.record(
        manager,
        tenant.tenantId,
        billingRequestStreamId(tenant.tenantId),
        BILLING_REQUEST_STREAM_TYPE,
        {
          type: 'gateway.WalletSettingsChangeRequested.v1',
          data: {
            requestId: uuidv7(),
            tenantId: tenant.tenantId,
            settings,
            requestedAt: this.clock.now().toISOString(),
          },
        },
      ),
    );
    return {
      autoRecharge: input.autoRecharge,
      lowBalanceThreshold: input.lowBalanceThreshold,
      fundsWaitLimit: input.fundsWaitLimit,
    };
  }

  /** `GET /v1/wallet/transactions`: the ledger's facts, newest first, in the range. */
  async transactions(
    tenant: AuthenticatedTenant,
    query: { from?: string; to?: string; cursor?: string; limit: number },
  ): Promise<Page<TransactionResource>> {
    if (
      !Number.isInteger(query.limit) ||
      query.limit < 1 ||
      query.limit > TRANSACTION_PAGE_SIZE.max
    ) {
      throw ApiError.invalid('The page size is not valid', [
        { field: 'limit', message: `must be an integer from 1 to ${TRANSACTION_PAGE_SIZE.max}` },
      ]);
    }
    const from = instantParameter(query.from, 'from');
    const to = instantParameter(query.to, 'to');
    const after = pagePositionAfter(query.cursor);
    const rows = await this.dataSource.query<
      Array<{
        id: string;
        tenant_id: string;
        kind: TransactionKind;
        amount: string;
        currency: string;
        message_id: string | null;
        bulk_send_id: string | null;
        credit_id: string | null;
        reference: string | null;
        at: Date;
        balance_after: string;
        held_after: string;
        available_after: string;
      }>
    >(
      `SELECT id, tenant_id, kind, amount, currency, message_id, bulk_send_id, credit_id, reference,
              at, balance_after, held_after, available_after
         FROM billing_transactions
        WHERE tenant_id = $1
          AND ($2::timestamptz IS NULL OR at >= $2)
          AND ($3::timestamptz IS NULL OR at < $3)
          AND ($4::timestamptz IS NULL OR (at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY at DESC, id DESC
        LIMIT $6`,
      [
        tenant.tenantId,
        from?.toISOString() ?? null,
        to?.toISOString() ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        query.limit + 1,
      ],
    );
    const page = rows.slice(0, query.limit).map((row) =>
      transactionResourceOf({
        ...row,
        amount: Number(row.amount),
        at: row.at.toISOString(),
        balance_after: Number(row.balance_after),
        held_after: Number(row.held_after),
        available_after: Number(row.available_after),
      }),
    );
    const last = page.at(-1);
    return {
      data: page,
      nextCursor:
        rows.length > query.limit && last ? encodePageCursor(new Date(last.at), last.id) : null,
    };
  }

  /** `GET /v1/rates?to=&from=`: per SMS segment and per MMS, by the card in force now. */
  async rates(
    tenant: AuthenticatedTenant,
    query: { to?: string; from?: string },
  ): Promise<RatesResource> {
    const to = requirePhoneParameter(query.to, 'to');
    const profile = await this.tenants.find(tenant.tenantId);
    if (!profile) throw ApiError.unauthenticated('The tenant of this API key no longer exists');
    const from =
      query.from === undefined || query.from === ''
        ? profile.defaultSender
        : requirePhoneParameter(query.from, 'from');
    const fromNumberType = numberTypeOf(from);
    const card = cardInForce(await this.publishedCards(), this.clock.now());
    const base = { to, from, fromNumberType };
    const country = countryOfNumber(to);
    const sms = card ? channelRates(card, to, fromNumberType, 'sms') : null;
    const mms = card ? channelRates(card, to, fromNumberType, 'mms') : null;
    if (card === null || sms === null || mms === null) {
      return {
        ...base,
        priced: false,
        reason: 'destination_not_priced',
        country,
        cardVersion: card?.version ?? null,
        currency: card?.currency ?? null,
      };
    }
    return {
      ...base,
      priced: true,
      country,
      cardVersion: card.version,
      currency: card.currency,
      sms,
      mms,
    };
  }

  /** `GET /v1/usage`: what was charged in the range, grouped (see usage-report.ts). */
  async usage(
    tenant: AuthenticatedTenant,
    query: { from?: string; to?: string; groupBy?: string },
  ): Promise<UsageReport> {
    const groupBy: UsageGroupBy = usageGroupByOf(query.groupBy);
    const { from, to } = rangeOf(query, this.clock.now());
    const column = USAGE_KEY_SQL[groupBy];
    const rows = await this.dataSource.query<
      Array<{
        key: string | null;
        currency: string;
        count: string;
        segments: string;
        amount: string;
        carrier_fees: string;
      }>
    >(
      `SELECT ${column} AS key, currency, count(*) AS count, sum(units) AS segments,
              sum(amount) AS amount, sum(carrier_fee) AS carrier_fees
         FROM billing_charges
        WHERE tenant_id = $1 AND captured_at >= $2 AND captured_at < $3
        GROUP BY 1, 2 ORDER BY 1 NULLS LAST, 2`,
      [tenant.tenantId, from.toISOString(), to.toISOString()],
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      groupBy,
      rows: rows.map((row) => ({
        key: row.key,
        currency: row.currency,
        count: Number(row.count),
        segments: Number(row.segments),
        amount: Number(row.amount),
        carrierFees: Number(row.carrier_fees),
        // Number lookups are not billed yet: billing posts no lookup charge.
        lookups: 0,
      })),
    };
  }

  /**
   * The 402 of a single send for now (issue 13 §1 "Running out"): its worst-case cost by the card
   * in force (the carrier unknown: the highest fee, registered or not) against the available
   * funds the gateway last saw. A destination the card does not price passes: messaging blocks
   * it `destination_not_priced`.
   */
  /**
   * The most the texts may cost by the card in force now: each at its worst case (the highest
   * carrier fee, registered or not), as holds are sized; a bulk send's preview shows it.
   */
  async estimate(texts: Iterable<EstimatedText>): Promise<CostEstimate> {
    const card = cardInForce(await this.publishedCards(), this.clock.now());
    const perUnit = new Map<string, number | null>();
    let amount = 0;
    let notPriced = 0;
    for (const text of texts) {
      const numberType = numberTypeOf(text.from);
      const key = pricingKeyOf(text, numberType);
      if (!perUnit.has(key)) {
        perUnit.set(
          key,
          card === null
            ? null
            : worstCaseOf(card, text.to, numberType, { channel: text.channel, segments: 1 }),
        );
      }
      const unit = perUnit.get(key) ?? null;
      if (unit === null) notPriced += 1;
      else amount += unit * (text.channel === 'mms' ? 1 : text.units);
    }
    return { amount, currency: card?.currency ?? DEFAULT_WALLET_CURRENCY, notPriced };
  }

  async requireFundsFor(
    manager: Pick<EntityManager, 'query'>,
    tenantId: string,
    message: { to: string; from: string; channel: 'sms' | 'mms'; segments: number },
  ): Promise<void> {
    const card = cardInForce(await this.publishedCards(manager), this.clock.now());
    if (card === null) return;
    const worst = worstCaseOf(card, message.to, numberTypeOf(message.from), message);
    if (worst === null) return;
    const wallet = walletResourceOf(await selectWallet(manager, tenantId, false));
    if (worst > wallet.available) throw insufficientFunds(worst, wallet.available, card.currency);
  }

  private async record(
    manager: EntityManager,
    tenantId: string | null,
    streamId: string,
    streamType: string,
    event: GatewayBillingRequest,
  ): Promise<void> {
    const traceparent = currentTraceparent();
    await this.store.append(
      streamId,
      streamType,
      'any',
      [
        {
          type: event.type,
          data: event.data,
          metadata: {
            ...(tenantId !== null ? { tenantId } : {}),
            correlationId: event.data.requestId,
            ...(traceparent ? { traceparent } : {}),
          },
        },
      ],
      manager,
    );
  }
}

/** The topic the gateway's billing requests go to (the event registry routes them there). */
export const BILLING_REQUESTS_TOPIC = Topics.gatewayBillingRequests;

const USAGE_KEY_SQL: Record<UsageGroupBy, string> = {
  day: `to_char(day, 'YYYY-MM-DD')`,
  sender: 'sender',
  campaign: 'campaign_id',
  channel: 'channel',
  direction: 'direction',
  bulkSend: 'bulk_send_id::text',
};

/** The highest of the registered and unregistered worst cases: the gateway does not know which. */
/** What a bulk send's preview is told its texts may cost at most (`estimatedCost`). */
export interface CostEstimate {
  /** The texts' worst cases summed, in micro-units of `currency`. */
  amount: number;
  currency: string;
  /** Texts to destinations the card in force does not price (blocked when sent). */
  notPriced: number;
}

/** A text the estimate prices: its recipient, sender, channel and units (SMS segments; 1 MMS). */
export interface EstimatedText {
  to: string;
  from: string;
  channel: 'sms' | 'mms';
  units: number;
}

/**
 * The key texts share a worst case per unit by: a NANP number's region follows its area code
 * (+1 NPA), so 100,000 recipients take one libphonenumber parse per area code, not each.
 */
function pricingKeyOf(text: EstimatedText, numberType: NumberType): string {
  const destination = text.to.startsWith('+1') ? text.to.slice(0, 5) : text.to;
  return `${destination}|${numberType}|${text.channel}`;
}

function worstCaseOf(
  card: RateCard,
  to: string,
  fromNumberType: NumberType,
  size: { channel: 'sms' | 'mms'; segments: number },
): number | null {
  let worst: number | null = null;
  for (const registered of [true, false]) {
    const quote = worstCaseHold(
      {
        direction: 'outbound',
        ...(size.channel === 'sms'
          ? { channel: 'sms', segments: size.segments }
          : { channel: 'mms' }),
        to,
        fromNumberType,
        recipientCarrier: null,
        registered,
      },
      card,
    );
    if (!quote.ok) return null;
    worst = Math.max(worst ?? 0, quote.total.micros);
  }
  return worst;
}

function channelRates(
  card: RateCard,
  to: string,
  fromNumberType: NumberType,
  channel: 'sms' | 'mms',
): ChannelRates | null {
  const quote = worstCaseHold(
    {
      direction: 'outbound',
      ...(channel === 'sms' ? { channel: 'sms', segments: 1 } : { channel: 'mms' }),
      to,
      fromNumberType,
      recipientCarrier: null,
      registered: true,
    },
    card,
  );
  const worst = worstCaseOf(card, to, fromNumberType, { channel, segments: 1 });
  if (!quote.ok || worst === null) return null;
  const fees = new Map<string, { carrier: string; registered: number; unregistered: number }>();
  for (const fee of card.carrierFees) {
    if (fee.country !== quote.country || fee.channel !== channel) continue;
    const entry = fees.get(fee.carrier) ?? { carrier: fee.carrier, registered: 0, unregistered: 0 };
    entry[fee.registration] = fee.fee;
    fees.set(fee.carrier, entry);
  }
  return {
    price: quote.unitPrice.micros,
    carrierFees: [...fees.values()].sort((a, b) => a.carrier.localeCompare(b.carrier)),
    worstCase: worst,
  };
}
