import { describe, expect, it } from 'vitest';
import {
  THROUGHPUT_LIMITS,
  limitsFor,
  limitsForRecipient,
  parseLimitOverrides,
  type LimitsInput,
  type RateLimit,
} from './throughput-limits.js';

const longCode = (overrides: Partial<LimitsInput> = {}): LimitsInput => ({
  vettingScore: 80,
  usecase: 'MARKETING',
  entityType: 'PRIVATE_PROFIT',
  numberType: 'long_code',
  channel: 'sms',
  ...overrides,
});

/** [AT&T per minute, T-Mobile per day, the AT&T row, the T-Mobile row] of a long-code sender. */
const carrierLimits = (input: LimitsInput): [number, number, string, string] => {
  const limits = limitsFor(input);
  const att = limits.find((l) => l.key === 'att_campaign_per_minute');
  const tmo = limits.find((l) => l.key === 'tmobile_brand_per_day');
  if (!att || !tmo) throw new Error('long code without carrier limits');
  return [att.limit, tmo.limit, att.source, tmo.source];
};

describe('the limits table', () => {
  it('holds the values issue 12 §3 gives', () => {
    expect(THROUGHPUT_LIMITS).toEqual({
      attPerMinute: {
        score_75_100: { sms: 4500, mms: 2400 },
        score_50_74: { sms: 2400, mms: 1200 },
        score_1_49: { sms: 240, mms: 150 },
        low_volume_mixed: { sms: 75, mms: 50 },
        sole_proprietor: { sms: 15, mms: 15 },
      },
      tMobilePerDay: {
        score_75_100: 200000,
        score_50_74: 40000,
        score_25_49: 10000,
        score_0_24: 2000,
        sole_proprietor: 1000,
      },
      tollFreePerNumberPerSecond: 20,
      accountPerSecond: { sms: 50, mms: 15 },
    });
  });
});

describe('limitsFor: a long code, by vetting score class', () => {
  it.each([
    // [score, usecase, entityType, channel, AT&T/min, T-Mobile/day, AT&T row, T-Mobile row]
    [
      100,
      'MARKETING',
      'PRIVATE_PROFIT',
      'sms',
      4500,
      200000,
      'att.score_75_100',
      'tmobile.score_75_100',
    ],
    [
      75,
      'MARKETING',
      'PRIVATE_PROFIT',
      'sms',
      4500,
      200000,
      'att.score_75_100',
      'tmobile.score_75_100',
    ],
    [
      75,
      'MARKETING',
      'PRIVATE_PROFIT',
      'mms',
      2400,
      200000,
      'att.score_75_100',
      'tmobile.score_75_100',
    ],
    [74, '2FA', 'PUBLIC_PROFIT', 'sms', 2400, 40000, 'att.score_50_74', 'tmobile.score_50_74'],
    [50, '2FA', 'PUBLIC_PROFIT', 'mms', 1200, 40000, 'att.score_50_74', 'tmobile.score_50_74'],
    [49, 'CUSTOMER_CARE', 'NON_PROFIT', 'sms', 240, 10000, 'att.score_1_49', 'tmobile.score_25_49'],
    [25, 'CUSTOMER_CARE', 'NON_PROFIT', 'mms', 150, 10000, 'att.score_1_49', 'tmobile.score_25_49'],
    [
      24,
      'ACCOUNT_NOTIFICATION',
      'GOVERNMENT',
      'sms',
      240,
      2000,
      'att.score_1_49',
      'tmobile.score_0_24',
    ],
    [
      1,
      'ACCOUNT_NOTIFICATION',
      'GOVERNMENT',
      'sms',
      240,
      2000,
      'att.score_1_49',
      'tmobile.score_0_24',
    ],
    [
      0,
      'ACCOUNT_NOTIFICATION',
      'PRIVATE_PROFIT',
      'sms',
      240,
      2000,
      'att.score_1_49',
      'tmobile.score_0_24',
    ],
    [null, 'MARKETING', 'PRIVATE_PROFIT', 'sms', 240, 2000, 'att.score_1_49', 'tmobile.score_0_24'],
    [
      undefined,
      'MARKETING',
      'PRIVATE_PROFIT',
      'mms',
      150,
      2000,
      'att.score_1_49',
      'tmobile.score_0_24',
    ],
    // Low-volume mixed: AT&T's own class; T-Mobile by the brand's score.
    [
      90,
      'LOW_VOLUME',
      'PRIVATE_PROFIT',
      'sms',
      75,
      200000,
      'att.low_volume_mixed',
      'tmobile.score_75_100',
    ],
    [
      10,
      'LOW_VOLUME',
      'PRIVATE_PROFIT',
      'mms',
      50,
      2000,
      'att.low_volume_mixed',
      'tmobile.score_0_24',
    ],
    // Sole proprietor wins over the score and the use case.
    [
      90,
      'SOLE_PROPRIETOR',
      'SOLE_PROPRIETOR',
      'sms',
      15,
      1000,
      'att.sole_proprietor',
      'tmobile.sole_proprietor',
    ],
    [
      null,
      'SOLE_PROPRIETOR',
      'SOLE_PROPRIETOR',
      'mms',
      15,
      1000,
      'att.sole_proprietor',
      'tmobile.sole_proprietor',
    ],
    [
      null,
      'LOW_VOLUME',
      'SOLE_PROPRIETOR',
      'sms',
      15,
      1000,
      'att.sole_proprietor',
      'tmobile.sole_proprietor',
    ],
  ] as const)(
    'score %s, %s, %s, %s: AT&T %i/min, T-Mobile %i/day',
    (vettingScore, usecase, entityType, channel, att, tmo, attRow, tmoRow) => {
      expect(carrierLimits(longCode({ vettingScore, usecase, entityType, channel }))).toEqual([
        att,
        tmo,
        attRow,
        tmoRow,
      ]);
    },
  );

  it('gives the carrier limits, then the account limit, exactly', () => {
    expect(limitsFor(longCode())).toEqual<RateLimit[]>([
      {
        key: 'att_campaign_per_minute',
        scope: 'campaign',
        carrier: 'att',
        window: { kind: 'sliding', ms: 60_000 },
        limit: 4500,
        source: 'att.score_75_100',
      },
      {
        key: 'tmobile_brand_per_day',
        scope: 'brand',
        carrier: 'tmobile',
        window: { kind: 'tmobile_day' },
        limit: 200000,
        source: 'tmobile.score_75_100',
      },
      {
        key: 'account_per_second',
        scope: 'account',
        carrier: null,
        window: { kind: 'sliding', ms: 1_000 },
        limit: 50,
        source: 'account.sms',
      },
    ]);
  });

  it.each([-1, 101, 50.5, Number.NaN])('refuses a vetting score of %s', (vettingScore) => {
    expect(() => limitsFor(longCode({ vettingScore }))).toThrow(RangeError);
  });
});

