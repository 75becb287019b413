import { describe, expect, it } from 'vitest';
import {
  benchMessagesAtMost,
  loadBenchScenario,
  loadBulkBenchConfig,
  loadPacingBenchConfig,
  loadScheduledBenchConfig,
} from './config.js';

describe('loadBenchScenario', () => {
  it('is the single-send run unless BENCH_SCENARIO says scheduled', () => {
    expect(loadBenchScenario({})).toBe('single');
    expect(loadBenchScenario({ BENCH_SCENARIO: ' ' })).toBe('single');
    expect(loadBenchScenario({ BENCH_SCENARIO: 'single' })).toBe('single');
    expect(loadBenchScenario({ BENCH_SCENARIO: 'scheduled' })).toBe('scheduled');
    expect(loadBenchScenario({ BENCH_SCENARIO: 'import' })).toBe('import');
    expect(loadBenchScenario({ BENCH_SCENARIO: 'bulk' })).toBe('bulk');
    expect(loadBenchScenario({ BENCH_SCENARIO: 'pacing' })).toBe('pacing');
  });

  it('refuses an unknown scenario, naming the known ones', () => {
    expect(() => loadBenchScenario({ BENCH_SCENARIO: 'burst' })).toThrow(
      'BENCH_SCENARIO must be one of single, scheduled, import, bulk, pacing, got "burst"',
    );
  });
});

describe('loadScheduledBenchConfig', () => {
  it('defaults to 1,000 messages over 60 s, a burst of 10,000 and a 1,000-message single-send run', () => {
    expect(loadScheduledBenchConfig({})).toEqual({
      spreadMessages: 1_000,
      spreadMs: 60_000,
      burstMessages: 10_000,
      singleMessages: 1_000,
    });
  });

  it('reads BENCH_N, BENCH_SPREAD_S, BENCH_BURST_N and BENCH_SINGLE_N', () => {
    expect(
      loadScheduledBenchConfig({
        BENCH_N: '200',
        BENCH_SPREAD_S: '30',
        BENCH_BURST_N: '5000',
        BENCH_SINGLE_N: '300',
      }),
    ).toEqual({ spreadMessages: 200, spreadMs: 30_000, burstMessages: 5_000, singleMessages: 300 });
  });

  it('refuses a count that is not a whole number in range, naming the setting', () => {
    expect(() => loadScheduledBenchConfig({ BENCH_BURST_N: '0' })).toThrow(
      'BENCH_BURST_N must be an integer from 1 to 60000, got "0"',
    );
    expect(() => loadScheduledBenchConfig({ BENCH_N: '1.5' })).toThrow(/BENCH_N/);
    expect(() => loadScheduledBenchConfig({ BENCH_SPREAD_S: 'a minute' })).toThrow(
      /BENCH_SPREAD_S/,
    );
  });
});

describe('loadBulkBenchConfig', () => {
  it('defaults to 100,000 recipients against a 10,000-message single-send run', () => {
    expect(loadBulkBenchConfig({})).toEqual({ recipients: 100_000, singleMessages: 10_000 });
  });

  it('reads BENCH_BULK_N and BENCH_SINGLE_N, refusing what is out of range', () => {
    expect(loadBulkBenchConfig({ BENCH_BULK_N: '5000', BENCH_SINGLE_N: '500' })).toEqual({
      recipients: 5_000,
      singleMessages: 500,
    });
    expect(() => loadBulkBenchConfig({ BENCH_BULK_N: '100001' })).toThrow(
      'BENCH_BULK_N must be an integer from 1 to 100000, got "100001"',
    );
    expect(() => loadBulkBenchConfig({ BENCH_SINGLE_N: '0' })).toThrow(/BENCH_SINGLE_N/);
  });
});

describe('loadPacingBenchConfig', () => {
  it('defaults to 150 messages at a cap of 60 a minute', () => {
    expect(loadPacingBenchConfig({})).toEqual({
      messages: 150,
      capPerMinute: 60,
      windowMs: 60_000,
    });
  });

  it('reads BENCH_PACING_N and BENCH_PACING_CAP_PER_MIN', () => {
    expect(
      loadPacingBenchConfig({ BENCH_PACING_N: '500', BENCH_PACING_CAP_PER_MIN: '240' }),
    ).toEqual({ messages: 500, capPerMinute: 240, windowMs: 60_000 });
  });

  it('refuses a count or cap that is not a whole number in range, naming the setting', () => {
    expect(() => loadPacingBenchConfig({ BENCH_PACING_CAP_PER_MIN: '0' })).toThrow(
      'BENCH_PACING_CAP_PER_MIN must be an integer from 1 to 4500, got "0"',
    );
    expect(() => loadPacingBenchConfig({ BENCH_PACING_N: '12.5' })).toThrow(/BENCH_PACING_N/);
  });

  it('refuses a count the cap would not bind, or one that would take over 30 windows', () => {
    expect(() =>
      loadPacingBenchConfig({ BENCH_PACING_N: '60', BENCH_PACING_CAP_PER_MIN: '60' }),
    ).toThrow('BENCH_PACING_N (60) must be more than BENCH_PACING_CAP_PER_MIN (60)');
    expect(() =>
      loadPacingBenchConfig({ BENCH_PACING_N: '301', BENCH_PACING_CAP_PER_MIN: '10' }),
    ).toThrow('BENCH_PACING_N (301) must be at most 30 minutes of BENCH_PACING_CAP_PER_MIN (300)');
    expect(
      loadPacingBenchConfig({ BENCH_PACING_N: '300', BENCH_PACING_CAP_PER_MIN: '10' }).messages,
    ).toBe(300);
  });
});

describe('benchMessagesAtMost (the wallet a run needs)', () => {
  it.each([
    ['single', {}, 5_000],
    ['scheduled', { BENCH_N: '100', BENCH_BURST_N: '200', BENCH_SINGLE_N: '300' }, 600],
    ['import', {}, 0],
    ['bulk', { BENCH_BULK_N: '1000', BENCH_SINGLE_N: '50' }, 1_050],
    ['pacing', { BENCH_PACING_N: '150' }, 150],
  ] as const)('%s with %j sends at most %i', (scenario, env, messages) => {
    expect(benchMessagesAtMost(scenario, 5_000, env)).toBe(messages);
  });
});
