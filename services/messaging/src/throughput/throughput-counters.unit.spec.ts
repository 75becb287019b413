import type { ThroughputDecision } from '@textplane/trust-rules';
import { describe, expect, it } from 'vitest';
import type { SenderRegistration } from '../sender-registrations/sender-registration.js';
import {
  countedMessage,
  numberTypeOf,
  slotOf,
  throughputCostOf,
  throughputFactsOf,
  type SenderThroughputClass,
  type ThroughputFacts,
  ThroughputFactsError,
} from './throughput-counters.js';
import { throughputGateAnswer } from './throughput-gate.js';

// Compile-time: messaging's sender-registration projection is what throughputFactsOf reads.
const _registrationFits = (r: SenderRegistration): SenderThroughputClass => r;

const platform = { accountScope: 'platform', windowMarginMs: 0 } as const;
const now = new Date('2026-11-26T19:00:00.000Z');

function longCode(overrides: Partial<ThroughputFacts> = {}): ThroughputFacts {
  return {
    tenantId: 'tenant-1',
    from: '+12125550100',
    numberType: 'long_code',
    campaignId: 'CAMP1',
    brandId: 'BRAND1',
    vettingScore: 80,
    entityType: 'PRIVATE_PROFIT',
    usecase: 'MARKETING',
    channel: 'sms',
    cost: 2,
    now,
    ...overrides,
  };
}

const tollFree = (overrides: Partial<ThroughputFacts> = {}): ThroughputFacts => ({
  tenantId: 'tenant-1',
  from: '+18885550100',
  numberType: 'toll_free',
  channel: 'mms',
  cost: 1,
  now,
  ...overrides,
});

describe('countedMessage: the limits and counters of one message', () => {
  it('a long code to an unknown carrier counts against AT&T, T-Mobile and the account', () => {
    const counted = countedMessage(longCode(), platform);
    expect(counted.cost).toBe(2);
    expect(
      counted.counters.map((c) => [c.limit.key, c.limit.limit, c.limit.source, c.counterKey]),
    ).toEqual([
      [
        'att_campaign_per_minute',
        4_500,
        'att.score_75_100',
        'att_campaign_per_minute/tenant-1/CAMP1/sms',
      ],
      [
        'tmobile_brand_per_day',
        200_000,
        'tmobile.score_75_100',
        'tmobile_brand_per_day/tenant-1/BRAND1',
      ],
      ['account_per_second', 50, 'account.sms', 'account_per_second/platform/sms'],
    ]);
  });

  it.each([
    ['att', ['att_campaign_per_minute', 'account_per_second']],
    ['tmobile', ['tmobile_brand_per_day', 'account_per_second']],
    ['other', ['account_per_second']],
    [null, ['att_campaign_per_minute', 'tmobile_brand_per_day', 'account_per_second']],
  ] as const)('recipient carrier %s counts against %j', (carrier, keys) => {
    const counted = countedMessage(longCode({ recipientCarrier: carrier }), platform);
    expect(counted.counters.map((c) => c.limit.key)).toEqual(keys);
  });

  it('an MMS counts against the channel’s own AT&T and account counters; the brand day is shared', () => {
    const counted = countedMessage(longCode({ channel: 'mms', cost: 1 }), platform);
    expect(counted.counters.map((c) => [c.counterKey, c.limit.limit])).toEqual([
      ['att_campaign_per_minute/tenant-1/CAMP1/mms', 2_400],
      ['tmobile_brand_per_day/tenant-1/BRAND1', 200_000],
      ['account_per_second/platform/mms', 15],
    ]);
  });

  it('a toll-free number counts per number and account, needing no campaign; tenant scope keys the account by tenant', () => {
    const counted = countedMessage(tollFree(), { accountScope: 'tenant', windowMarginMs: 0 });
    expect(counted.counters.map((c) => [c.counterKey, c.limit.limit])).toEqual([
      ['toll_free_number_per_second/%2B18885550100', 20],
      ['account_per_second/tenant-1/mms', 15],
    ]);
  });

  it('takes the class from the vetting score, entity type and use case, and the overrides', () => {
    const limitOf = (facts: Partial<ThroughputFacts>) =>
      countedMessage(longCode({ recipientCarrier: 'att', ...facts }), platform).counters[0]?.limit;
    expect(limitOf({ vettingScore: 60 })).toMatchObject({ limit: 2_400 });
    expect(limitOf({ vettingScore: null })).toMatchObject({ limit: 240 });
    expect(limitOf({ usecase: 'LOW_VOLUME' })).toMatchObject({ limit: 75 });
    expect(limitOf({ entityType: 'SOLE_PROPRIETOR' })).toMatchObject({ limit: 15 });
    expect(limitOf({ overrides: { attPerMinute: { sms: 60 } } })).toMatchObject({
      limit: 60,
      source: 'override',
    });
  });

  it('widens sliding windows by the margin, never the T-Mobile day', () => {
    const counted = countedMessage(longCode(), { accountScope: 'platform', windowMarginMs: 40 });
    expect(counted.counters.map((c) => c.limit.window)).toEqual([
      { kind: 'sliding', ms: 60_040 },
      { kind: 'tmobile_day' },
      { kind: 'sliding', ms: 1_040 },
    ]);
  });

  it('never widens a window by more than 5% of it (3 s of a minute, 50 ms of a second)', () => {
    const counted = countedMessage(longCode(), { accountScope: 'platform', windowMarginMs: 2_000 });
    expect(counted.counters.map((c) => c.limit.window)).toEqual([
      { kind: 'sliding', ms: 62_000 },
      { kind: 'tmobile_day' },
      { kind: 'sliding', ms: 1_050 },
    ]);
  });

  it.each([
    ['tenantId', { tenantId: ' ' }],
    ['from', { from: '2125550100' }],
    ['numberType', { numberType: 'short_code' as never }],
    ['channel', { channel: 'rcs' as never }],
    ['cost', { cost: 0 }],
    ['cost', { cost: 1.5 }],
    ['cost', { channel: 'mms', cost: 2 }],
    ['now', { now: new Date('nope') }],
    ['recipientCarrier', { recipientCarrier: 'verizon' as never }],
    ['vettingScore', { vettingScore: 101 }],
    ['campaignId', { campaignId: null }],
    ['brandId', { brandId: '' }],
    ['usecase', { usecase: 'CHAT' }],
    ['entityType', { entityType: null }],
    ['overrides.attPerMinute.sms', { overrides: { attPerMinute: { sms: 0 } } }],
  ] as const)('refuses a bad %s', (field, bad) => {
    const attempt = () => countedMessage(longCode(bad), platform);
    expect(attempt).toThrow(ThroughputFactsError);
    try {
      attempt();
    } catch (error) {
      expect((error as ThroughputFactsError).field).toBe(field);
    }
  });
});

