import type { RateCard } from '@textplane/pricing';
import { DEFAULT_RATE_CARD } from '@textplane/pricing';
import { describe, expect, it } from 'vitest';
import {
  at,
  holdRequest,
  inbound,
  messageId,
  now,
  SEGMENT_WORST_CASE,
  submitted,
  tenantId,
  wallet,
} from '../../test/fixtures.js';
import type { HoldEvent } from '../billing.events.js';
import {
  decide,
  evolve,
  type HoldCommand,
  HoldInvariantError,
  type HoldState,
  initialState,
} from './hold.decider.js';

const cards: readonly RateCard[] = [DEFAULT_RATE_CARD];
const fold = (events: HoldEvent[]): HoldState => events.reduce(evolve, initialState);
const when = (given: HoldEvent[], command: HoldCommand): HoldEvent[] =>
  decide(command, fold(given));

const requestHold = (available: number, overrides = {}): HoldCommand => ({
  type: 'RequestHold',
  request: holdRequest(overrides),
  cards,
  wallet: wallet(available, 0, 1),
  now,
});
const capture = (
  w = wallet(1_000_000 - SEGMENT_WORST_CASE, SEGMENT_WORST_CASE, 2),
  overrides = {},
): HoldCommand => ({ type: 'Capture', submitted: submitted(overrides), cards, wallet: w, now });
const release = (reason: 'blocked' | 'canceled' | 'failed' = 'blocked'): HoldCommand => ({
  type: 'Release',
  reason,
  cards,
  wallet: wallet(1_000_000 - SEGMENT_WORST_CASE, SEGMENT_WORST_CASE, 2),
  now,
});

const placed = (overrides = {}): HoldEvent[] => when([], requestHold(1_000_000, overrides));
const rejected = (): HoldEvent[] => when([], requestHold(100));

describe('hold decider: a hold requested', () => {
  it('places the worst case when the available funds cover it, with the wallet after it', () => {
    expect(placed()).toEqual([
      {
        type: 'billing.HoldPlaced.v1',
        data: {
          tenantId,
          messageId,
          amount: { micros: SEGMENT_WORST_CASE, currency: 'USD' },
          price: {
            cardVersion: 'default',
            country: 'US',
            channel: 'sms',
            direction: 'outbound',
            units: 1,
            unitPrice: 8_300,
            carrier: 't-mobile',
            carrierFee: 3_000,
          },
          wallet: wallet(1_000_000 - SEGMENT_WORST_CASE, SEGMENT_WORST_CASE, 2),
          placedAt: at,
          request: holdRequest(),
        },
      },
    ]);
  });

  it('places a hold that takes the available funds exactly to zero', () => {
    expect(when([], requestHold(SEGMENT_WORST_CASE))[0]).toMatchObject({
      type: 'billing.HoldPlaced.v1',
      data: { wallet: { available: 0, held: SEGMENT_WORST_CASE } },
    });
  });

  it('rejects insufficient_funds with what was required, the wallet unchanged', () => {
    expect(rejected()).toEqual([
      {
        type: 'billing.HoldRejected.v1',
        data: {
          tenantId,
          messageId,
          reason: 'insufficient_funds',
          required: { micros: SEGMENT_WORST_CASE, currency: 'USD' },
          wallet: wallet(100, 0, 1),
          rejectedAt: at,
        },
      },
    ]);
  });

  it('rejects a destination no card prices, naming its country', () => {
    expect(when([], requestHold(1_000_000, { to: '+4915112345678' }))).toEqual([
      {
        type: 'billing.HoldRejected.v1',
        data: {
          tenantId,
          messageId,
          reason: 'destination_not_priced',
          country: 'DE',
          wallet: wallet(1_000_000, 0, 1),
          rejectedAt: at,
        },
      },
    ]);
  });

  it('rejects destination_not_priced before any card is in force', () => {
    const command = { ...requestHold(1_000_000), now: new Date('2025-01-01T00:00:00Z') };
    expect(when([], command)[0]).toMatchObject({
      data: { reason: 'destination_not_priced', country: null },
    });
  });

  it('holds 3 segments as 3 × (rate + the highest fee); a known carrier holds its own fee', () => {
    expect(placed({ segments: 3 })[0]?.data).toMatchObject({ amount: { micros: 33_900 } });
    expect(placed({ recipientCarrier: 'att' })[0]?.data).toMatchObject({
      amount: { micros: 10_300 },
      price: { carrier: 'att' },
    });
  });

  it('places a zero hold for a compliance auto-reply, whatever the funds, with no entry', () => {
    const [event] = when([], requestHold(0, { autoReply: true }));
    expect(event).toMatchObject({
      type: 'billing.HoldPlaced.v1',
      data: { amount: { micros: 0 }, wallet: wallet(0, 0, 1) },
    });
  });

  it('asks again after a rejection: decided again on the funds now', () => {
    expect(when(rejected(), requestHold(1_000_000))[0]?.type).toBe('billing.HoldPlaced.v1');
    expect(when(rejected(), requestHold(10))[0]?.type).toBe('billing.HoldRejected.v1');
  });

  it('a request for a hold placed, captured or released adds nothing', () => {
    expect(when(placed(), requestHold(1_000_000))).toEqual([]);
    const captured = [...placed(), ...when(placed(), capture())];
    expect(when(captured, requestHold(1_000_000))).toEqual([]);
    const released = [...placed(), ...when(placed(), release())];
    expect(when(released, requestHold(1_000_000))).toEqual([]);
  });
});

