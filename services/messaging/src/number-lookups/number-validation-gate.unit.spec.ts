import { NUMBER_VALIDATION_DEFAULTS, type NumberValidationSetting } from '@textplane/contracts';
import { describe, expect, it } from 'vitest';
import { type DispatchFacts, type Gate, runGates } from '../messages/dispatch/gates.js';
import { type KnownNumber, NUMBER_LOOKUP_EVENT, throughputCarrierOf } from './known-number.js';
import {
  NUMBER_LOOKUP_FAILED_FLAG,
  numberValidationAnswer,
  type NumberValidationFacts,
  numberValidationGate,
} from './number-validation-gate.js';

const phone = '+12145550140';
const now = new Date('2026-12-03T10:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const on: NumberValidationSetting = { ...NUMBER_VALIDATION_DEFAULTS, enabled: true };

function daysAgo(days: number): Date {
  return new Date(now.getTime() - days * DAY);
}

function looked(lineType: 'mobile' | 'landline' | 'voip', at: Date): KnownNumber {
  return {
    phoneNumber: phone,
    lookup: { lineType, carrier: 'att', carrierName: 'AT&T', lookedUpAt: at },
    failure: null,
  };
}

function failed(at: Date, lookup: KnownNumber['lookup'] = null): KnownNumber {
  return {
    phoneNumber: phone,
    lookup,
    failure: { reason: 'carrier_unavailable', detail: 'HTTP 503', failedAt: at },
  };
}

function facts(
  setting: NumberValidationSetting | undefined,
  known: KnownNumber | null,
  autoReply: 'help' | null = null,
): NumberValidationFacts {
  return {
    message: { to: phone, autoReply },
    now,
    tenant: { timeZone: 'America/Chicago', ...(setting ? { numberValidation: setting } : {}) },
    recipientNumber: known,
  };
}

const WAIT = {
  answer: 'wait',
  until: { kind: 'event', event: NUMBER_LOOKUP_EVENT, key: phone },
} as const;

describe('the number-validation gate', () => {
  it.each<[string, NumberValidationFacts, string]>([
    ['off (the default): pass, nothing looked up', facts(NUMBER_VALIDATION_DEFAULTS, null), 'pass'],
    ['no setting at all: pass', facts(undefined, null), 'pass'],
    ['on, never looked up: wait for the lookup', facts(on, null), 'wait'],
    ['on, a mobile looked up today: pass', facts(on, looked('mobile', daysAgo(0))), 'pass'],
    ['on, a landline looked up today: block', facts(on, looked('landline', daysAgo(0))), 'block'],
    ['on, a voip (not skipped by default): pass', facts(on, looked('voip', daysAgo(1))), 'pass'],
    [
      'on, a landline looked up 29 days ago (cache 30): block',
      facts(on, looked('landline', daysAgo(29))),
      'block',
    ],
    [
      'on, a landline looked up 30 days ago (cache 30): stale, wait for a new lookup',
      facts(on, looked('landline', daysAgo(30))),
      'wait',
    ],
    [
      'on, cacheDays 7, a mobile looked up 8 days ago: wait',
      facts({ ...on, cacheDays: 7 }, looked('mobile', daysAgo(8))),
      'wait',
    ],
    [
      'on, skipping voip too: a voip is blocked',
      facts({ ...on, skipLineTypes: ['landline', 'voip'] }, looked('voip', daysAgo(1))),
      'block',
    ],
    [
      'on, skipping nothing: a landline passes',
      facts({ ...on, skipLineTypes: [] }, looked('landline', daysAgo(1))),
      'pass',
    ],
    ['an automatic reply to a landline: pass', facts(on, looked('landline', now), 'help'), 'pass'],
  ])('%s', (_, given, expected) => {
    expect(numberValidationAnswer(given).answer).toBe(expected);
  });

  it('waits for the lookup event keyed by the number', () => {
    expect(numberValidationAnswer(facts(on, null))).toEqual(WAIT);
  });

  it('blocks recipient_not_mobile, saying what the lookup found and when', () => {
    expect(numberValidationAnswer(facts(on, looked('landline', daysAgo(2))))).toEqual({
      answer: 'block',
      reasons: ['recipient_not_mobile'],
      detail:
        'the recipient +12145550140 is a landline number (looked up 2026-12-01T10:00:00.000Z), ' +
        "a line type the tenant's number validation skips",
    });
  });

  it('a failed lookup lets the message through flagged, until the failure is old', () => {
    const policy = { failureReuseMs: 60 * 60 * 1000 };
    const recent = failed(new Date(now.getTime() - 59 * 60 * 1000));
    expect(numberValidationAnswer(facts(on, recent), policy)).toEqual({
      answer: 'pass',
      flags: [NUMBER_LOOKUP_FAILED_FLAG],
    });
    const old = failed(new Date(now.getTime() - 60 * 60 * 1000));
    expect(numberValidationAnswer(facts(on, old), policy)).toEqual(WAIT);
  });

  it('a failed new lookup of a stale landline lets the message through flagged', () => {
    const known = failed(now, looked('landline', daysAgo(40)).lookup);
    expect(numberValidationAnswer(facts(on, known))).toEqual({
      answer: 'pass',
      flags: [NUMBER_LOOKUP_FAILED_FLAG],
    });
  });

  it("runs as a Gate among the dispatcher's: its block names it", () => {
    const gate: Gate = numberValidationGate();
    const message = { to: phone, autoReply: null } as unknown as DispatchFacts['message'];
    const base = facts(on, looked('landline', now));
    // Only this gate: the others' facts are not what this test is about.
    expect(runGates([gate], { ...base, message } as unknown as DispatchFacts)).toMatchObject({
      answer: 'block',
      gate: 'number-validation',
      reasons: ['recipient_not_mobile'],
    });
  });
});

describe("the recipient's carrier for the throughput limits", () => {
  it.each([
    ['att', 'att'],
    ['tmobile', 'tmobile'],
    ['verizon', 'other'],
    ['other', 'other'],
  ] as const)('%s counts as %s', (carrier, expected) => {
    const known = looked('mobile', now);
    expect(
      throughputCarrierOf({ ...known, lookup: known.lookup && { ...known.lookup, carrier } }),
    ).toBe(expected);
  });

  it('unknown (no successful lookup) counts against every carrier: null', () => {
    expect(throughputCarrierOf(null)).toBeNull();
    expect(throughputCarrierOf(failed(now))).toBeNull();
  });
});
