import { describe, expect, it } from 'vitest';
import {
  type PaceCounter,
  type PacedRelease,
  pacedFinish,
  paceCountersOf,
  senderNumberTypeOf,
} from './bulk-send-pace.js';

// Wednesday 2026-12-02 17:00Z (09:00 in Los Angeles: the T-Mobile day ends at 08:00Z tomorrow).
const NOW = new Date('2026-12-02T17:00:00.000Z');
const plus = (ms: number): Date => new Date(NOW.getTime() + ms);

const rate = (key: string, windowMs: number, limit: number): PaceCounter => ({
  key,
  limit: {
    key: 'att_campaign_per_minute',
    scope: 'campaign',
    carrier: 'att',
    window: { kind: 'sliding', ms: windowMs },
    limit,
    source: 'override',
  },
});
const perDay = (key: string, limit: number): PaceCounter => ({
  key,
  limit: {
    key: 'tmobile_brand_per_day',
    scope: 'brand',
    carrier: 'tmobile',
    window: { kind: 'tmobile_day' },
    limit,
    source: 'override',
  },
});
const release = (
  at: Date,
  count: number,
  counters: readonly PaceCounter[],
  cost = 1,
): PacedRelease => ({ at, count, cost, counters });

const campaign60 = rate('campaign', 60_000, 60);

describe('pacedFinish', () => {
  it('is the release when nothing binds, and null without a release', () => {
    expect(
      pacedFinish({ now: NOW, ahead: [], releases: [release(NOW, 10, [campaign60])] }),
    ).toEqual(NOW);
    expect(pacedFinish({ now: NOW, ahead: [], releases: [release(plus(5_000), 3, [])] })).toEqual(
      plus(5_000),
    );
    expect(pacedFinish({ now: NOW, ahead: [], releases: [] })).toBeNull();
    expect(
      pacedFinish({ now: NOW, ahead: [], releases: [release(NOW, 0, [campaign60])] }),
    ).toBeNull();
  });

  it('150 at 60 per minute: full windows at +0, +60 s and +120 s (plus a bucket each)', () => {
    // A send is counted at the end of its 1.2 s bucket: the window frees 60 s after that.
    const finish = pacedFinish({
      now: NOW,
      ahead: [],
      releases: [release(NOW, 150, [campaign60])],
    });
    expect(finish).toEqual(plus(2 * 61_200));
    // 120 fit two windows: the last goes in the second.
    expect(
      pacedFinish({ now: NOW, ahead: [], releases: [release(NOW, 120, [campaign60])] }),
    ).toEqual(plus(61_200));
  });

  it('counts a message by its cost (segments): 3-segment texts at 60 units per minute', () => {
    // 20 per window: 50 messages take three windows.
    expect(
      pacedFinish({ now: NOW, ahead: [], releases: [release(NOW, 50, [campaign60], 3)] }),
    ).toEqual(plus(2 * 61_200));
  });

  it('the binding limit is the tightest of the counters', () => {
    const second = rate('account', 1_000, 50);
    // 60 a minute binds before 50 a second.
    const finish = pacedFinish({
      now: NOW,
      ahead: [],
      releases: [release(NOW, 150, [campaign60, second])],
    });
    expect(finish?.getTime()).toBeGreaterThanOrEqual(plus(120_000).getTime());
    expect(finish?.getTime()).toBeLessThan(plus(125_000).getTime());
  });

  it('traffic queued ahead on the same counter goes first and delays the send', () => {
    const alone = pacedFinish({ now: NOW, ahead: [], releases: [release(NOW, 60, [campaign60])] });
    expect(alone).toEqual(NOW);
    const behind = pacedFinish({
      now: NOW,
      ahead: [release(NOW, 90, [campaign60])],
      releases: [release(NOW, 60, [campaign60])],
    });
    // 60 ahead at +0, 30 ahead and 30 of the send at +61.2 s, the last 30 at +122.4 s.
    expect(behind).toEqual(plus(2 * 61_200));
  });

  it('traffic ahead on another counter does not delay the send', () => {
    const other = rate('other-campaign', 60_000, 60);
    expect(
      pacedFinish({
        now: NOW,
        ahead: [release(NOW, 500, [other])],
        releases: [release(NOW, 60, [campaign60])],
      }),
    ).toEqual(NOW);
  });

  it('a drip: each batch is paced from its own release, the last batch decides', () => {
    const batches = [0, 1, 2].map((i) => release(plus(i * 300_000), 100, [campaign60]));
    // 100 per batch at 60 a minute: each batch ends one window (+61.2 s) after its release.
    expect(pacedFinish({ now: NOW, ahead: [], releases: batches })).toEqual(plus(600_000 + 61_200));
    // Batches closer than the pace pile up: 3 × 100 released a minute apart.
    const tight = [0, 1, 2].map((i) => release(plus(i * 60_000), 100, [campaign60]));
    expect(pacedFinish({ now: NOW, ahead: [], releases: tight })?.getTime()).toBeGreaterThan(
      plus(120_000 + 61_200).getTime(),
    );
  });

  it('a spent T-Mobile day holds the rest until midnight in Los Angeles', () => {
    const reset = new Date('2026-12-03T08:00:00.000Z');
    expect(
      pacedFinish({ now: NOW, ahead: [], releases: [release(NOW, 15, [perDay('brand', 10)])] }),
    ).toEqual(reset);
  });

  it('a release before now goes from now; a message above the limit goes alone', () => {
    expect(
      pacedFinish({ now: NOW, ahead: [], releases: [release(plus(-60_000), 1, [campaign60])] }),
    ).toEqual(NOW);
    const tiny = rate('tiny', 1_000, 2);
    // Cost 5 over a limit of 2: one at a time, each once the window is empty.
    expect(pacedFinish({ now: NOW, ahead: [], releases: [release(NOW, 3, [tiny], 5)] })).toEqual(
      plus(2 * 1_020),
    );
  });

  it('refuses a bad release', () => {
    expect(() =>
      pacedFinish({ now: NOW, ahead: [], releases: [release(NOW, 1, [campaign60], 0)] }),
    ).toThrow(RangeError);
    expect(() => pacedFinish({ now: new Date(Number.NaN), ahead: [], releases: [] })).toThrow(
      RangeError,
    );
  });
});