describe('hold decider: the carrier accepted', () => {
  it('captures the real cost by the known carrier and releases the rest', () => {
    const [event] = when(placed(), capture(undefined, { recipientCarrier: 'att' }));
    expect(event).toMatchObject({
      type: 'billing.ChargeCaptured.v1',
      data: {
        amount: { micros: 10_300, currency: 'USD' },
        price: { carrier: 'att', carrierFee: 2_000, units: 1, direction: 'outbound' },
        captured: 10_300,
        overrun: 0,
        released: 1_000,
        from: '+15125550142',
        to: '+14155550123',
        // Hold 11,300 → 10,300 charged, 1,000 back: two entries.
        wallet: wallet(1_000_000 - 10_300, 0, 4),
      },
    });
  });

  it('an unknown carrier on capture charges no carrier fee', () => {
    expect(when(placed(), capture())[0]?.data).toMatchObject({
      amount: { micros: 8_300 },
      price: { carrier: null, carrierFee: 0 },
      released: 3_000,
    });
  });

  it('the request carrier counts when the carrier named none', () => {
    const given = placed({ recipientCarrier: 'verizon' });
    expect(when(given, capture())[0]?.data).toMatchObject({
      price: { carrier: 'verizon', carrierFee: 2_500 },
      amount: { micros: 10_800 },
    });
  });

  it("captures the carrier's parts: more parts than held are an overrun from available", () => {
    const [event] = when(placed(), capture(undefined, { parts: 3, recipientCarrier: 't-mobile' }));
    expect(event?.data).toMatchObject({
      amount: { micros: 33_900 },
      price: { units: 3 },
      captured: SEGMENT_WORST_CASE,
      overrun: 33_900 - SEGMENT_WORST_CASE,
      released: 0,
      wallet: { available: 1_000_000 - 33_900, held: 0, sequence: 3 },
    });
  });

  it('prices by the card of the hold, not the card in force now', () => {
    const dearer: RateCard = {
      ...DEFAULT_RATE_CARD,
      version: 'dearer',
      effectiveAt: '2026-12-03T14:30:00.000Z',
      rates: DEFAULT_RATE_CARD.rates.map((r) => ({ ...r, price: r.price * 2 })),
    };
    const later = new Date('2026-12-03T15:00:00.000Z');
    const command = { ...capture(), cards: [DEFAULT_RATE_CARD, dearer], now: later };
    expect(when(placed(), command)[0]?.data).toMatchObject({
      price: { cardVersion: 'default', unitPrice: 8_300 },
    });
    expect(() => when(placed(), { ...command, cards: [dearer] })).toThrow(HoldInvariantError);
  });

  it('an auto-reply charges its whole cost as an overrun', () => {
    const given = when([], requestHold(0, { autoReply: true }));
    expect(when(given, capture(wallet(0, 0, 1)))[0]?.data).toMatchObject({
      captured: 0,
      overrun: 8_300,
      released: 0,
      wallet: { available: -8_300, held: 0, sequence: 2 },
    });
  });

  it('a second capture, or a capture after a release, adds nothing', () => {
    const captured = [...placed(), ...when(placed(), capture())];
    expect(when(captured, capture())).toEqual([]);
    const released = [...placed(), ...when(placed(), release())];
    expect(when(released, capture())).toEqual([]);
  });

  it('a capture with no hold placed (none, or rejected) adds nothing', () => {
    expect(when([], capture())).toEqual([]);
    expect(when(rejected(), capture())).toEqual([]);
  });
});

