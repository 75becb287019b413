import { describe, expect, it } from 'vitest';
import { benchResult, benchSucceeded, type BenchOutcome, humanSummary } from './bench-report.js';
import { benchRecipient, forEachBounded } from './load-run.js';

describe('benchRecipient', () => {
  it('gives distinct +1 555 7xx xxxx numbers', () => {
    expect(benchRecipient(0)).toBe('+15557000000');
    expect(benchRecipient(9_999)).toBe('+15557009999');
    expect(benchRecipient(999_999)).toBe('+15557999999');
    expect(new Set(Array.from({ length: 1_000 }, (_, i) => benchRecipient(i))).size).toBe(1_000);
  });

  it('refuses an index that would not fit', () => {
    expect(() => benchRecipient(1_000_000)).toThrow(RangeError);
    expect(() => benchRecipient(-1)).toThrow(RangeError);
  });
});

describe('forEachBounded', () => {
  it('runs every index once with at most `concurrency` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBounded(50, 4, Number.POSITIVE_INFINITY, async (index) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      seen.push(index);
      inFlight -= 1;
    });
    expect(peak).toBe(4);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('starts nothing after the deadline', async () => {
    const seen: number[] = [];
    await forEachBounded(10, 2, 0, (index) => {
      seen.push(index);
      return Promise.resolve();
    });
    expect(seen).toEqual([]);
  });
});

describe('benchResult', () => {
  const outcome: BenchOutcome = {
    messages: 4,
    concurrency: 2,
    target: 'test',
    send: {
      acceptedIds: ['a', 'b', 'c', 'd'],
      acceptedIndexes: [0, 1, 2, 3],
      latenciesMs: [4, 1, 3, 2],
      rejections: new Map(),
      firstSendAt: 1_000,
      lastAcceptAt: 3_000,
    },
    delivery: {
      statuses: new Map([['delivered', 4]]),
      delivered: 4,
      lastDeliveredSeenAt: 9_000,
      lastDeliveredPassMs: 100,
      passes: 3,
    },
    memory: {
      peak: {
        gateway: 120.5,
        messaging: 99,
        consent: 80.2,
        registration: null,
        billing: null,
        'carrier-sim': null,
      },
      final: {
        gateway: 110,
        messaging: 90.5,
        consent: 75,
        registration: null,
        billing: null,
        'carrier-sim': null,
      },
      samples: [],
    },
  };

  it('has exactly the contract keys, rates over the spans from the first send', () => {
    const result = benchResult(outcome);
    expect(Object.keys(result)).toEqual([
      'n',
      'accepted_per_s',
      'delivered_per_s',
      'accept_p50_ms',
      'accept_p99_ms',
      'rss_mb',
      'final_rss_mb',
    ]);
    expect(result).toEqual({
      n: 4,
      accepted_per_s: 2,
      delivered_per_s: 0.5,
      accept_p50_ms: 2,
      accept_p99_ms: 4,
      rss_mb: {
        gateway: 120.5,
        messaging: 99,
        consent: 80.2,
        registration: null,
        billing: null,
        'carrier-sim': null,
      },
      final_rss_mb: {
        gateway: 110,
        messaging: 90.5,
        consent: 75,
        registration: null,
        billing: null,
        'carrier-sim': null,
      },
    });
    expect(benchSucceeded(outcome)).toBe(true);
  });

  it('prints the peak and the final resident memory of every service', () => {
    const lines = humanSummary(outcome);
    expect(lines).toContain(
      '  peak RSS   gateway 120.5 MiB, messaging 99 MiB, consent 80.2 MiB, registration n/a, billing n/a, carrier-sim n/a',
    );
    expect(lines).toContain(
      '  final RSS  gateway 110 MiB, messaging 90.5 MiB, consent 75 MiB, registration n/a, billing n/a, carrier-sim n/a',
    );
  });

  it('prints no RSS timeline without samples, and one line per 30 s window with them', () => {
    expect(humanSummary(outcome).some((line) => line.includes('RSS over time'))).toBe(false);
    const rss = (gateway: number, messaging: number | null) => ({
      gateway,
      messaging,
      consent: 75,
      registration: null,
      billing: null,
      'carrier-sim': null,
    });
    const sampled: BenchOutcome = {
      ...outcome,
      memory: {
        ...outcome.memory,
        samples: [
          { atMs: 0, rss: rss(100.4, 90) },
          { atMs: 29_999, rss: rss(120.5, null) },
          { atMs: 61_000, rss: rss(119.6, 95) },
        ],
      },
    };
    const lines = humanSummary(sampled);
    const from = lines.indexOf('  RSS over time (MiB, lowest–highest in each 30 s)');
    expect(from).toBeGreaterThan(0);
    expect(lines.slice(from + 1, from + 3)).toEqual([
      '    0–30 s  gateway 100–121, messaging 90–90, consent 75–75, registration n/a, billing n/a, carrier-sim n/a',
      '    60–90 s  gateway 120–120, messaging 95–95, consent 75–75, registration n/a, billing n/a, carrier-sim n/a',
    ]);
  });

  it('gives null rates when nothing got through, and fails the run', () => {
    const nothing: BenchOutcome = {
      ...outcome,
      send: {
        ...outcome.send,
        acceptedIds: [],
        acceptedIndexes: [],
        latenciesMs: [],
        lastAcceptAt: 1_000,
      },
      delivery: { ...outcome.delivery, delivered: 0, lastDeliveredSeenAt: undefined },
    };
    const result = benchResult(nothing);
    expect(result.accepted_per_s).toBeNull();
    expect(result.delivered_per_s).toBeNull();
    expect(result.accept_p50_ms).toBeNull();
    expect(benchSucceeded(nothing)).toBe(false);
  });

  it('prints CPU per message by service, shared part, load generator and for the whole machine, and keeps it off the JSON line', () => {
    const measured: BenchOutcome = {
      ...outcome,
      cpuPerMessage: {
        services: { gateway: 6.2, messaging: 5.5 },
        shared: { postgres: 4.1, kafka: 2.3 },
        bench: 0.8,
        machine: 24.1,
        machineBusy: 0.987,
      },
    };
    expect(humanSummary(measured).at(-1)).toBe(
      '  CPU per message  gateway 6.2 ms, messaging 5.5 ms, postgres 4.1 ms, kafka 2.3 ms, load generator 0.8 ms, whole machine 24.1 ms (busy 99% of the time)',
    );
    expect(benchResult(measured)).toEqual(benchResult(outcome));
  });
});
