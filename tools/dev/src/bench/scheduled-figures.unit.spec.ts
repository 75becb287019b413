import { describe, expect, it } from 'vitest';
import {
  burstFigures,
  type CarrierSend,
  carrierArrivals,
  evenSchedule,
  releaseLag,
  scheduleLeadMs,
  type ScheduledMessage,
} from './scheduled-figures.js';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const at = (ms: number): string => new Date(T0 + ms).toISOString();

describe('evenSchedule', () => {
  it('spreads the instants evenly from the first to first + span, in whole ms', () => {
    expect(evenSchedule(5, T0 + 0.2, 60_000).map((ms) => ms - T0)).toEqual([
      1, 15_001, 30_001, 45_001, 60_001,
    ]);
    expect(evenSchedule(3, T0, 1_001).map((ms) => ms - T0)).toEqual([0, 501, 1_001]);
  });

  it('puts a single message at the first instant, and refuses no messages or a negative span', () => {
    expect(evenSchedule(1, T0, 60_000)).toEqual([T0]);
    expect(() => evenSchedule(0, T0, 60_000)).toThrow(/count/);
    expect(() => evenSchedule(2.5, T0, 60_000)).toThrow(/count/);
    expect(() => evenSchedule(2, T0, -1)).toThrow(/spanMs/);
  });
});

describe('scheduleLeadMs', () => {
  it('is the accept time at the measured rate, times the safety factor, plus the margin', () => {
    expect(scheduleLeadMs(1_000, 100, { safety: 1.5, marginMs: 10_000 })).toBe(25_000);
    expect(scheduleLeadMs(10, 3, { safety: 1, marginMs: 0 })).toBe(3_334);
  });

  it('refuses a rate that is not positive and a safety factor under 1', () => {
    expect(() => scheduleLeadMs(10, 0, { safety: 1.5, marginMs: 0 })).toThrow(/acceptPerS/);
    expect(() => scheduleLeadMs(10, 5, { safety: 0.9, marginMs: 0 })).toThrow(/safety/);
  });
});

const message = (id: string, to: string, sendAtMs: number): ScheduledMessage => ({
  id,
  to,
  sendAtMs,
});
const send = (to: string, key: string | null, ms: number): CarrierSend => ({
  to,
  idempotency_key: key,
  received_at: at(ms),
});

describe('carrierArrivals and releaseLag', () => {
  const messages = [
    message('m1', '+15557000001', T0),
    message('m2', '+15557000002', T0 + 1_000),
    message('m3', '+15557000003', T0 + 2_000),
    message('m4', '+15557000004', T0 + 3_000),
  ];

  it('takes each message at its first receive, counts the others as duplicates and those never received', () => {
    const log = [
      send('+15557000001', 'm1', -60_000), // an earlier run's send to the same recipient
      send('+15557000001', 'm1', 120),
      send('+15557000002', 'm2', 1_450),
      send('+15557000002', 'other-key', 1_900), // the same message again under another key
      send('+15557000003', 'm3', 1_999), // 1 ms early
      send('+15557009999', 'x', 100), // not ours
    ];
    const arrivals = carrierArrivals(messages, log, T0 - 10_000);
    expect([...arrivals.firstReceivedAt]).toEqual([
      ['m1', T0 + 120],
      ['m2', T0 + 1_450],
      ['m3', T0 + 1_999],
    ]);
    expect(arrivals.never).toBe(1);
    expect(arrivals.duplicates).toBe(1);

    expect(releaseLag(messages, arrivals)).toEqual({
      messages: 4,
      received: 3,
      never: 1,
      duplicates: 1,
      early: 1,
      p50Ms: 120,
      p99Ms: 450,
      maxMs: 450,
      minMs: -1,
    });
  });

  it('counts a message the carrier got before its sendAt as early', () => {
    const arrivals = carrierArrivals(
      messages.slice(0, 1),
      [send('+15557000001', 'm1', -1)],
      T0 - 10_000,
    );
    const lag = releaseLag(messages.slice(0, 1), arrivals);
    expect(lag.early).toBe(1);
    expect(lag.minMs).toBe(-1);
  });

  it('refuses a log entry without a readable receive time', () => {
    expect(() =>
      carrierArrivals(
        messages,
        [{ to: '+15557000001', idempotency_key: 'm1', received_at: 'soon' }],
        T0,
      ),
    ).toThrow(/soon/);
  });
});

describe('burstFigures', () => {
  const burst = Array.from({ length: 4 }, (_, i) => message(`b${i}`, `+1555710000${i}`, T0));

  it('times the first and last receive after the sendAt and compares with the single-send rate plus 2 s', () => {
    const log = [500, 900, 1_300, 2_100].map((ms, i) => send(`+1555710000${i}`, `b${i}`, ms));
    const figures = burstFigures(burst, carrierArrivals(burst, log, T0 - 1), 2);
    expect(figures).toEqual({
      messages: 4,
      received: 4,
      never: 0,
      duplicates: 0,
      early: 0,
      firstAfterMs: 500,
      lastAfterMs: 2_100,
      carrierPerS: 2.5,
      goalMs: 4_000,
      goalMet: true,
    });
  });

  it('misses the goal when the last is later than it, one never arrives, or one is early', () => {
    const late = [500, 900, 1_300, 4_001].map((ms, i) => send(`+1555710000${i}`, `b${i}`, ms));
    expect(burstFigures(burst, carrierArrivals(burst, late, T0 - 1), 2).goalMet).toBe(false);
    const missing = [500, 900, 1_300].map((ms, i) => send(`+1555710000${i}`, `b${i}`, ms));
    const figures = burstFigures(burst, carrierArrivals(burst, missing, T0 - 1), 2);
    expect(figures.never).toBe(1);
    expect(figures.goalMet).toBe(false);
    const early = [-5, 900, 1_300, 2_000].map((ms, i) => send(`+1555710000${i}`, `b${i}`, ms));
    const withEarly = burstFigures(burst, carrierArrivals(burst, early, T0 - 10), 2);
    expect(withEarly.early).toBe(1);
    expect(withEarly.goalMet).toBe(false);
  });

  it('has no goal without a single-send rate, and refuses messages of different sendAt', () => {
    const log = [send('+15557100000', 'b0', 10)];
    expect(
      burstFigures(burst.slice(0, 1), carrierArrivals(burst, log, T0), undefined),
    ).toMatchObject({ goalMs: undefined, goalMet: false });
    expect(() =>
      burstFigures(
        [burst[0]!, message('x', '+15557100009', T0 + 1)],
        carrierArrivals([], [], T0),
        1,
      ),
    ).toThrow(/same sendAt/);
    expect(() => burstFigures([], carrierArrivals([], [], T0), 1)).toThrow(/at least one/);
  });
});