describe('slotOf: where a send is counted', () => {
  it('a sliding window counts a send at its bucket’s end (a fiftieth of the window), never earlier', () => {
    const [minute, , second] = countedMessage(longCode(), platform).counters;
    const at = new Date('2026-11-26T19:00:00.500Z');
    expect(slotOf(minute!.limit, at)).toEqual({
      slotAt: new Date('2026-11-26T19:00:01.200Z'),
      expiresAt: new Date('2026-11-26T19:01:01.200Z'),
    });
    expect(slotOf(second!.limit, at)).toEqual({
      slotAt: new Date('2026-11-26T19:00:00.520Z'),
      expiresAt: new Date('2026-11-26T19:00:01.520Z'),
    });
    // A send exactly at a bucket's start goes in that bucket, counted at its end.
    expect(slotOf(second!.limit, new Date('2026-11-26T19:00:00.520Z')).slotAt).toEqual(
      new Date('2026-11-26T19:00:00.540Z'),
    );
  });

  it('the T-Mobile day is the Pacific calendar day, 25 h on the fall-back Sunday', () => {
    const day = countedMessage(longCode(), platform).counters[1]!.limit;
    expect(slotOf(day, new Date('2026-11-01T20:00:00.000Z'))).toEqual({
      slotAt: new Date('2026-11-01T07:00:00.000Z'),
      expiresAt: new Date('2026-11-02T08:00:00.000Z'),
    });
  });
});

