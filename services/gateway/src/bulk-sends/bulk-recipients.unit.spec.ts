import { describe, expect, it } from 'vitest';
import type { ContactResource } from '../contacts/contact.resource.js';
import { matchesTags, orderRecipients, tally, unknownContactIds } from './bulk-recipients.js';

function contact(id: string, phone: string, tags: string[] = []): ContactResource {
  return {
    id,
    version: 1,
    phone,
    firstName: null,
    lastName: null,
    email: null,
    companyName: null,
    timeZone: null,
    tags,
    customFields: {},
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

describe('recipient order and duplicate phones', () => {
  it('keeps the first contact of each phone, in order, and skips the later ones', () => {
    const a = contact('a', '+13055550001');
    const b = contact('b', '+13055550002');
    const c = contact('c', '+13055550001');
    const d = contact('d', '+13055550003');
    const e = contact('e', '+13055550002');
    const { candidates, duplicatePhone } = orderRecipients([d, a, b, c, e]);
    expect(candidates.map((x) => x.id)).toEqual(['d', 'a', 'b']);
    expect(duplicatePhone.map((x) => x.id)).toEqual(['c', 'e']);
  });

  it('takes the order given, not the ids: the later of two sharing a phone is skipped', () => {
    const z = contact('z', '+13055550001');
    const a = contact('a', '+13055550001');
    expect(orderRecipients([z, a]).duplicatePhone.map((x) => x.id)).toEqual(['a']);
    expect(orderRecipients([a, z]).duplicatePhone.map((x) => x.id)).toEqual(['z']);
  });

  it('counts a contact id given twice as a duplicate of itself', () => {
    const a = contact('a', '+13055550001');
    expect(orderRecipients([a, a])).toEqual({ candidates: [a], duplicatePhone: [a] });
  });

  it('lists unknown ids with their place in the request', () => {
    const known = new Map([['a', contact('a', '+13055550001')]]);
    expect(unknownContactIds(['x', 'a', 'y', 'a'], known)).toEqual([
      { index: 0, contactId: 'x' },
      { index: 2, contactId: 'y' },
    ]);
  });
});

describe('tag filters', () => {
  const cases: [string, string[], Parameters<typeof matchesTags>[1], boolean][] = [
    ['any: one of them', ['news'], { any: ['vip', 'news'] }, true],
    ['any: none of them', ['other'], { any: ['vip', 'news'] }, false],
    ['all: every one', ['vip', 'news', 'x'], { all: ['vip', 'news'] }, true],
    ['all: one missing', ['vip'], { all: ['vip', 'news'] }, false],
    ['none: has none', ['vip'], { none: ['lapsed'] }, true],
    ['none: has one', ['vip', 'lapsed'], { none: ['lapsed'] }, false],
    ['none alone matches an untagged contact', [], { none: ['lapsed'] }, true],
    ['any and none together', ['news', 'lapsed'], { any: ['news'], none: ['lapsed'] }, false],
    [
      'any, all and none together',
      ['news', 'vip'],
      { any: ['news'], all: ['vip'], none: ['x'] },
      true,
    ],
    ['tags are case-sensitive', ['News'], { any: ['news'] }, false],
  ];
  it.each(cases)('%s', (_name, tags, filter, expected) => {
    expect(matchesTags(tags, filter)).toBe(expected);
  });
});

describe("the answer's counting", () => {
  const at = new Date('2026-12-02T17:00:00.000Z');
  const later = new Date('2026-12-03T14:00:00.000Z');

  it('counts every recipient once, blocked by reason, segments over the sendable ones', () => {
    const result = tally(2, [
      { kind: 'sendable', segments: 1, releaseAt: at, heldUntil: null },
      { kind: 'sendable', segments: 3, releaseAt: at, heldUntil: later },
      { kind: 'blocked', reason: 'recipient_opted_out' },
      { kind: 'blocked', reason: 'dnd_active' },
      { kind: 'blocked', reason: 'recipient_opted_out' },
      { kind: 'blocked', reason: 'no_marketing_consent' },
      { kind: 'skipped', reason: 'missing_merge_value' },
    ]);
    expect(result).toEqual({
      recipients: {
        total: 9,
        sendable: 2,
        blocked: { recipient_opted_out: 2, dnd_active: 1, no_marketing_consent: 1 },
        skipped: { duplicate_phone: 2, missing_merge_value: 1 },
        held: { quiet_hours_held: 1 },
      },
      segments: { total: 4, max: 3 },
      lastOut: later,
    });
  });

  it('answers zeros and no last instant without sendable recipients', () => {
    expect(tally(0, [{ kind: 'blocked', reason: 'dnd_active' }])).toEqual({
      recipients: {
        total: 1,
        sendable: 0,
        blocked: { dnd_active: 1 },
        skipped: { duplicate_phone: 0, missing_merge_value: 0 },
        held: { quiet_hours_held: 0 },
      },
      segments: { total: 0, max: 0 },
      lastOut: null,
    });
  });
});
