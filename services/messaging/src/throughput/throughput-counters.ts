import {
  type Carrier,
  type Channel,
  type LimitKey,
  type LimitOverrides,
  type NumberType,
  type RateLimit,
  isCampaignUsecase,
  isEntityType,
  limitsFor,
  limitsForRecipient,
  parseLimitOverrides,
  tMobileDayOf,
} from '@textplane/trust-rules';

/**
 * The pure half of the throughput ledger: which limits one message counts against, the counter
 * each is kept under, and the slot a send is counted in. No I/O, no clock: `now` is a fact.
 */

/** What the ledger needs to know of a message about to be let through. */
export interface ThroughputFacts {
  tenantId: string;
  /** The sender number, E.164. */
  from: string;
  /**
   * A US long code (10DLC: AT&T and T-Mobile limits), a US toll-free number (its per-number
   * limit), or `other` (not a US 10DLC or toll-free sender: only the account limit).
   */
  numberType: NumberType | 'other';
  /** The sender's campaign and its brand: required for a long code (10DLC), unused for toll-free. */
  campaignId?: string | null;
  brandId?: string | null;
  /** The brand's vetting score 0..100; null or absent when not vetted. */
  vettingScore?: number | null;
  /** The brand's entity type (`PRIVATE_PROFIT`, `SOLE_PROPRIETOR`, ...): required for a long code. */
  entityType?: string | null;
  /** The campaign's use case (`MARKETING`, `LOW_VOLUME`, ...): required for a long code. */
  usecase?: string | null;
  channel: Channel;
  /** Units the message counts: its SMS segments, 1 for an MMS (throughputCostOf). */
  cost: number;
  /** The recipient's carrier from a number lookup; null or absent when unknown (counts against all). */
  recipientCarrier?: Carrier | 'other' | null;
  now: Date;
  /** The operator's overrides for the tenant (`PUT /admin/v1/tenants/{id}/limits`). */
  overrides?: LimitOverrides;
}

/** A fact the ledger cannot work with: the field and why. Nothing is counted or locked. */
export class ThroughputFactsError extends RangeError {
  override readonly name = 'ThroughputFactsError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`throughput facts: ${field} ${message}`);
  }
}

/**
 * Whose account limit (`account_per_second`) a message counts against: the one Telnyx messaging
 * account every tenant sends through (`platform`, Telnyx's own limit: the default), or each
 * tenant's own (`tenant`, when tenants have accounts of their own).
 */
export type AccountScope = 'platform' | 'tenant';

/**
 * The margin never widens a window by more than this share of it: a minute window takes up to
 * 3 s of it (a batch's carrier calls spread over more than a second under load), a second
 * window 50 ms, so the rate a cap allows stays within 5% of the cap.
 */
export const MAX_MARGIN_SHARE = 0.05;

export interface CounterOptions {
  accountScope: AccountScope;
  /**
   * Added to every sliding window (ms): headroom for the time between the ledger's count and the
   * carrier's receipt, which differs from one send to the next. 0: windows as the table has them.
   */
  windowMarginMs: number;
}

/** One limit a message counts against, with the counter it is kept under. */
export interface LimitCounter {
  limit: RateLimit;
  counterKey: string;
}

export interface CountedMessage {
  /** The message's limits (sliding windows widened by the margin), in the table's order. */
  counters: LimitCounter[];
  cost: number;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const CARRIERS: ReadonlySet<unknown> = new Set(['att', 'tmobile', 'other']);

function requiredText(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ThroughputFactsError(field, `must be a non-empty string (got ${String(value)})`);
  }
  return value;
}

const part = (value: string): string => encodeURIComponent(value);

/**
 * The limits `facts` count against, each with its counter key, after checking every fact.
 * Counter keys name the limit and what it is kept per, so two messages share a counter exactly
 * when they share the carrier's count: a campaign's AT&T minute per channel, a brand's T-Mobile
 * day (SMS and MMS together), a toll-free number's second, the account's second per channel.
 */
