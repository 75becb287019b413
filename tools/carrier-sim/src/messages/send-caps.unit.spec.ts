import { describe, expect, it } from 'vitest';
import { CarrierSimConfigError, loadCarrierSimConfig } from '../config.js';
import {
  type SendCap,
  SendCapBook,
  busiestWindow,
  parseSendCaps,
  parseSendCapsSetting,
} from './send-caps.js';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 26, 19) + ms);
const perMinute = (limit: number, extra: Partial<SendCap> = {}): SendCap => ({
  scope: 'sender',
  windowMs: 60_000,
  limit,
  unit: 'message',
  ...extra,
});

describe('SendCapBook', () => {
  it('refuses the send that would put more than the cap in a window, and counts nothing for it', () => {
    const book = new SendCapBook([perMinute(3)]);
    for (const ms of [0, 10_000, 20_000]) {
      expect(book.admit('+15555550100', 1, at(ms))).toEqual({ ok: true });
    }
    expect(book.admit('+15555550100', 1, at(59_999))).toEqual({ ok: false, cap: perMinute(3) });
    // The first send leaves the window at exactly 60 s after it.
    expect(book.admit('+15555550100', 1, at(60_000))).toEqual({ ok: true });
    expect(book.admit('+15555550100', 1, at(69_999)).ok).toBe(false);
    expect(book.admit('+15555550100', 1, at(70_000)).ok).toBe(true);
    expect(book.list()).toEqual([{ ...perMinute(3), rejected: 2 }]);
  });

  it('counts each sender apart, or one sender only, or the whole account; a refusal by one cap counts against none', () => {
    const book = new SendCapBook([
      perMinute(2),
      perMinute(1, { from: '+15555550101' }),
      { scope: 'account', windowMs: 1_000, limit: 3, unit: 'message' },
    ]);
    expect(book.admit('+15555550100', 1, at(0)).ok).toBe(true);
    expect(book.admit('+15555550100', 1, at(1)).ok).toBe(true);
    expect(book.admit('+15555550100', 1, at(2)).ok).toBe(false);
    expect(book.admit('+15555550101', 1, at(3)).ok).toBe(true);
    // Refused by the one-sender cap: the account cap did not count it, so another sender fits.
    expect(book.admit('+15555550101', 1, at(4)).ok).toBe(false);
    expect(book.admit('+15555550102', 1, at(5)).ok).toBe(false);
    expect(book.list().map((c) => c.rejected)).toEqual([1, 1, 1]);
    expect(book.admit('+15555550102', 1, at(1_000)).ok).toBe(true);
  });

  it('counts parts when the unit is part (an SMS its segments)', () => {
    const book = new SendCapBook([perMinute(5, { unit: 'part' })]);
    expect(book.admit('+15555550100', 3, at(0)).ok).toBe(true);
    expect(book.admit('+15555550100', 3, at(1)).ok).toBe(false);
    expect(book.admit('+15555550100', 2, at(2)).ok).toBe(true);
  });

  it('set replaces the caps and their counts; reset brings back the configured ones', () => {
    const book = new SendCapBook([perMinute(1)]);
    expect(book.admit('+15555550100', 1, at(0)).ok).toBe(true);
    book.set([]);
    expect(book.admit('+15555550100', 1, at(1)).ok).toBe(true);
    expect(book.list()).toEqual([]);
    book.reset();
    expect(book.admit('+15555550100', 1, at(2)).ok).toBe(true);
    expect(book.admit('+15555550100', 1, at(3)).ok).toBe(false);
  });

  it('with no caps lets everything through', () => {
    const book = new SendCapBook([]);
    for (let i = 0; i < 1_000; i++) expect(book.admit('+15555550100', 1, at(0)).ok).toBe(true);
  });
});

describe('busiestWindow', () => {
  it('finds the window of the length holding the most units, whatever the order', () => {
    const sends = [0, 59_999, 60_000, 30_000, 90_000, 119_999].map((ms) => ({ at: ms, units: 1 }));
    // Half-open windows: 0 and 60 000 never share a 60 s window, they do share one of 60.001 s.
    expect(busiestWindow(sends, 60_000)).toEqual({ units: 3, start: 0 });
    expect(busiestWindow(sends, 60_001)).toEqual({ units: 4, start: 0 });
    expect(busiestWindow(sends, 30_001)).toEqual({ units: 3, start: 30_000 });
    expect(busiestWindow(sends, 1)).toEqual({ units: 1, start: 0 });
    expect(busiestWindow([], 60_000)).toEqual({ units: 0, start: null });
    expect(
      busiestWindow(
        [
          { at: 5, units: 3 },
          { at: 6, units: 2 },
        ],
        10,
      ),
    ).toEqual({
      units: 5,
      start: 5,
    });
  });
});

