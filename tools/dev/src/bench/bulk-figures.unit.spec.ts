import { describe, expect, it } from 'vitest';
import {
  bulkContactsCsv,
  bulkRecipientPhone,
  bytesPerMessage,
  deliveredRatio,
  firstArrivalMs,
  highestSince,
} from './bulk-figures.js';
import { benchRecipient } from './load-run.js';

describe('the bulk scenario contacts', () => {
  it('are distinct E.164 numbers apart from the single-send run, each with the run tag', () => {
    expect(bulkRecipientPhone(0)).toBe('+15558000000');
    expect(bulkRecipientPhone(99_999)).toBe('+15558099999');
    expect(bulkRecipientPhone(99_999)).not.toBe(benchRecipient(99_999));
    expect(() => bulkRecipientPhone(1_000_000)).toThrow(RangeError);
    expect(() => bulkRecipientPhone(1.5)).toThrow(RangeError);
    expect(bulkContactsCsv(2, 'r1', 'tag-r1')).toBe(
      'id,phone,firstName,tags\n' +
        'bulk-r1-000000,+15558000000,First0,tag-r1\n' +
        'bulk-r1-000001,+15558000001,First1,tag-r1\n',
    );
  });
});

describe('firstArrivalMs', () => {
  const phones = new Set(['+15558000000', '+15558000001']);
  it('is the earliest receive time of one of the numbers at or after the POST', () => {
    const log = [
      { to: '+15558000001', received_at: '2026-12-02T10:00:00.500Z' }, // an earlier run
      { to: '+15557000000', received_at: '2026-12-02T10:00:01.100Z' }, // not the bulk send's
      { to: '+15558000001', received_at: '2026-12-02T10:00:01.900Z' },
      { to: '+15558000000', received_at: '2026-12-02T10:00:01.700Z' },
    ];
    const posted = Date.parse('2026-12-02T10:00:01.000Z');
    expect(firstArrivalMs(log, phones, posted)).toBe(Date.parse('2026-12-02T10:00:01.700Z'));
  });

  it('is undefined when none of them has arrived since', () => {
    const log = [{ to: '+15558000000', received_at: '2026-12-02T09:59:59.000Z' }];
    expect(firstArrivalMs(log, phones, Date.parse('2026-12-02T10:00:00Z'))).toBeUndefined();
    expect(firstArrivalMs([], phones, 0)).toBeUndefined();
  });
});

describe('bytesPerMessage', () => {
  it('divides each database growth, and their sum, by the messages', () => {
    expect(
      bytesPerMessage(
        { tp_gateway: 1_000, tp_messaging: 5_000 },
        { tp_gateway: 3_000, tp_messaging: 13_000 },
        4,
      ),
    ).toEqual({ total: 2_500, perDatabase: { tp_gateway: 500, tp_messaging: 2_000 } });
  });

  it('is undefined without messages or without both readings of every database', () => {
    expect(bytesPerMessage({ a: 1 }, { a: 2 }, 0)).toBeUndefined();
    expect(bytesPerMessage({ a: 1, b: 1 }, { a: 2 }, 1)).toBeUndefined();
    expect(bytesPerMessage({}, {}, 1)).toBeUndefined();
  });
});

describe('highestSince', () => {
  it("is each service's highest reading from the given time on; null where none was read", () => {
    const rss = (gateway: number | null, messaging: number | null) => ({
      gateway,
      messaging,
      consent: null,
      registration: null,
      billing: null,
      'carrier-sim': 50,
    });
    const samples = [
      { atMs: 0, rss: rss(400, 400) },
      { atMs: 1_000, rss: rss(120, 150) },
      { atMs: 1_500, rss: rss(180, null) },
      { atMs: 2_000, rss: rss(110, 140) },
    ];
    expect(highestSince(samples, 1_000)).toEqual({
      gateway: 180,
      messaging: 150,
      consent: null,
      registration: null,
      billing: null,
      'carrier-sim': 50,
    });
  });
});

describe('deliveredRatio', () => {
  it('is bulk over single delivered/s, when both are known', () => {
    expect(deliveredRatio(900, 600)).toBe(1.5);
    expect(deliveredRatio(undefined, 600)).toBeUndefined();
    expect(deliveredRatio(900, 0)).toBeUndefined();
  });
});
