import { randomInt, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@textplane/event-store/testing';
import type { ThroughputDecision } from '@textplane/trust-rules';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingMigrations } from '../migrations/index.js';
import { type ThroughputFacts, ThroughputFactsError } from './throughput-counters.js';
import { ThroughputLedger } from './throughput-ledger.js';

let database: TestDatabase;
/** Four messaging "instances": a connection pool each on the one database. */
let instances: DataSource[];

beforeAll(async () => {
  database = await createTestDatabase({ migrations: messagingMigrations });
  instances = [database.dataSource];
  for (let i = 1; i < 4; i++) instances.push(await database.openDataSource());
});

afterAll(async () => {
  await database.drop();
});

function longCode(overrides: Partial<ThroughputFacts> = {}): ThroughputFacts {
  return {
    tenantId: randomUUID(),
    from: '+12125550100',
    numberType: 'long_code',
    campaignId: `C${randomUUID()}`,
    brandId: `B${randomUUID()}`,
    vettingScore: 80,
    entityType: 'PRIVATE_PROFIT',
    usecase: 'MARKETING',
    channel: 'sms',
    cost: 1,
    recipientCarrier: null,
    now: new Date('2026-11-26T19:00:00.000Z'),
    ...overrides,
  };
}

function admit(
  ledger: ThroughputLedger,
  facts: ThroughputFacts,
  on: DataSource = database.dataSource,
): Promise<ThroughputDecision> {
  return on.transaction((manager) => ledger.admit(manager, facts));
}