export function countedMessage(facts: ThroughputFacts, options: CounterOptions): CountedMessage {
  const tenantId = requiredText('tenantId', facts.tenantId);
  if (typeof facts.from !== 'string' || !E164.test(facts.from)) {
    throw new ThroughputFactsError('from', `must be an E.164 number (got ${String(facts.from)})`);
  }
  if (
    facts.numberType !== 'long_code' &&
    facts.numberType !== 'toll_free' &&
    facts.numberType !== 'other'
  ) {
    throw new ThroughputFactsError(
      'numberType',
      `must be long_code, toll_free or other (got ${String(facts.numberType)})`,
    );
  }
  if (facts.channel !== 'sms' && facts.channel !== 'mms') {
    throw new ThroughputFactsError('channel', `must be sms or mms (got ${String(facts.channel)})`);
  }
  if (!Number.isInteger(facts.cost) || facts.cost < 1) {
    throw new ThroughputFactsError('cost', `must be a positive integer (got ${facts.cost})`);
  }
  if (facts.channel === 'mms' && facts.cost !== 1) {
    throw new ThroughputFactsError('cost', `of an MMS must be 1 (got ${facts.cost})`);
  }
  if (!(facts.now instanceof Date) || !Number.isFinite(facts.now.getTime())) {
    throw new ThroughputFactsError('now', 'must be a valid Date');
  }
  const carrier = facts.recipientCarrier ?? null;
  if (carrier !== null && !CARRIERS.has(carrier)) {
    throw new ThroughputFactsError(
      'recipientCarrier',
      `must be att, tmobile, other or null (got ${String(carrier)})`,
    );
  }
  const score = facts.vettingScore ?? null;
  if (score !== null && (!Number.isInteger(score) || score < 0 || score > 100)) {
    throw new ThroughputFactsError(
      'vettingScore',
      `must be an integer from 0 to 100 (got ${score})`,
    );
  }
  let overrides: LimitOverrides = {};
  if (facts.overrides !== undefined) {
    const parsed = parseLimitOverrides(facts.overrides);
    if (!parsed.ok) {
      const first = parsed.errors[0];
      throw new ThroughputFactsError(
        `overrides${first && first.field !== '' ? `.${first.field}` : ''}`,
        first?.message ?? 'are invalid',
      );
    }
    overrides = parsed.overrides;
  }

  let limits: RateLimit[];
  let campaignId = '';
  let brandId = '';
  if (facts.numberType === 'long_code') {
    campaignId = requiredText('campaignId', facts.campaignId);
    brandId = requiredText('brandId', facts.brandId);
    const { usecase, entityType } = facts;
    if (!isCampaignUsecase(usecase)) {
      throw new ThroughputFactsError(
        'usecase',
        `is not a known campaign use case (got ${String(usecase)})`,
      );
    }
    if (!isEntityType(entityType)) {
      throw new ThroughputFactsError(
        'entityType',
        `is not a known entity type (got ${String(entityType)})`,
      );
    }
    limits = limitsFor({
      vettingScore: score,
      usecase,
      entityType,
      numberType: 'long_code',
      channel: facts.channel,
      overrides,
    });
  } else {
    // A toll-free number's limits do not depend on a brand or campaign (it has none).
    limits = limitsFor({
      usecase: 'MIXED',
      entityType: 'PRIVATE_PROFIT',
      numberType: 'toll_free',
      channel: facts.channel,
      overrides,
    });
    // Any other sender is held to the account's limit alone: no US carrier class applies to it.
    if (facts.numberType === 'other') {
      limits = limits.filter((limit) => limit.key === 'account_per_second');
    }
  }

  const counters = limitsForRecipient(limits, carrier).map((limit): LimitCounter => {
    const margin =
      limit.window.kind === 'sliding'
        ? Math.min(options.windowMarginMs, Math.floor(limit.window.ms * MAX_MARGIN_SHARE))
        : 0;
    const widened: RateLimit =
      limit.window.kind === 'sliding' && margin > 0
        ? { ...limit, window: { kind: 'sliding', ms: limit.window.ms + margin } }
        : limit;
    return { limit: widened, counterKey: counterKeyOf(limit.key) };
  });
  return { counters, cost: facts.cost };

  function counterKeyOf(key: LimitKey): string {
    switch (key) {
      case 'att_campaign_per_minute':
        return `${key}/${part(tenantId)}/${part(campaignId)}/${facts.channel}`;
      case 'tmobile_brand_per_day':
        return `${key}/${part(tenantId)}/${part(brandId)}`;
      case 'toll_free_number_per_second':
        return `${key}/${part(facts.from)}`;
      case 'account_per_second':
        return options.accountScope === 'platform'
          ? `${key}/platform/${facts.channel}`
          : `${key}/${part(tenantId)}/${facts.channel}`;
    }
  }
}

/**
 * Sends of a sliding window are counted in buckets of a fiftieth of the window (20 ms of a
 * second, 1.2 s of a minute), so a counter holds some fifty live rows however fast it is used.
 */
export const BUCKETS_PER_WINDOW = 50;

/** The bucket of a sliding window of `windowMs`. */
export function bucketMsOf(windowMs: number): number {
  return Math.max(1, Math.floor(windowMs / BUCKETS_PER_WINDOW));
}