describe('parsing caps', () => {
  it('reads CARRIER_SIM_SEND_CAPS names and limits, with the unit', () => {
    expect(parseSendCapsSetting('sender_per_minute=60, account_per_second=50', 'part')).toEqual({
      ok: true,
      caps: [
        { scope: 'sender', windowMs: 60_000, limit: 60, unit: 'part' },
        { scope: 'account', windowMs: 1_000, limit: 50, unit: 'part' },
      ],
    });
    expect(parseSendCapsSetting('', 'message')).toEqual({ ok: true, caps: [] });
    expect(parseSendCapsSetting('sender_per_hour=5', 'message')).toMatchObject({ ok: false });
    expect(parseSendCapsSetting('sender_per_minute=0', 'message')).toMatchObject({ ok: false });
    expect(parseSendCapsSetting('sender_per_minute', 'message')).toMatchObject({ ok: false });
  });

  it('the configuration has no caps by default and refuses bad ones with the variable named', () => {
    expect(loadCarrierSimConfig({}).sendCaps).toEqual([]);
    expect(loadCarrierSimConfig({ CARRIER_SIM_SEND_CAPS: 'sender_per_second=1' }).sendCaps).toEqual(
      [{ scope: 'sender', windowMs: 1_000, limit: 1, unit: 'message' }],
    );
    expect(() => loadCarrierSimConfig({ CARRIER_SIM_SEND_CAPS: 'fast=1' })).toThrow(
      CarrierSimConfigError,
    );
    expect(() =>
      loadCarrierSimConfig({
        CARRIER_SIM_SEND_CAPS: 'sender_per_second=1',
        CARRIER_SIM_SEND_CAP_UNIT: 'segment',
      }),
    ).toThrow(/CARRIER_SIM_SEND_CAP_UNIT/);
  });

  it('reads PUT /sim/caps bodies and names what is wrong', () => {
    expect(
      parseSendCaps({
        caps: [
          { scope: 'sender', windowMs: 60_000, limit: 60, from: '+15555550100' },
          { scope: 'account', windowMs: 1_000, limit: 50, unit: 'part' },
        ],
      }),
    ).toEqual({
      ok: true,
      caps: [
        { scope: 'sender', windowMs: 60_000, limit: 60, unit: 'message', from: '+15555550100' },
        { scope: 'account', windowMs: 1_000, limit: 50, unit: 'part' },
      ],
    });
    const reason = (body: unknown) => {
      const parsed = parseSendCaps(body);
      return parsed.ok ? null : parsed.reason;
    };
    expect(reason([])).toMatch(/JSON object/);
    expect(reason({})).toMatch(/caps must be an array/);
    expect(reason({ caps: [1] })).toMatch(/caps\[0\] must be an object/);
    expect(reason({ caps: [{ scope: 'number', windowMs: 1, limit: 1 }] })).toMatch(/scope/);
    expect(reason({ caps: [{ scope: 'sender', windowMs: 0, limit: 1 }] })).toMatch(/windowMs/);
    expect(reason({ caps: [{ scope: 'sender', windowMs: 1, limit: 1.5 }] })).toMatch(/limit/);
    expect(reason({ caps: [{ scope: 'sender', windowMs: 1, limit: 1, unit: 'x' }] })).toMatch(
      /unit/,
    );
    expect(reason({ caps: [{ scope: 'sender', windowMs: 1, limit: 1, from: '555' }] })).toMatch(
      /from/,
    );
    expect(
      reason({ caps: [{ scope: 'account', windowMs: 1, limit: 1, from: '+15555550100' }] }),
    ).toMatch(/sender only/);
    expect(reason({ caps: [{ scope: 'sender', windowMs: 1, limit: 1, burst: 2 }] })).toMatch(
      /burst is not a known field/,
    );
  });
});
