import { describe, expect, it } from 'vitest';
import { limitsFor, type RateLimit } from './throughput-limits.js';
import { tMobileDayOf } from './tmobile-day.js';
import { decideThroughput, type CountedSend } from './window-rate.js';

const at = (iso: string): Date => new Date(iso);
const ms = (iso: string): number => at(iso).getTime();

const limit = (overrides: Partial<RateLimit>): RateLimit => ({
  key: 'att_campaign_per_minute',
  scope: 'campaign',
  carrier: 'att',
  window: { kind: 'sliding', ms: 60_000 },
  limit: 3,
  source: 'override',
  ...overrides,
});
const perMinute3 = limit({});
const perDay5 = limit({
  key: 'tmobile_brand_per_day',
  scope: 'brand',
  carrier: 'tmobile',
  window: { kind: 'tmobile_day' },
  limit: 5,
});
const perSecond2 = limit({
  key: 'account_per_second',
  scope: 'account',
  carrier: null,
  window: { kind: 'sliding', ms: 1_000 },
  limit: 2,
});
const sends = (...isos: string[]): CountedSend[] => isos.map((iso) => ({ at: at(iso) }));

const NOW = '2026-03-08T12:00:30.000Z'; // 05:00:30 PDT, the spring-forward Sunday

describe('decideThroughput: a sliding window', () => {
  it('given room in the window, when a message comes, then it passes', () => {
    expect(
      decideThroughput({
        now: at(NOW),
        limits: [perMinute3],
        usage: {
          att_campaign_per_minute: {
            sends: sends('2026-03-08T12:00:00.000Z', '2026-03-08T12:00:10.000Z'),
          },
        },
      }),
    ).toEqual({ kind: 'pass' });
  });

  it('given a send exactly one window ago, then it no longer counts: [t, t + 60 s)', () => {
    const usage = {
      att_campaign_per_minute: {
        sends: sends(
          '2026-03-08T11:59:30.000Z',
          '2026-03-08T12:00:00.000Z',
          '2026-03-08T12:00:10.000Z',
        ),
      },
    };
    expect(decideThroughput({ now: at(NOW), limits: [perMinute3], usage })).toEqual({
      kind: 'pass',
    });
    expect(
      decideThroughput({ now: at('2026-03-08T12:00:29.999Z'), limits: [perMinute3], usage }),
    ).toEqual({
      kind: 'wait',
      until: at(NOW),
      limit: 'att_campaign_per_minute',
    });
  });

  it('given no usage at all, then it passes', () => {
    expect(
      decideThroughput({ now: at(NOW), limits: [perMinute3, perDay5, perSecond2], usage: {} }),
    ).toEqual({
      kind: 'pass',
    });
  });

  it('given a full window, then it waits until the oldest send leaves it', () => {
    expect(
      decideThroughput({
        now: at(NOW),
        limits: [perMinute3],
        usage: {
          att_campaign_per_minute: {
            // Out of order, and one that has already left the window (at now − 60 s exactly).
            sends: sends(
              '2026-03-08T12:00:20.000Z',
              '2026-03-07T23:59:30.000Z',
              '2026-03-08T11:59:30.000Z',
              '2026-03-08T11:59:45.000Z',
              '2026-03-08T12:00:05.000Z',
            ),
          },
        },
      }),
    ).toEqual({
      kind: 'wait',
      until: at('2026-03-08T12:00:45.000Z'),
      limit: 'att_campaign_per_minute',
    });
  });

  it('given a window holding more than the limit (a raised cap lowered again), then it waits for enough room', () => {
    expect(
      decideThroughput({
        now: at(NOW),
        limits: [perMinute3],
        usage: {
          att_campaign_per_minute: {
            sends: sends(
              '2026-03-08T11:59:40.000Z',
              '2026-03-08T11:59:50.000Z',
              '2026-03-08T12:00:00.000Z',
              '2026-03-08T12:00:10.000Z',
              '2026-03-08T12:00:20.000Z',
            ),
          },
        },
      }),
    ).toEqual({
      kind: 'wait',
      until: at('2026-03-08T12:01:00.000Z'),
      limit: 'att_campaign_per_minute',
    });
  });

  it('counts costs: a 2-segment message needs two units of room', () => {
    const usage = {
      att_campaign_per_minute: {
        sends: [
          { at: at('2026-03-08T11:59:50.000Z'), cost: 1 },
          { at: at('2026-03-08T12:00:10.000Z'), cost: 1 },
        ],
      },
    };
    expect(decideThroughput({ now: at(NOW), limits: [perMinute3], usage, cost: 1 })).toEqual({
      kind: 'pass',
    });
    expect(decideThroughput({ now: at(NOW), limits: [perMinute3], usage, cost: 2 })).toEqual({
      kind: 'wait',
      until: at('2026-03-08T12:00:50.000Z'),
      limit: 'att_campaign_per_minute',
    });
    const heavy = {
      att_campaign_per_minute: { sends: [{ at: at('2026-03-08T12:00:00.000Z'), cost: 3 }] },
    };
    expect(decideThroughput({ now: at(NOW), limits: [perMinute3], usage: heavy })).toEqual({
      kind: 'wait',
      until: at('2026-03-08T12:01:00.000Z'),
      limit: 'att_campaign_per_minute',
    });
  });

  it('lets a message costlier than the limit itself go alone, into an empty window', () => {
    expect(decideThroughput({ now: at(NOW), limits: [perMinute3], usage: {}, cost: 5 })).toEqual({
      kind: 'pass',
    });
    expect(
      decideThroughput({
        now: at(NOW),
        limits: [perMinute3],
        usage: { att_campaign_per_minute: { sends: sends('2026-03-08T12:00:00.000Z') } },
        cost: 5,
      }),
    ).toEqual({
      kind: 'wait',
      until: at('2026-03-08T12:01:00.000Z'),
      limit: 'att_campaign_per_minute',
    });
  });

  it('given two full windows, then it waits for the later of the two', () => {
    expect(
      decideThroughput({
        now: at(NOW),
        limits: [perMinute3, perSecond2],
        usage: {
          att_campaign_per_minute: {
            sends: sends(
              '2026-03-08T11:59:31.000Z',
              '2026-03-08T12:00:00.000Z',
              '2026-03-08T12:00:30.000Z',
            ),
          },
          account_per_second: {
            sends: sends('2026-03-08T12:00:29.600Z', '2026-03-08T12:00:30.000Z'),
          },
        },
      }),
    ).toEqual({
      kind: 'wait',
      until: at('2026-03-08T12:00:31.000Z'),
      limit: 'att_campaign_per_minute',
    });
    expect(
      decideThroughput({
        now: at(NOW),
        limits: [perMinute3, perSecond2],
        usage: {
          att_campaign_per_minute: {
            sends: sends(
              '2026-03-08T11:59:30.500Z',
              '2026-03-08T12:00:00.000Z',
              '2026-03-08T12:00:30.000Z',
            ),
          },
          account_per_second: {
            sends: sends('2026-03-08T12:00:29.800Z', '2026-03-08T12:00:30.000Z'),
          },
        },
      }),
    ).toEqual({ kind: 'wait', until: at('2026-03-08T12:00:30.800Z'), limit: 'account_per_second' });
  });

  it('never lets any window of the limit hold more than the limit (150 sends against 60 per minute)', () => {
    const cap = limit({ limit: 60 });
    const sent: CountedSend[] = [];
    let now = ms('2026-03-08T12:00:00.000Z');
    while (sent.length < 150) {
      const decision = decideThroughput({
        now: new Date(now),
        limits: [cap],
        usage: { att_campaign_per_minute: { sends: sent } },
      });
      if (decision.kind === 'pass') sent.push({ at: new Date(now) });
      else if (decision.kind === 'wait') now = decision.until.getTime();
      else throw new Error('no daily cap here');
      now += 137; // the next message is ready a little later
    }
    const times = sent.map((s) => s.at.getTime());
    const maxInAnyWindow = Math.max(
      ...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length),
    );
    expect(maxInAnyWindow).toBe(60);
    // Pacing, not failing: 150 sends take a little over two minutes.
    expect(times[149]! - times[0]!).toBeGreaterThanOrEqual(120_000);
    expect(times[149]! - times[0]!).toBeLessThan(130_000);
  });
});