export interface CountSlot {
  /** The row's slot: a bucket's end (sliding), the Pacific day's midnight (T-Mobile day). */
  slotAt: Date;
  /** When the row stops counting. */
  expiresAt: Date;
}

/**
 * The slot a send at `now` is counted in. A sliding window's send is counted at the end of its
 * bucket, never before it went: it then leaves the window no sooner than the send itself would
 * (a little later), and every check made meanwhile counts it, so no window of the limit's length
 * ever holds more than the limit. The cost: up to one bucket (2%) of throughput.
 */
export function slotOf(limit: RateLimit, now: Date): CountSlot {
  const window = limit.window;
  switch (window.kind) {
    case 'sliding': {
      const bucketMs = bucketMsOf(window.ms);
      const slot = (Math.floor(now.getTime() / bucketMs) + 1) * bucketMs;
      return { slotAt: new Date(slot), expiresAt: new Date(slot + window.ms) };
    }
    case 'tmobile_day': {
      const day = tMobileDayOf(now);
      return { slotAt: day.start, expiresAt: day.end };
    }
  }
}

/**
 * The sender's class as the sender-registration gate tells it (`senderClassOf`, libphonenumber's
 * metadata), in the ledger's terms.
 */
export function numberTypeOf(
  senderClass: 'us_long_code' | 'us_toll_free' | 'other',
): ThroughputFacts['numberType'] {
  switch (senderClass) {
    case 'us_long_code':
      return 'long_code';
    case 'us_toll_free':
      return 'toll_free';
    case 'other':
      return 'other';
  }
}

/**
 * What the ledger reads of a long code's registration: the shape of messaging's
 * SenderRegistration projection (sender_registration_*), structurally.
 */
export interface SenderThroughputClass {
  campaignId: string;
  campaign: { usecase: string; brandId: string } | null;
  brand: { entityType: string | null; vettingScore: number | null } | null;
}

export type ThroughputFactsResult =
  | { ok: true; facts: ThroughputFacts }
  /**
   * A long code whose campaign or brand facts messaging has not seen (or no registration):
   * the sender-registration gate, ahead of this one, holds or blocks such a message; with that
   * gate switched off (a test harness), the caller decides (e.g. `numberType: 'other'`).
   */
  | { ok: false; missing: 'registration' | 'campaign' | 'brand' };

/**
 * A message's throughput facts from what the dispatcher holds: the message, its sender's class
 * and registration, the recipient's carrier when a lookup told it, the tenant's overrides.
 * A brand whose entity type messaging has not seen counts as not a sole proprietor (its
 * `SOLE_PROPRIETOR` use case still says so); without a vetting score it takes the lowest
 * standard class (libs/trust-rules).
 */
export function throughputFactsOf(input: {
  message: {
    tenantId: string;
    from: string;
    mediaUrls: readonly string[];
    segments: number;
  };
  senderClass: 'us_long_code' | 'us_toll_free' | 'other';
  registration: SenderThroughputClass | null;
  recipientCarrier?: Carrier | 'other' | null;
  overrides?: LimitOverrides;
  now: Date;
}): ThroughputFactsResult {
  const { message, registration } = input;
  const numberType = numberTypeOf(input.senderClass);
  const base: ThroughputFacts = {
    tenantId: message.tenantId,
    from: message.from,
    numberType,
    ...throughputCostOf(message),
    recipientCarrier: input.recipientCarrier ?? null,
    now: input.now,
    ...(input.overrides !== undefined ? { overrides: input.overrides } : {}),
  };
  if (numberType !== 'long_code') return { ok: true, facts: base };
  if (registration === null) return { ok: false, missing: 'registration' };
  if (registration.campaign === null) return { ok: false, missing: 'campaign' };
  if (registration.brand === null) return { ok: false, missing: 'brand' };
  return {
    ok: true,
    facts: {
      ...base,
      campaignId: registration.campaignId,
      brandId: registration.campaign.brandId,
      usecase: registration.campaign.usecase,
      entityType: registration.brand.entityType ?? 'PRIVATE_PROFIT',
      vettingScore: registration.brand.vettingScore,
    },
  };
}

/** Units a message counts: its segments as an SMS (at least 1), 1 as an MMS. */
export function throughputCostOf(message: { mediaUrls: readonly string[]; segments: number }): {
  channel: Channel;
  cost: number;
} {
  return message.mediaUrls.length > 0
    ? { channel: 'mms', cost: 1 }
    : { channel: 'sms', cost: Math.max(1, message.segments) };
}