describe('limitsFor: toll-free', () => {
  it.each([
    ['sms', 50, 'account.sms'],
    ['mms', 15, 'account.mms'],
  ] as const)(
    '%s: 20 per number per second and %i per account per second',
    (channel, account, source) => {
      expect(limitsFor(longCode({ numberType: 'toll_free', channel }))).toEqual<RateLimit[]>([
        {
          key: 'toll_free_number_per_second',
          scope: 'number',
          carrier: null,
          window: { kind: 'sliding', ms: 1_000 },
          limit: 20,
          source: 'toll_free.per_number',
        },
        {
          key: 'account_per_second',
          scope: 'account',
          carrier: null,
          window: { kind: 'sliding', ms: 1_000 },
          limit: account,
          source,
        },
      ]);
    },
  );
});

describe('limitsFor: the operator overrides', () => {
  const overrides = {
    attPerMinute: { sms: 60 },
    tMobilePerDay: 500,
    tollFreePerNumberPerSecond: 3,
    accountPerSecond: { mms: 7 },
  };

  it('replace the table value of the channel they name and say so', () => {
    expect(limitsFor(longCode({ overrides })).map((l) => [l.key, l.limit, l.source])).toEqual([
      ['att_campaign_per_minute', 60, 'override'],
      ['tmobile_brand_per_day', 500, 'override'],
      ['account_per_second', 50, 'account.sms'],
    ]);
    expect(
      limitsFor(longCode({ channel: 'mms', overrides })).map((l) => [l.key, l.limit, l.source]),
    ).toEqual([
      ['att_campaign_per_minute', 2400, 'att.score_75_100'],
      ['tmobile_brand_per_day', 500, 'override'],
      ['account_per_second', 7, 'override'],
    ]);
    expect(
      limitsFor(longCode({ numberType: 'toll_free', overrides })).map((l) => [
        l.key,
        l.limit,
        l.source,
      ]),
    ).toEqual([
      ['toll_free_number_per_second', 3, 'override'],
      ['account_per_second', 50, 'account.sms'],
    ]);
  });
});

describe('limitsForRecipient: which carrier limits a message counts against', () => {
  const limits = limitsFor(longCode());
  const keys = (carrier: Parameters<typeof limitsForRecipient>[1]): string[] =>
    limitsForRecipient(limits, carrier).map((l) => l.key);

  it.each([
    ['att', ['att_campaign_per_minute', 'account_per_second']],
    ['tmobile', ['tmobile_brand_per_day', 'account_per_second']],
    ['other', ['account_per_second']],
    [null, ['att_campaign_per_minute', 'tmobile_brand_per_day', 'account_per_second']],
  ] as const)('recipient on %s: %j', (carrier, expected) => {
    expect(keys(carrier)).toEqual(expected);
  });
});

describe('parseLimitOverrides: PUT /admin/v1/tenants/{id}/limits', () => {
  it('accepts positive integers for the known limits', () => {
    expect(
      parseLimitOverrides({
        attPerMinute: { sms: 60, mms: 30 },
        tMobilePerDay: 1_000_000,
        tollFreePerNumberPerSecond: 100,
        accountPerSecond: { sms: 1000 },
      }),
    ).toEqual({
      ok: true,
      overrides: {
        attPerMinute: { sms: 60, mms: 30 },
        tMobilePerDay: 1_000_000,
        tollFreePerNumberPerSecond: 100,
        accountPerSecond: { sms: 1000 },
      },
    });
    expect(parseLimitOverrides({})).toEqual({ ok: true, overrides: {} });
  });

  it('names every bad field at once', () => {
    expect(
      parseLimitOverrides({
        attPerMinute: { sms: 0, fax: 3 },
        tMobilePerDay: 1.5,
        tollFreePerNumberPerSecond: '20',
        accountPerSecond: 50,
        verizon: 10,
      }),
    ).toEqual({
      ok: false,
      errors: [
        { field: 'attPerMinute.sms', message: 'must be an integer from 1 to 1000000000 (got 0)' },
        { field: 'attPerMinute.fax', message: 'is not a known field (sms, mms)' },
        { field: 'tMobilePerDay', message: 'must be an integer from 1 to 1000000000 (got 1.5)' },
        {
          field: 'tollFreePerNumberPerSecond',
          message: 'must be an integer from 1 to 1000000000 (got "20")',
        },
        { field: 'accountPerSecond', message: 'must be an object with sms and/or mms' },
        { field: 'verizon', message: 'is not a known field' },
      ],
    });
    expect(parseLimitOverrides([])).toEqual({
      ok: false,
      errors: [{ field: '', message: 'must be an object' }],
    });
  });
});
