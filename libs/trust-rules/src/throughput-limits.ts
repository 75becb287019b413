import type { CampaignUsecase, EntityType, FieldViolation } from './vocabulary.js';

/**
 * Carrier and account throughput limits (issue 12 §3), in one table.
 *
 * Sources (the values issue 12 §3 sets; each matches the carriers' published tables as carriers'
 * partners republish them, TCR's figures of 2022 onwards):
 * - AT&T, per campaign per minute, by the brand's vetting score class (SMS / MMS): 75–100 →
 *   4,500 / 2,400; 50–74 → 2,400 / 1,200; 1–49 → 240 / 150; low-volume mixed → 75 / 50; sole
 *   proprietor → 15. AT&T message classes A–F and T as in support.goconvey.com "10DLC Carrier
 *   Throughputs and Daily Limits" and clickatell.com's "throughput limits for 10DLC campaigns";
 *   all numbers of a campaign share it, and it counts SMS segments (an MMS counts one).
 * - T-Mobile, per brand per day (all the brand's campaigns together), by vetting score: 75–100 →
 *   200,000; 50–74 → 40,000; 25–49 → 10,000; 0–24 → 2,000; sole proprietor → 1,000 (T-Mobile's
 *   brand tiers, same pages and community.sinch.com "How much throughput will I get on my 10DLC
 *   Campaigns"); it counts SMS segments and MMS messages; the day is Pacific (tmobile-day.ts).
 * - Toll-free: 20 messages per second per number; account: 50 SMS and 15 MMS per second (Telnyx's
 *   defaults for a messaging account, raised on request, hence overridable).
 *
 * Choices the sources leave open, made conservatively (a limit set too low only makes a send wait):
 * - A brand without a vetting score (not vetted yet) or scored 0 gets AT&T's lowest standard class
 *   (1–49) and T-Mobile's lowest tier (0–24).
 * - Sole proprietor (entity type or `SOLE_PROPRIETOR` use case) wins over the score; AT&T's 15 per
 *   minute applies to MMS as well as SMS.
 * - A `LOW_VOLUME` campaign takes AT&T's low-volume class; T-Mobile still counts it in the brand's
 *   tier by score.
 * - The account limit applies to every sender, long code or toll-free: it is the account's, not a
 *   number type's.
 */

export type Carrier = 'att' | 'tmobile';
export type Channel = 'sms' | 'mms';
export type NumberType = 'long_code' | 'toll_free';

export type LimitKey =
  | 'att_campaign_per_minute'
  | 'tmobile_brand_per_day'
  | 'toll_free_number_per_second'
  | 'account_per_second';

/** A sliding window of `ms` (a send occupies `[sentAt, sentAt + ms)`), or the Pacific calendar day. */
export type LimitWindow = { kind: 'sliding'; ms: number } | { kind: 'tmobile_day' };

export interface RateLimit {
  key: LimitKey;
  /** What the count is kept per: the sender's campaign, its brand, the number, or the account. */
  scope: 'campaign' | 'brand' | 'number' | 'account';
  /** The carrier whose recipients count against it; `null` for every recipient. */
  carrier: Carrier | null;
  window: LimitWindow;
  limit: number;
  /** The table row the value comes from, e.g. `att.score_75_100`, or `override`. */
  source: string;
}

export const MINUTE_WINDOW: LimitWindow = { kind: 'sliding', ms: 60_000 };
export const SECOND_WINDOW: LimitWindow = { kind: 'sliding', ms: 1_000 };
export const TMOBILE_DAY_WINDOW: LimitWindow = { kind: 'tmobile_day' };

export type AttClass =
  'score_75_100' | 'score_50_74' | 'score_1_49' | 'low_volume_mixed' | 'sole_proprietor';
export type TMobileClass =
  'score_75_100' | 'score_50_74' | 'score_25_49' | 'score_0_24' | 'sole_proprietor';