describe('hold decider: released whole', () => {
  it.each(['blocked', 'canceled', 'failed'] as const)('%s releases the whole hold', (reason) => {
    expect(when(placed(), release(reason))).toEqual([
      {
        type: 'billing.HoldReleased.v1',
        data: {
          tenantId,
          messageId,
          amount: { micros: SEGMENT_WORST_CASE, currency: 'USD' },
          reason,
          wallet: wallet(1_000_000, 0, 3),
          releasedAt: at,
        },
      },
    ]);
  });

  it('carries the bulk send of the request', () => {
    const bulkSendId = '01936f4e-7c2a-7cc1-9a57-0000000b0001';
    expect(when(placed({ bulkSendId }), release())[0]?.data).toMatchObject({ bulkSendId });
  });

  it('nothing to release without an open hold; a second release adds nothing', () => {
    expect(when([], release())).toEqual([]);
    expect(when(rejected(), release())).toEqual([]);
    const released = [...placed(), ...when(placed(), release())];
    expect(when(released, release('failed'))).toEqual([]);
    const captured = [...placed(), ...when(placed(), capture())];
    expect(when(captured, release())).toEqual([]);
  });
});

describe('hold decider: an inbound text', () => {
  const charge = (
    overrides = {},
    toNumberType: 'long_code' | 'toll_free' = 'long_code',
  ): HoldCommand => ({
    type: 'ChargeInbound',
    received: inbound(overrides),
    toNumberType,
    cards,
    wallet: wallet(0, 0, 0),
    now,
  });

  it('charges on receipt from the available funds, below zero if need be', () => {
    expect(when([], charge())).toEqual([
      {
        type: 'billing.ChargeCaptured.v1',
        data: {
          tenantId,
          messageId,
          amount: { micros: 8_300, currency: 'USD' },
          price: {
            cardVersion: 'default',
            country: 'US',
            channel: 'sms',
            direction: 'inbound',
            units: 1,
            unitPrice: 8_300,
            carrier: null,
            carrierFee: 0,
          },
          captured: 0,
          overrun: 8_300,
          released: 0,
          from: '+14155550123',
          to: '+15125550142',
          wallet: wallet(-8_300, 0, 1),
          capturedAt: at,
        },
      },
    ]);
  });

  it('an MMS is one message; segments 0 count as one', () => {
    expect(when([], charge({ mediaUrls: ['https://x.test/a.jpg'] }))[0]?.data).toMatchObject({
      amount: { micros: 20_000 },
      price: { channel: 'mms', units: 1 },
    });
    expect(when([], charge({ segments: 0 }))[0]?.data).toMatchObject({ price: { units: 1 } });
  });

  it('a sender country no card prices is charged nothing', () => {
    expect(when([], charge({ from: '+4915112345678' }))).toEqual([]);
  });

  it('charged once: a redelivery adds nothing', () => {
    const charged = when([], charge());
    expect(when(charged, charge())).toEqual([]);
    expect(fold(charged)).toEqual({ phase: 'charged_inbound' });
  });
});

describe('hold decider: evolve', () => {
  it('folds placed → captured, placed → released, and a stream with a rejection first', () => {
    expect(fold(placed()).phase).toBe('placed');
    expect(fold(rejected())).toEqual({ phase: 'rejected' });
    expect(fold([...rejected(), ...placed()]).phase).toBe('placed');
    expect(fold([...placed(), ...when(placed(), capture())])).toEqual({ phase: 'captured' });
    expect(fold([...placed(), ...when(placed(), release())])).toEqual({ phase: 'released' });
  });

  it('a HoldPlaced without its request cannot be folded', () => {
    const [event] = placed();
    if (event?.type !== 'billing.HoldPlaced.v1') throw new Error('expected HoldPlaced');
    const { request: _request, ...data } = event.data as typeof event.data & { request: unknown };
    expect(() => evolve(initialState, { ...event, data })).toThrow(HoldInvariantError);
  });
});