describe('paceCountersOf', () => {
  const tenantId = 't1';
  const limitsOf = (counters: PaceCounter[]): Array<[string, number]> =>
    counters.map((c) => [c.limit.key, c.limit.limit]);

  it('a registered long code: AT&T by class, T-Mobile by tier, the account', () => {
    const counters = paceCountersOf({
      tenantId,
      sender: '+13125550100',
      channel: 'sms',
      registration: {
        campaignId: 'c1',
        brandId: 'b1',
        usecase: 'MARKETING',
        entityType: 'PRIVATE_PROFIT',
        vettingScore: 40,
      },
    });
    expect(limitsOf(counters)).toEqual([
      ['att_campaign_per_minute', 240],
      ['tmobile_brand_per_day', 10_000],
      ['account_per_second', 50],
    ]);
    expect(counters.map((c) => c.key)).toEqual([
      'att_campaign_per_minute/t1/c1/sms',
      'tmobile_brand_per_day/t1/b1',
      'account_per_second/t1/sms',
    ]);
  });

  it('the operator overrides replace the table values', () => {
    const counters = paceCountersOf({
      tenantId,
      sender: '+13125550100',
      channel: 'sms',
      registration: {
        campaignId: 'c1',
        brandId: 'b1',
        usecase: 'MARKETING',
        entityType: 'PRIVATE_PROFIT',
        vettingScore: 90,
      },
      overrides: { attPerMinute: { sms: 60 } },
    });
    expect(limitsOf(counters)[0]).toEqual(['att_campaign_per_minute', 60]);
  });

  it('toll-free: its number and the account; an unregistered long code: the account only', () => {
    expect(
      limitsOf(
        paceCountersOf({ tenantId, sender: '+18885550100', channel: 'mms', registration: null }),
      ),
    ).toEqual([
      ['toll_free_number_per_second', 20],
      ['account_per_second', 15],
    ]);
    expect(
      limitsOf(
        paceCountersOf({ tenantId, sender: '+13125550100', channel: 'sms', registration: null }),
      ),
    ).toEqual([['account_per_second', 50]]);
  });

  it('classes senders as messaging does', () => {
    expect(senderNumberTypeOf('+18005550100')).toBe('toll_free');
    expect(senderNumberTypeOf('+13125550100')).toBe('long_code');
    expect(senderNumberTypeOf('+14165550100')).toBe('other');
    expect(senderNumberTypeOf('+447700900123')).toBe('other');
  });
});