export const THROUGHPUT_LIMITS = {
  attPerMinute: {
    score_75_100: { sms: 4_500, mms: 2_400 },
    score_50_74: { sms: 2_400, mms: 1_200 },
    score_1_49: { sms: 240, mms: 150 },
    low_volume_mixed: { sms: 75, mms: 50 },
    sole_proprietor: { sms: 15, mms: 15 },
  },
  tMobilePerDay: {
    score_75_100: 200_000,
    score_50_74: 40_000,
    score_25_49: 10_000,
    score_0_24: 2_000,
    sole_proprietor: 1_000,
  },
  tollFreePerNumberPerSecond: 20,
  accountPerSecond: { sms: 50, mms: 15 },
} as const satisfies {
  attPerMinute: Record<AttClass, Record<Channel, number>>;
  tMobilePerDay: Record<TMobileClass, number>;
  tollFreePerNumberPerSecond: number;
  accountPerSecond: Record<Channel, number>;
};

/** The operator's per-tenant overrides (`PUT /admin/v1/tenants/{id}/limits`); each replaces the table's value. */
export interface LimitOverrides {
  attPerMinute?: Partial<Record<Channel, number>>;
  tMobilePerDay?: number;
  tollFreePerNumberPerSecond?: number;
  accountPerSecond?: Partial<Record<Channel, number>>;
}

export interface LimitsInput {
  /** The brand's vetting score 0..100; `null`/absent when not vetted. */
  vettingScore?: number | null;
  usecase: CampaignUsecase;
  entityType: EntityType;
  numberType: NumberType;
  channel: Channel;
  overrides?: LimitOverrides;
}

function checkScore(score: number | null | undefined): number | null {
  if (score === undefined || score === null) return null;
  if (!Number.isInteger(score) || score < 0 || score > 100) {
    throw new RangeError(`vettingScore must be an integer from 0 to 100 (got ${score})`);
  }
  return score;
}

export function attClassFor(
  input: Pick<LimitsInput, 'vettingScore' | 'usecase' | 'entityType'>,
): AttClass {
  const score = checkScore(input.vettingScore);
  if (input.entityType === 'SOLE_PROPRIETOR' || input.usecase === 'SOLE_PROPRIETOR') {
    return 'sole_proprietor';
  }
  if (input.usecase === 'LOW_VOLUME') return 'low_volume_mixed';
  if (score === null) return 'score_1_49';
  if (score >= 75) return 'score_75_100';
  if (score >= 50) return 'score_50_74';
  return 'score_1_49';
}

export function tMobileClassFor(
  input: Pick<LimitsInput, 'vettingScore' | 'usecase' | 'entityType'>,
): TMobileClass {
  const score = checkScore(input.vettingScore);
  if (input.entityType === 'SOLE_PROPRIETOR' || input.usecase === 'SOLE_PROPRIETOR') {
    return 'sole_proprietor';
  }
  if (score === null) return 'score_0_24';
  if (score >= 75) return 'score_75_100';
  if (score >= 50) return 'score_50_74';
  if (score >= 25) return 'score_25_49';
  return 'score_0_24';
}

/**
 * Every limit a message from this sender counts against, before the recipient's carrier is known
 * (see `limitsForRecipient`). Order: carrier limits, then number, then account.
 */