describe('decideThroughput: a simulated gate never breaches any window', () => {
  /** A small deterministic generator (mulberry32), so the run is the same every time. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it.each([1, 2, 3])(
    'seed %i: 400 messages of 1-3 segments against 20/min, 4/s and 300/day across two Pacific midnights',
    (seed) => {
      const next = random(seed);
      const minute = limit({ limit: 20 });
      const second = limit({
        key: 'account_per_second',
        carrier: null,
        window: { kind: 'sliding', ms: 1_000 },
        limit: 4,
      });
      const day = limit({
        key: 'tmobile_brand_per_day',
        carrier: 'tmobile',
        window: { kind: 'tmobile_day' },
        limit: 300,
      });
      const minuteSends: CountedSend[] = [];
      const secondSends: CountedSend[] = [];
      const dayCounts = new Map<string, number>();
      // Ten minutes before Pacific midnight on 31 October, the eve of the fall-back day.
      let now = ms('2026-11-01T06:50:00.000Z');
      const caps: string[] = [];
      for (let sent = 0; sent < 400;) {
        const cost = 1 + Math.floor(next() * 3);
        const today = tMobileDayOf(new Date(now));
        const decision = decideThroughput({
          now: new Date(now),
          limits: [minute, second, day],
          usage: {
            att_campaign_per_minute: { sends: minuteSends },
            account_per_second: { sends: secondSends },
            tmobile_brand_per_day: { dayCount: dayCounts.get(today.date) ?? 0 },
          },
          cost,
        });
        switch (decision.kind) {
          case 'pass':
            minuteSends.push({ at: new Date(now), cost });
            secondSends.push({ at: new Date(now), cost });
            dayCounts.set(today.date, (dayCounts.get(today.date) ?? 0) + cost);
            sent += 1;
            now += Math.floor(next() * 400);
            break;
          case 'wait':
            expect(decision.until.getTime()).toBeGreaterThan(now);
            now = decision.until.getTime();
            break;
          case 'daily_cap':
            expect(decision.sendAt).toEqual(today.end);
            caps.push(today.date);
            now = decision.sendAt.getTime();
            break;
        }
      }
      const maxIn = (sends: CountedSend[], windowMs: number): number =>
        Math.max(
          ...sends.map((s) =>
            sends
              .filter(
                (u) =>
                  u.at.getTime() >= s.at.getTime() && u.at.getTime() < s.at.getTime() + windowMs,
              )
              .reduce((sum, u) => sum + (u.cost ?? 1), 0),
          ),
        );
      expect(maxIn(minuteSends, 60_000)).toBeLessThanOrEqual(20);
      expect(maxIn(secondSends, 1_000)).toBeLessThanOrEqual(4);
      // Pacing binds: the minute window is filled to within one message's cost.
      expect(maxIn(minuteSends, 60_000)).toBeGreaterThanOrEqual(18);
      // About 200 units fit before midnight; 1 November (25 hours) is capped at 300 and the rest
      // waits for 2 November's reset at 08:00Z.
      expect(caps).toEqual(['2026-11-01']);
      expect([...dayCounts.keys()]).toEqual(['2026-10-31', '2026-11-01', '2026-11-02']);
      for (const count of dayCounts.values()) expect(count).toBeLessThanOrEqual(300);
      expect(dayCounts.get('2026-11-01')).toBeGreaterThanOrEqual(298);
      expect(minuteSends.some((s) => s.at.getTime() === ms('2026-11-02T08:00:00.000Z'))).toBe(true);
    },
  );
});

describe('decideThroughput: the T-Mobile day', () => {
  it('given a spent daily cap, then the message is scheduled for the reset at Pacific midnight', () => {
    expect(
      decideThroughput({
        now: at(NOW),
        limits: [perMinute3, perDay5],
        usage: {
          // The minute window is full too: the daily cap wins, waiting a minute would not help.
          att_campaign_per_minute: {
            sends: sends(
              '2026-03-08T12:00:00.000Z',
              '2026-03-08T12:00:10.000Z',
              '2026-03-08T12:00:20.000Z',
            ),
          },
          tmobile_brand_per_day: { dayCount: 5 },
        },
      }),
    ).toEqual({
      kind: 'daily_cap',
      sendAt: at('2026-03-09T07:00:00.000Z'),
      limit: 'tmobile_brand_per_day',
    });
  });

  it('given room for one more unit but a 2-unit message, then daily cap', () => {
    const usage = { tmobile_brand_per_day: { dayCount: 4 } };
    expect(decideThroughput({ now: at(NOW), limits: [perDay5], usage })).toEqual({ kind: 'pass' });
    expect(
      decideThroughput({ now: at('2026-11-01T09:30:00.000Z'), limits: [perDay5], usage, cost: 2 }),
    ).toEqual({
      kind: 'daily_cap',
      sendAt: at('2026-11-02T08:00:00.000Z'),
      limit: 'tmobile_brand_per_day',
    });
  });

  it('with the real table: a message to an unknown carrier waits on every limit', () => {
    const limits = limitsFor({
      vettingScore: 10,
      usecase: 'LOW_VOLUME',
      entityType: 'PRIVATE_PROFIT',
      numberType: 'long_code',
      channel: 'sms',
    });
    const full = Array.from({ length: 75 }, (_, i) => ({
      at: new Date(ms('2026-03-08T11:59:31.000Z') + i * 100),
    }));
    expect(
      decideThroughput({
        now: at(NOW),
        limits,
        usage: { att_campaign_per_minute: { sends: full } },
      }),
    ).toEqual({
      kind: 'wait',
      until: at('2026-03-08T12:00:31.000Z'),
      limit: 'att_campaign_per_minute',
    });
    expect(
      decideThroughput({
        now: at(NOW),
        limits,
        usage: { tmobile_brand_per_day: { dayCount: 2000 } },
      }),
    ).toEqual({
      kind: 'daily_cap',
      sendAt: at('2026-03-09T07:00:00.000Z'),
      limit: 'tmobile_brand_per_day',
    });
  });
});

describe('decideThroughput: bad input', () => {
  it.each([0, -1, 1.5])('refuses a cost of %s', (cost) => {
    expect(() => decideThroughput({ now: at(NOW), limits: [perMinute3], usage: {}, cost })).toThrow(
      RangeError,
    );
  });
  it('refuses a counted send of cost 0 and an invalid now', () => {
    expect(() =>
      decideThroughput({
        now: at(NOW),
        limits: [perMinute3],
        usage: { att_campaign_per_minute: { sends: [{ at: at(NOW), cost: 0 }] } },
      }),
    ).toThrow(RangeError);
    expect(() => decideThroughput({ now: new Date(Number.NaN), limits: [], usage: {} })).toThrow(
      RangeError,
    );
  });
});