describe('numberTypeOf, throughputCostOf and throughputFactsOf', () => {
  it.each([
    ['us_long_code', 'long_code'],
    ['us_toll_free', 'toll_free'],
    ['other', 'other'],
  ] as const)('sender class %s is number type %s', (senderClass, type) => {
    expect(numberTypeOf(senderClass)).toBe(type);
  });

  it('a sender of no US class counts against the account limit alone', () => {
    const counted = countedMessage(
      longCode({ numberType: 'other', campaignId: null, usecase: null }),
      platform,
    );
    expect(counted.counters.map((c) => c.counterKey)).toEqual(['account_per_second/platform/sms']);
  });

  it('an SMS costs its segments (at least 1), an MMS 1', () => {
    expect(throughputCostOf({ mediaUrls: [], segments: 3 })).toEqual({ channel: 'sms', cost: 3 });
    expect(throughputCostOf({ mediaUrls: [], segments: 0 })).toEqual({ channel: 'sms', cost: 1 });
    expect(throughputCostOf({ mediaUrls: ['https://x.test/a.png'], segments: 4 })).toEqual({
      channel: 'mms',
      cost: 1,
    });
  });
});

describe('throughputFactsOf: the facts from the dispatcher’s message and projections', () => {
  const message = { tenantId: 'tenant-1', from: '+12125550100', mediaUrls: [], segments: 2 };
  const registration = {
    phoneNumber: '+12125550100',
    campaignId: 'CAMP1',
    assignment: 'provisioned',
    campaign: { status: 'approved', usecase: 'MARKETING', brandId: 'BRAND1' },
    brand: { entityType: 'PRIVATE_PROFIT', vettingScore: 80 },
  };

  it('a registered long code: its campaign, brand, class and the message’s cost', () => {
    const result = throughputFactsOf({
      message,
      senderClass: 'us_long_code',
      registration,
      recipientCarrier: 'tmobile',
      overrides: { tMobilePerDay: 10 },
      now,
    });
    expect(result).toEqual({
      ok: true,
      facts: {
        tenantId: 'tenant-1',
        from: '+12125550100',
        numberType: 'long_code',
        campaignId: 'CAMP1',
        brandId: 'BRAND1',
        usecase: 'MARKETING',
        entityType: 'PRIVATE_PROFIT',
        vettingScore: 80,
        channel: 'sms',
        cost: 2,
        recipientCarrier: 'tmobile',
        overrides: { tMobilePerDay: 10 },
        now,
      },
    });
    if (result.ok) expect(() => countedMessage(result.facts, platform)).not.toThrow();
  });

  it('a brand of unknown entity type counts as not a sole proprietor', () => {
    const result = throughputFactsOf({
      message,
      senderClass: 'us_long_code',
      registration: { ...registration, brand: { entityType: null, vettingScore: null } },
      now,
    });
    expect(result).toMatchObject({
      ok: true,
      facts: { entityType: 'PRIVATE_PROFIT', vettingScore: null },
    });
  });

  it('says what is missing of a long code’s registration', () => {
    const of = (r: typeof registration | null) =>
      throughputFactsOf({ message, senderClass: 'us_long_code', registration: r, now });
    expect(of(null)).toEqual({ ok: false, missing: 'registration' });
    expect(of({ ...registration, campaign: null } as never)).toEqual({
      ok: false,
      missing: 'campaign',
    });
    expect(of({ ...registration, brand: null } as never)).toEqual({ ok: false, missing: 'brand' });
  });

  it('toll-free and other senders need no registration; an MMS costs 1', () => {
    expect(
      throughputFactsOf({
        message: { ...message, from: '+18885550100', mediaUrls: ['https://x.test/a.png'] },
        senderClass: 'us_toll_free',
        registration: null,
        now,
      }),
    ).toMatchObject({ ok: true, facts: { numberType: 'toll_free', channel: 'mms', cost: 1 } });
    expect(
      throughputFactsOf({ message, senderClass: 'other', registration: null, now }),
    ).toMatchObject({ ok: true, facts: { numberType: 'other', recipientCarrier: null } });
  });
});

describe('throughputGateAnswer', () => {
  it.each<[ThroughputDecision, unknown]>([
    [{ kind: 'pass' }, { answer: 'pass' }],
    [
      { kind: 'wait', until: now, limit: 'att_campaign_per_minute' },
      {
        answer: 'wait',
        until: { kind: 'turn', at: now, waitingFor: 'throughput' },
        limit: 'att_campaign_per_minute',
      },
    ],
    [
      { kind: 'daily_cap', sendAt: now, limit: 'tmobile_brand_per_day' },
      {
        answer: 'wait',
        until: { kind: 'time', at: now, reason: 'daily_cap', timeZone: 'America/Los_Angeles' },
        limit: 'tmobile_brand_per_day',
      },
    ],
  ])('%j → %j', (decision, answer) => {
    expect(throughputGateAnswer(decision)).toEqual(answer);
  });
});