export function limitsFor(input: LimitsInput): RateLimit[] {
  const o = input.overrides ?? {};
  const limits: RateLimit[] = [];
  if (input.numberType === 'long_code') {
    const att = attClassFor(input);
    const attOverride = o.attPerMinute?.[input.channel];
    limits.push({
      key: 'att_campaign_per_minute',
      scope: 'campaign',
      carrier: 'att',
      window: MINUTE_WINDOW,
      limit: attOverride ?? THROUGHPUT_LIMITS.attPerMinute[att][input.channel],
      source: attOverride !== undefined ? 'override' : `att.${att}`,
    });
    const tmo = tMobileClassFor(input);
    limits.push({
      key: 'tmobile_brand_per_day',
      scope: 'brand',
      carrier: 'tmobile',
      window: TMOBILE_DAY_WINDOW,
      limit: o.tMobilePerDay ?? THROUGHPUT_LIMITS.tMobilePerDay[tmo],
      source: o.tMobilePerDay !== undefined ? 'override' : `tmobile.${tmo}`,
    });
  } else {
    limits.push({
      key: 'toll_free_number_per_second',
      scope: 'number',
      carrier: null,
      window: SECOND_WINDOW,
      limit: o.tollFreePerNumberPerSecond ?? THROUGHPUT_LIMITS.tollFreePerNumberPerSecond,
      source: o.tollFreePerNumberPerSecond !== undefined ? 'override' : 'toll_free.per_number',
    });
  }
  const accountOverride = o.accountPerSecond?.[input.channel];
  limits.push({
    key: 'account_per_second',
    scope: 'account',
    carrier: null,
    window: SECOND_WINDOW,
    limit: accountOverride ?? THROUGHPUT_LIMITS.accountPerSecond[input.channel],
    source: accountOverride !== undefined ? 'override' : `account.${input.channel}`,
  });
  return limits;
}

/**
 * The limits a message to this recipient counts against: a carrier's own limit only when the
 * recipient is on that carrier, every carrier's when the carrier is unknown (`null`).
 * `'other'` is a known carrier with no 10DLC limit of its own here (Verizon and the rest).
 */
export function limitsForRecipient(
  limits: readonly RateLimit[],
  recipientCarrier: Carrier | 'other' | null,
): RateLimit[] {
  return limits.filter(
    (limit) =>
      limit.carrier === null || recipientCarrier === null || limit.carrier === recipientCarrier,
  );
}

export type ParsedLimitOverrides =
  { ok: true; overrides: LimitOverrides } | { ok: false; errors: FieldViolation[] };

const MAX_OVERRIDE = 1_000_000_000;

/** The body of `PUT /admin/v1/tenants/{id}/limits`: every value a positive integer, nothing unknown. */
export function parseLimitOverrides(input: unknown): ParsedLimitOverrides {
  const errors: FieldViolation[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(input)) return { ok: false, errors: [{ field: '', message: 'must be an object' }] };

  const count = (field: string, value: unknown): number | undefined => {
    if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= 1 &&
      value <= MAX_OVERRIDE
    ) {
      return value;
    }
    errors.push({
      field,
      message: `must be an integer from 1 to ${MAX_OVERRIDE} (got ${JSON.stringify(value) ?? String(value)})`,
    });
    return undefined;
  };
  const perChannel = (
    field: string,
    value: unknown,
  ): Partial<Record<Channel, number>> | undefined => {
    if (!isObject(value)) {
      errors.push({ field, message: 'must be an object with sms and/or mms' });
      return undefined;
    }
    const out: Partial<Record<Channel, number>> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key !== 'sms' && key !== 'mms') {
        errors.push({ field: `${field}.${key}`, message: 'is not a known field (sms, mms)' });
        continue;
      }
      const n = count(`${field}.${key}`, v);
      if (n !== undefined) out[key] = n;
    }
    return out;
  };

  const overrides: LimitOverrides = {};
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case 'attPerMinute': {
        const v = perChannel(key, value);
        if (v !== undefined) overrides.attPerMinute = v;
        break;
      }
      case 'accountPerSecond': {
        const v = perChannel(key, value);
        if (v !== undefined) overrides.accountPerSecond = v;
        break;
      }
      case 'tMobilePerDay': {
        const v = count(key, value);
        if (v !== undefined) overrides.tMobilePerDay = v;
        break;
      }
      case 'tollFreePerNumberPerSecond': {
        const v = count(key, value);
        if (v !== undefined) overrides.tollFreePerNumberPerSecond = v;
        break;
      }
      default:
        errors.push({ field: key, message: 'is not a known field' });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, overrides };
}