async function rowCount(where = 'true', params: unknown[] = []): Promise<number> {
  const rows = await database.dataSource.query<Array<{ n: string }>>(
    `SELECT count(*) AS n FROM throughput_counts WHERE ${where}`,
    params,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The most units any window of `windowMs` holds, over sends at the given instants. */
function maxInAnyWindow(
  sends: ReadonlyArray<{ at: number; cost: number }>,
  windowMs: number,
): number {
  const sorted = [...sends].sort((a, b) => a.at - b.at);
  let max = 0;
  let start = 0;
  let sum = 0;
  for (const send of sorted) {
    sum += send.cost;
    while (sorted[start]!.at <= send.at - windowMs) {
      sum -= sorted[start]!.cost;
      start += 1;
    }
    max = Math.max(max, sum);
  }
  return max;
}

/** Runs `attempts` on the instances at once, `perInstance` transactions in flight on each. */
async function race<T>(
  attempts: readonly T[],
  perInstance: number,
  run: (attempt: T, on: DataSource) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = instances.flatMap((on) =>
    Array.from({ length: perInstance }, async () => {
      for (;;) {
        const attempt = attempts[next++];
        if (attempt === undefined) return;
        await run(attempt, on);
      }
    }),
  );
  await Promise.all(workers);
}

describe('the throughput ledger (real Postgres)', () => {
  it('four instances racing never count more than the AT&T cap in any minute, and fill it', async () => {
    const ledger = new ThroughputLedger();
    const cap = 12;
    const base = longCode({ overrides: { attPerMinute: { sms: cap } }, recipientCarrier: 'att' });
    const start = Date.parse('2026-11-26T19:00:00.000Z');
    // 600 attempts over 5 virtual minutes, 2 segments now and then; 16 in flight at once, so
    // they commit a little out of order, as two instances' would.
    const attempts = Array.from({ length: 600 }, () => ({
      at: start + randomInt(0, 5 * 60_000),
      cost: randomInt(0, 4) === 0 ? 2 : 1,
    })).sort((a, b) => a.at - b.at);
    const passed: Array<{ at: number; cost: number }> = [];
    const outcomes = { pass: 0, wait: 0, daily_cap: 0 };
    await race(attempts, 4, async (attempt, on) => {
      const decision = await admit(
        ledger,
        { ...base, now: new Date(attempt.at), cost: attempt.cost },
        on,
      );
      outcomes[decision.kind] += 1;
      if (decision.kind === 'pass') passed.push(attempt);
      if (decision.kind === 'wait') {
        expect(decision.limit).toBe('att_campaign_per_minute');
        expect(decision.until.getTime()).toBeGreaterThan(attempt.at);
      }
    });

    expect(outcomes.daily_cap).toBe(0);
    expect(maxInAnyWindow(passed, 60_000)).toBeLessThanOrEqual(cap);
    // Not merely safe by refusing: the five minutes let at least four caps' worth through.
    expect(passed.reduce((sum, p) => sum + p.cost, 0)).toBeGreaterThanOrEqual(4 * cap - 1);
    expect(outcomes.wait).toBeGreaterThan(0);
  });

  it('batches racing on four instances share per-second caps (toll-free number, account)', async () => {
    const ledger = new ThroughputLedger({ accountScope: 'tenant' });
    const tenantId = randomUUID();
    const numbers = ['+18885550101', '+18885550102'];
    const overrides = { tollFreePerNumberPerSecond: 5, accountPerSecond: { sms: 8 } };
    const start = Date.parse('2026-11-26T19:00:00.000Z');
    // A batch is gated at one instant, as the dispatcher gates it.
    const instants = Array.from({ length: 120 }, () => start + randomInt(0, 10_000)).sort(
      (a, b) => a - b,
    );
    const batches = instants.map((at) =>
      Array.from({ length: randomInt(1, 5) }, (): ThroughputFacts => ({
        tenantId,
        from: numbers[randomInt(0, 2)]!,
        numberType: 'toll_free',
        channel: 'sms',
        cost: 1,
        now: new Date(at),
        overrides,
      })),
    );
    const passed: Array<{ at: number; cost: number; from: string }> = [];
    await race(batches, 3, async (batch, on) => {
      const decisions = await on.transaction((manager) => ledger.admitAll(manager, batch));
      expect(decisions).toHaveLength(batch.length);
      decisions.forEach((decision, i) => {
        const facts = batch[i]!;
        if (decision.kind === 'pass') {
          passed.push({ at: facts.now.getTime(), cost: 1, from: facts.from });
        }
      });
    });

    expect(maxInAnyWindow(passed, 1_000)).toBeLessThanOrEqual(8);
    for (const from of numbers) {
      expect(
        maxInAnyWindow(
          passed.filter((p) => p.from === from),
          1_000,
        ),
      ).toBeLessThanOrEqual(5);
    }
    // Ten virtual seconds at 8 a second: most of it let through, not merely refused.
    expect(passed.length).toBeGreaterThanOrEqual(50);
  });

  it('the platform account limit is one count across tenants; a tenant scope keeps them apart', async () => {
    const now = new Date('2026-11-26T19:00:10.000Z');
    const facts = (tenantId: string, from: string): ThroughputFacts => ({
      tenantId,
      from,
      numberType: 'toll_free',
      channel: 'mms',
      cost: 1,
      now,
      overrides: { accountPerSecond: { mms: 2 } },
    });
    const [a, b] = [randomUUID(), randomUUID()];
    const platform = new ThroughputLedger();
    await database.dataSource.query(
      `DELETE FROM throughput_counts WHERE counter_key LIKE 'account_per_second/platform/%'`,
    );
    expect((await admit(platform, facts(a, '+18885550111'))).kind).toBe('pass');
    expect((await admit(platform, facts(b, '+18885550112'))).kind).toBe('pass');
    const third = await admit(platform, facts(b, '+18885550113'));
    expect(third).toMatchObject({ kind: 'wait', limit: 'account_per_second' });

    const perTenant = new ThroughputLedger({ accountScope: 'tenant' });
    const [c, d] = [randomUUID(), randomUUID()];
    expect((await admit(perTenant, facts(c, '+18885550114'))).kind).toBe('pass');
    expect((await admit(perTenant, facts(c, '+18885550115'))).kind).toBe('pass');
    expect((await admit(perTenant, facts(d, '+18885550116'))).kind).toBe('pass');
    expect((await admit(perTenant, facts(c, '+18885550117'))).kind).toBe('wait');
  });

  it('a wait ends when the oldest counted sends leave the window: admitted then, it passes', async () => {
    const ledger = new ThroughputLedger();
    const base = longCode({ overrides: { attPerMinute: { sms: 3 } }, recipientCarrier: 'att' });
    const t0 = new Date('2026-11-26T20:00:00.000Z');
    for (let i = 0; i < 3; i++) {
      expect((await admit(ledger, { ...base, now: new Date(t0.getTime() + i * 1000) })).kind).toBe(
        'pass',
      );
    }
    const refused = await admit(ledger, { ...base, now: new Date(t0.getTime() + 5_000) });
    if (refused.kind !== 'wait') throw new Error(`expected wait, got ${refused.kind}`);
    // Counted at its 1.2 s bucket's end, the first send leaves a little after t0 + 60 s.
    expect(refused.until.getTime()).toBeGreaterThanOrEqual(t0.getTime() + 60_000);
    expect(refused.until.getTime()).toBeLessThanOrEqual(t0.getTime() + 61_200);
    const early = await admit(ledger, { ...base, now: new Date(refused.until.getTime() - 1) });
    expect(early.kind).toBe('wait');
    expect((await admit(ledger, { ...base, now: refused.until })).kind).toBe('pass');
  });

  it('an instance whose clock lags counts the sends that can share a window with its own, no others', async () => {
    const ledger = new ThroughputLedger();
    const base = longCode({ overrides: { attPerMinute: { sms: 3 } }, recipientCarrier: 'att' });
    const t0 = Date.parse('2026-11-28T10:00:00.000Z');
    for (let i = 0; i < 3; i++) {
      expect((await admit(ledger, { ...base, now: new Date(t0) })).kind).toBe('pass');
    }
    // A minute behind: no 60 s window holds both its send and those at t0.
    expect((await admit(ledger, { ...base, now: new Date(t0 - 60_000) })).kind).toBe('pass');
    // 59 s behind: a window holds t0's three; it waits until its own is out of it.
    const lagging = await admit(ledger, { ...base, now: new Date(t0 - 59_000) });
    expect(lagging).toMatchObject({ kind: 'wait', limit: 'att_campaign_per_minute' });
  });

  it('counts by the recipient carrier: AT&T recipients spare the T-Mobile day, unknown ones count against all', async () => {
    const ledger = new ThroughputLedger();
    const base = longCode({ overrides: { attPerMinute: { sms: 100 }, tMobilePerDay: 2 } });
    const now = new Date('2026-11-26T21:00:00.000Z');
    for (let i = 0; i < 5; i++) {
      expect((await admit(ledger, { ...base, now, recipientCarrier: 'att' })).kind).toBe('pass');
    }
    expect((await admit(ledger, { ...base, now, recipientCarrier: 'other' })).kind).toBe('pass');
    expect((await admit(ledger, { ...base, now, recipientCarrier: null })).kind).toBe('pass');
    expect((await admit(ledger, { ...base, now, recipientCarrier: 'tmobile' })).kind).toBe('pass');
    // Two counted against the brand's day (unknown, T-Mobile): the day is spent for both kinds.
    expect((await admit(ledger, { ...base, now, recipientCarrier: 'tmobile' })).kind).toBe(
      'daily_cap',
    );
    expect((await admit(ledger, { ...base, now, recipientCarrier: null })).kind).toBe('daily_cap');
    expect((await admit(ledger, { ...base, now, recipientCarrier: 'att' })).kind).toBe('pass');
    // 7 sends counted against the campaign's AT&T minute: 6 to AT&T, 1 to an unknown carrier.
    const att = await database.dataSource.query<Array<{ units: string }>>(
      `SELECT sum(units) AS units FROM throughput_counts WHERE counter_key = $1`,
      [`att_campaign_per_minute/${base.tenantId}/${base.campaignId}/sms`],
    );
    expect(Number(att[0]?.units)).toBe(7);
  });

  it('a batch is decided in its order: once a message waits on a counter, later ones on it wait as long', async () => {
    const ledger = new ThroughputLedger({ accountScope: 'tenant' });
    const now = new Date('2026-11-26T22:30:00.000Z');
    const campaign = longCode({
      now,
      recipientCarrier: 'att',
      overrides: { attPerMinute: { sms: 4 } },
    });
    const other = { ...campaign, campaignId: `C${randomUUID()}` };
    const decisions = await database.dataSource.transaction((manager) =>
      ledger.admitAll(manager, [
        { ...campaign, cost: 2 },
        { ...campaign, cost: 1 },
        // 3 counted: a 2-segment message does not fit; the 1-segment one after it would.
        { ...campaign, cost: 2 },
        { ...campaign, cost: 1 },
        // Another campaign of the tenant shares only the account counter: it goes.
        { ...other, cost: 1 },
      ]),
    );
    expect(decisions.map((d) => d.kind)).toEqual(['pass', 'pass', 'wait', 'wait', 'pass']);
    expect(decisions[3]).toEqual(decisions[2]);
    const counted = await database.dataSource.query<Array<{ units: string }>>(
      `SELECT sum(units) AS units FROM throughput_counts WHERE counter_key = $1`,
      [`att_campaign_per_minute/${campaign.tenantId}/${campaign.campaignId}/sms`],
    );
    expect(Number(counted[0]?.units)).toBe(3);
    // In a later transaction the 1-segment message fits in what is left.
    expect((await admit(ledger, { ...campaign, cost: 1 })).kind).toBe('pass');
  });

  it('paces 150 messages on two instances under a cap of 60 a minute: never over it, close to it', async () => {
    // The dispatcher's loop on a virtual clock: each instance admits its half of what is due,
    // a waiting message is due again at its `until`.
    const ledger = new ThroughputLedger();
    const base = longCode({ overrides: { attPerMinute: { sms: 60 } }, recipientCarrier: 'att' });
    const t0 = Date.parse('2026-11-27T15:00:00.000Z');
    let due = Array.from({ length: 150 }, (_, i) => ({ id: i, at: t0 }));
    const sentAt: number[] = [];
    let rounds = 0;
    while (due.length > 0 && rounds++ < 100) {
      const now = Math.min(...due.map((m) => m.at));
      const batch = due.filter((m) => m.at <= now);
      const halves = [batch.filter((_, i) => i % 2 === 0), batch.filter((_, i) => i % 2 === 1)];
      const decided = await Promise.all(
        halves.map((half, i) =>
          instances[i]!.transaction((manager) =>
            ledger.admitAll(
              manager,
              half.map(() => ({ ...base, now: new Date(now) })),
            ),
          ),
        ),
      );
      const later: typeof due = [];
      halves.forEach((half, i) =>
        half.forEach((message, j) => {
          const decision = decided[i]![j]!;
          if (decision.kind === 'pass') sentAt.push(now);
          else if (decision.kind === 'wait')
            later.push({ id: message.id, at: decision.until.getTime() });
          else throw new Error(`unexpected ${decision.kind}`);
        }),
      );
      due = [...due.filter((m) => m.at > now), ...later];
    }
    expect(sentAt).toHaveLength(150);
    const sends = sentAt.map((at) => ({ at, cost: 1 }));
    expect(maxInAnyWindow(sends, 60_000)).toBe(60);
    // Two full minutes and the last 30: done within two windows and two 1.2 s buckets.
    const finish = Math.max(...sentAt) - t0;
    expect(finish).toBeGreaterThanOrEqual(120_000);
    expect(finish).toBeLessThanOrEqual(122_400);
  });

  describe('the T-Mobile daily cap', () => {
    it('many racing transactions let exactly the cap through; the rest wait for LA midnight', async () => {
      const ledger = new ThroughputLedger();
      const base = longCode({
        recipientCarrier: 'tmobile',
        overrides: { tMobilePerDay: 25 },
        // 14:00 Pacific on a Thursday (PST): the reset is 08:00 UTC next day.
        now: new Date('2026-11-26T22:00:00.000Z'),
      });
      const decisions: ThroughputDecision[] = [];
      await race(
        Array.from({ length: 80 }, (_, i) => i),
        4,
        async (i, on) => {
          decisions.push(
            await admit(ledger, { ...base, now: new Date(base.now.getTime() + i * 10) }, on),
          );
        },
      );
      expect(decisions.filter((d) => d.kind === 'pass')).toHaveLength(25);
      const capped = decisions.filter((d) => d.kind === 'daily_cap');
      expect(capped).toHaveLength(55);
      for (const decision of capped) {
        expect(decision).toEqual({
          kind: 'daily_cap',
          sendAt: new Date('2026-11-27T08:00:00.000Z'),
          limit: 'tmobile_brand_per_day',
        });
      }
    });

    it('on the fall-back Sunday (25 h) the day ends at 08:00 UTC, then the count starts again', async () => {
      const ledger = new ThroughputLedger();
      // 2026-11-01: PDT until 02:00, PST after; the Pacific day runs 07:00Z → 08:00Z next day.
      const base = longCode({ recipientCarrier: 'tmobile', overrides: { tMobilePerDay: 2 } });
      const at = (iso: string) => ({ ...base, now: new Date(iso) });
      expect((await admit(ledger, at('2026-11-01T07:00:00.000Z'))).kind).toBe('pass');
      expect((await admit(ledger, at('2026-11-01T20:00:00.000Z'))).kind).toBe('pass');
      const reset = new Date('2026-11-02T08:00:00.000Z');
      // 23:30 PST, the 25th hour of the day: still the same day.
      expect(await admit(ledger, at('2026-11-02T07:30:00.000Z'))).toEqual({
        kind: 'daily_cap',
        sendAt: reset,
        limit: 'tmobile_brand_per_day',
      });
      expect((await admit(ledger, at(reset.toISOString()))).kind).toBe('pass');
      // The day before counted apart: 23:59 PDT on Oct 31 is Saturday's day.
      expect((await admit(ledger, at('2026-11-01T06:59:00.000Z'))).kind).toBe('pass');
    });

    it('on the spring-forward Sunday (23 h) the day ends at 07:00 UTC', async () => {
      const ledger = new ThroughputLedger();
      // 2026-03-08: PST until 02:00, PDT after; the Pacific day runs 08:00Z → 07:00Z next day.
      const base = longCode({ recipientCarrier: null, overrides: { tMobilePerDay: 1 } });
      const at = (iso: string) => ({ ...base, now: new Date(iso) });
      expect((await admit(ledger, at('2026-03-08T08:00:00.000Z'))).kind).toBe('pass');
      expect(await admit(ledger, at('2026-03-09T06:59:59.999Z'))).toEqual({
        kind: 'daily_cap',
        sendAt: new Date('2026-03-09T07:00:00.000Z'),
        limit: 'tmobile_brand_per_day',
      });
      expect((await admit(ledger, at('2026-03-09T07:00:00.000Z'))).kind).toBe('pass');
    });
  });

  describe('pruning', () => {
    it('prune() deletes only rows past their expiry and the grace, in bounded batches', async () => {
      // prune() sweeps the whole table: start from an empty one.
      await database.dataSource.query(`DELETE FROM throughput_counts`);
      const ledger = new ThroughputLedger({ pruneGraceMs: 60_000, accountScope: 'tenant' });
      const base = longCode({ recipientCarrier: null });
      const t0 = new Date('2030-01-10T12:00:00.000Z');
      for (let i = 0; i < 3; i++) {
        await admit(ledger, { ...base, now: new Date(t0.getTime() + i * 5_000) });
      }
      const prune = (now: Date, limit?: number) =>
        ledger.prune(database.dataSource.manager, now, limit);
      // The campaign's minute (3 slots), the account's second (3 slots), the brand's day (1).
      expect(await rowCount()).toBe(7);
      // 30 s on: the second rows expired, but less than the grace ago; the minute rows live.
      expect(await prune(new Date(t0.getTime() + 30_000))).toBe(0);
      // 3 minutes on, past expiry and grace: seconds and minutes go, in batches of the limit.
      const later = new Date(t0.getTime() + 180_000);
      expect(await prune(later, 4)).toBe(4);
      expect(await prune(later, 4)).toBe(2);
      expect(await prune(later, 4)).toBe(0);
      expect(await rowCount(`counter_key LIKE 'tmobile_brand_per_day/%'`)).toBe(1);
      expect(await rowCount()).toBe(1);
      // The Pacific day ends 2030-01-11T08:00Z; a minute of grace later its row goes too.
      expect(await prune(new Date('2030-01-11T08:00:30.000Z'))).toBe(0);
      expect(await prune(new Date('2030-01-11T08:01:01.000Z'))).toBe(1);
      expect(await rowCount()).toBe(0);
    });

    it('an admission prunes the long-expired rows of the counters it locks', async () => {
      const ledger = new ThroughputLedger({ pruneGraceMs: 60_000 });
      const base = longCode({ recipientCarrier: 'att' });
      const key = `att_campaign_per_minute/${base.tenantId}/${base.campaignId}/sms`;
      const t0 = new Date('2026-11-26T19:00:00.000Z');
      for (let i = 0; i < 4; i++) {
        await admit(ledger, { ...base, now: new Date(t0.getTime() + i * 10_000) });
      }
      expect(await rowCount('counter_key = $1', [key])).toBe(4);
      await admit(ledger, { ...base, now: new Date(t0.getTime() + 10 * 60_000) });
      expect(await rowCount('counter_key = $1', [key])).toBe(1);
    });
  });

  describe('bad input and misuse', () => {
    it('a bad fact throws ThroughputFactsError and nothing is counted, even for the good ones', async () => {
      const ledger = new ThroughputLedger();
      const good = longCode();
      const before = await rowCount();
      await expect(
        database.dataSource.transaction((manager) =>
          ledger.admitAll(manager, [good, longCode({ campaignId: null })]),
        ),
      ).rejects.toThrow(ThroughputFactsError);
      await expect(admit(ledger, longCode({ usecase: 'CHAT' }))).rejects.toThrow(/usecase/);
      expect(await rowCount()).toBe(before);
    });

    it('refuses to run outside a transaction or under REPEATABLE READ', async () => {
      const ledger = new ThroughputLedger();
      await expect(ledger.admit(database.dataSource.manager, longCode())).rejects.toThrow(
        /inside the gating transaction/,
      );
      await expect(
        database.dataSource.transaction('REPEATABLE READ', (manager) =>
          ledger.admit(manager, longCode()),
        ),
      ).rejects.toThrow(/READ COMMITTED/);
    });

    it('refuses bad options', () => {
      expect(() => new ThroughputLedger({ windowMarginMs: -1 })).toThrow(/windowMarginMs/);
      expect(() => new ThroughputLedger({ pruneGraceMs: 1.5 })).toThrow(/pruneGraceMs/);
    });
  });
});
